"""Render resolved documents into .docx through docxtpl templates (see engine.py).

The templates are Word files a clerk may restyle; their tags are rendered in Jinja's
sandbox with undefined names as errors. The contexts hold only plain data: labels are
computed here as literal text (一、 1. 第一条), never Word list numbering.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from ..layout.notice import recipients_line
from ..layout.titles import balance_title
from ..model import Measures, Node, ResponsibilityList, Unit
from ..resolve.refs import measures_targets
from ..words import numbering
from ..words.numbering import number
from .engine import Rendered, compiled


@dataclass(frozen=True)
class ItemView:
    label: str
    text: str
    id: str


@dataclass(frozen=True)
class RoleView:
    label: str
    heading: str
    lead: str
    items: tuple[ItemView, ...]
    id: str


@dataclass(frozen=True)
class Block:
    """One paragraph of a measures document; the template picks its look by kind."""

    kind: str  # chapter, h1, h2, lead-hei, lead-kai, para
    label: str
    text: str
    key: str = ""  # the node it comes from and its place there, for the redline


@dataclass(frozen=True)
class ListView:
    """The plain data a list template sees, each field a template name."""

    title: str
    title_lines: list[str]
    recipients: str
    preamble: list[str]
    roles: tuple[RoleView, ...]

    def context(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def list_view(doc: ResponsibilityList) -> ListView:
    """A list as its template shows it: literal labels, balanced title lines."""
    roles = tuple(
        RoleView(label=numbering.section(i), heading=role.heading.value,
                 lead=role.lead.value if role.lead else "", id=role.id,
                 items=tuple(ItemView(numbering.item(j), item.text.value, item.id)
                             for j, item in enumerate(role.items, 1)))
        for i, role in enumerate(doc.roles, 1))
    title_lines = [t.value for t in doc.title]
    return ListView(
        title="".join(title_lines), title_lines=balance_title(title_lines),
        recipients=recipients_line(doc.recipients.value) if doc.recipients else "",
        preamble=doc.preamble.paragraphs() if doc.preamble else [], roles=roles)


def measures_context(doc: Measures) -> dict[str, object]:
    """The plain data a measures template sees."""
    title_lines = [t.value for t in doc.title]
    return {"title": "".join(title_lines), "title_lines": balance_title(title_lines),
            "preamble": doc.preamble.paragraphs() if doc.preamble else [],
            "blocks": measures_blocks(doc)}


def _with_points(text: str, points: float | None) -> str:
    return text if points is None else f"{text}（{number(points)}分）"


def _heading_inline(heading: str) -> str:
    """（一）政治方向坚定。 — a run-in heading ends in a full stop unless it has its own mark."""
    return heading if heading[-1:] in "。：；？！" else f"{heading}。"


def heading_form(doc: Measures, node: Node, depth: int) -> str:
    """"line" (a heading on a line of its own) or "run-in" (the text follows it in the
    same paragraph): the node's own choice, else the document's for the level, else a
    line for 一、 and run-in below, as 实施意见 and 考核办法 are printed."""
    if node.run_in is not None:
        return "run-in" if node.run_in else "line"
    return doc.headings.get(depth, "line" if depth == 1 else "run-in")


def measures_blocks(doc: Measures) -> list[Block]:
    """The document as paragraphs, with literal labels (第一条　, 一、, （一）, 1.)."""
    labels = {t.id: t.label for t in measures_targets(doc)[0]}
    blocks: list[Block] = []

    def node(n: Node, depth: int, key: str) -> None:
        texts = n.text.paragraphs() if n.text else []
        first_block = len(blocks)
        if n.plain:  # an unnumbered paragraph, or a 款 with its 项 under it
            blocks.extend(Block("para", "", t) for t in texts)
            keyed(first_block, key)
            for i, c in enumerate(n.children, 1):
                node(c, depth, c.id or f"{key}#{i}")
            return
        label = labels.get(n.id, "")
        heading = n.heading.value if n.heading else ""
        if n.points is not None:
            if heading or not texts:
                heading = _with_points(heading, n.points)
            else:
                texts[-1] = _with_points(texts[-1], n.points)
        if n.chapter:
            blocks.append(Block("chapter", f"{label}　", heading))
        elif doc.numbering == "articles" and depth == 1:
            first = texts.pop(0) if texts else ""
            head = f"{label}　{heading}" + ("　" if heading and first else "")
            blocks.append(Block("lead-hei", head, first))
        elif heading and (not texts or heading_form(doc, n, depth) == "line"):
            kind = {1: "h1", 2: "h2"}.get(depth)
            blocks.append(Block(kind, label, heading) if kind
                          else Block("para", "", f"{label}{heading}"))
        else:
            kind = {1: "lead-hei", 2: "lead-kai"}.get(depth, "para")
            run_in = _heading_inline(heading) if heading else ""
            first = texts.pop(0) if texts else ""
            if kind == "para":
                blocks.append(Block("para", "", f"{label}{run_in}{first}"))
            else:
                blocks.append(Block(kind, f"{label}{run_in}", first))
        blocks.extend(Block("para", "", t) for t in texts)
        keyed(first_block, key)
        for i, c in enumerate(n.children, 1):
            node(c, depth + 1, c.id or f"{key}#{i}")

    def keyed(start: int, key: str) -> None:
        for k in range(start, len(blocks)):
            block = blocks[k]  # made anew, not replace(): thousands per roster
            blocks[k] = Block(block.kind, block.label, block.text, f"{key}:{k - start}")

    for i, top in enumerate(doc.content, 1):
        node(top, 0 if top.chapter else 1, top.id or f"#{i}")  # a chapter's articles: depth 1
    return blocks


LIST_NAMES = ("清单模板可用 title、title_lines、recipients、preamble、"
              "roles（label、heading、lead、items）")
MEASURES_NAMES = "办法模板可用 title、title_lines、preamble、blocks（kind、label、text）"
SHEET_NAMES = ("评分表模板可用 title、title_lines、unit、groups（name、rows：no、content、"
               "criteria、points）、total")


def render_list(doc: ResponsibilityList, template: Path) -> Rendered:
    """One responsibility list; raises Failed when the template is broken."""
    return compiled(template).render(list_view(doc).context(), hint=LIST_NAMES)


def render_measures(doc: Measures, template: Path) -> Rendered:
    """One measures or assessment document."""
    return compiled(template).render(measures_context(doc), hint=MEASURES_NAMES)


@dataclass(frozen=True)
class SheetRow:
    no: str
    group: str
    content: str
    criteria: str
    points: str
    id: str = ""  # the indicator's node id (the .xlsx workbook keys its rows by it)


@dataclass(frozen=True)
class SheetGroup:
    """Rows that share a 考核项目, merged down that column."""

    name: str
    rows: list[SheetRow]


def sheet_rows(doc: Measures) -> list[SheetRow]:
    """One row per indicator: a node with points and no pointed parts of its own.

    Its 考核项目 is its nearest pointed ancestor (rows of one group merge down the column),
    skipping a single top node that only carries the total; an indicator with no such
    ancestor names itself there and gives its text as the 考核内容.
    """
    rows: list[SheetRow] = []
    tops = [n for n in doc.content if n.points is not None]
    total = doc.scoring.total if doc.scoring and doc.scoring.total is not None else None
    wrapper = tops[0] if len(tops) == 1 and total == tops[0].points else None

    def heading(node: Node) -> str:
        name = node.heading.value if node.heading else _text_of(node)
        return f"{name}（{number(node.points or 0)}分）"

    pointed_below: set[int] = set()  # ids of the nodes with a pointed node under them

    def mark(node: Node) -> bool:
        below = False
        for child in node.children:
            below = mark(child) or below
        if below:
            pointed_below.add(id(node))
        return below or node.points is not None

    def walk(node: Node, group: Node | None) -> None:
        if node.points is not None and id(node) not in pointed_below:
            own = node.heading is not None and group is None
            rows.append(SheetRow(
                str(len(rows) + 1), heading(group or node),
                _text_of(node) if own else _describe(node),
                node.criteria.value if node.criteria else "", number(node.points), node.id))
            return
        inner = node if node.points is not None and node is not wrapper else group
        for child in node.children:
            walk(child, inner)

    for top in doc.content:
        mark(top)
        walk(top, None)
    return rows


def has_indicators(doc: Measures) -> bool:
    """Whether sheet_rows gives any row: whether any node carries points."""
    return any(node.points is not None for node in doc.nodes())


def _text_of(node: Node) -> str:
    return "".join(node.text.paragraphs()) if node.text else ""


def _describe(node: Node) -> str:
    """A leaf indicator in one cell: its heading and its text."""
    parts = [p for p in (node.heading.value if node.heading else "", _text_of(node)) if p]
    return "。".join(p.rstrip("。") for p in parts) + "。" if parts else ""


def sheet_title(doc: Measures) -> str:
    title = "".join(t.value for t in doc.title)
    for ending in ("考核实施办法", "考核实施细则", "考核办法", "考核细则"):
        if title.endswith(ending):
            return title[: -len(ending)] + "考核评分表"
    return f"{title}评分表"


def render_sheet(doc: Measures, unit: Unit, templates: dict[str, Path]) -> Rendered:
    """考核评分表 for one unit; landscape when indicators carry a 评分标准 column."""
    kind, context = sheet_context(doc, unit)
    return compiled(templates[kind]).render(context, hint=SHEET_NAMES)


def sheet_context(doc: Measures, unit: Unit) -> tuple[str, dict[str, object]]:
    """The scoring sheet's template kind (sheet, or sheet-landscape when indicators carry
    a 评分标准 column) and the plain data it is rendered with."""
    rows = sheet_rows(doc)
    landscape = any(r.criteria for r in rows)
    total = sum(float(r.points) for r in rows)
    groups: list[SheetGroup] = []
    for row in rows:
        if not groups or groups[-1].name != row.group:
            groups.append(SheetGroup(row.group, []))
        groups[-1].rows.append(row)
    context: dict[str, object] = {
        "title": sheet_title(doc), "title_lines": [sheet_title(doc)], "unit": unit.name,
        "groups": groups, "total": number(total)}
    return "sheet-landscape" if landscape else "sheet", context
