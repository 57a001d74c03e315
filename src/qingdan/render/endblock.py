"""The notice's end block (版记) on the last even side of a double-sided set.

layout/endblock.py decides where the block goes from the page the text ends on; this
module reads that page from the rendered body and moves the block. The text after the
front part (each attached document after its 附件N label) is read as plain paragraphs of
the notice template's styles (layout/paragraphs.py); a table, a picture or a text box
there means the page cannot be predicted.

To put the block on an even page of its own, the text's section ends with the last
paragraph before the block (a copy of the document's section properties in its pPr), and
the block's section starts on an even page (w:type evenPage): the renderer adds a blank
page when the text ends on an even one. After a blank page the block's section has blank
footers (a footer part added to the package), so neither page is numbered.
"""

from __future__ import annotations

import copy
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from lxml import etree

from ..layout.endblock import EndPage
from ..layout.grid import BLOCK_HEIGHT_PT, EPSILON, METRICS
from ..layout.paragraphs import Para, pages
from ..layout.signature import Layout
from .engine import Part
from .flow import flow_span
from .wordxml import PARSER, PPR_ORDER, SECT_ORDER, R, W, fragment, ppr, put, unparsed, w

BLANK_FOOTER = "word/qingdan-blank-footer.xml"
BLANK_FOOTER_ID = "rIdQingdanBlankFooter"
FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
FOOTER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TEXT_WIDTH_TWIPS = 11906 - 1587 - 1474  # A4 less the notice template's margins


@dataclass(frozen=True)
class Props:
    """What a style or a paragraph says about its lines (None: nothing)."""

    size: float | None = None  # pt
    spacing: float | None = None  # character spacing, pt
    line: float | None = None  # the pitch, pt, when exact
    exact: bool | None = None
    before: float | None = None
    after: float | None = None
    left: float | None = None  # indents, twips
    right: float | None = None
    first: float | None = None  # negative: hanging
    keep_next: bool | None = None
    break_before: bool | None = None

    def over(self, other: Props) -> Props:
        """These properties where set, else other's."""
        return Props(**{name: mine if mine is not None else getattr(other, name)
                        for name, mine in vars(self).items()})


def _on(element: etree._Element | None) -> bool | None:
    if element is None:
        return None
    return element.get(w("val"), "true") not in ("0", "false", "off")


def _number(element: etree._Element | None, name: str, scale: float = 1.0) -> float | None:
    if element is None or element.get(w(name)) is None:
        return None
    try:
        return float(element.get(w(name), "")) * scale
    except ValueError:
        return None


def read_props(pPr: etree._Element | None, rPr: etree._Element | None) -> Props:
    """The line facts of a pPr and an rPr (of a style, the defaults or a paragraph)."""
    found = Props()
    if rPr is not None:
        found = replace(found, size=_number(rPr.find(w("sz")), "val", 0.5),
                        spacing=_number(rPr.find(w("spacing")), "val", 0.05))
    if pPr is None:
        return found
    spacing, ind = pPr.find(w("spacing")), pPr.find(w("ind"))
    if spacing is not None:
        rule = spacing.get(w("lineRule"))
        found = replace(found, line=_number(spacing, "line", 0.05),
                        exact=None if spacing.get(w("line")) is None else rule == "exact",
                        before=_number(spacing, "before", 0.05),
                        after=_number(spacing, "after", 0.05))
    if ind is not None:
        hanging = _number(ind, "hanging")
        found = replace(found, left=_number(ind, "left") or _number(ind, "start"),
                        right=_number(ind, "right") or _number(ind, "end"),
                        first=-hanging if hanging is not None else _number(ind, "firstLine"))
    return replace(found, keep_next=_on(pPr.find(w("keepNext"))),
                   break_before=_on(pPr.find(w("pageBreakBefore"))))


@lru_cache(maxsize=32)
def _styles(path: Path, stamp: tuple[int, int]) -> dict[str, Props]:
    """Style id -> its resolved line facts (its bases' and the defaults' included)."""
    try:
        root = etree.fromstring(zipfile.ZipFile(path).read("word/styles.xml"), PARSER)
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return {}
    defaults = read_props(root.find(f"{w('docDefaults')}/{w('pPrDefault')}/{w('pPr')}"),
                          root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}"))
    own: dict[str, tuple[Props, str | None]] = {}
    for style in root.iter(w("style")):
        if style.get(w("type")) != "paragraph":
            continue
        based = style.find(w("basedOn"))
        own[style.get(w("styleId"), "")] = (
            read_props(style.find(w("pPr")), style.find(w("rPr"))),
            based.get(w("val")) if based is not None else None)

    def resolved(ident: str, depth: int = 0) -> Props:
        props, base = own.get(ident, (Props(), None))
        if base is None or depth > 10:
            return props.over(defaults)
        return props.over(resolved(base, depth + 1))

    found = {ident: resolved(ident) for ident in own}
    default = next((style.get(w("styleId"), "") for style in root.iter(w("style"))
                    if style.get(w("type")) == "paragraph"
                    and style.get(w("default")) in ("1", "true", "on")), None)
    found[""] = found[default] if default in found else defaults
    return found


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


def style_props(template: Path) -> dict[str, Props]:
    stat = template.stat()
    return _styles(template, (stat.st_mtime_ns, stat.st_size))


def _para(p: etree._Element, styles: dict[str, Props]) -> list[Para] | None:
    """A body paragraph as plain paragraphs (a page break inside it starts another), or
    None when its lines cannot be predicted."""
    props = p.find(w("pPr"))
    style = props.find(w("pStyle")) if props is not None else None
    base = styles.get(style.get(w("val"), "") if style is not None else "", styles.get(""))
    if base is None or (props is not None and props.find(w("sectPr")) is not None):
        return None
    facts = read_props(props, None).over(base)
    sizes, pieces, breaks = set(), [""], [False]
    for node in p.iter():
        if node.tag in (w("drawing"), w("pict"), w("object"), w("tab"), w("txbxContent"),
                        w("rStyle"), w("vanish")):
            return None
        if node.tag == w("r"):
            run = read_props(None, node.find(w("rPr"))).over(facts)
            sizes.add((run.size, run.spacing))
        elif node.tag == w("t"):
            pieces[-1] += node.text or ""
        elif node.tag in (w("br"), w("cr")):
            if node.get(w("type")) == "page":
                pieces.append("")
                breaks.append(True)
            else:
                pieces[-1] += "\n"
    size, spacing = next(iter(sizes)) if len(sizes) == 1 else (facts.size, facts.spacing)
    if len(sizes) > 1 or size is None or not facts.exact or facts.line is None:
        return None
    cell = (size + (spacing or 0.0)) * 20
    width = TEXT_WIDTH_TWIPS - (facts.left or 0) - (facts.right or 0)
    first, rest = (width - (facts.first or 0)) / cell, width / cell
    return [Para(piece, int(first + EPSILON) if n == 0 else int(rest + EPSILON),
                 int(rest + EPSILON), size, spacing or 0.0, facts.line,
                 facts.before or 0.0, facts.after or 0.0, bool(facts.keep_next),
                 bool(facts.break_before) if n == 0 else True)
            for n, piece in enumerate(pieces)]


def _anchor(root: etree._Element) -> etree._Element | None:
    """The end block's paragraph: the last body paragraph that holds a text box."""
    return next((p for p in reversed(list(root.iterchildren(w("p"))))
                 if p.find(f".//{w('txbxContent')}") is not None), None)


def after_flow(body: str, prefix: str, styles: dict[str, Props]) -> list[Para] | None:
    """The paragraphs between the flow and the end block, or None when they cannot be
    predicted (or there is no flow, or no end block)."""
    span = flow_span(body)
    if span is None:
        return None
    rest = body[span[1]:]
    rest = rest[rest.index("/>") + 2:] if "/>" in rest else rest
    root = fragment(rest[:rest.rfind("<w:sectPr")] if "<w:sectPr" in rest else rest, prefix)
    anchor = _anchor(root) if root is not None else None
    if root is None or anchor is None:
        return None
    found: list[Para] = []
    for element in root:
        if element is anchor:
            return found
        if element.tag == w("tbl") or element.tag == w("sdt"):
            return None
        if element.tag == w("p"):
            paras = _para(element, styles)
            if paras is None:
                return None
            found.extend(paras)
    return None


def text_ends(front: Sequence[Layout], rest: list[Para] | None) -> list[tuple[int, float] | None]:
    """For each renderer (front: the front part laid out under each, in METRICS' order, so
    many renderers a font model), the page the text ends on and the points free under it."""
    if rest is None:
        return [None] * len(front)
    per_model = len(front) // len(METRICS)
    ends: list[tuple[int, float] | None] = []
    for n, layout in enumerate(front):
        metrics = METRICS[min(n // max(per_model, 1), len(METRICS) - 1)]
        if not rest:
            ends.append((layout.date, layout.free))
            continue
        if rest[0].break_before:
            count, free = pages(rest, metrics)
            ends.append((layout.date + count, free))
        else:
            count, free = pages(rest, metrics, BLOCK_HEIGHT_PT - layout.free)
            ends.append((layout.date + count - 1, free))
    return ends


def place(body: str, prefix: str, where: EndPage, template: Path) -> tuple[str, list[Part]]:
    """The body with its end block where `where` says, and the parts that needs (the
    template's footer, blank)."""
    if where is EndPage.HERE:
        return body, []
    start = body.index(">", body.index("<w:body")) + 1 if "<w:body" in body else 0
    end = body.rindex("</w:body>") if "</w:body>" in body else len(body)
    root = fragment(body[start:end], prefix)
    if root is None:
        return body, []
    anchor, final = _anchor(root), root.find(w("sectPr"))
    before = anchor.getprevious() if anchor is not None else None
    while before is not None and before.tag not in (w("p"), w("tbl")):
        before = before.getprevious()
    if anchor is None or final is None or before is None:
        return body, []
    text_section = copy.deepcopy(final)
    if before.tag == w("p") and ppr(before).find(w("sectPr")) is None:
        ppr(before).append(text_section)  # the last child of a pPr but its change record
    else:
        holder = etree.Element(w("p"))
        put(ppr(holder), "spacing", PPR_ORDER, before="0", after="0", line="20",
            lineRule="exact")
        ppr(holder).append(text_section)
        anchor.addprevious(holder)
    put(final, "type", SECT_ORDER, val="evenPage")
    parts: list[Part] = []
    if where is EndPage.BLANK:
        for ref in final.findall(w("footerReference")):
            final.remove(ref)
        for kind in ("first", "even", "default"):
            ref = etree.Element(w("footerReference"))
            ref.set(w("type"), kind)
            ref.set(f"{{{R}}}id", BLANK_FOOTER_ID)
            final.insert(0, ref)
        parts.append(blank_footer(template))
    return body[:start] + unparsed(root) + body[end:], parts
