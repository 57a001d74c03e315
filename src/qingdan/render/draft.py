"""A draft's marker above the organ mark, and the room it takes there.

The marker (草稿, 征求意见稿) stands on the first line of the text block, top left, where
份号, 密级 and 紧急程度 go (GB/T 9704-2012 7.2.2-7.2.4: 3号黑体, flush left). The organ
mark stays 35 mm under the top of the text block (7.2.5), so the space above the mark
shrinks by the marker's line: the first mark paragraph gets the style's space before less
the marker's line height as direct spacing. Everything from the mark down stays where it
was, so the front page that layout/notice.py predicts is the same for a draft.
"""

from __future__ import annotations

import re
import zipfile
from functools import lru_cache
from pathlib import Path

from lxml import etree

MARK_STYLE = "发文机关标志"
MARKER_STYLE = "版头标注"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@lru_cache(maxsize=32)
def _style_spacing(path: Path, stamp: tuple[int, int]) -> dict[str, tuple[int, int]]:
    """Style name -> (space before, exact line) in twips, for styles that set them."""
    try:
        root = etree.fromstring(zipfile.ZipFile(path).read("word/styles.xml"), PARSER)
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return {}
    found = {}
    for style in root.iter(f"{{{W}}}style"):
        name = style.find(f"{{{W}}}name")
        spacing = style.find(f"{{{W}}}pPr/{{{W}}}spacing")
        if name is None or spacing is None:
            continue
        before = spacing.get(f"{{{W}}}before", "0")
        line = spacing.get(f"{{{W}}}line", "0")
        if before.isdigit() and line.isdigit():
            found[name.get(f"{{{W}}}val", "")] = (int(before), int(line))
    return found


def style_spacing(template: Path) -> dict[str, tuple[int, int]]:
    stat = template.stat()
    return _style_spacing(template, (stat.st_mtime_ns, stat.st_size))


def make_room(body: str, prefix: str, template: Path, style_ids: dict[str, str]) -> str:
    """The body with the first organ-mark paragraph's space before reduced by the marker's
    line; unchanged when the template names neither style (a clerk's own letterhead)."""
    spacing = style_spacing(template)
    ids = {name: ident for ident, name in style_ids.items()}
    if MARK_STYLE not in spacing or MARKER_STYLE not in spacing or MARK_STYLE not in ids:
        return body
    before = max(spacing[MARK_STYLE][0] - spacing[MARKER_STYLE][1], 0)
    found = re.search(rf'<w:pStyle w:val="{re.escape(ids[MARK_STYLE])}"/>', body)
    if found is None:
        return body
    start = max(body.rfind("<w:p>", 0, found.start()), body.rfind("<w:p ", 0, found.start()))
    end = body.find("</w:p>", found.end())
    if start < 0 or end < 0:
        return body
    end += len("</w:p>")
    namespaces = " ".join(re.findall(r'xmlns:\w+="[^"]*"', prefix))
    try:
        root = etree.fromstring(f"<root {namespaces}>{body[start:end]}</root>", PARSER)
    except etree.XMLSyntaxError:
        return body
    para = root[0]
    ppr = para.find(f"{{{W}}}pPr")
    if ppr is None:
        return body
    own = ppr.find(f"{{{W}}}spacing")
    if own is None:
        own = etree.Element(f"{{{W}}}spacing")
        ppr.insert(_spacing_index(ppr), own)
    own.set(f"{{{W}}}before", str(before))
    inner = etree.tostring(root, encoding="unicode")
    inner = inner[inner.index(">") + 1:inner.rindex("</root>")]
    return body[:start] + inner + body[end:]


# pPr children that precede w:spacing in the schema's order.
BEFORE_SPACING = {f"{{{W}}}{tag}" for tag in (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku",
    "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi",
    "adjustRightInd", "snapToGrid")}


def _spacing_index(ppr: etree._Element) -> int:
    """Where a new w:spacing goes among a pPr's children."""
    for index, kid in enumerate(ppr):
        if kid.tag not in BEFORE_SPACING:
            return index
    return len(ppr)
