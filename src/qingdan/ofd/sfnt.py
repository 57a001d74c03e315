"""OpenType font files written directly: the tables an OFD reader needs, nothing dated.

Two makers: `cff_font` builds an OpenType/CFF font from outlines (the glyphs of a PDF's
Type 1 subset), `with_unicode_cmap` gives a PDF's TrueType subset a Unicode cmap (its own
maps PDF codes). fontTools' FontBuilder would do the same at several times the cost;
tests read every font made here back with fontTools.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable

from .type1 import Outline

UPM = 1000
_FIXED_TIME = 0  # head's created/modified: no date in a byte-stable file


# --- numbers in CFF charstrings and DICTs ---

def _t2_number(value: float) -> bytes:
    if -107 <= value <= 107 and value == int(value):
        return _SMALL[int(value) + 107]
    value = round(value, 2)
    if value != int(value):
        fixed = int(round(value * 65536)) & 0xFFFFFFFF
        return b"\xff" + fixed.to_bytes(4, "big")
    v = int(value)
    if -107 <= v <= 107:
        return bytes([v + 139])
    if 108 <= v <= 1131:
        v -= 108
        return bytes([(v >> 8) + 247, v & 0xFF])
    if -1131 <= v <= -108:
        v = -v - 108
        return bytes([(v >> 8) + 251, v & 0xFF])
    return b"\x1c" + struct.pack(">h", max(-32768, min(32767, v)))


_SMALL = [bytes([v + 139]) for v in range(-107, 108)]


def _dict_int(v: int, wide: bool = False) -> bytes:
    if wide:
        return b"\x1d" + struct.pack(">i", v)
    if -107 <= v <= 107:
        return bytes([v + 139])
    return b"\x1d" + struct.pack(">i", v)


def charstring(outline: Outline) -> bytes:
    """A Type 2 charstring for an outline: width, then rmoveto/rlineto/rrcurveto."""
    number = _t2_number
    out = [number(outline.width)]
    x = y = 0.0
    for contour in outline.contours:
        for segment in contour:
            for i in range(1, len(segment), 2):
                out.append(number(segment[i] - x))
                out.append(number(segment[i + 1] - y))
                x, y = segment[i], segment[i + 1]
            out.append(_OPERATORS[segment[0]])
    out.append(b"\x0e")
    return b"".join(out)


_OPERATORS = {"M": b"\x15", "L": b"\x05", "C": b"\x08"}


def bounds(outline: Outline) -> tuple[int, int, int, int]:
    """The glyph's box from its points (control points included: a safe bound)."""
    xs = [v for c in outline.contours for s in c for v in s[1::2]]
    ys = [v for c in outline.contours for s in c for v in s[2::2]]
    if not xs:
        return (0, 0, 0, 0)
    return (math.floor(min(xs)), math.floor(min(ys)), math.ceil(max(xs)), math.ceil(max(ys)))


def _index(items: list[bytes]) -> bytes:
    if not items:
        return b"\x00\x00"
    offsets = [1]
    for item in items:
        offsets.append(offsets[-1] + len(item))
    size = 1 if offsets[-1] < 0x100 else 2 if offsets[-1] < 0x10000 else \
        3 if offsets[-1] < 0x1000000 else 4
    head = struct.pack(">HB", len(items), size)
    return head + b"".join(o.to_bytes(size, "big") for o in offsets) + b"".join(items)


def _cff(ps_name: str, names: list[str], programs: list[bytes],
         box: tuple[int, int, int, int]) -> bytes:
    """A name-keyed CFF font (one font, no subroutines)."""
    strings: list[bytes] = []
    sids = []
    for name in names[1:]:  # .notdef has SID 0
        strings.append(name.encode("latin-1"))
        sids.append(391 + len(strings) - 1)
    strings.append(ps_name.encode("latin-1"))
    full_sid = 391 + len(strings) - 1
    private = _dict_int(0) + b"\x14" + _dict_int(0) + b"\x15"  # defaultWidthX, nominalWidthX

    def top(charset: int, chars: int, priv: int) -> bytes:
        return (_dict_int(full_sid) + b"\x02" + _dict_int(full_sid) + b"\x03"
                + b"".join(_dict_int(v) for v in box) + b"\x05"
                + _dict_int(charset, True) + b"\x0f" + _dict_int(chars, True) + b"\x11"
                + _dict_int(len(private), True) + _dict_int(priv, True) + b"\x12")

    head = b"\x01\x00\x04\x04"
    name_index = _index([ps_name.encode("latin-1")])
    string_index = _index(strings)
    top_size = len(_index([top(0, 0, 0)]))
    charset_at = len(head) + len(name_index) + top_size + len(string_index) + 2
    charset = b"\x00" + b"".join(struct.pack(">H", s) for s in sids)
    chars_at = charset_at + len(charset)
    char_index = _index(programs)
    private_at = chars_at + len(char_index)
    top_index = _index([top(charset_at, chars_at, private_at)])
    return (head + name_index + top_index + string_index + b"\x00\x00" + charset
            + char_index + private)


# --- the sfnt tables ---

def _cmap(mapping: dict[int, int]) -> bytes:
    """Format 4 for the BMP (runs of consecutive codes and glyphs share a segment), and
    format 12 as well when any character lies beyond it."""
    bmp = sorted((c, g) for c, g in mapping.items() if c < 0xFFFF)
    segments: list[list[int]] = []  # start, end, delta
    for code, glyph in bmp:
        if segments and segments[-1][1] == code - 1 and (segments[-1][2] + code) & 0xFFFF == glyph:
            segments[-1][1] = code
        else:
            segments.append([code, code, (glyph - code) & 0xFFFF])
    segments.append([0xFFFF, 0xFFFF, 1])
    n = len(segments)
    search = 2 ** (n.bit_length() - 1)
    body = struct.pack(">HHHH", 2 * n, 2 * search, search.bit_length() - 1, 2 * n - 2 * search)
    body += b"".join(struct.pack(">H", s[1]) for s in segments) + b"\x00\x00"
    body += b"".join(struct.pack(">H", s[0]) for s in segments)
    body += b"".join(struct.pack(">H", s[2]) for s in segments)
    body += b"\x00\x00" * n
    format4 = struct.pack(">HHH", 4, 6 + len(body), 0) + body
    subtables = [((3, 1), format4)]
    if any(c > 0xFFFF for c in mapping):
        groups = sorted(mapping.items())
        format12 = struct.pack(">HHIII", 12, 0, 16 + 12 * len(groups), 0, len(groups)) + \
            b"".join(struct.pack(">III", c, c, g) for c, g in groups)
        subtables.append(((3, 10), format12))
    offset = 4 + 8 * len(subtables)
    header, data = struct.pack(">HH", 0, len(subtables)), b""
    for (platform, encoding), table in subtables:
        header += struct.pack(">HHI", platform, encoding, offset + len(data))
        data += table
    return header + data


def _name(family: str, ps_name: str) -> bytes:
    records = [(1, family), (2, "Regular"), (4, family), (6, ps_name)]
    data, entries = b"", []
    for name_id, text in records:
        encoded = text.encode("utf-16-be")
        entries.append(struct.pack(">HHHHHH", 3, 1, 0x409, name_id, len(encoded), len(data)))
        data += encoded
    return struct.pack(">HHH", 0, len(records), 6 + 12 * len(records)) + b"".join(entries) + data


def _os2(widths: Iterable[int], first: int, last: int, ascent: int, descent: int,
         cjk: bool) -> bytes:
    widths = [w for w in widths if w] or [UPM]
    ranges = (1 << 0, 0, (1 << (59 - 32)) if cjk else 0, 0)  # Basic Latin; CJK ideographs
    return struct.pack(
        ">HhHHHhhhhhhhhhhh10sIIII4sHHHhhhHHIIhhHHH",
        4, sum(widths) // len(widths), 400, 5, 0,
        650, 600, 0, 75, 650, 600, 0, 350, 50, 250, 0,
        b"\x00" * 10, *ranges, b"QDAN", 0x40, min(first, 0xFFFF), min(last, 0xFFFF),
        ascent, descent, 0, ascent, -descent, (1 << 18) if cjk else 1, 0,
        500, 700, 0, 32, 1)


def _post() -> bytes:
    return struct.pack(">IIhhIIIII", 0x00030000, 0, -100, 50, 0, 0, 0, 0, 0)


def _checksum(data: bytes) -> int:
    padded = data + b"\x00" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def assemble(version: bytes, tables: dict[str, bytes]) -> bytes:
    """The font file: table directory (tags sorted), tables padded to 4 bytes, and head's
    checkSumAdjustment."""
    tags = sorted(tables)
    n = len(tags)
    search = 2 ** (n.bit_length() - 1)
    header = version + struct.pack(">HHHH", n, search * 16, search.bit_length() - 1,
                                   n * 16 - search * 16)
    if "head" in tables:
        tables = {**tables, "head": tables["head"][:8] + b"\0\0\0\0" + tables["head"][12:]}
    offset = len(header) + 16 * n
    directory, body = b"", b""
    for tag in tags:
        data = tables[tag]
        directory += struct.pack(">4sIII", tag.encode("latin-1"), _checksum(data),
                                 offset + len(body), len(data))
        body += data + b"\x00" * (-len(data) % 4)
    font = bytearray(header + directory + body)
    if "head" in tables:
        at = _table_offset(directory, "head")
        adjust = (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF
        font[at + 8:at + 12] = struct.pack(">I", adjust)
    return bytes(font)


def _table_offset(directory: bytes, tag: str) -> int:
    for i in range(0, len(directory), 16):
        if directory[i:i + 4] == tag.encode("latin-1"):
            return int(struct.unpack(">I", directory[i + 8:i + 12])[0])
    raise KeyError(tag)


def _head(box: tuple[int, int, int, int], loca_format: int = 0, upm: int = UPM) -> bytes:
    return struct.pack(">IIIIHHqqhhhhHHhhh", 0x00010000, 0x00010000, 0, 0x5F0F3CF5, 3, upm,
                       _FIXED_TIME, _FIXED_TIME, *box, 0, 8, 2, loca_format, 0)


def _hhea(ascent: int, descent: int, widths: list[int], lsbs: list[int],
          boxes: list[tuple[int, int, int, int]]) -> bytes:
    rsbs = [w - b[2] for w, b in zip(widths, boxes, strict=True)]
    return struct.pack(">IhhhHhhhhhh8xhH", 0x00010000, ascent, descent, 0, max(widths),
                       min(lsbs), min(rsbs), max(b[2] for b in boxes), 1, 0, 0, 0,
                       len(widths))


def cff_font(family: str, ps_name: str, glyphs: list[tuple[str, Outline, bytes]],
             unicodes: dict[int, int], boxes: list[tuple[int, int, int, int]],
             metrics: tuple[int, int]) -> bytes:
    """An OpenType/CFF font: glyphs are (name, outline, charstring), .notdef first;
    unicodes maps a character to its glyph's index; boxes are the glyphs' bounds;
    metrics are the ascent and descent (the PDF's FontDescriptor's, which readers of the
    PDF used for line boxes)."""
    box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
           max(b[3] for b in boxes))
    widths = [int(round(o.width)) for _, o, _ in glyphs]
    lsbs = [b[0] for b in boxes]
    ascent, descent = metrics
    chars = sorted(unicodes) or [32]
    cjk = any(0x3000 <= c <= 0x9FFF for c in chars)
    tables = {
        "CFF ": _cff(ps_name, [n for n, _, _ in glyphs], [c for _, _, c in glyphs], box),
        "OS/2": _os2(widths, chars[0], chars[-1], ascent, descent, cjk),
        "cmap": _cmap(unicodes),
        "head": _head(box),
        "hhea": _hhea(ascent, descent, widths, lsbs, boxes),
        "hmtx": b"".join(struct.pack(">Hh", w, lsb) for w, lsb in zip(widths, lsbs, strict=True)),
        "maxp": struct.pack(">IH", 0x00005000, len(glyphs)),
        "name": _name(family, ps_name),
        "post": _post(),
    }
    return assemble(b"OTTO", tables)


def read_tables(data: bytes) -> dict[str, bytes]:
    """An sfnt font's tables by tag."""
    count = struct.unpack(">H", data[4:6])[0]
    tables = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        tables[tag.decode("latin-1")] = data[offset:offset + length]
    return tables


def with_unicode_cmap(data: bytes, family: str, ps_name: str, unicodes: dict[int, int],
                      metrics: tuple[float, float]) -> bytes:
    """A TrueType font with its cmap replaced by unicodes (character -> glyph index), its
    ascent and descent (fractions of the em) those given, and the name, OS/2 and post
    tables a subset may lack added."""
    tables = read_tables(data)
    for needed in ("glyf", "loca", "head", "hhea", "hmtx", "maxp"):
        if needed not in tables:
            raise ValueError(f"TrueType font without {needed}")
    head = tables["head"]
    upm = struct.unpack(">H", head[18:20])[0]
    ascent, descent = round(metrics[0] * upm), round(metrics[1] * upm)
    head = head[:20] + struct.pack(">qq", _FIXED_TIME, _FIXED_TIME) + head[36:]
    copied = ("cvt ", "fpgm", "prep", "glyf", "loca", "hhea", "hmtx", "maxp", "gasp")
    kept: dict[str, bytes] = {tag: tables[tag] for tag in copied if tag in tables}
    kept["hhea"] = kept["hhea"][:4] + struct.pack(">hh", ascent, descent) + kept["hhea"][8:]
    kept["head"] = head
    kept["cmap"] = _cmap(unicodes)
    kept["name"] = _name(family, ps_name)
    kept["post"] = _post()
    chars = sorted(unicodes) or [32]
    count = struct.unpack(">H", tables["hhea"][34:36])[0]
    widths = [struct.unpack(">H", tables["hmtx"][4 * i:4 * i + 2])[0] for i in range(count)]
    kept["OS/2"] = tables.get("OS/2") or _os2(
        [w * UPM // max(upm, 1) for w in widths], chars[0], chars[-1], ascent, descent,
        any(0x3000 <= c <= 0x9FFF for c in chars))
    return assemble(b"\x00\x01\x00\x00", kept)
