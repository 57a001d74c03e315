"""qingdan new-year: start next year's edition of a project.

In a git repository (the project's qingdan.yaml tracked, nothing uncommitted in its folder)
the current edition is tagged v{year} unless that tag exists, and the sources are advanced
in place. Elsewhere, or when asked to copy, the project (its config, sources and the
templates it names) is copied to a sibling folder named after the new year, and the copy
is advanced.

Advancing means: `year:` becomes the new year and `previous:` names the edition it came
from (the tag, or the old folder relative to the new one); every 成文日期 and 印发日期 of
the project's own documents (notices, work notices, results notices) becomes 待定; every
发文字号 of theirs, written in the document or in a unit's vars, has its year moved on and
its serial made 待定; a work notice's schedule moves on by as many years. Nothing else
changes (ids, texts, registered documents): each value is replaced at the offsets the
loader recorded, so comments and layout stay as the clerk wrote them.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..check.docnumber import NUMBER
from ..diagnostics import Diagnostic, Failed, Location
from ..load.formats import OLDEST_FORMAT
from ..load.source import Source, load_file, load_text
from ..paths import display_path
from ..resolve.substitution import blank_templates
from ..words import dates, drafts
from ..words.numbering import PENDING
from ..write.staging import NewFolder, Staging, shown

CONFIG_NAME = "qingdan.yaml"
OWN_KINDS = ("notice", "work", "results")  # documents the project issues itself
YEAR_IN_NUMBER = re.compile(r"〔(\d{4})〕")
PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^#:]*$")


@dataclass
class Advanced:
    """What advancing changed, to tell the user."""

    dates: int = 0
    numbers: int = 0
    stages: int = 0
    files: dict[Path, str] = field(default_factory=dict)  # file -> its new text


@dataclass
class NewYear:
    """The outcome: where the new edition is and how it was made."""

    root: Path
    year: int
    previous: str
    advanced: Advanced
    tag: str = ""  # the git tag of the previous edition ("" when copied)
    tagged: bool = False  # whether this run made the tag
    left: list[str] = field(default_factory=list)  # what a copy left behind
    warnings: list[Diagnostic] = field(default_factory=list)


def _fail(code: str, message: str, where: Path | Location, hint: str) -> Failed:
    location = where if isinstance(where, Location) else Location(display_path(where))
    return Failed([Diagnostic(code, message, location, hint=hint)])


def current_year(root: Path) -> tuple[int, Path, list[Path], dict[str, str]]:
    """The current edition's year, its config and source files, its diagnostics settings;
    raises Failed when the project has errors or no year can be found."""
    from ..builder.pipeline import apply_settings, prepare
    from ..diagnostics import errors
    from ..load.project import source_files
    from ..paths import CONFIG_NAME

    prepared = prepare(root)
    found = errors(apply_settings(prepared.found, prepared.project.settings))
    if found:
        raise Failed(found)
    _, files = source_files(root)
    config = root / CONFIG_NAME
    if prepared.project.year is None:
        raise _fail("E644", "无法确定当前版本的年份", config,
                    "在 qingdan.yaml 中写 year:（当前年度，例如 year: 2024）")
    return prepared.project.year, config, files, prepared.project.settings


def new_year(path: Path, year: int, copy: bool = False, target: Path | None = None) -> NewYear:
    """Start the edition of `year` from the project at path; raises Failed, having changed
    nothing, on any problem."""
    root = path if path.is_dir() else path.parent
    from ..builder.pipeline import apply_settings

    old, config, files, settings = current_year(root)
    if year <= old:
        raise _fail("E644", f"新年份 {year} 不在当前版本的年份 {old} 之后", config,
                    f"写当前版本之后的年份，例如 qingdan new-year {old + 1}")
    tracked = not copy and target is None and _tracked(root, config)
    if tracked:
        result = _in_place(root, config, files, old, year)
    else:
        result = _copied(root, config, files, old, year, target)
    result.warnings = apply_settings(old_years(result.root, old), settings)
    return result


def _in_place(root: Path, config: Path, files: list[Path], old: int, year: int) -> NewYear:
    changed = _uncommitted(root, config)
    if changed:
        shown = "、".join(changed[:3]) + (f" 等 {len(changed)} 个文件" if len(changed) > 3 else "")
        raise _fail("E646", f"项目的源文件有未提交的改动（{shown}），不能标记当前版本", config,
                    "先用 git commit 提交（或撤销）这些改动，再运行 qingdan new-year")
    tag = f"v{old}"
    exists = subprocess.run(["git", "rev-parse", "-q", "--verify", f"refs/tags/{tag}"],
                            cwd=root, capture_output=True, timeout=60).returncode == 0
    advanced = advance(config, files, old, year, tag)
    # Every file staged first (mode, owner and links kept, as fmt does); the tag only
    # once they all are; the renames last.
    with Staging(root) as staging:
        for file, text in advanced.files.items():
            staging.stage_source(file, text.encode("utf-8"))
        if not exists:
            _git(root, "tag", tag)
        staging.commit()
    return NewYear(root, year, tag, advanced, tag=tag, tagged=not exists)


def _uncommitted(root: Path, config: Path) -> list[str]:
    """The files qingdan reads (the config, the sources at the project's top level, the
    templates it names) that differ from the last commit or are not in it; output folders
    and other untracked files are none of new-year's business."""
    prefix = _git(root, "rev-parse", "--show-prefix").strip()
    listing = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all",
                   "--no-renames", "--", ".")
    templates = {t.relative_to(root.resolve()).as_posix() for t in _own_templates(root, config)}
    found = []
    for entry in filter(None, listing.split("\0")):
        path = entry[3:]
        relative = path[len(prefix):] if path.startswith(prefix) else path
        read = ("/" not in relative and not relative.startswith(".")
                and relative.endswith((".yaml", ".yml")))
        if read or relative in templates:
            found.append(relative)
    return list(dict.fromkeys(found))  # a file both staged and changed again: once


def _copied(root: Path, config: Path, files: list[Path], old: int, year: int,
            target: Path | None) -> NewYear:
    name = root.resolve().name
    sibling = name.replace(str(old), str(year)) if str(old) in name else f"{name}-{year}"
    target = target or root.resolve().parent / sibling
    if os.path.lexists(target):
        raise _fail("E645", f"新版本的文件夹“{display_path(target)}”已存在", target,
                    "换一个文件夹（-o 新文件夹），或先移走已有的文件夹")
    previous = Path(os.path.relpath(root.resolve(), target.resolve())).as_posix()
    templates = _own_templates(root, config)
    kept = _copied_names(root, [config, *files], templates)
    advanced = advance(config, files, old, year, previous)
    texts = {file.absolute(): text for file, text in advanced.files.items()}
    # Built whole beside the target and renamed into place: no half edition, ever.
    with NewFolder(target) as folder:
        for relative, file in kept.items():
            status = os.stat(file)
            data = texts[file].encode("utf-8") if file in texts else file.read_bytes()
            folder.write(relative, data, mode=stat.S_IMODE(status.st_mode) & 0o777)
        folder.commit()
    copied = {f.resolve() for f in kept.values()}
    left = sorted(p.name + ("/" if p.is_dir() else "") for p in root.iterdir()
                  if not p.name.startswith(".") and p.resolve() not in copied
                  and p.resolve() != target.resolve()
                  and not any(t.is_relative_to(p.resolve()) for t in templates))
    return NewYear(target, year, previous, advanced, left=left)


def _copied_names(root: Path, files: list[Path], templates: set[Path]) -> dict[str, Path]:
    """Where each file the new edition takes goes in it (its name in the project) -> the
    file; E648 for a source that is a link leading out of the project folder."""
    base, real_base = root.absolute(), root.resolve()
    kept: dict[str, Path] = {}
    outside = []
    for file in files:
        file = file.absolute()
        if not file.resolve().is_relative_to(real_base):
            outside.append(file)
            continue
        kept[file.relative_to(base).as_posix()] = file
    for template in templates:  # already resolved, and inside
        kept.setdefault(template.relative_to(real_base).as_posix(), template)
    if outside:
        raise Failed([Diagnostic(
            "E648", f"源文件是指向项目文件夹之外的符号链接（指向“{display_path(f.resolve())}”），"
            "不会复制到新版本", Location(shown(f)),
            hint="把它指向的文件复制进项目文件夹（替换这个链接），再运行 qingdan new-year")
            for f in outside])
    return kept


def _own_templates(root: Path, config: Path) -> set[Path]:
    """The templates qingdan.yaml names that sit inside the project folder (resolved)."""
    data = load_file(config).data or {}
    named = data.get("templates", {}) if isinstance(data, dict) else {}
    found = set()
    for value in named.values() if isinstance(named, dict) else ():
        file = (root / str(value)).resolve()
        if file.is_file() and file.is_relative_to(root.resolve()):
            found.add(file)
    return found


def _tracked(root: Path, config: Path) -> bool:
    """Whether the project's qingdan.yaml is in a git repository's index."""
    try:
        done = subprocess.run(["git", "ls-files", "--error-unmatch", config.name], cwd=root,
                              capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                              timeout=60)
    except OSError:
        raise _fail("E646", "无法运行 git（没有安装，或不在 PATH 中）", root / CONFIG_NAME,
                    "安装 git，或加 --copy 复制到新文件夹") from None
    except subprocess.TimeoutExpired:
        raise _fail("E646", f"git {args[0]} 运行超过 60 秒，已停止", root / CONFIG_NAME,
                    "检查仓库是否过大或被锁住，或加 --copy 复制到新文件夹") from None
    if done.returncode != 0:
        raise _fail("E646", f"git {args[0]} 失败：{done.stderr.strip()}", root / CONFIG_NAME,
                    "检查仓库状态（例如是否已有提交），或加 --copy 复制到新文件夹")
    return done.stdout


# --- advancing the sources ----------------------------------------------------------------


def advance(config: Path, files: list[Path], old: int, year: int,
            previous: str) -> Advanced:
    """Each file's new text (only files that change), and what changed."""
    result = Advanced()
    shift = year - old
    for file in [config, *files]:
        source = load_file(file)
        data = source.data if isinstance(source.data, dict) else {}
        edits: list[tuple[int, int, str]] = []
        if file == config:
            edits += _config_edits(source, data, year, previous)
            edits += _vars_edits(source, data.get("unit", {}), ("unit",), shift, result)
        elif data.get("kind") == "roster":
            for i, unit in enumerate(data.get("units", [])):
                edits += _vars_edits(source, unit, ("units", i), shift, result)
        elif data.get("kind") in OWN_KINDS:
            edits += _document_edits(source, data, shift, result)
        if edits:
            text = _apply(source.text, edits)
            load_text(text, file, source.display)  # must still parse; raises Failed if not
            bom = "\ufeff" if file.read_bytes().startswith(b"\xef\xbb\xbf") else ""
            result.files[file] = bom + text
    return result


def _config_edits(source: Source, data: dict[str, Any], year: int,
                  previous: str) -> list[tuple[int, int, str]]:
    edits = []
    missing = []
    for key, value in (("year", str(year)), ("previous", previous)):
        span = source.span((key,))
        if key in data and span is not None:
            edits.append((span.start, span.end, _scalar(value, source.text[span.start:span.end])))
        else:
            missing.append((key, value))
    if "format" not in data:  # the format it was written for, made explicit: the oldest
        missing.append(("format", str(OLDEST_FORMAT)))
    if missing:
        notes = {"year": "年度：文中用 {{ year }} 引用",
                 "previous": "上一版本：qingdan diff 不带参数时与它比较",
                 "format": "格式版本：没有写时视为 1（见 docs/源文件写法.md“格式版本”）"}
        # At least one space before "#": YAML reads a "#" glued to a value as part of it.
        lines = "".join(f"{f'{key}: {_scalar(value, chr(0))}':<25} # {notes[key]}\n"
                        for key, value in missing)
        first = min((s.start for k, s in source.key_spans() if len(k) == 1), default=None)
        at = source.text.rfind("\n", 0, first) + 1 if first is not None else len(source.text)
        if first is None and source.text and not source.text.endswith("\n"):
            lines = "\n" + lines
        edits.append((at, at, lines))
    return edits


def _vars_edits(source: Source, unit: Any, path: tuple[Any, ...], shift: int,
                result: Advanced) -> list[tuple[int, int, str]]:
    """A unit's vars that hold a 发文字号: its year moved on, its serial 待定."""
    edits = []
    variables = unit.get("vars", {}) if isinstance(unit, dict) else {}
    for name, value in variables.items() if isinstance(variables, dict) else ():
        moved = _number(value, shift)
        span = source.span(path + ("vars", name))
        if moved is not None and span is not None:
            edits.append((span.start, span.end, _scalar(moved, source.text[span.start:span.end])))
            result.numbers += 1
    return edits


def _document_edits(source: Source, data: dict[str, Any], shift: int,
                    result: Advanced) -> list[tuple[int, int, str]]:
    """A notice's dates 待定, its number moved on, its schedule a year (or more) later."""
    edits = []

    def replace(path: tuple[Any, ...], value: str) -> None:
        span = source.span(path)
        assert span is not None
        edits.append((span.start, span.end, _scalar(value, source.text[span.start:span.end])))

    for key in ("date", "print_date"):
        if isinstance(data.get(key), str) and data[key] != PENDING:
            replace((key,), PENDING)
            result.dates += 1
    moved = _number(data.get("number"), shift)
    if moved is not None:
        replace(("number",), moved)
        result.numbers += 1
    for i, section in enumerate(data.get("sections", []) if data.get("kind") == "work" else []):
        for j, stage in enumerate(section.get("schedule", []) if isinstance(section, dict)
                                  else []):
            if isinstance(stage, dict) and isinstance(stage.get("date"), str):
                replace(("sections", i, "schedule", j, "date"), _later(stage["date"], shift))
                result.stages += 1
    return edits


def _number(value: Any, shift: int) -> str | None:
    """A 发文字号 for the new year (serial 待定), or None when value is not one."""
    if not isinstance(value, str) or "{" in value:
        return None
    text = value.strip()
    match = NUMBER.match(text) or drafts.PENDING_NUMBER.match(text)
    if match is None or not match.groupdict().get("year"):
        return None
    return f"{match['organ']}〔{int(match['year']) + shift}〕{PENDING}号"


def _later(value: str, shift: int) -> str:
    """A schedule date moved on by shift years (29 February becomes the 28th when needed)."""
    moved = re.sub(r"\d{4}", lambda m: str(int(m.group(0)) + shift), value)
    try:
        dates.parse(moved)
    except dates.DateError:
        moved = re.sub(r"(?<=-)0?2-29", "02-28", moved)
    return moved


def _scalar(value: str, raw: str) -> str:
    """value written as YAML in the style of the value it replaces."""
    if raw.startswith("'"):
        return "'" + value.replace("'", "''") + "'"
    if raw.startswith('"') or not PLAIN.match(value):
        return json.dumps(value, ensure_ascii=False)
    return value


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def old_years(root: Path, old: int) -> list[Diagnostic]:
    """W644 wherever the new edition's texts still say the old year: most read better as
    {{ year }} (or {{ year - 1 }}), so next year's edition needs no edit there."""
    from ..check.text import texts_of_list, texts_of_measures, texts_of_notice
    from ..load.project import load_project
    from ..load.results import results_sources, source_texts

    project, _ = load_project(root)
    texts = [t for doc in project.lists for t in texts_of_list(doc)]
    texts += [t for doc in project.measures for t in texts_of_measures(doc)]
    texts += [t for doc in project.notices for t in texts_of_notice(doc)]
    try:
        texts += [t for r in results_sources(root) for t in source_texts(r)]
    except Failed:
        pass
    found = []
    needle = str(old)
    for text in texts:
        prose = blank_templates(text.raw)
        for match in re.finditer(rf"(?<!\d){needle}(?!\d)", prose):
            found.append(Diagnostic(
                "W644", f"文中仍写着上一年度的年份“{needle}”", text.at(match.start()),
                hint="写成 {{ year }}（本年度）或 {{ year - 1 }}（上一年度），"
                     "以后每年不必再改"))
    return found
