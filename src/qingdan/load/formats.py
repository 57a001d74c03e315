"""Source formats: the format a project was written for, and what prints differently since.

qingdan.yaml's `format:` names the format its sources were written for; a project without
it is taken to be written for the oldest (1). When a release changes how a construct
prints, the change goes into CHANGES with the format it starts, and `check` gives every
project written for an older format one located warning (W905) per document and change,
with the places it affects, the line that keeps the old output (when one can) and the
line that adopts the new. `qingdan upgrade` writes them (upgrade.py).

The formats so far (from git history):
  1  from the first release to commit e4fdde5 (2026-11-23, "Document structures").
  2  since e4fdde5, which made heading forms a choice (`headings:`, `run_in:`) and changed
     two defaults: a （一） heading followed by text in an outline document runs into its
     text, and a heading without text always stands on its own line, with no full stop
     added. The same commit added `continuous:` and `continue:`; numbers restarted under
     each parent before it as after (checked by building with e4fdde5~1), so numbering
     has no entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Location
from ..model import Measures, Node, Project

if TYPE_CHECKING:
    from .builders import Reader
    from .source import Source

OLDEST_FORMAT = 1
CURRENT_FORMAT = 2
RUN_IN_MARKS = "。：；？！"  # a run-in heading ending in one of these gets no 。 added


@dataclass(frozen=True)
class Change:
    """How a construct printed before format `since`, and how it prints from then on."""

    since: int
    what: str  # the change, in Chinese, for the warning
    affected: Callable[[Measures], list[Node]]  # the nodes of a document it changes
    keep: tuple[str, str, str] | None  # (key, sub-key, value) that keeps the old output
    keep_note: str = ""  # what keep does, in Chinese, for upgrade's report

    @property
    def keep_line(self) -> str | None:
        """The keep line as the user writes it: headings: {2: line}."""
        return None if self.keep is None else f"{self.keep[0]}: {{{self.keep[1]}: {self.keep[2]}}}"


def levels(doc: Measures) -> Iterator[tuple[Node, int]]:
    """Every node with its level as render.docx.measures_blocks counts it: an outline's
    一、 and an article are 1, a chapter 0; an unnumbered paragraph's children share its
    level."""
    def walk(node: Node, depth: int) -> Iterator[tuple[Node, int]]:
        yield node, depth
        below = depth if node.plain else depth + 1
        for child in node.children:
            yield from walk(child, below)

    for top in doc.content:
        yield from walk(top, 0 if top.chapter else 1)


def _run_in_second_level(doc: Measures) -> list[Node]:
    """（一） headings with text in an outline document, their form left to the default:
    on a line of their own before format 2, run into their text since."""
    if doc.numbering != "outline" or 2 in doc.headings:
        return []
    return [node for node, depth in levels(doc)
            if depth == 2 and not node.plain and node.heading is not None
            and node.text is not None and node.text.paragraphs() and node.run_in is None]


def _bare_headings(doc: Measures) -> list[Node]:
    """Headings without text below an outline's （一） or an article: run in with a full
    stop added before format 2 (（一）标题。 in the body face), on a line of their own since
    (（一） in the second-level heading face; 1.标题 without the stop)."""
    found = []
    for node, depth in levels(doc):
        if node.plain or node.chapter or node.heading is None or (
                node.text is not None and node.text.paragraphs()):
            continue
        if doc.numbering == "articles" and depth == 2:
            found.append(node)
        elif depth >= 3 and (node.points is not None
                             or node.heading.value[-1:] not in RUN_IN_MARKS):
            found.append(node)
    return found


CHANGES: tuple[Change, ...] = (
    Change(2, "outline 编号的“（一）”级标题后有正文时，与正文接排（“（一）标题。正文……”），"
              "不再单独成行", _run_in_second_level, ("headings", "2", "line"),
           "“（一）”级标题仍单独成行"),
    Change(2, "标题下没有正文的条目（条中的“（一）”、各编号方式的“1.”及以下），标题单独成行，"
              "不再排作“（一）标题。”并自动加句号", _bare_headings, None),
)


@dataclass(frozen=True)
class Affected:
    """One document a change affects, and the nodes it changes, in document order."""

    change: Change
    doc: Measures
    nodes: list[Node]


def affected(project: Project) -> list[Affected]:
    """What prints differently than in the format the project was written for (nothing
    when that is unknown)."""
    found = []
    for change in CHANGES:
        if project.format is None or project.format >= change.since:
            continue
        for doc in project.measures:
            nodes = change.affected(doc)
            if nodes:
                found.append(Affected(change, doc, nodes))
    return found


def check_formats(project: Project) -> list[Diagnostic]:
    """W905 for each document a change since the project's format affects."""
    found = []
    for each in affected(project):
        change, places = each.change, [place(n) for n in each.nodes]
        adopt = f"在 qingdan.yaml 中写 format: {CURRENT_FORMAT}"
        if change.keep_line is not None:
            hint = (f"要保持原排法，在本文件中写 {change.keep_line}；要采用新排法，{adopt}。"
                    "qingdan upgrade 可代为写入（保持原排法；加 --adopt 采用新排法）")
        else:
            hint = (f"这一变化没有保持原排法的写法：核对排法后{adopt}"
                    "（或运行 qingdan upgrade --adopt）")
        if project.format == OLDEST_FORMAT:
            hint += f"。qingdan.yaml 没有写 format 时视为格式 {OLDEST_FORMAT}"
        found.append(Diagnostic(
            "W905", f"本项目按格式 {project.format} 书写；自格式 {change.since} 起，"
                    f"{change.what}（本文件 {len(places)} 处）",
            places[0], hint=hint, also=tuple(places[1:])))
    return found


def place(node: Node) -> Location:
    """Where a change shows in a node: its heading."""
    return node.heading.location if node.heading is not None else node.location


FORMAT_LINE = re.compile(r"^format[ \t]*:[ \t]*[\"']?(\d+)", re.M)


def format_written(text: str | None) -> int | None:
    """The format a qingdan.yaml that did not load says it is written for, read from its
    text: its `format:` line, the oldest without one, None when it could not be read."""
    if text is None:
        return None
    found = FORMAT_LINE.search(text)
    return min(int(found.group(1)), CURRENT_FORMAT) if found else OLDEST_FORMAT


def project_format(source: Source, reader: Reader, problems: list[Diagnostic]) -> int:
    """qingdan.yaml's `format:` (the oldest when it has none); E205 for one newer than
    this qingdan knows."""
    value = source.data.get("format") if reader.ok(("format",)) else None
    if not isinstance(value, int) or isinstance(value, bool):
        return OLDEST_FORMAT
    if value > CURRENT_FORMAT:
        problems.append(Diagnostic(
            "E205", f"format: {value} 比本程序支持的格式（{CURRENT_FORMAT}）新：项目是为更新版本的 "
                    "qingdan 写的", source.at(("format",)),
            hint=f"换用支持格式 {value} 的新版本 qingdan 再生成（本版本会把新格式的写法排错）"))
        return CURRENT_FORMAT
    return value
