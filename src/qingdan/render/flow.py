"""A notice's flow set as layout.signature chose: its pitch, its body's character spacing,
a page break before the body's last lines.

The notice template marks the flow (recipients … date) with a bookmark named
`qingdan_flow`; a custom template without it keeps its own spacing. The body's paragraphs
are found in the flow by their text, in order (recipients, the body, each section's heading
and paragraphs), as layout.notice.body_units lists them.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence

from lxml import etree

from ..layout.grid import LINE_CELLS, PITCH_TWIPS
from ..layout.notice import CHAR_SPACING, indent_twips
from ..layout.signature import Remedy
from .wordxml import PPR_ORDER, RPR_ORDER, fragment, ppr, put, rpr, text, unparsed, w

FLOW_BOOKMARK = "qingdan_flow"


def flow_span(body: str) -> tuple[int, int] | None:
    """Where the flow's content lies in a rendered body (between its bookmark's start and
    end), or None when the template has no such bookmark."""
    start = re.search(rf'<w:bookmarkStart\b[^>]*w:name="{FLOW_BOOKMARK}"[^>]*/>', body)
    if start is None:
        return None
    ident = re.search(r'w:id="([^"]*)"', start.group(0))
    end = body.find(f'<w:bookmarkEnd w:id="{ident.group(1) if ident else ""}"', start.end())
    return (start.end(), end) if end >= 0 else None


def set_flow(body: str, prefix: str, remedy: Remedy, units: Sequence[str],
             split: tuple[int, int] | None) -> str:
    """The body with the flow set as remedy says; units: the body units' texts in order,
    split: the unit and the character where a new page starts. Unchanged without the
    bookmark, or when the flow's paragraphs are not where units says."""
    span = flow_span(body)
    if span is None or not remedy.changed:
        return body
    root = fragment(body[span[0]:span[1]], prefix)
    if root is None:
        return body
    paragraphs = list(root.iterchildren(w("p")))
    found = _units(paragraphs, units)
    if found is None:
        return body
    if remedy.pitch != PITCH_TWIPS:
        for para in paragraphs:
            put(ppr(para), "spacing", PPR_ORDER, line=str(remedy.pitch), lineRule="exact")
    if remedy.chars != LINE_CELLS:
        for para in found:
            _space(para, remedy.chars)
    if split is not None:
        unit, at = split
        _break(found[unit], at)
    return body[:span[0]] + unparsed(root) + body[span[1]:]


def _units(paragraphs: list[etree._Element], units: Sequence[str]) -> list[etree._Element] | None:
    """The paragraph of each body unit: the next paragraph, in order, that prints its text."""
    found: list[etree._Element] = []
    texts = [text(p) for p in paragraphs]
    at = 0
    for value in units:
        try:
            at = texts.index(value, at)
        except ValueError:
            return None
        found.append(paragraphs[at])
        at += 1
    return found


def _space(para: etree._Element, chars: int) -> None:
    """chars characters a line: every run's character spacing, and the first-line indent
    of two characters at that spacing (in twips, not in characters: LibreOffice reads only
    the twips, and Word prefers the characters when both are given)."""
    spacing = str(CHAR_SPACING[chars])
    for run in para.iter(w("r")):
        put(rpr(run), "spacing", RPR_ORDER, val=spacing)
    ind = put(ppr(para), "ind", PPR_ORDER, firstLine=str(indent_twips(chars)))
    ind.set(w("firstLineChars"), "0")


def _break(para: etree._Element, at: int) -> None:
    """A new page before the paragraph (at 0), or before its character at: the paragraph is
    cut in two there, and the second part starts the page flush left, as a continuation."""
    if at == 0:
        put(ppr(para), "pageBreakBefore", PPR_ORDER)
        return
    tail = copy.deepcopy(para)
    _keep(para, 0, at)
    _keep(tail, at, None)
    props = ppr(tail)
    put(props, "pageBreakBefore", PPR_ORDER)
    ind = put(props, "ind", PPR_ORDER, firstLine="0", firstLineChars="0")
    for name in ("hanging", "hangingChars"):
        ind.attrib.pop(w(name), None)
    para.addnext(tail)


def _keep(para: etree._Element, start: int, end: int | None) -> None:
    """Leave only the paragraph's characters from start to end (its w:t text, in order);
    runs left empty go."""
    at = 0
    for node in list(para.iter(w("t"))):
        value = node.text or ""
        low, high = at, at + len(value)
        at = high
        keep_from = max(start - low, 0)
        keep_to = len(value) if end is None else min(max(end - low, 0), len(value))
        node.text = value[keep_from:keep_to] if keep_from < keep_to else ""
    for run in list(para.iterchildren(w("r"))):
        if all(not (t.text or "") for t in run.iter(w("t"))) and run.find(w("t")) is not None:
            para.remove(run)
