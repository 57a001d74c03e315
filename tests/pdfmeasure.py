"""Measure a PDF the way a reader with a ruler would: lines per page, characters per line.

LibreOffice makes the PDF; `pdftotext -bbox-layout` (poppler) gives every line's box.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

MM = 72 / 25.4
# GB/T 9704 text block on A4, in points from the top-left corner.
LEFT, RIGHT = 28 * MM, (210 - 26) * MM
TOP, BOTTOM = 37 * MM, (297 - 35) * MM
PITCH = 28.95
CELL = 16 - 0.25  # 3号 with -0.25 pt character spacing
# As qingdan's own converter: the blank page a section starting on an even page may need
# (a notice's end block on the last even side) is exported.
PDF = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'


@dataclass(frozen=True)
class Line:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cells(self) -> float:
        """Width in character cells: a Chinese character or full-width mark is one."""
        return sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in self.text)

    @property
    def columns(self) -> float:
        """Cells from the left margin to the line's end, indentation included."""
        return (self.x0 - LEFT) / CELL + self.cells

    @property
    def slot(self) -> int:
        """Which of the page's grid lines (0..21) this line sits on."""
        return int(((self.y0 + self.y1) / 2 - TOP) // PITCH)

    @property
    def in_body(self) -> bool:
        return self.y0 < BOTTOM


def to_pdf(docx: Path, out_dir: Path) -> Path:
    """Convert with LibreOffice in a private profile, so parallel runs do not collide."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise FileNotFoundError("soffice")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", PDF, "--outdir", str(out_dir), str(docx)],
            check=True, capture_output=True, timeout=180,
            env={**os.environ, "HOME": profile})
    pdf = out_dir / (docx.stem + ".pdf")
    if not pdf.is_file():
        raise RuntimeError(f"LibreOffice produced no PDF for {docx}")
    return pdf


def to_pdfs(docxs: list[Path], out_dir: Path, processes: int = 2) -> dict[Path, Path]:
    """Convert many documents at once: LibreOffice takes a list of files, and two such
    processes (each with its own profile) keep both cores busy. Returns docx -> pdf."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise FileNotFoundError("soffice")
    staged = out_dir / "staged"
    staged.mkdir(parents=True, exist_ok=True)
    names = {}
    for n, docx in enumerate(docxs):
        copy = staged / f"{n:04d}.docx"
        copy.write_bytes(docx.read_bytes())
        names[docx] = copy
    chunks = [list(names.values())[i::processes] for i in range(processes)]
    with tempfile.TemporaryDirectory() as profiles:
        running = []
        for i, chunk in enumerate(c for c in chunks if c):
            profile = Path(profiles) / str(i)
            running.append(subprocess.Popen(
                [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                 "--convert-to", PDF, "--outdir", str(out_dir), *map(str, chunk)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env={**os.environ, "HOME": str(profile)}))
        for process in running:
            process.wait(timeout=600)
    result = {docx: out_dir / (copy.stem + ".pdf") for docx, copy in names.items()}
    missing = [str(d) for d, pdf in result.items() if not pdf.is_file()]
    if missing:
        raise RuntimeError(f"LibreOffice produced no PDF for {missing}")
    return result


def lines(pdf: Path) -> tuple[int, list[Line]]:
    """(page count, every text line) of a PDF."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                         capture_output=True, timeout=60).stdout
    root = etree.fromstring(out, etree.XMLParser(recover=True))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    pages = root.findall(".//h:page", ns)
    found = []
    for number, page in enumerate(pages, 1):
        for line in page.iterfind(".//h:line", ns):
            text = "".join(w.text or "" for w in line.iterfind("h:word", ns))
            box = [float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
            found.append(Line(number, text, *box))
    return len(pages), found


HIGH = bytes(1 if v > 200 else 0 for v in range(256))
LOW = bytes(1 if v < 80 else 0 for v in range(256))
RUNS = re.compile(rb"\x01+")


def rules(pdf: Path, page: int, colour: str, dpi: int = 150) -> list[tuple[float, float, float]]:
    """Horizontal rules of one colour ("red" or "black") on a page, as (y, x0, x1) in
    points: pixel rows whose longest run of that colour is over half the text width."""
    out = subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(dpi), str(pdf)],
                         check=True, capture_output=True, timeout=60).stdout
    parts = out.split(maxsplit=4)
    width, height, pixels = int(parts[1]), int(parts[2]), parts[4]
    scale = 72 / dpi
    found: list[tuple[float, float, float]] = []
    for y in range(height):
        row = pixels[y * width * 3:(y + 1) * width * 3]
        r, g, b = (int.from_bytes(row[i::3].translate(table), "big")
                   for i, table in enumerate((HIGH if colour == "red" else LOW, LOW, LOW)))
        mask = (r & g & b).to_bytes(width, "big")
        longest = max(RUNS.finditer(mask), key=lambda m: m.end() - m.start(), default=None)
        if longest and (longest.end() - longest.start()) * scale > (RIGHT - LEFT) / 2:
            found.append((y * scale, longest.start() * scale, longest.end() * scale))
    merged: list[tuple[float, float, float]] = []
    for rule in found:  # adjacent pixel rows are one rule
        if not merged or rule[0] - merged[-1][0] > 2:
            merged.append(rule)
    return merged


def red_rows(pdf: Path, page: int, dpi: int = 72) -> list[float]:
    """Vertical positions (points) of red horizontal rules on a page: rows where more than
    half the text width is red. Reads pdftoppm's plain PPM, so no imaging library."""
    out = subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(dpi), str(pdf)],
                         check=True, capture_output=True, timeout=60).stdout
    parts = out.split(maxsplit=4)
    assert parts[0] == b"P6"
    width, height, pixels = int(parts[1]), int(parts[2]), parts[4]
    scale = 72 / dpi
    rows = []
    for y in range(height):
        row = pixels[y * width * 3:(y + 1) * width * 3]
        red = sum(1 for x in range(0, len(row), 3)
                  if row[x] > 200 and row[x + 1] < 80 and row[x + 2] < 80)
        if red > (RIGHT - LEFT) / scale / 2:
            rows.append(y * scale)
    # Merge adjacent pixel rows into one rule each.
    merged: list[float] = []
    for y in rows:
        if not merged or y - merged[-1] > 2:
            merged.append(y)
    return merged
