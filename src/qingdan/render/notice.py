"""Render a notice (关于印发《……》的通知) with the documents it issues.

The front part's strings come from layout.notice, the same place the signature-page check
reads them, so what is checked is what is printed. When the signature and date would land
on a page without body text, the flow is set as layout.signature chooses (flow.py); on a
double-sided set the end block goes where layout.endblock says (endblock.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from ..layout import signature
from ..layout.notice import NoticeText, body_units, notice_text
from ..model import Notice
from ..words import drafts, numbering
from .draft import make_room
from .endblock import settle, where
from .engine import CompiledTemplate, Part, Rendered, compiled
from .flow import set_flow

NOTICE_NAMES = ("通知模板可用 draft、mark、number、title_lines、recipients、body、sections"
                "（label、heading、paragraphs、rows）、attachments（label、note、doc）、"
                "signature_gap、signature_line、date_line、copy_to、printer、print_date")
ROW_KEYS = ("no", "stage", "when", "task", "to")  # a schedule row's cells in the template


def full_stop(text: str) -> str:
    return text if text.endswith(("。", "．")) else text.rstrip("，,；;") + "。"


@dataclass(frozen=True)
class Attached:
    """A document a notice issues: its title, its rendering and the template it came from."""

    title: str
    rendered: Rendered
    template: Path


def notice_context(doc: Notice, text: NoticeText, attached: list[Attached],
                   template: CompiledTemplate) -> dict[str, object]:
    """The notice's plain data; each attached document's body is embedded as it rendered,
    its styles mapped to the notice template's by name."""
    date = numbering.date(doc.date.value)
    printed = numbering.date(doc.print_date.value) if doc.print_date else date
    single = len(attached) == 1
    attachments = [
        {"label": "附件" if single else f"附件{n}", "note": note,
         "doc": Markup(template.adopt(a.rendered.body, compiled(a.template).styles))}
        for n, (a, note) in enumerate(zip(attached, text.notes, strict=True), 1)]
    return {
        "draft": drafts.marker(doc), "mark": doc.mark.value,
        "number": drafts.number_line(doc.number.value) if doc.number else "",
        "title": "".join(text.title_lines), "title_lines": list(text.title_lines),
        "recipients": text.recipients, "body": list(text.body), "attachments": attachments,
        "sections": [{"label": s.label, "heading": s.heading, "paragraphs": list(s.paragraphs),
                      "rows": [dict(zip(ROW_KEYS, row, strict=True)) for row in s.rows]}
                     for s in text.sections],
        "signature_gap": [""] * text.gap,
        "signature_line": text.signature_line, "date_line": text.date_line,
        "copy_to": full_stop(doc.copy_to.value) if doc.copy_to else "",
        "printer": doc.printer.value if doc.printer else doc.signature.value,
        "print_date": printed,
    }


def render_notice(doc: Notice, attached: list[Attached], template: Path,
                  parts: Sequence[Part] = (), duplex: bool = True) -> Rendered:
    """A notice with its attached documents, each on a new page after its 附件N label;
    parts are package parts its attachments refer to (a chart). duplex: the set is
    printed on both sides, so the end block goes on an even page."""
    notice = compiled(template)
    text = notice_text(doc, [a.title for a in attached])
    remedy = signature.choose(text, duplex) or signature.NONE
    context = notice_context(doc, text, attached, notice)
    added: list[Part] = []

    def adjust(xml: str) -> str:
        if context["draft"]:
            xml = make_room(xml, notice.prefix, template, notice.styles)
        xml = set_flow(xml, notice.prefix, remedy, [value for _, value in body_units(text)],
                       remedy.split)
        if duplex:  # a clerk's own layout (no qingdan_flow bookmark) is left as it is
            front = signature.layouts(text, remedy, duplex)
            xml, more = settle(xml, notice.prefix, template, lambda rest: where(front, rest))
            added.extend(more)
        return xml

    return notice.render(context, parts, body_filter=adjust, hint=NOTICE_NAMES,
                         late_parts=lambda: added)
