"""Render a resolved responsibility list into .docx bytes through a docxtpl template.

The template is a Word file a clerk may restyle; its tags are rendered in Jinja's sandbox
with undefined names as errors. The context holds only plain data: labels are computed
here as literal text (一、 1.), never Word list numbering.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from .. import numbering
from ..diagnostics import Diagnostic, Failed, Location
from ..load import display_path
from ..model import Measures, Node, ResponsibilityList
from ..refs import measures_targets
from ..scoring import number
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
        "title_lines": title_lines,
        "recipients": recipients_line(doc.recipients.value) if doc.recipients else "",
        "preamble": doc.preamble.paragraphs() if doc.preamble else [],
        "roles": roles,
    }


def measures_context(doc: Measures) -> dict[str, object]:
    """The plain data a measures template sees."""
    title_lines = [t.value for t in doc.title]
    return {"title": "".join(title_lines), "title_lines": title_lines,
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


def render(template: Path, context: dict[str, object], names: str) -> bytes:
    """Render a docxtpl template in the sandbox; template problems become diagnostics."""
    where = Location(display_path(template))
    try:
        tpl = DocxTemplate(template)
        tpl.render(context, jinja_env=_environment())
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
