"""Render a resolved responsibility list into .docx bytes through a docxtpl template.

The template is a Word file a clerk may restyle; its tags are rendered in Jinja's sandbox
with undefined names as errors. The context holds only plain data: labels are computed
here as literal text (一、 1.), never Word list numbering.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from .. import numbering
from ..diagnostics import Diagnostic, Failed, Location
from ..load import display_path
from ..model import Measures, Node, Notice, ResponsibilityList, Unit
from ..refs import measures_targets
from ..scoring import number
from ..titles import balance_title
from ..writer import normalise_zip


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


def recipients_line(value: str) -> str:
    """主送 ends with a full-width colon, whatever the source wrote."""
    value = value.rstrip().rstrip(":：")
    return f"{value}："


def list_context(doc: ResponsibilityList) -> dict[str, object]:
    """The plain data a list template sees."""
    roles = tuple(
        RoleView(label=numbering.section(i), heading=role.heading.value,
                 lead=role.lead.value if role.lead else "", id=role.id,
                 items=tuple(ItemView(numbering.item(j), item.text.value, item.id)
                             for j, item in enumerate(role.items, 1)))
        for i, role in enumerate(doc.roles, 1))
    title_lines = [t.value for t in doc.title]
    return {
        "title": "".join(title_lines),
        "title_lines": balance_title(title_lines),
        "recipients": recipients_line(doc.recipients.value) if doc.recipients else "",
        "preamble": doc.preamble.paragraphs() if doc.preamble else [],
        "roles": roles,
    }


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


def measures_blocks(doc: Measures) -> list[Block]:
    """The document as paragraphs, with literal labels (第一条　, 一、, （一）, 1.)."""
    labels = {t.id: t.label for t in measures_targets(doc)[0]}
    blocks: list[Block] = []

    def node(n: Node, depth: int) -> None:
        label = labels[n.id]
        heading = n.heading.value if n.heading else ""
        texts = n.text.paragraphs() if n.text else []
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
            blocks.append(Block("lead-hei", head if heading else f"{label}　", first))
        elif doc.numbering == "outline" and depth <= 2 and heading:
            blocks.append(Block("h1" if depth == 1 else "h2", label, heading))
        else:
            kind = {1: "lead-hei", 2: "lead-kai"}.get(depth if doc.numbering == "outline"
                                                       else depth, "para")
            run_in = _heading_inline(heading) if heading else ""
            first = texts.pop(0) if texts else ""
            if kind == "para":
                blocks.append(Block("para", "", f"{label}{run_in}{first}"))
            else:
                blocks.append(Block(kind, f"{label}{run_in}", first))
        blocks.extend(Block("para", "", t) for t in texts)
        for c in n.children:
            node(c, depth + 1)

    for top in doc.content:
        if top.chapter:
            node(top, 0)
        else:
            node(top, 1)
    return blocks


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


def _near(exc: Exception) -> str:
    """The template text around a Jinja error, which docxtpl attaches to the exception."""
    context = getattr(exc, "docx_context", None)
    if not context:
        return ""
    text = "".join(line.strip() for line in context)
    return f"（在“{text[:40]}”附近）" if text else ""


def render_list(doc: ResponsibilityList, template: Path) -> bytes:
    """The .docx bytes of one list; raises Failed when the template is broken."""
    return render(template, list_context(doc),
                  "清单模板可用 title、title_lines、recipients、preamble、"
                  "roles（label、heading、lead、items）")


def render_measures(doc: Measures, template: Path) -> bytes:
    """The .docx bytes of one measures document."""
    return render(template, measures_context(doc),
                  "办法模板可用 title、title_lines、preamble、blocks（kind、label、text）")


Context = dict[str, object] | Callable[[DocxTemplate], dict[str, object]]


def render(template: Path, context: Context, names: str) -> bytes:
    """Render a docxtpl template in the sandbox; template problems become diagnostics.

    context may be a function of the loaded template, for values (sub-documents) that
    docxtpl can only make from it.
    """
    where = Location(display_path(template))
    try:
        tpl = DocxTemplate(template)
        values = context(tpl) if callable(context) else context
        tpl.render(values, jinja_env=_environment())
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, OSError):
        raise Failed([Diagnostic("E503", "Word 模板无法打开：不是有效的 .docx 文件", where,
                                 hint="模板须是 Word 保存的 .docx 文件")]) from None
    except UndefinedError as exc:
        match = re.search(r"'([^']+)' is undefined|attribute '([^']+)'", exc.message or "")
        name = next((g for g in match.groups() if g), "?") if match else "?"
        raise Failed([Diagnostic("E502", f"Word 模板中的“{name}”未定义", where,
                                 hint=names)]) from None
    except TemplateSyntaxError as exc:
        raise Failed([Diagnostic("E501", f"Word 模板语法错误{_near(exc)}：{exc.message}", where,
                                 hint="检查模板中 {{ }} 和 {%p %} 标记是否配对")]) from None
    except TemplateError as exc:
        raise Failed([Diagnostic("E501", f"Word 模板错误{_near(exc)}：{exc}", where)]) from None
    out = io.BytesIO()
    tpl.save(out)
    return normalise_zip(out.getvalue())


def cells(text: str) -> float:
    """Width in character cells: Chinese characters 1, digits and Latin letters 1/2."""
    return sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


def pad(start: float) -> str:
    """Leading space that puts the next character start cells in from the margin."""
    whole = int(start)
    return "　" * whole + (" " if start - whole >= 0.5 else "")


def signature_lines(signature: str, date: str, width: int = 28) -> tuple[str, str]:
    """署名 two characters in from the right, the date under it two characters further in;
    when the date would then run past that, the date sits two in from the right instead
    and the signature moves left with it (GB/T 9704-2012, 7.3.5.2)."""
    sign, day = cells(signature), cells(date)
    if day + 2 <= sign:
        start = width - 2 - sign
        return pad(start) + signature, pad(start + 2) + date
    start = width - 2 - day
    return pad(max(start - 2, 0)) + signature, pad(start) + date


def full_stop(text: str) -> str:
    return text if text.endswith(("。", "．")) else text.rstrip("，,；;") + "。"


def notice_context(doc: Notice, attached: list[tuple[str, bytes]]) -> Context:
    """The notice's plain data; attached documents become sub-documents of the template."""
    date = numbering.date(doc.date.value)
    printed = numbering.date(doc.print_date.value) if doc.print_date else date
    signature, day = signature_lines(doc.signature.value, date)
    single = len(attached) == 1

    def build(tpl: DocxTemplate) -> dict[str, object]:
        attachments = [
            {"label": "附件" if single else f"附件{n}",
             "note": (f"附件：{title}" if single else
                      (f"附件：{n}.{title}" if n == 1 else f"{n}.{title}")),
             "doc": tpl.new_subdoc(io.BytesIO(data))}
            for n, (title, data) in enumerate(attached, 1)]
        title_lines = [t.value for t in doc.title]
        return {
            "mark": doc.mark.value, "number": doc.number.value if doc.number else "",
            "title": "".join(title_lines), "title_lines": balance_title(title_lines),
            "recipients": recipients_line(doc.recipients.value),
            "body": doc.body.paragraphs(), "attachments": attachments,
            "signature_line": signature, "date_line": day,
            "copy_to": full_stop(doc.copy_to.value) if doc.copy_to else "",
            "printer": doc.printer.value if doc.printer else doc.signature.value,
            "print_date": printed,
        }

    return build


def render_notice(doc: Notice, attached: list[tuple[str, bytes]], template: Path) -> bytes:
    """The .docx bytes of a notice with its attached documents, each on a new page."""
    return render(template, notice_context(doc, attached),
                  "通知模板可用 mark、number、title_lines、recipients、body、attachments"
                  "（label、note、doc）、signature_line、date_line、copy_to、printer、print_date")


@dataclass(frozen=True)
class SheetRow:
    no: str
    group: str
    content: str
    criteria: str
    points: str


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

    def walk(node: Node, group: Node | None) -> None:
        if node.points is not None and not any(c.points is not None
                                               for c in node.walk()[1:]):
            own = node.heading is not None and group is None
            rows.append(SheetRow(
                str(len(rows) + 1), heading(group or node),
                _text_of(node) if own else _describe(node),
                node.criteria.value if node.criteria else "", number(node.points)))
            return
        inner = node if node.points is not None and node is not wrapper else group
        for child in node.children:
            walk(child, inner)

    for top in doc.content:
        walk(top, None)
    return rows


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


def render_sheet(doc: Measures, unit: Unit, templates: dict[str, Path]) -> bytes:
    """考核评分表 for one unit; landscape when indicators carry a 评分标准 column."""
    rows = sheet_rows(doc)
    landscape = any(r.criteria for r in rows)
    total = sum(float(r.points) for r in rows)
    groups: list[dict[str, object]] = []
    for row in rows:
        if not groups or groups[-1]["name"] != row.group:
            groups.append({"name": row.group, "rows": []})
        groups[-1]["rows"].append(row)  # type: ignore[union-attr]
    context = {"title": sheet_title(doc), "title_lines": [sheet_title(doc)], "unit": unit.name,
               "groups": groups, "total": number(total)}
    return render(templates["sheet-landscape" if landscape else "sheet"], context,
                  "评分表模板可用 title、title_lines、unit、groups（name、rows：no、content、"
                  "criteria、points）、total")
