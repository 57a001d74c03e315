"""Two versions of a project for `qingdan diff`: folders, files, or git revisions.

A version is a path when one exists by that name; otherwise `REV:PATH` or `REV` (the
project path given separately) names a git revision of the repository around the working
folder, and its sources are written to a temporary folder to be loaded like any other.
"""

from __future__ import annotations

import subprocess
import tempfile
from contextlib import ExitStack
from pathlib import Path

from .diagnostics import Diagnostic, Failed, Location


def _git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip() or f"git {' '.join(args)} failed")
    return done.stdout


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
        names = _git("ls-tree", "-r", "-z", "--name-only", revision, "--", relative, cwd=top)
    except (RuntimeError, ValueError, OSError, subprocess.TimeoutExpired):
        raise Failed([Diagnostic(
            "E401", f"找不到版本“{spec}”：既不是已有的文件夹或文件，也不是本仓库的 git 版本",
            Location(spec),
            hint="写文件夹路径，或 git 版本（如 HEAD~1、v2024）加可选的 :项目路径")]) from None
    files = [n for n in names.split("\0") if n]
    if not files:
        raise Failed([Diagnostic("E401", f"版本“{revision}”中没有“{relative}”",
                                 Location(spec), hint="检查项目路径在该版本中是否存在")])
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="qingdan-")))
    for name in files:
        try:
            blob = subprocess.run(["git", "show", f"{revision}:{name}"], cwd=top,
                                  capture_output=True, timeout=60, check=True).stdout
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            raise Failed([Diagnostic("E401", f"无法从版本“{revision}”读出“{name}”",
                                     Location(spec))]) from None
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blob)
    return folder / relative
