"""A PDF font resource as an OFD font file, mapped by Unicode.

OFD text is Unicode (TextCode) drawn through the font's cmap, so each PDF font becomes a
font whose cmap sends every character the PDF's ToUnicode gives a glyph to exactly that
glyph: the glyphs are the PDF's own (the same shapes LibreOffice printed, locale forms
included), not a system font looked up again. A Type 1 subset becomes OpenType/CFF; a
TrueType subset keeps its outlines and gets a Unicode cmap.

Glyph outlines are kept in a small cache by font and glyph name: the documents of one
build share most of their characters, so most of a document's glyphs are converted once.
"""

from __future__ import annotations

import re
import struct
from collections import OrderedDict
from dataclasses import dataclass

from . import sfnt, type1
from .pdfread import Font, Unsupported

_Glyph = tuple[type1.Outline, bytes, tuple[int, int, int, int]]  # outline, charstring, box
_CACHE: OrderedDict[tuple[str, str, str], _Glyph] = OrderedDict()
_CACHE_SIZE = 20000


@dataclass(frozen=True)
class FontFile:
    name: str  # the font's name (FontName in OFD)
    extension: str  # "otf" or "ttf"
    data: bytes
    text: dict[int, str]  # PDF code -> the text drawn with it ("" for none)


def ps_name(base: str, key: str) -> str:
    """A PostScript name: the base name's ASCII letters, or one made from the key."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]", "", base)[:60]
    return cleaned or f"Font{key}"


def _text(font: Font) -> dict[int, str]:
    """The text each used code draws: its ToUnicode text without control characters."""
    found = {}
    for code in sorted(font.used):
        text = font.unicode.get(code, "")
        found[code] = "".join(c for c in text if c >= " " or c == "\t").replace("\t", " ")
    return found


def _mapping(text: dict[int, str], glyph_of: dict[int, int]) -> dict[int, int]:
    """Character -> glyph index: each single-character code, the first code winning."""
    mapping: dict[int, int] = {}
    for code, chars in text.items():
        if len(chars) == 1 and code in glyph_of and ord(chars) not in mapping:
            mapping[ord(chars)] = glyph_of[code]
    return mapping


def convert(font: Font) -> FontFile:
    """The OFD font file for one PDF font; raises Unsupported."""
    text = _text(font)
    name = ps_name(font.base, font.key)
    try:
        if font.kind == "TrueType":
            return FontFile(font.base, "ttf", _truetype(font, text, name), text)
        return FontFile(font.base, "otf", _type1(font, text, name), text)
    except (type1.Type1Error, ValueError, IndexError, KeyError, struct.error) as error:
        if isinstance(error, Unsupported):
            raise
        raise Unsupported(f"字体“{font.base}”无法转换：{error}") from error


def _type1(font: Font, text: dict[int, str], name: str) -> bytes:
    length1, length2 = font.lengths
    clear = font.program[:length1]
    encoding = {int(c): n.decode("latin-1") for c, n in type1._ENCODING.findall(clear)}
    encoding.update(font.glyph_names)
    identity = f"{font.base}|{_clear_identity(clear)}"
    wanted = sorted({encoding[c] for c in text if c in encoding} - {".notdef"})
    missing = {g for g in wanted if (identity, g, "") not in _CACHE}
    if missing:
        parsed = type1.read(font.program, length1, length2, missing)
        scale = parsed.matrix[0] * 1000 if parsed.matrix else 1.0
        if parsed.matrix and (abs(parsed.matrix[1]) > 1e-9 or abs(parsed.matrix[2]) > 1e-9):
            raise Unsupported(f"字体“{font.base}”的 FontMatrix 不受支持")
        for glyph in sorted(missing):
            outline = parsed.glyphs.get(glyph)
            if outline is None:
                raise Unsupported(f"字体“{font.base}”缺少字形 {glyph}")
            if scale != 1.0:
                outline = _scaled(outline, scale)
            _remember((identity, glyph, ""),
                      (outline, sfnt.charstring(outline), sfnt.bounds(outline)))
    notdef = type1.Outline(500)
    glyphs: list[tuple[str, type1.Outline, bytes]] = [(".notdef", notdef, sfnt.charstring(notdef))]
    boxes = [(0, 0, 0, 0)]
    index: dict[str, int] = {}
    for glyph in wanted:
        outline, program, box = _CACHE[(identity, glyph, "")]
        _CACHE.move_to_end((identity, glyph, ""))
        index[glyph] = len(glyphs)
        glyphs.append((glyph, outline, program))
        boxes.append(box)
    glyph_of = {code: index[encoding[code]] for code in text
                if code in encoding and encoding[code] in index}
    return sfnt.cff_font(font.base, name, glyphs, _mapping(text, glyph_of), boxes,
                         (round(font.ascent), round(font.descent)))


def _clear_identity(clear: bytes) -> str:
    """What tells two embedded programs of the same name apart: matrix and box."""
    parts = [re.search(rb"/FontMatrix\s*[\[{][^\]}]*[\]}]", clear),
             re.search(rb"/FontBBox\s*[\[{][^\]}]*[\]}]", clear)]
    return "|".join(p.group().decode("latin-1") if p else "" for p in parts)


def _scaled(outline: type1.Outline, scale: float) -> type1.Outline:
    return type1.Outline(outline.width * scale, [
        [(s[0], *(v * scale for v in s[1:])) for s in contour] for contour in outline.contours])


def _remember(key: tuple[str, str, str], value: _Glyph) -> None:
    _CACHE[key] = value
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)


def _truetype(font: Font, text: dict[int, str], name: str) -> bytes:
    tables = sfnt.read_tables(font.program)
    glyph_of = _truetype_glyphs(tables.get("cmap", b""), text)
    return sfnt.with_unicode_cmap(font.program, font.base, name, _mapping(text, glyph_of),
                                  (font.ascent / 1000, font.descent / 1000))


def _truetype_glyphs(cmap: bytes, text: dict[int, str]) -> dict[int, int]:
    """PDF code -> glyph index through a subset's own cmap: (3,0) at 0xF000 + code, or
    (1,0), or (3,1) by the character (PDF 9.6.6.4)."""
    subtables: dict[tuple[int, int], dict[int, int]] = {}
    if len(cmap) >= 4:
        count = struct.unpack(">H", cmap[2:4])[0]
        for i in range(count):
            platform, encoding, offset = struct.unpack(">HHI", cmap[4 + 8 * i:12 + 8 * i])
            subtables[(platform, encoding)] = _read_subtable(cmap[offset:])
    found = {}
    for code, chars in text.items():
        for key, lookup in (((3, 0), 0xF000 + code), ((3, 0), code), ((1, 0), code),
                            ((3, 1), ord(chars[0]) if chars else -1)):
            glyph = subtables.get(key, {}).get(lookup)
            if glyph:
                found[code] = glyph
                break
    return found


def _read_subtable(data: bytes) -> dict[int, int]:
    fmt = struct.unpack(">H", data[:2])[0]
    if fmt == 0:
        return {i: data[6 + i] for i in range(256) if data[6 + i]}
    if fmt == 6:
        first, count = struct.unpack(">HH", data[6:10])
        return {first + i: struct.unpack(">H", data[10 + 2 * i:12 + 2 * i])[0]
                for i in range(count)}
    if fmt == 4:
        segments = struct.unpack(">H", data[6:8])[0] // 2
        ends = struct.unpack(f">{segments}H", data[14:14 + 2 * segments])
        base = 16 + 2 * segments
        starts = struct.unpack(f">{segments}H", data[base:base + 2 * segments])
        deltas = struct.unpack(f">{segments}h", data[base + 2 * segments:base + 4 * segments])
        range_at = base + 4 * segments
        ranges = struct.unpack(f">{segments}H", data[range_at:range_at + 2 * segments])
        found = {}
        for i in range(segments):
            for code in range(starts[i], min(ends[i], 0xFFFE) + 1):
                if ranges[i] == 0:
                    glyph = (code + deltas[i]) & 0xFFFF
                else:
                    at = range_at + 2 * i + ranges[i] + 2 * (code - starts[i])
                    glyph = struct.unpack(">H", data[at:at + 2])[0]
                    glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
                if glyph:
                    found[code] = glyph
        return found
    return {}
