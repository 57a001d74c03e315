"""Render a notice (关于印发《……》的通知) with the documents it issues.

The front part's strings come from layout.notice, the same place the signature-page check
reads them, so what is checked is what is printed. When the signature and date would land
on a page without body text, the flow's line spacing is changed as layout.notice chooses:
the notice template marks that flow with a bookmark named `qingdan_flow`, and the
paragraphs inside it get that exact line spacing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from markupsafe import Markup

from .. import numbering
from ..annual import drafts
from ..layout.grid import PITCH_TWIPS
from ..layout.notice import NoticeText, choose_pitch, notice_text
from ..model import Notice
from .draft import make_room
from .engine import CompiledTemplate, Part, Rendered, compiled

NOTICE_NAMES = ("通知模板可用 draft、mark、number、title_lines、recipients、body、sections"
                "（label、heading、paragraphs、rows）、attachments（label、note、doc）、"
                "signature_gap、signature_line、date_line、copy_to、printer、print_date")
FLOW_BOOKMARK = "qingdan_flow"
ROW_KEYS = ("no", "stage", "when", "task", "to")  # a schedule row's cells in the template
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# pPr children that come after w:spacing in the schema's order.
AFTER_SPACING = {f"{{{W}}}{tag}" for tag in (
    "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
    "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr",
    "pPrChange")}


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
                  parts: Sequence[Part] = ()) -> Rendered:
    """A notice with its attached documents, each on a new page after its 附件N label;
    parts are package parts its attachments refer to (a chart)."""
    notice = compiled(template)
    text = notice_text(doc, [a.title for a in attached])
    pitch = choose_pitch(text)
    spacing = None if pitch in (None, PITCH_TWIPS) else pitch
    context = notice_context(doc, text, attached, notice)

    def adjust(xml: str) -> str:
        if context["draft"]:
            xml = make_room(xml, notice.prefix, template, notice.styles)
        return respace_flow(xml, notice.prefix, spacing) if spacing else xml

    return notice.render(context, parts, body_filter=adjust, hint=NOTICE_NAMES)


def respace_flow(body: str, prefix: str, pitch: int | None) -> str:
    """The body with every paragraph inside the qingdan_flow bookmark set to an exact line
    pitch (in twips); unchanged when the template has no such bookmark."""
    start = re.search(rf'<w:bookmarkStart\b[^>]*w:name="{FLOW_BOOKMARK}"[^>]*/>', body)
    if start is None or pitch is None:
        return body
    ident = re.search(r'w:id="([^"]*)"', start.group(0))
    end = body.find(f'<w:bookmarkEnd w:id="{ident.group(1) if ident else ""}"', start.end())
    if end < 0:
        return body
    namespaces = " ".join(re.findall(r'xmlns:\w+="[^"]*"', prefix))
    try:
        root = etree.fromstring(f"<root {namespaces}>{body[start.end():end]}</root>")
    except etree.XMLSyntaxError:
        return body
    for para in root.iterchildren(f"{{{W}}}p"):
        _set_spacing(para, pitch)
    inner = etree.tostring(root, encoding="unicode")
    inner = inner[inner.index(">") + 1:inner.rindex("</root>")]
    return body[:start.end()] + inner + body[end:]


def _set_spacing(para: etree._Element, pitch: int) -> None:
    ppr = para.find(f"{{{W}}}pPr")
    if ppr is None:
        ppr = etree.SubElement(para, f"{{{W}}}pPr")
        para.remove(ppr)
        para.insert(0, ppr)
    spacing = ppr.find(f"{{{W}}}spacing")
    if spacing is None:
        spacing = etree.Element(f"{{{W}}}spacing")
        later = next((i for i, kid in enumerate(ppr) if kid.tag in AFTER_SPACING), len(ppr))
        ppr.insert(later, spacing)
    spacing.set(f"{{{W}}}line", str(pitch))
    spacing.set(f"{{{W}}}lineRule", "exact")
