"""Pages as a reader with a ruler sees them: every line's text and box, from pdftotext.

`pdftotext -bbox-layout` (poppler) gives each text line with its box in points from the
page's top-left corner; the text block comes from the .docx's own page setup (docx.py).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

MM = 72 / 25.4
PITCH = 28.95  # GB/T 9704 line pitch: 22 lines in the 225 mm text block
CELL = 16 - 0.25  # one character of 3号 text with −0.25 pt character spacing
BODY_HEIGHT = 19.5  # line boxes at least this tall hold 3号 (16 pt) text or larger
ENV_PDFTOTEXT = "QINGDAN_PDFTOTEXT"
PAGE_NUMBER = re.compile(r"^[—–\-－]+(\d+)[—–\-－]+$")


@dataclass(frozen=True)
class Frame:
    """A page's size and its text block, in points from the top-left corner."""

    width: float
    height: float
    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class Line:
    """One line of text on a page, as pdftotext groups it."""

    page: int  # from 1
    text: str  # its words, joined by single spaces
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def chars(self) -> str:
        return "".join(self.text.split())

    @property
    def cells(self) -> float:
        """Width in characters: a Chinese character or full-width mark is one, a digit or a
        Latin letter half (as in 仿宋_GB2312, whose Latin letters are half-width)."""
        return sum(1 if wide(c) else 0.5 for c in self.chars)

    @property
    def body(self) -> bool:
        """Whether the line holds 3号 text or larger (the text the 22 × 28 grid is for)."""
        return self.y1 - self.y0 >= BODY_HEIGHT

    def page_number(self, frame: Frame) -> int | None:
        """The number this line prints, when it is a page number ("— 3 —") at the foot of
        the page: under the text block's last line (where exactly is checked later)."""
        match = PAGE_NUMBER.match(self.chars)
        low = (self.y0 + self.y1) / 2 > frame.bottom - PITCH / 2
        return int(match.group(1)) if match and low else None


def wide(char: str) -> bool:
    """Whether a character takes a whole cell: Chinese characters, full-width forms, and
    marks of ambiguous width (“ ” ‘ ’ — …), which the document sets in a Chinese font."""
    return unicodedata.east_asian_width(char) in "WFA"


def find_pdftotext() -> str | None:
    given = os.environ.get(ENV_PDFTOTEXT)
    if given:
        return given if Path(given).is_file() else None
    return shutil.which("pdftotext")


def read_lines(pdf: Path, pdftotext: str) -> tuple[list[tuple[float, float]], list[Line]]:
    """(each page's width and height, every text line in reading order) of a PDF."""
    out = subprocess.run([pdftotext, "-bbox-layout", str(pdf), "-"], check=True,
                         capture_output=True, timeout=120).stdout
    root = etree.fromstring(out, etree.XMLParser(recover=True, huge_tree=True))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    sizes: list[tuple[float, float]] = []
    found: list[Line] = []
    for number, page in enumerate(root.iterfind(".//h:page", ns), 1):
        sizes.append((float(page.get("width", 0)), float(page.get("height", 0))))
        for line in page.iterfind(".//h:line", ns):
            text = " ".join(w.text or "" for w in line.iterfind("h:word", ns)).strip()
            if text:
                box = [float(line.get(k, 0)) for k in ("xMin", "yMin", "xMax", "yMax")]
                found.append(Line(number, text, *box))
    return sizes, found
