"""Two versions of a project for `qingdan diff`: folders, files, or git revisions.

A version is a path when one exists by that name; otherwise `REV:PATH` or `REV` (the
project path given separately) names a git revision of the repository around the working
folder, and its sources are written to a temporary folder to be loaded like any other.
With no versions given, diff compares with the previous edition: qingdan.yaml's
`previous:`, written by `qingdan new-year` (a folder relative to qingdan.yaml, or a git
revision such as v2024).

A revision may be hostile (made with `git mktree`, or fetched): its entry names are
checked before anything is written (no `..`, no absolute or empty parts, no links), every
file is created new inside the temporary folder, and the whole is bounded in size.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from contextlib import ExitStack
from pathlib import Path, PurePosixPath

from ..diagnostics import Diagnostic, Failed, Location
from ..load.source import load_file
from ..paths import CONFIG_NAME, display_path

MAX_REVISION_BYTES = 256 * 1024 * 1024  # everything extracted from one revision
FILE_MODES = {"100644", "100755"}  # regular blobs; links (120000) and submodules are not


def _git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip() or f"git {' '.join(args)} failed")
    return done.stdout


def commit_id(revision: str, cwd: Path | None = None) -> str | None:
    """The full id of the commit revision names in the repository around cwd (the working
    folder by default), or None when it names none. Reads only."""
    try:
        return _git("rev-parse", "--verify", "--quiet", "--end-of-options",
                    f"{revision}^{{commit}}", cwd=(cwd or Path.cwd()).resolve()).strip() or None
    except (RuntimeError, OSError, subprocess.TimeoutExpired):
        return None


def resolve_version(spec: str, project: Path, stack: ExitStack,
                    cwd: Path | None = None) -> Path:
    """The folder (or file) holding version spec; temporary folders close with stack.
    cwd: the folder whose repository holds git revisions (the working folder by default)."""
    if Path(spec).exists():
        return Path(spec)
    revision, _, inner = spec.partition(":")
    target = Path(inner) if inner else project
    cwd = (cwd or Path.cwd()).resolve()
    try:
        top = Path(_git("rev-parse", "--show-toplevel", cwd=cwd).strip())
        relative = (cwd / target).resolve().relative_to(top.resolve()).as_posix()
        _git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", cwd=top)
    except (RuntimeError, ValueError, OSError, subprocess.TimeoutExpired):
        raise Failed([Diagnostic(
            "E401", f"找不到版本“{spec}”：既不是已有的文件夹或文件，也不是本仓库的 git 版本",
            Location(spec),
            hint="写文件夹路径，或 git 版本（如 HEAD~1、v2024）加可选的 :项目路径")]) from None
    try:
        inner_path = "" if relative == "." else relative
        kind = _git("cat-file", "-t", f"{revision}:{inner_path}", cwd=top).strip()
    except (RuntimeError, OSError, subprocess.TimeoutExpired):
        kind = ""
    if kind not in ("tree", "blob"):
        raise Failed([Diagnostic("E401", f"版本“{revision}”中没有“{relative}”",
                                 Location(spec), hint="检查项目路径在该版本中是否存在")])
    # A file is loaded with its project around it (the config, the other sources).
    folder_in_repo = relative if kind == "tree" else PurePosixPath(relative).parent.as_posix()
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="qingdan-")))
    extract(top, revision, folder_in_repo, folder, spec)
    return folder / relative


def extract(top: Path, revision: str, path: str, into: Path, spec: str) -> None:
    """Write the regular files under path at revision into the empty folder into."""
    try:
        listing = _git("ls-tree", "-r", "-z", "-l", revision, "--", path, cwd=top)
    except (RuntimeError, OSError, subprocess.TimeoutExpired):
        raise Failed([Diagnostic("E401", f"无法列出版本“{revision}”中的文件",
                                 Location(spec))]) from None
    files: list[tuple[str, str]] = []  # (object, name)
    unsafe: list[str] = []
    total = 0
    for line in filter(None, listing.split("\0")):
        meta, _, name = line.partition("\t")
        mode, kind, obj, size = meta.split()
        if kind == "commit":
            continue  # a submodule: no content here
        if mode not in FILE_MODES or kind != "blob" or not _safe_name(name):
            unsafe.append(name)
            continue
        total += int(size)
        files.append((obj, name))
    if unsafe:
        shown = "、".join(f"“{n}”" for n in unsafe[:3]) + (" 等" if len(unsafe) > 3 else "")
        raise Failed([Diagnostic(
            "E108", f"版本“{revision}”中有不安全的路径：{shown}", Location(spec),
            hint="该版本含有名为 .. 的目录、绝对路径或符号链接，qingdan 不会读出它；"
                 "请检查这个版本的来源")])
    if total > MAX_REVISION_BYTES:
        raise Failed([Diagnostic(
            "E105", f"版本“{revision}”中的文件共 {total // 2**20} MB，超过 "
                    f"{MAX_REVISION_BYTES // 2**20} MB 的上限", Location(spec))])
    if not files:
        raise Failed([Diagnostic("E401", f"版本“{revision}”中没有“{path}”",
                                 Location(spec), hint="检查项目路径在该版本中是否存在")])
    blobs = _read_blobs(top, [obj for obj, _ in files], spec)
    for (_, name), blob in zip(files, blobs, strict=True):
        _write_new(into, name, blob, spec)


def _safe_name(name: str) -> bool:
    """A relative path of plain parts: nothing that could lead out of the folder."""
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and all(
        part not in ("", ".", "..") and "\\" not in part and ":" not in part[1:2]
        for part in parts)


def _read_blobs(top: Path, objects: list[str], spec: str) -> list[bytes]:
    """Every object's bytes, read by one `git cat-file --batch`."""
    try:
        done = subprocess.run(["git", "cat-file", "--batch"], cwd=top, capture_output=True,
                              input="".join(f"{o}\n" for o in objects).encode(),
                              timeout=120, check=True)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
        raise Failed([Diagnostic("E401", "无法从 git 读出该版本的文件", Location(spec))]) from None
    out, at, blobs = done.stdout, 0, []
    for obj in objects:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        if len(header) != 3 or header[0].decode() != obj or header[1] != b"blob":
            raise Failed([Diagnostic("E401", "无法从 git 读出该版本的文件", Location(spec))])
        size = int(header[2])
        blobs.append(out[end + 1:end + 1 + size])
        at = end + 1 + size + 1
    return blobs


def _write_new(into: Path, name: str, data: bytes, spec: str) -> None:
    """Create into/name, refusing to reuse or follow anything already there."""
    target = into.joinpath(*name.split("/"))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(target, flags, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise Failed([Diagnostic(
            "E108", f"无法读出版本中的“{name}”：{exc.strerror or exc}", Location(spec),
            hint="该版本中同一路径既是文件又是文件夹，或重复出现")]) from None


def project_root(path: Path) -> Path:
    return path if path.is_dir() else path.parent


def recorded_previous(root: Path) -> tuple[str, Location] | None:
    """qingdan.yaml's `previous:` and where it is written; None when it has none."""
    config = root / CONFIG_NAME
    if not config.is_file():
        return None
    source = load_file(config)
    value = source.data.get("previous") if isinstance(source.data, dict) else None
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip(), source.at(("previous",))


def previous_version(project: Path, stack: ExitStack) -> Path:
    """The folder holding the previous edition of a project (a git revision is written
    out to a temporary folder that closes with stack); raises Failed with E647."""
    root = project_root(project)
    recorded = recorded_previous(root)
    if recorded is None:
        raise Failed([Diagnostic(
            "E647", "没有记录上一版本：qingdan.yaml 中没有 previous",
            Location(display_path(root / CONFIG_NAME)),
            hint="写出要比较的两个版本：qingdan diff 旧版本 新版本；qingdan new-year 会记下"
                 "上一版本（previous: v2024 或 previous: ../上一年度文件夹）")])
    value, where = recorded
    folder = root / value
    if folder.is_dir():
        return folder
    try:
        return resolve_version(value, root.resolve(), stack, cwd=root)
    except Failed:
        raise Failed([Diagnostic(
            "E647", f"找不到上一版本“{value}”：既不是文件夹（相对 qingdan.yaml），"
                    "也不是本仓库的 git 版本", where,
            hint="文件夹移动过时改写 previous；git 标签可用 git tag 查看")]) from None
