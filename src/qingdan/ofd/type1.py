"""A PDF's embedded Type 1 font program read fast: its encoding, and each glyph's outline.

LibreOffice 7.4 embeds every CFF/OpenType font as simple Type 1 fonts of up to 256 glyphs
(a cleartext part, then an eexec-encrypted part holding the charstrings). fontTools reads
Type 1 through a PostScript interpreter written in Python (about 0.5 s for one such font),
too slow for a step that must cost a fifth of the PDF's conversion, so the few structures
needed are read here directly: decryption runs as a prefix scan in numpy, the charstrings
are interpreted to absolute outlines (flex and hint replacement understood, hints dropped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

_EEXEC, _CHARSTRING, _C1, _C2 = 55665, 4330, 52845, 22719
_ENCODING = re.compile(rb"dup\s+(\d+)\s*/([^\s/\[\]{}()<>]+)\s+put")
_NUMBERS = re.compile(rb"[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?")


class Type1Error(ValueError):
    """The font program is not a Type 1 font this reader understands."""


@dataclass
class Outline:
    """One glyph: its advance width and its contours in font units (1000 to the em).

    Each contour is a list of segments: ("M", x, y), ("L", x, y), ("C", x1, y1, x2, y2, x, y).
    """

    width: float
    contours: list[list[tuple[Any, ...]]] = field(default_factory=list)


@dataclass
class Type1Font:
    name: str
    encoding: dict[int, str]  # code -> glyph name
    glyphs: dict[str, Outline]
    matrix: tuple[float, ...]
    bbox: tuple[float, ...]


def decrypt(data: bytes, key: int, starts: list[int] | None = None) -> bytes:
    """Type 1 decryption (eexec or charstring), the key restarting at each offset in starts.

    The key sequence depends only on the cipher bytes: r' = C1*r + (C1*c + C2) mod 2^16, an
    affine map per byte, so every r is a prefix composition of those maps (a scan of
    log2(n) vectorised steps)."""
    if not data:
        return b""
    cipher = np.frombuffer(data, dtype=np.uint8).astype(np.uint32)
    mul = np.full(len(cipher), _C1, dtype=np.uint32)
    add = (cipher * _C1 + _C2) & 0xFFFF
    for start in starts or []:
        if 0 < start < len(cipher):  # the map into start gives the key whatever came before
            mul[start - 1], add[start - 1] = 0, key
    shift = 1
    scratch = np.empty(len(cipher), dtype=np.uint32)
    while shift < len(cipher):  # Hillis-Steele: f[i] = f[i] o f[i - shift]
        # products of two 16-bit values plus one fit in 32 bits
        np.multiply(mul[shift:], add[:-shift], out=scratch[shift:])
        scratch[shift:] += add[shift:]
        add[shift:] = scratch[shift:] & 0xFFFF
        np.multiply(mul[shift:], mul[:-shift], out=scratch[shift:])
        mul[shift:] = scratch[shift:] & 0xFFFF
        shift *= 2
    keys = np.empty(len(cipher), dtype=np.uint32)
    keys[0] = key
    keys[1:] = (mul[:-1] * key + add[:-1]) & 0xFFFF
    return ((cipher ^ (keys >> 8)) & 0xFF).astype(np.uint8).tobytes()


def _binary_sections(private: bytes, marker: bytes) -> list[tuple[bytes, int, int]]:
    """Every `name-or-index length RD <bytes>` entry after marker: (key, start, length)."""
    found: list[tuple[bytes, int, int]] = []
    position = private.find(marker)
    if position < 0:
        return found
    entry = re.compile(rb"(/[^\s/]+|dup\s+\d+)\s+(\d+)\s+(?:RD|-\|)\s")
    pos = position + len(marker)
    while True:
        match = entry.search(private, pos)
        if match is None:
            break
        start = match.end()
        length = int(match.group(2))
        key = match.group(1)
        found.append((key, start, length))
        pos = start + length
    return found


def read(program: bytes, length1: int, length2: int,
         wanted: set[str] | None = None) -> Type1Font:
    """The Type 1 font in a PDF's FontFile stream (cleartext, then binary eexec part):
    the glyphs named in wanted, or all."""
    clear = program[:length1]
    if not clear.startswith(b"%!"):
        raise Type1Error("not a Type 1 font")
    name_match = re.search(rb"/FontName\s*/(\S+)", clear)
    matrix = _array(clear, b"/FontMatrix") or (0.001, 0, 0, 0.001, 0, 0)
    bbox = _array(clear, b"/FontBBox") or (0, -200, 1000, 900)
    encoding = {int(code): name.decode("latin-1") for code, name in _ENCODING.findall(clear)}
    secret = program[length1:length1 + length2] if length2 else program[length1:]
    if secret[:4] and all(chr(b) in "0123456789abcdefABCDEF \r\n\t" for b in secret[:4]):
        secret = bytes.fromhex(re.sub(rb"\s", b"", secret).decode("ascii"))
    private = decrypt(secret, _EEXEC)[4:]
    len_iv_match = re.search(rb"/lenIV\s+(-?\d+)", private)
    len_iv = int(len_iv_match.group(1)) if len_iv_match else 4
    if len_iv < 0:
        raise Type1Error("unencrypted charstrings are not supported")
    subr_entries = _subrs(private)
    char_entries = [(k, s, n) for k, s, n in _binary_sections(private, b"/CharStrings")
                    if k.startswith(b"/")]
    if not char_entries:
        raise Type1Error("no CharStrings")
    if wanted is not None:
        char_entries = [e for e in char_entries if e[0][1:].decode("latin-1") in wanted]
    entries = subr_entries + char_entries
    joined = b"".join(private[s:s + n] for _, s, n in entries)
    starts, offset = [], 0
    for _, _, n in entries:
        starts.append(offset)
        offset += n
    plain = decrypt(joined, _CHARSTRING, starts)
    pieces = [plain[starts[i] + len_iv:starts[i] + entries[i][2]] for i in range(len(entries))]
    subrs = pieces[:len(subr_entries)]
    glyphs = {}
    for (key, _, _), code in zip(char_entries, pieces[len(subr_entries):], strict=True):
        glyphs[key[1:].decode("latin-1")] = _Interpreter(subrs).run(code)
    return Type1Font(name_match.group(1).decode("latin-1") if name_match else "Type1",
                     encoding, glyphs, matrix, bbox)


def _subrs(private: bytes) -> list[tuple[bytes, int, int]]:
    position = private.find(b"/Subrs")
    if position < 0:
        return []
    end = private.find(b"/CharStrings", position)
    section = private[:end] if end > 0 else private
    entry = re.compile(rb"dup\s+(\d+)\s+(\d+)\s+(?:RD|-\|)\s")
    found: dict[int, tuple[bytes, int, int]] = {}
    pos = position
    while True:
        match = entry.search(section, pos)
        if match is None:
            break
        index, length, start = int(match.group(1)), int(match.group(2)), match.end()
        found[index] = (match.group(1), start, length)
        pos = start + length
    return [found[i] for i in sorted(found)] if found and max(found) == len(found) - 1 else \
        [found.get(i, (b"", 0, 0)) for i in range(max(found) + 1 if found else 0)]


def _array(clear: bytes, key: bytes) -> tuple[float, ...] | None:
    match = re.search(re.escape(key) + rb"\s*[\[{]([^\]}]*)[\]}]", clear)
    if match is None:
        return None
    return tuple(float(n) for n in _NUMBERS.findall(match.group(1)))


class _Interpreter:
    """A Type 1 charstring run to absolute outlines."""

    def __init__(self, subrs: list[bytes]):
        self.subrs = subrs

    def run(self, code: bytes) -> Outline:
        self.outline = Outline(0)
        self.stack: list[float] = []
        self.ps: list[float] = []  # the PostScript stack othersubrs leave for `pop`
        self.x = self.y = 0.0
        self.flex: list[tuple[float, float]] | None = None
        self.contour: list[tuple[Any, ...]] = []
        self.done = False
        self._exec(code, 0)
        self._close()
        return self.outline

    def _close(self) -> None:
        if len(self.contour) > 1:
            self.outline.contours.append(self.contour)
        self.contour = []

    def _move(self, dx: float, dy: float) -> None:
        self.x += dx
        self.y += dy
        if self.flex is not None:
            self.flex.append((self.x, self.y))
            return
        self._close()
        self.contour = [("M", self.x, self.y)]

    def _line(self, dx: float, dy: float) -> None:
        self.x += dx
        self.y += dy
        self.contour.append(("L", self.x, self.y))

    def _curve(self, *d: float) -> None:
        x1, y1 = self.x + d[0], self.y + d[1]
        x2, y2 = x1 + d[2], y1 + d[3]
        self.x, self.y = x2 + d[4], y2 + d[5]
        self.contour.append(("C", x1, y1, x2, y2, self.x, self.y))

    def _exec(self, code: bytes, depth: int) -> bool:
        """Run code; True when `return` ended it."""
        if depth > 10:
            raise Type1Error("subroutines nested too deeply")
        i, n, stack = 0, len(code), self.stack
        while i < n and not self.done:
            b = code[i]
            if b >= 32:
                if b <= 246:
                    stack.append(b - 139)
                    i += 1
                elif b <= 250:
                    stack.append((b - 247) * 256 + code[i + 1] + 108)
                    i += 2
                elif b <= 254:
                    stack.append(-(b - 251) * 256 - code[i + 1] - 108)
                    i += 2
                else:
                    stack.append(int.from_bytes(code[i + 1:i + 5], "big", signed=True))
                    i += 5
                continue
            i += 1
            if b == 12:
                b = 32 + code[i]
                i += 1
            if self._operator(b, depth):
                return True
        return False

    def _operator(self, op: int, depth: int) -> bool:
        stack = self.stack
        if op == 13:  # hsbw
            self.x, self.outline.width = stack[0], stack[1]
            self.y = 0.0
        elif op == 32 + 7:  # sbw
            self.x, self.y, self.outline.width = stack[0], stack[1], stack[2]
        elif op == 21:
            self._move(stack[0], stack[1])
        elif op == 22:
            self._move(stack[0], 0)
        elif op == 4:
            self._move(0, stack[0])
        elif op == 5:
            self._line(stack[0], stack[1])
        elif op == 6:
            self._line(stack[0], 0)
        elif op == 7:
            self._line(0, stack[0])
        elif op == 8:
            self._curve(*stack[:6])
        elif op == 30:  # vhcurveto
            self._curve(0, stack[0], stack[1], stack[2], stack[3], 0)
        elif op == 31:  # hvcurveto
            self._curve(stack[0], 0, stack[1], stack[2], 0, stack[3])
        elif op == 9:  # closepath: the contour closes itself
            pass
        elif op == 14:  # endchar
            self.done = True
        elif op == 10:  # callsubr
            index = int(stack.pop())
            if not 0 <= index < len(self.subrs):
                raise Type1Error(f"no subroutine {index}")
            self._exec(self.subrs[index], depth + 1)
            return False  # the subroutine's operands stay on the stack as it left them
        elif op == 11:  # return
            return True
        elif op == 32 + 16:  # callothersubr
            self._othersubr(stack)
            return False
        elif op == 32 + 17:  # pop
            stack.append(self.ps.pop() if self.ps else 0)
            return False
        elif op == 32 + 12:  # div
            b, a = stack.pop(), stack.pop()
            stack.append(a / b if b else 0)
            return False
        elif op == 32 + 33:  # setcurrentpoint
            self.x, self.y = stack[0], stack[1]
        elif op == 32 + 6:  # seac: accented glyphs do not occur in CJK subsets
            raise Type1Error("seac is not supported")
        # hstem, vstem, hstem3, vstem3, dotsection: hints, dropped
        stack.clear()
        return False

    def _othersubr(self, stack: list[float]) -> None:
        number = int(stack.pop())
        count = int(stack.pop())
        args = [stack.pop() for _ in range(count)][::-1] if count else []
        if number == 1:  # start flex
            self.flex = []
        elif number == 2:  # a flex point: rmoveto already recorded it
            pass
        elif number == 0 and self.flex is not None:
            points = self.flex
            self.flex = None
            if len(points) >= 7:
                (x1, y1), (x2, y2), (x3, y3) = points[1], points[2], points[3]
                self.contour.append(("C", x1, y1, x2, y2, x3, y3))
                (x1, y1), (x2, y2), (x3, y3) = points[4], points[5], points[6]
                self.contour.append(("C", x1, y1, x2, y2, x3, y3))
                self.x, self.y = x3, y3
            self.ps.extend([args[2], args[1]] if len(args) >= 3 else [self.y, self.x])
            return
        elif number == 3:  # hint replacement: `pop` gives the hint subroutine's number
            self.ps.extend(args[:1] or [3])
            return
        self.ps.extend(reversed(args))
