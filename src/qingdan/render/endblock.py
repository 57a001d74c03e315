"""The notice's end block (版记) on the last even side of a double-sided set.

layout/endblock.py decides where the block goes from the page the text ends on; this
module works that page out (the front part's layout, then the text after it, which
aftertext.py reads as plain paragraphs) and moves the block.

To put the block on an even page of its own, the text's section ends with the last
paragraph before the block (a copy of the document's section properties in its pPr), and
the block's section starts on an even page (w:type evenPage): the renderer adds a blank
page when the text ends on an even one. After a blank page the block's section has blank
footers (a footer part added to the package), so neither page is numbered.
"""

from __future__ import annotations

import copy
import re
import zipfile
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

from lxml import etree

from ..layout.endblock import EndPage, end_page
from ..layout.grid import BLOCK_HEIGHT_PT, METRICS, Metrics
from ..layout.paragraphs import Para, pages
from ..layout.signature import Layout
from .aftertext import scan, style_props
from .engine import Part
from .flow import flow_span
from .wordxml import PARSER, PPR_ORDER, SECT_ORDER, R, W, fragment, ppr, put, unparsed, w

BLANK_FOOTER = "word/qingdan-blank-footer.xml"
BLANK_FOOTER_ID = "rIdQingdanBlankFooter"
FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
FOOTER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


@lru_cache(maxsize=32)
def _blank_footer(path: Path, stamp: tuple[int, int]) -> bytes:
    """The template's page-number footer with its text taken out: as tall as the footer
    of every other page (so the text block ends where theirs does), printing nothing."""
    empty = f'<w:ftr xmlns:w="{W}"><w:p/></w:ftr>'.encode()
    try:
        with zipfile.ZipFile(path) as package:
            rels = etree.fromstring(package.read("word/_rels/document.xml.rels"), PARSER)
            document = etree.fromstring(package.read("word/document.xml"), PARSER)
            sections = list(document.iter(w("sectPr")))
            refs = sections[-1].findall(w("footerReference")) if sections else []
            ref = next((r for r in refs if r.get(w("type")) == "default"), None)
            target = next((rel.get("Target") for rel in rels.iter(f"{{{PACKAGE_RELS}}}Relationship")
                           if ref is not None and rel.get("Id") == ref.get(f"{{{R}}}id")), None)
            if not target:
                return empty
            footer = etree.fromstring(package.read(f"word/{target.lstrip('/')}"), PARSER)
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return empty
    for para in footer.iter(w("p")):
        for kid in list(para):
            if kid.tag != w("pPr"):
                para.remove(kid)
    return etree.tostring(footer, xml_declaration=True, encoding="UTF-8", standalone=True)


def blank_footer(template: Path) -> Part:
    stat = template.stat()
    return Part(BLANK_FOOTER, _blank_footer(template, (stat.st_mtime_ns, stat.st_size)),
                FOOTER_TYPE, BLANK_FOOTER_ID, FOOTER_REL)


def _anchor(root: etree._Element) -> etree._Element | None:
    """The end block's paragraph: the last body paragraph that holds a text box."""
    return next((p for p in reversed(list(root.iterchildren(w("p"))))
                 if p.find(f".//{w('txbxContent')}") is not None), None)


def text_end(layout: Layout, rest: list[Para], metrics: Metrics) -> tuple[int, float]:
    """Where the text ends under one renderer (layout: its front part; rest: the paragraphs
    after it, under metrics), and the points free under it."""
    if not rest:
        return layout.date, layout.free
    if rest[0].break_before:  # on a page of their own (附件N starts one)
        count, free = pages(rest, metrics)
        return layout.date + count, free
    count, free = pages(rest, metrics, BLOCK_HEIGHT_PT - layout.free)
    return layout.date + count - 1, free


def where(front: Sequence[Layout], rest: list[Para] | None) -> EndPage:
    """Where the end block goes (front: the front part laid out under each renderer, in
    METRICS' order, so many renderers a font model, LibreOffice last)."""
    if rest is None:
        return end_page(None, list)
    per_model = max(len(front) // len(METRICS), 1)

    def end(n: int) -> tuple[int, float]:
        return text_end(front[n], rest, METRICS[min(n // per_model, len(METRICS) - 1)])

    return end_page(end(len(front) - 1), lambda: [end(n) for n in range(len(front) - 1)])


def settle(body: str, prefix: str, template: Path,
           where: Callable[[list[Para] | None], EndPage]) -> tuple[str, list[Part]]:
    """The body with its end block where `where` says, given the paragraphs between the
    flow and the block (None: not predictable), and the parts that needs (the template's
    footer, blank). Unchanged without the flow's bookmark or an end block."""
    span = flow_span(body)
    end = body.rfind("<w:sectPr")
    close = body.rfind("</w:body>")
    if span is None or end < span[1] or close < end:
        return body, []
    start = body.index("/>", span[1]) + 2  # after the flow's bookmarkEnd
    region, namespaces = body[start:end], " ".join(re.findall(r'xmlns:\w+="[^"]*"', prefix))
    found = scan(region, style_props(template), namespaces)
    if found is None:
        return _settle_parsed(body, prefix, template, where, start, end)  # unusual: parse
    chosen = where(found.paras)
    if chosen is EndPage.HERE:
        return body, []
    section = body[end:close]
    if chosen is EndPage.NEXT and found.last is not None:  # the usual: edited as text
        last = _ending(region[found.last[0]:found.last[1]], section)
        if last is not None:
            region = region[:found.last[0]] + last + region[found.last[1]:]
            return body[:start] + region + _on_even_page(section) + body[close:], []
    return _settle_parsed(body, prefix, template, lambda _: chosen, start, end)


def _ending(paragraph: str, section: str) -> str | None:
    """The paragraph (its XML) with the section's properties in its pPr, so it ends the
    text's section; None when it ends one already or is not written plainly."""
    if "<w:sectPr" in paragraph or "<w:pPrChange" in paragraph:
        return None
    opened = paragraph.index(">") + 1
    if paragraph[opened - 2] == "/":  # <w:p/>
        return f"{paragraph[:opened - 2]}><w:pPr>{section}</w:pPr></w:p>"
    props = re.match(r"<w:pPr(?:\s[^>]*)?(/?)>", paragraph[opened:])
    if props is None:
        return None if "<w:pPr" in paragraph else \
            f"{paragraph[:opened]}<w:pPr>{section}</w:pPr>{paragraph[opened:]}"
    if props.group(1):  # <w:pPr/>
        return (f"{paragraph[:opened]}<w:pPr>{section}</w:pPr>"
                f"{paragraph[opened + props.end():]}")
    closing = paragraph.index("</w:pPr>", opened)
    return paragraph[:closing] + section + paragraph[closing:]


def _on_even_page(section: str) -> str:
    """The section's properties (its XML) with the section starting on an even page."""
    if re.search(r"<w:type\b", section):
        return re.sub(r"<w:type\b[^>]*/>", '<w:type w:val="evenPage"/>', section, count=1)
    later = re.search("<w:(?:" + "|".join(SECT_ORDER[SECT_ORDER.index("type") + 1:]) + r")\b",
                      section)
    at = later.start() if later else section.rindex("</w:sectPr>")
    return f'{section[:at]}<w:type w:val="evenPage"/>{section[at:]}'


def _end_section(para: etree._Element, final: etree._Element, own_line: bool = False) -> bool:
    """Make para the last of the text's section (a copy of the final section's
    properties in its pPr); False when it ends a section already."""
    if ppr(para).find(w("sectPr")) is not None:
        return False
    if own_line:  # a paragraph of its own, an exact 1 pt line
        put(ppr(para), "spacing", PPR_ORDER, before="0", after="0", line="20",
            lineRule="exact")
    change = ppr(para).find(w("pPrChange"))
    if change is not None:
        change.addprevious(copy.deepcopy(final))
    else:
        ppr(para).append(copy.deepcopy(final))
    return True


def _start_on_even_page(final: etree._Element, where: EndPage, template: Path) -> list[Part]:
    """The end block's section starts on an even page; after a blank page, with the
    template's footer blank. Returns the parts that needs."""
    put(final, "type", SECT_ORDER, val="evenPage")
    if where is not EndPage.BLANK:
        return []
    for ref in final.findall(w("footerReference")):
        final.remove(ref)
    for kind in ("first", "even", "default"):
        ref = etree.Element(w("footerReference"))
        ref.set(w("type"), kind)
        ref.set(f"{{{R}}}id", BLANK_FOOTER_ID)
        final.insert(0, ref)
    return [blank_footer(template)]


def _settle_parsed(body: str, prefix: str, template: Path,
                   where: Callable[[list[Para] | None], EndPage], start: int,
                   end: int) -> tuple[str, list[Part]]:
    """settle for a body the scan does not follow (the end block not the last paragraph, a
    picture before it): parsed whole, its pages not predicted."""
    close = body.rfind("</w:body>")
    root = fragment(body[start:end], prefix)
    tail = fragment(body[end:close], prefix)
    anchor = _anchor(root) if root is not None else None
    final = tail.find(w("sectPr")) if tail is not None else None
    if root is None or tail is None or anchor is None or final is None:
        return body, []
    chosen = where(None)
    if chosen is EndPage.HERE:
        return body, []
    before = anchor.getprevious()
    while before is not None and before.tag not in (w("p"), w("tbl")):
        before = before.getprevious()
    if before is None or before.tag != w("p") or not _end_section(before, final):
        holder = etree.Element(w("p"))
        _end_section(holder, final, own_line=True)
        anchor.addprevious(holder)
    parts = _start_on_even_page(final, chosen, template)
    return body[:start] + unparsed(root) + unparsed(tail) + body[close:], parts
