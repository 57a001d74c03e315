"""qingdan upgrade: bring a project to the current format, only when asked.

What changed since the project's format is formats.affected. Keeping (the default) writes,
in each document a change affects, the line that keeps its old output where one can
(`headings: {2: line}`), and `format:` the current format in qingdan.yaml; adopting writes
only the format. Edits go in at the offsets the loader recorded, as fmt's do, so comments,
quoting and layout stay as the clerk wrote them; every edited file must load again before
any is written, and files are rewritten as fmt rewrites them (staging.Staging.stage_source).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Failed, Location, errors
from ..load.formats import CURRENT_FORMAT, affected, place
from ..load.project import load_project, source_files
from ..load.source import Source, load_file, load_text
from ..paths import CONFIG_NAME, display_path
from ..write.staging import Staging

Edit = tuple[int, int, str]  # replace text[start:end] by the string


@dataclass
class Upgraded:
    """What an upgrade writes: each changed file's new text, one note per line written,
    and the changes no line keeps (where, and what changed), for the report."""

    was: int
    files: dict[Path, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    unkept: list[tuple[list[Location], str]] = field(default_factory=list)  # places, what


def upgrade_project(path: Path, adopt: bool = False) -> Upgraded:
    """The edits that take a project to the current format; nothing is written. Raises
    Failed when qingdan.yaml, or a file that needs a line, does not load."""
    project, problems = load_project(path)
    root, files = source_files(path)
    config = root / CONFIG_NAME
    # Every source must be read whole: a part that is not could hold a construct whose
    # printing changed, and would change unseen once the format says it is current.
    broken = [d for d in errors(problems) if d.code[1] in "124"]
    if broken:
        raise Failed(broken)
    assert project.format is not None  # qingdan.yaml loaded: its format is known
    result = Upgraded(was=project.format)
    if project.format >= CURRENT_FORMAT:
        return result
    by_name = {file.stem: file for file in files}
    keeps: dict[Path, dict[str, dict[str, str]]] = {}
    for each in affected(project):
        keep = each.change.keep
        if adopt:
            continue
        if keep is None:
            result.unkept.append(([place(n) for n in each.nodes], each.change.what))
            continue
        key, sub, value = keep
        keeps.setdefault(by_name[each.doc.name], {}).setdefault(key, {})[sub] = value
        result.notes.append(f"{display_path(by_name[each.doc.name])}：{each.change.keep_line}"
                            f"（{each.change.keep_note}）")
    sources = {file: load_file(file) for file in [config, *keeps]}
    edits: dict[Path, list[Edit]] = {config: [_format_edit(sources[config])]}
    for file, wanted in keeps.items():
        for key, pairs in wanted.items():
            note = f"保持格式 {project.format} 的排法（qingdan upgrade 写入）"
            edits.setdefault(file, []).extend(_mapping_edits(sources[file], key, pairs, note))
    result.notes.insert(0, f"{display_path(config)}：format: {CURRENT_FORMAT}")
    for file, changes in edits.items():
        new = _apply(sources[file].text, changes)
        load_text(new, file, display_path(file))  # raises Failed if an edit broke the YAML
        result.files[file] = new
    return result


def write(result: Upgraded) -> None:
    """Write an upgrade's files (their byte-order mark kept), every one or none, as fmt
    does: through a link to its target, keeping mode, owner and hard links."""
    if not result.files:
        return
    root = min(result.files).parent
    with Staging(root) as staging:
        for file, text in sorted(result.files.items()):
            bom = "\ufeff" if file.read_bytes().startswith(b"\xef\xbb\xbf") else ""
            staging.stage_source(file, (bom + text).encode("utf-8"))
        staging.commit()


def _format_edit(source: Source) -> Edit:
    """`format:` set to the current format: its value replaced, or a line added before
    the first key."""
    span = source.span(("format",))
    if isinstance(source.data, dict) and "format" in source.data and span is not None:
        return (span.start, span.end, str(CURRENT_FORMAT))
    line = f"format: {CURRENT_FORMAT}                 # 格式版本（qingdan upgrade 写入）\n"
    return _before_first_key(source, line)


def _before_first_key(source: Source, line: str) -> Edit:
    text = source.text
    first = min((s.start for k, s in source.key_spans() if len(k) == 1), default=None)
    if first is None:
        return (len(text), len(text), ("\n" if text and not text.endswith("\n") else "") + line)
    at = text.rfind("\n", 0, first) + 1
    return (at, at, line)


def _mapping_edits(source: Source, key: str, pairs: dict[str, str], note: str) -> list[Edit]:
    """A top-level mapping `key` given pairs it lacks, in the style it is written in (a
    new flow mapping on its own line, with note as its comment, when there is none)."""
    data: dict[str, Any] = source.data
    text = source.text
    current = data.get(key)
    span = source.span((key,))
    if not isinstance(current, dict) or span is None:
        flow = "{" + ", ".join(f"{k}: {v}" for k, v in pairs.items()) + "}"
        if key in data and span is not None:
            return [(span.start, span.end, flow)]  # an empty value
        return [_after_numbering(source, f"{f'{key}: {flow}':<25} # {note}\n")]
    missing = {k: v for k, v in pairs.items() if k not in current}
    if not missing:
        return []
    written = text[span.start:span.end]
    if written.startswith("{"):
        inside = ", ".join(f"{k}: {v}" for k, v in missing.items())
        return [(span.start + 1, span.start + 1, inside + (", " if current else ""))]
    first = min(s.start for k, s in source.key_spans() if k[:1] == (key,) and len(k) == 2)
    start = text.rfind("\n", 0, first) + 1
    indent = text[start:first]
    return [(start, start, "".join(f"{indent}{k}: {v}\n" for k, v in missing.items()))]


def _after_numbering(source: Source, line: str) -> Edit:
    """Where a new top-level key goes in a measures file: after the `numbering:` line
    (where the schema and the README put the keys about numbering), else before the first
    key."""
    span = source.span(("numbering",))
    if span is None:
        return _before_first_key(source, line)
    end = source.text.find("\n", span.end)
    if end < 0:
        return (len(source.text), len(source.text), "\n" + line)
    return (end + 1, end + 1, line)


def _apply(text: str, edits: list[Edit]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text
