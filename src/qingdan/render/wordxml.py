"""Small edits of WordprocessingML elements in schema order (Word refuses elements out of
order): paragraph and run properties, a paragraph's text, a body fragment parsed whole."""

from __future__ import annotations

import re

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
# CT_PPr's children in order (ECMA-376 17.3.1.26), and CT_RPr's (17.3.2.28).
PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku",
    "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi",
    "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
    "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
    "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")
RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
    "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
    "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
    "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
    "specVanish", "oMath")
# CT_SectPr's children in order (17.6.17).
SECT_ORDER = (
    "headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
    "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign",
    "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings",
    "sectPrChange")


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def put(parent: etree._Element, tag: str, order: tuple[str, ...],
        **attrs: str) -> etree._Element:
    """The child tag of parent (made, in schema order, when missing) with attrs set."""
    found = parent.find(w(tag))
    if found is None:
        found = etree.Element(w(tag))
        rank = order.index(tag)
        later = next((i for i, kid in enumerate(parent)
                      if kid.tag.startswith(f"{{{W}}}")
                      and kid.tag[len(W) + 2:] in order
                      and order.index(kid.tag[len(W) + 2:]) > rank), len(parent))
        parent.insert(later, found)
    for key, value in attrs.items():
        found.set(w(key), value)
    return found


def ppr(para: etree._Element) -> etree._Element:
    """A paragraph's properties, made first when it has none."""
    found = para.find(w("pPr"))
    if found is None:
        found = etree.Element(w("pPr"))
        para.insert(0, found)
    return found


def rpr(run: etree._Element) -> etree._Element:
    """A run's properties, made first when it has none."""
    found = run.find(w("rPr"))
    if found is None:
        found = etree.Element(w("rPr"))
        run.insert(0, found)
    return found


def text(para: etree._Element) -> str:
    """What a paragraph's runs print (its w:t), text boxes aside."""
    return "".join(t.text or "" for t in para.iter(w("t"))
                   if not any(a.tag == w("txbxContent") for a in t.iterancestors()))


def fragment(body: str, prefix: str) -> etree._Element | None:
    """Body content (a run of w:p, w:tbl …) parsed under one root element that declares
    the document's namespaces (from prefix, the part before <w:body>); None if it does not
    parse."""
    namespaces = " ".join(re.findall(r'xmlns:\w+="[^"]*"', prefix))
    try:
        return etree.fromstring(f"<root {namespaces}>{body}</root>", PARSER)
    except etree.XMLSyntaxError:
        return None


def unparsed(root: etree._Element) -> str:
    """The content of a fragment's root, as text again."""
    inner = etree.tostring(root, encoding="unicode")
    return inner[inner.index(">") + 1:inner.rindex("</root>")]
