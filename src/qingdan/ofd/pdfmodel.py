"""What pdfread.py reads a PDF into: pages of drawing items (glyph runs, paths, images in
page space), and the fonts, images and outline they use; with the PDF font parts needed
(widths, ToUnicode, the embedded program) and the matrix arithmetic."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from fontTools import agl

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
Color = tuple[int, int, int]


class Unsupported(ValueError):
    """The PDF holds something the OFD converter cannot carry over."""


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF's row-vector convention: m x n)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
            e * p + f * r + t, e * q + f * s + u)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


@dataclass
class Font:
    """One font resource of the PDF (a simple font: one byte a glyph)."""

    key: str
    base: str  # BaseFont without the subset tag
    kind: str  # "Type1" or "TrueType"
    program: bytes
    lengths: tuple[int, int]  # a Type 1 program's Length1 and Length2
    widths: dict[int, float]  # code -> advance in thousandths of the em
    unicode: dict[int, str]  # code -> the text it stands for
    glyph_names: dict[int, str]  # code -> glyph name (Type 1: its Encoding)
    ascent: float = 880.0  # FontDescriptor's, in thousandths of the em
    descent: float = -120.0
    bold: bool = False
    italic: bool = False
    serif: bool = False
    used: set[int] = field(default_factory=set)


@dataclass
class Glyphs:
    """A run of glyphs of one font, size and colour (one Tj/TJ): origins in page space."""

    font: str
    size: float  # points, as drawn
    hscale: float
    color: Color
    codes: list[int]
    origins: list[tuple[float, float]]


@dataclass
class Path:
    segments: list[tuple[Any, ...]]  # ("M"|"L", x, y), ("C", x1, y1, x2, y2, x, y), ("Z",)
    stroke: bool
    fill: bool
    even_odd: bool
    width: float
    stroke_color: Color
    fill_color: Color
    cap: int
    join: int
    dash: tuple[list[float], float]


@dataclass
class Image:
    key: str
    matrix: Matrix  # the unit square to page space


@dataclass
class Page:
    box: tuple[float, float, float, float]  # MediaBox
    items: list[Glyphs | Path | Image] = field(default_factory=list)


@dataclass
class OutlineItem:
    title: str
    page: int | None
    top: float | None  # page-space y, or None
    left: float | None
    children: list[OutlineItem] = field(default_factory=list)


@dataclass
class Document:
    pages: list[Page]
    fonts: dict[str, Font]
    images: dict[str, Any]  # pikepdf image objects, then (format, bytes) once read
    outline: list[OutlineItem]
    title: str


def _key(obj: pikepdf.Object, prefix: str) -> str:
    number, generation = obj.objgen
    return f"{prefix}{number}_{generation}" if number else f"{prefix}d{id(obj)}"


_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])")
_CHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _utf16(hex_text: bytes) -> str:
    return bytes.fromhex(hex_text.decode("ascii")).decode("utf-16-be", "replace")


def to_unicode(cmap: bytes) -> dict[int, str]:
    """A ToUnicode CMap's bfchar and bfrange entries."""
    found: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in _CHAR.findall(block):
            found[int(code, 16)] = _utf16(text)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, target in _RANGE.findall(block):
            lo, hi = int(low, 16), int(high, 16)
            if target.startswith(b"["):
                for i, text in enumerate(_HEX.findall(target)):
                    found[lo + i] = _utf16(text)
                continue
            first = _utf16(target[1:-1])
            for i in range(min(hi - lo + 1, 65536)):
                found[lo + i] = first[:-1] + chr(ord(first[-1]) + i) if first else ""
    return found


def _font(obj: pikepdf.Object) -> Font:
    subtype = str(obj.get("/Subtype", ""))
    base = str(obj.get("/BaseFont", "/Font"))[1:]
    base = base.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", base) else base
    if subtype not in ("/Type1", "/TrueType", "/MMType1"):
        raise Unsupported(f"字体“{base}”的类型 {subtype[1:]} 不受支持")
    descriptor = obj.get("/FontDescriptor")
    if descriptor is None:
        raise Unsupported(f"字体“{base}”没有嵌入 PDF")
    stream = descriptor.get("/FontFile") if subtype != "/TrueType" else descriptor.get("/FontFile2")
    if stream is None:
        raise Unsupported(f"字体“{base}”没有以 OFD 能用的形式嵌入 PDF")
    first = int(obj.get("/FirstChar", 0))
    widths = {first + i: float(w) for i, w in enumerate(obj.get("/Widths", []))}
    unicode = to_unicode(obj.ToUnicode.read_bytes()) if "/ToUnicode" in obj else {}
    names: dict[int, str] = {}
    encoding = obj.get("/Encoding")
    if isinstance(encoding, pikepdf.Dictionary) and "/Differences" in encoding:
        code = 0
        for entry in encoding.Differences:
            if isinstance(entry, pikepdf.Name):
                names[code] = str(entry)[1:]
                code += 1
            else:
                code = int(entry)
    for code, name in names.items():
        if code not in unicode:
            text = agl.toUnicode(name)
            if text:
                unicode[code] = text
    flags = int(descriptor.get("/Flags", 0))
    lengths = (int(stream.get("/Length1", 0)), int(stream.get("/Length2", 0)))
    return Font(_key(obj, "f"), base, "TrueType" if subtype == "/TrueType" else "Type1",
                stream.read_bytes(), lengths, widths, unicode, names,
                *_metrics(descriptor),
                bold="Bold" in base or float(descriptor.get("/FontWeight", 400)) >= 600,
                italic=bool(flags & 64), serif=bool(flags & 2))


def _metrics(descriptor: pikepdf.Object) -> tuple[float, float]:
    """Ascent and descent; LibreOffice writes 0 for both, where readers of the PDF
    (poppler) take 0.95 and -0.35 of the em, as the lines proof measures do."""
    ascent = float(descriptor.get("/Ascent", 0))
    descent = float(descriptor.get("/Descent", 0))
    return (ascent, descent) if ascent or descent else (950.0, -350.0)


def _color(operands: list[Any]) -> Color:
    values = [float(v) for v in operands if not isinstance(v, pikepdf.Name)]
    if len(values) == 1:
        values = values * 3
    elif len(values) == 4:
        c, m, y, k = values
        values = [(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)]
    elif len(values) != 3:
        values = [0.0, 0.0, 0.0]
    return (round(values[0] * 255), round(values[1] * 255), round(values[2] * 255))


