"""Read a produced .docx the way a user sees it: paragraphs, styles, fonts, footers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import docx
from docx.oxml.ns import qn

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Para:
    style: str
    text: str


def paragraphs(path: Path) -> list[Para]:
    """Body paragraphs in order, with their style names; empty ones kept."""
    document = docx.Document(str(path))
    return [Para(p.style.name, p.text) for p in document.paragraphs]


def run_fonts(element) -> list[dict[str, str]]:
    """The rFonts attributes of every run under element, by slot name."""
    out = []
    for run in element.iter(qn("w:r")):
        fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        attrs = {} if fonts is None else {k.replace(W, ""): v for k, v in fonts.attrib.items()}
        out.append(attrs)
    return out


def style_font(document, name: str) -> tuple[str | None, float | None]:
    """A style's East Asian font and size in points."""
    style = document.styles[name]
    rpr = style.element.rPr
    fonts = rpr.find(qn("w:rFonts"))
    size = rpr.find(qn("w:sz"))
    east = fonts.get(qn("w:eastAsia")) if fonts is not None else None
    return east, (int(size.get(qn("w:val"))) / 2 if size is not None else None)


MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def printed_text(path: Path) -> str:
    """Every character the body prints: text and deleted text (a redline shows both),
    text boxes included once (the mc:Choice, not its VML fallback); no footers."""
    import zipfile

    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    out = []
    for node in root.iter(f"{W}t", f"{W}delText"):
        if any(a.tag == MC_FALLBACK for a in node.iterancestors()):
            continue
        out.append(node.text or "")
    return "".join(out)


def header_rows(path: Path) -> list[list[str]]:
    """The cell texts of each table's repeated header row (w:tblHeader)."""
    document = docx.Document(str(path))
    rows = []
    for table in document.tables:
        first = table.rows[0]
        if first._tr.find(f"{W}trPr/{W}tblHeader") is not None:
            rows.append([cell.text for cell in first.cells])
    return rows
