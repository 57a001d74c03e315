"""What a .docx asks to be printed: its paragraphs' text in order, and its page setup."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from lxml import etree

from .pages import Frame

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
TWIP = 1 / 20  # points


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the body (or of a text box in it), with its style's id."""

    text: str
    style: str
    boxed: bool  # inside a text box (the notice's end block is one)
    header: bool = False  # in a table's heading row, which repeats on every page
    pitch: float | None = None  # an exact line spacing of its own, in points
    cell: float | None = None  # a 3号 character's width of its own (size and spacing), pt


def _own(paragraph: etree._Element) -> list[etree._Element]:
    """The paragraph's text elements, not those of paragraphs nested in its text boxes."""
    found = []
    for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if next(node.iterancestors(f"{W}p")) is paragraph:
            found.append(node)
    return found


def _on(flag: etree._Element | None) -> bool:
    return flag is not None and flag.get(f"{W}val", "true") not in ("0", "false", "off")


def _pitch(paragraph: etree._Element) -> float | None:
    spacing = paragraph.find(f"{W}pPr/{W}spacing")
    if spacing is None or spacing.get(f"{W}lineRule") != "exact":
        return None
    try:
        return float(spacing.get(f"{W}line", "")) * TWIP
    except ValueError:
        return None


def _cell(paragraph: etree._Element) -> float | None:
    """The width of a full-width character where every run of the paragraph sets its own
    character spacing (qingdan sets it to fit 27 or 29 characters in a body line)."""
    spacings = set()
    for run in paragraph.iterfind(f"{W}r"):
        if run.find(f"{W}t") is None:
            continue
        spacing = run.find(f"{W}rPr/{W}spacing")
        if spacing is None:
            return None
        spacings.add(spacing.get(f"{W}val", ""))
    if len(spacings) != 1:
        return None
    try:
        return 16 + float(spacings.pop()) * TWIP
    except ValueError:
        return None


def paragraphs(data: bytes) -> list[Paragraph]:
    """Every paragraph of the document body in order, text boxes where they are anchored.

    Hidden runs count: they are part of the document, so text a template hides is
    reported as missing from the page. Fallback copies of text boxes are skipped.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    found = []
    for p in root.iter(f"{W}p"):
        if any(a.tag == FALLBACK for a in p.iterancestors()):
            continue  # the same text box again, for older readers
        text = "".join(n.text or "" if n.tag == f"{W}t" else " " for n in _own(p))
        style = p.find(f"{W}pPr/{W}pStyle")
        ancestors = list(p.iterancestors())
        boxed = any(a.tag == f"{W}txbxContent" for a in ancestors)
        header = any(a.tag == f"{W}tr" and _on(a.find(f"{W}trPr/{W}tblHeader"))
                     for a in ancestors)
        found.append(Paragraph(text, style.get(f"{W}val", "") if style is not None else "",
                               boxed, header, _pitch(p), _cell(p)))
    return found


def frames(data: bytes) -> list[Frame]:
    """Each section's page size and text block, from its w:sectPr."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    found = []
    for sect in root.iter(f"{W}sectPr"):
        size, margins = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
        if size is None or margins is None:
            continue

        def twips(element: etree._Element, name: str, default: float = 0) -> float:
            value = element.get(f"{W}{name}")
            try:
                return float(value) * TWIP if value is not None else default
            except ValueError:
                return default

        width, height = twips(size, "w", 595.3), twips(size, "h", 841.9)
        found.append(Frame(width, height, twips(margins, "left"), twips(margins, "top"),
                           width - twips(margins, "right"),
                           height - twips(margins, "bottom")))
    return found


def frame_for(frames_: list[Frame], width: float, height: float) -> Frame:
    """The section whose paper matches a page's size (the last section when none does)."""
    for frame in frames_:
        if abs(frame.width - width) < 3 and abs(frame.height - height) < 3:
            return frame
    if frames_:
        return frames_[-1]
    mm = 72 / 25.4  # GB/T 9704 on A4 when the document says nothing
    return Frame(width, height, 28 * mm, 37 * mm, width - 26 * mm, height - 35 * mm)
