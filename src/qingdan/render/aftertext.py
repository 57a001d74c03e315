"""The text after a notice's front part, read as the page sees it: each attached document
after its 附件N label, as plain paragraphs of the notice template's styles (for
layout/paragraphs.py), up to the end block (版记).

This runs for every notice of every unit of a roster, so the body is scanned as text
rather than parsed: paragraphs are cut at their `</w:p>`, which holds up to the first
paragraph with a picture or a text box, taken for the end block's when it is the last
(else, or with a table before it, render/endblock.py parses the body). A paragraph's pPr
that says more than its style is read with lxml, once per distinct pPr. A tab, a run
style, hidden text or a second section before the end block means the pages are not
predicted.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from lxml import etree

from ..layout.grid import EPSILON
from ..layout.paragraphs import Para
from .wordxml import PARSER, w

TEXT_WIDTH_TWIPS = 11906 - 1587 - 1474  # A4 less the notice template's margins
P_TAG = re.compile(r"<w:p(?=[\s>/])[^>]*?(/?)>|</w:p>")
SPECIAL = re.compile(r"<w:(?:drawing|pict|object|txbxContent)[\s/>]|<mc:AlternateContent")
UNPREDICTED = re.compile(r"<w:(?:tab|rStyle|vanish|sectPr|fldSimple)[\s/>]")
BLOCK = re.compile(r"<w:(?:tbl|sdt)[\s>]")
PPR = re.compile(r"<w:pPr(?:\s[^>]*)?(?:/>|>(.*?)</w:pPr>)", re.S)
STYLE = re.compile(r'<w:pStyle w:val="([^"]*)"\s*/>')
MARK = re.compile(r"<w:rPr(?:\s[^>]*)?(?:/>|>.*?</w:rPr>)", re.S)  # the paragraph mark's
RUN = re.compile(r"<w:r[\s>]")
FACE = re.compile(r'<w:(sz|spacing) w:val="([^"]*)"\s*/>')
PPR_TAGS = re.compile(r"</?w:pPr(?:\s[^>]*)?/?>")

TOKEN = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>|<w:(br|cr)\b([^>]*)/>")


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


def style_props(template: Path) -> dict[str, Props]:
    stat = template.stat()
    return _styles(template, (stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=256)
def _own(ppr: str, namespaces: str) -> Props:
    """The line facts a pPr says itself (remembered: paragraphs repeat their pPr)."""
    try:
        root = etree.fromstring(f"<root {namespaces}>{ppr}</root>", PARSER)
    except etree.XMLSyntaxError:
        return Props(exact=False)  # unreadable: not predicted
    return read_props(root[0] if len(root) else None, None)


@lru_cache(maxsize=1024)
def _props(ppr: str, namespaces: str) -> tuple[str, bool]:
    """A pPr's style id, and whether it says more than its style and the paragraph mark's
    run properties (remembered: paragraphs repeat their pPr)."""
    style = STYLE.search(ppr)
    return (style.group(1) if style else "",
            bool(MARK.sub("", STYLE.sub("", PPR_TAGS.sub("", ppr))).strip()))


def _faces(runs: str, facts: Props) -> tuple[float | None, float | None] | None:
    """The one size and character spacing of a paragraph's runs, or None when they differ
    (a run without its own takes the paragraph's)."""
    count = len(RUN.findall(runs))
    sizes: set[float] = set()
    spacings: set[float] = set()
    for kind, value in FACE.findall(runs):
        try:
            (sizes if kind == "sz" else spacings).add(float(value))
        except ValueError:
            return None
    size = {v / 2 for v in sizes} | ({facts.size} if len(sizes) < count else set())
    spacing = {v / 20 for v in spacings} | ({facts.spacing} if len(spacings) < count else set())
    if len(size) > 1 or len(spacing) > 1:
        return None
    return (size.pop() if size else facts.size, spacing.pop() if spacing else facts.spacing)


def paragraph(inner: str, styles: dict[str, Props], namespaces: str) -> list[Para] | None:
    """A top-level paragraph's content as plain paragraphs (a page break inside it starts
    another), or None when its lines cannot be predicted."""
    if UNPREDICTED.search(inner):
        return None
    ppr = PPR.search(inner)
    style, own = _props(ppr.group(0), namespaces) if ppr else ("", False)
    base = styles.get(style, styles.get(""))
    if base is None:
        return None
    facts = _own(ppr.group(0), namespaces).over(base) if ppr and own else base
    runs = inner[ppr.end():] if ppr else inner
    face = _faces(runs, facts)
    if face is None or face[0] is None or not facts.exact or facts.line is None:
        return None  # runs of several sizes, or a pitch that is not exact
    size, spacing = face[0], face[1] or 0.0
    pieces = [""]
    for token in TOKEN.finditer(runs):
        if token.group(2) is None:
            text = token.group(1)
            pieces[-1] += html.unescape(text) if "&" in text else text
        elif 'w:type="page"' in token.group(3):
            pieces.append("")
        else:
            pieces[-1] += "\n"
    cell = (size + spacing) * 20
    width = TEXT_WIDTH_TWIPS - (facts.left or 0) - (facts.right or 0)
    first, rest = (width - (facts.first or 0)) / cell, width / cell
    return [Para(piece, int(first + EPSILON) if n == 0 else int(rest + EPSILON),
                 int(rest + EPSILON), size, spacing, facts.line, facts.before or 0.0,
                 facts.after or 0.0, bool(facts.keep_next),
                 bool(facts.break_before) if n == 0 else True)
            for n, piece in enumerate(pieces)]


@dataclass
class Found:
    """What follows the flow, up to the end block: its paragraphs (None: not predicted),
    the span of the last paragraph before the block (None: a table ends the text), and
    where the block's paragraph starts."""

    paras: list[Para] | None
    last: tuple[int, int] | None
    anchor: int


def _paragraphs(region: str, stop: int) -> Iterator[tuple[int, int, str]]:
    """(start, end, content) of each paragraph of region before stop, none nesting (the
    caller has made sure there is no table there)."""
    at = 0
    while True:
        start = region.find("<w:p", at, stop)
        while start >= 0 and region[start + 4:start + 5] not in (" ", ">", "/"):
            start = region.find("<w:p", start + 4, stop)  # <w:pPr>, <w:pStyle>
        if start < 0:
            return
        opened = region.index(">", start) + 1
        if region[opened - 2] == "/":  # <w:p/>
            yield start, opened, ""
            at = opened
            continue
        end = region.find("</w:p>", opened, stop)
        if end < 0:
            return
        yield start, end + 6, region[opened:end]
        at = end + 6


def one_paragraph(text: str) -> bool:
    """Whether text is exactly one paragraph (what it nests aside)."""
    depth, closed, end = 0, 0, 0
    for tag in P_TAG.finditer(text):
        if tag.group(0) == "</w:p>" or tag.group(1):
            depth -= 0 if tag.group(1) else 1
            if depth == 0:
                closed, end = closed + 1, tag.end()
        else:
            depth += 1
    return closed == 1 and depth == 0 and not text[end:].strip()


def scan(region: str, styles: dict[str, Props], namespaces: str) -> Found | None:
    """The paragraphs of region (what follows the flow, the body's final sectPr cut off)
    up to its first paragraph with a picture or a text box, which is taken for the end
    block; None when there is none or a table comes before it (the caller parses then),
    or when that paragraph is not the last."""
    special = SPECIAL.search(region)
    if special is None or BLOCK.search(region, 0, special.start()):
        return None
    paras: list[Para] | None = []
    last: tuple[int, int] | None = None
    for start, end, content in _paragraphs(region, special.start()):
        if paras is not None:
            found = paragraph(content, styles, namespaces)
            paras = None if found is None else paras + found
        last = start, end
    at = last[1] if last else 0
    anchor = region.find("<w:p", at, special.start())
    while anchor >= 0 and region[anchor + 4:anchor + 5] not in (" ", ">"):
        anchor = region.find("<w:p", anchor + 4, special.start())
    if anchor < 0 or not one_paragraph(region[anchor:]):
        return None
    return Found(paras, last, anchor)
