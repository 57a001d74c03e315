"""Line breaks and page breaks on the GB/T 9704 page, computed rather than observed.

Every body line is 3号 text at an exact pitch (28.95 pt, 22 lines in the 225 mm text block)
and every full-width character takes one cell of a 28-cell line, so where lines and pages
break can be predicted without a word processor. The rules follow what the renderers do:

- a character that may not begin a line (，。、）》” …) is carried down with the character
  before it when it does not fit (LibreOffice with qingdan's settings, WPS and Word when
  hanging is off); Word and WPS, reading w:overflowPunct as the standard says, may instead
  let a 、。，． hang in the margin;
- an opening mark (（《“ …) is never left at a line's end;
- a run of Latin letters and digits is not broken unless it is longer than a line.

The width of half-width characters depends on the font: 0.5 cell in 仿宋_GB2312, about
0.63 in the fallback fonts LibreOffice uses where that face is missing, and LibreOffice
also puts a gap between Chinese characters and a run of digits or Latin letters (it
ignores w:autoSpaceDE/DN). Predictions are therefore made under several `Metrics`, and a
layout decision must hold under all of them.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

BLOCK_HEIGHT_PT = 225 * 72 / 25.4  # the text block: 637.8 pt
PITCH_TWIPS = 579  # 28.95 pt: 22 lines in the block
LINE_CELLS = 28
EPSILON = 0.01

NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…—·％．,.;:?!)]}%")
NO_LINE_END = set("（《「『【〔〈“‘([{")
HANGABLE = set("，。、．,.")
WORD = re.compile(r"[A-Za-z0-9]+(?:[.\-/][A-Za-z0-9]+)*|.", re.S)
# Text made only of these is one cell a character under every Metrics (each is wide; a test
# checks them all): most of a Chinese document's paragraphs.
ALL_WIDE = re.compile("[\u3000-\u303e\u4e00-\u9fff\uff01-\uff60\uffe0-\uffe6"
                      "\u2018\u2019\u201c\u201d\u2026\u2014]*")


@dataclass(frozen=True)
class Metrics:
    """How one renderer measures and breaks a line."""

    name: str
    half: float  # cells taken by a half-width character
    hanging: bool  # whether a 、。，． that does not fit hangs in the margin
    # Space put between a run of Latin letters or digits and a Chinese character beside
    # it, and the width of a space (None: half). LibreOffice ignores w:autoSpaceDE/DN:
    # measured in 7.4, 丙4丁 is 1.07 cells wider than 丙丁 (a digit 0.63, a gap 0.22 on
    # each side; none beside punctuation or a full-width space), and a space is 0.31.
    gap: float = 0.0
    space: float | None = None


METRICS = (
    Metrics("仿宋_GB2312，标点不悬挂", 0.5, False),
    Metrics("仿宋_GB2312，标点悬挂（Word、WPS）", 0.5, True),
    Metrics("替代字体，中西文之间加空（LibreOffice）", 0.63, False, 0.22, 0.31),
)


@lru_cache(maxsize=256)
def spaced(metrics: Metrics, size: float = 16.0, spacing: float = -0.25) -> Metrics:
    """metrics for text of another size (pt) or character spacing (pt), in cells of that
    text: a full-width character is one cell (size + spacing); a half-width one keeps its
    advance (measured at 3号 with -0.25 pt spacing) in proportion to the size, plus the
    spacing; the gap beside a Latin run scales with the size."""
    if size == 16.0 and spacing == -0.25:
        return metrics
    cell = size + spacing
    scale = size / 16.0

    def half(cells: float) -> float:
        return ((cells * 15.75 + 0.25) * scale + spacing) / cell

    return Metrics(f"{metrics.name}（{size:g} 磅，字距 {spacing:+g} 磅）", half(metrics.half),
                   metrics.hanging, metrics.gap * 15.75 * scale / cell,
                   None if metrics.space is None else half(metrics.space))


@lru_cache(maxsize=16384)  # bounded: a hostile source may hold every character there is
def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WFA"


def width(token: str, metrics: Metrics) -> float:
    """Cells a token takes: full-width characters one each (“” … — are full-width in
    Chinese fonts), others metrics.half (a space metrics.space)."""
    space = metrics.half if metrics.space is None else metrics.space
    if len(token) == 1:
        return 1.0 if _wide(token) else space if token == " " else metrics.half
    return sum(1.0 if _wide(c) else space if c == " " else metrics.half for c in token)


def _ideograph(token: str) -> bool:
    return bool(token) and "\u3400" <= token[0] <= "\u9fff"


def _size(pending: list[str], i: int, metrics: Metrics) -> float:
    """A token's width in its place: a Latin run beside Chinese characters takes the
    renderer's gaps too."""
    token = pending[i]
    size = width(token, metrics)
    if metrics.gap and token[:1].isascii() and token[:1].isalnum():
        size += metrics.gap * (_ideograph(pending[i - 1]) if i > 0 else 0)
        size += metrics.gap * (_ideograph(pending[i + 1]) if i + 1 < len(pending) else 0)
    return size


def tokens(text: str) -> list[str]:
    """The units a line may not split: single characters, or a run of Latin letters and
    digits (with inner . - /)."""
    return WORD.findall(text)


def _sizes(pending: list[str], metrics: Metrics) -> list[float]:
    """Every token's _size, at once (most tokens are one Chinese character)."""
    if not metrics.gap:
        space = metrics.half if metrics.space is None else metrics.space
        return [1.0 if len(t) == 1 and _wide(t) else space if t == " " else
                width(t, metrics) for t in pending]
    return [1.0 if len(t) == 1 and _wide(t) else _size(pending, i, metrics)
            for i, t in enumerate(pending)]


def break_lines(text: str, first: float, rest: float, metrics: Metrics) -> list[str]:
    """text broken into lines: the first holds `first` cells, later ones `rest`.

    Each line's end is found by bisecting the running widths, then moved for the rules
    on punctuation; a token wider than a line goes to the token-by-token breaker, which
    splits it."""
    reach: Sequence[float]
    if ALL_WIDE.fullmatch(text) and min(first, rest) + EPSILON >= 1:
        pending = list(text)
        reach = range(len(pending) + 1)  # every character one cell
    else:
        pending = tokens(text)
        sizes = _sizes(pending, metrics)
        if sizes and max(sizes) > min(first, rest) + EPSILON:
            return _break_tokens(pending, sizes, first, rest, metrics)
        reach = list(accumulate(sizes, initial=0.0))
    lines: list[str] = []
    start, capacity, count = 0, first, len(pending)
    while start < count:
        end = bisect_right(reach, reach[start] + capacity + EPSILON) - 1
        if end >= count:
            lines.append("".join(pending[start:]))
            return lines
        if metrics.hanging and pending[end] in HANGABLE:
            end += 1  # hangs in the margin
        else:
            while end - start > 1 and (pending[end] in NO_LINE_START
                                       or pending[end - 1] in NO_LINE_END):
                end -= 1
        lines.append("".join(pending[start:end]))
        start, capacity = end, rest
    return lines or [""]


def _break_tokens(pending: list[str], sizes: list[float], first: float, rest: float,
                  metrics: Metrics) -> list[str]:
    """break_lines one token at a time, splitting a token wider than the line."""
    lines: list[str] = []
    line: list[str] = []
    used, capacity = 0.0, first
    i = 0
    while i < len(pending):
        token = pending[i]
        size = sizes[i]
        if used + size <= capacity + EPSILON:
            line.append(token)
            used += size
            i += 1
            continue
        if not line:  # a word longer than the line: split it where it must
            pieces = _split(token, capacity, rest, metrics)
            if len(pieces) == 1:  # one character wider than the line: it stands alone on it
                line.append(token)
                used += size
                i += 1
                continue
            # Every cut at once, in one pass over the word: cutting one line's worth at a
            # time and measuring the rest again made a long word quadratic.
            pending[i:i + 1] = pieces
            sizes[i:i + 1] = [_size(pending, j, metrics) for j in range(i, i + len(pieces))]
            continue
        if metrics.hanging and token in HANGABLE:
            line.append(token)  # hangs in the margin
            i += 1
        else:
            while line and (pending[i] in NO_LINE_START or line[-1] in NO_LINE_END):
                if len(line) == 1:
                    break
                line.pop()
                i -= 1
        lines.append("".join(line))
        line, used, capacity = [], 0.0, rest
    if line or not lines:
        lines.append("".join(line))
    return lines


@lru_cache(maxsize=16384)
def line_count(text: str, first: float, rest: float, metrics: Metrics) -> int:
    """How many lines break_lines gives (remembered: every unit of a roster lays out
    mostly the same paragraphs)."""
    return len(break_lines(text, first, rest, metrics))


def _split(token: str, capacity: float, rest: float, metrics: Metrics) -> list[str]:
    """A token cut where it must: the first piece holds what fits in capacity (one
    character at least), each later one what fits in rest."""
    pieces: list[str] = []
    start, used, room = 0, 0.0, capacity
    for n, char in enumerate(token):
        used += width(char, metrics)
        if used > room + EPSILON and n > start:
            pieces.append(token[start:n])
            start, used, room = n, width(char, metrics), rest
    pieces.append(token[start:])
    return pieces


@dataclass(frozen=True)
class Line:
    """One line box in a page flow: its height in points and what it belongs to.
    keep_next: the line goes to the next page with the line after it (a heading's);
    break_before: the line starts a new page (a page break before its paragraph)."""

    height: float
    tag: str = ""
    keep_next: bool = False
    break_before: bool = False


def paginate(lines: Iterable[Line], used: float = 0.0, reserve: float = 0.0) -> list[int]:
    """The page (1-based) each line lands on: a line that would pass the text block's
    bottom starts the next page, and so does one that must keep with the next when the
    two do not fit together. used: points already taken on the first page; reserve:
    points the last page keeps free at its bottom (a notice's end block floats there)."""
    flow = list(lines)
    pages = _fill(flow, used, BLOCK_HEIGHT_PT, 1)
    if reserve and flow:
        first = pages.index(pages[-1])  # the last page's lines, laid out again, shorter
        taken = used if pages[-1] == 1 else 0.0
        pages[first:] = _fill(flow[first:], taken, BLOCK_HEIGHT_PT - reserve, pages[-1])
    return pages


def _fill(flow: list[Line], used: float, height: float, page: int) -> list[int]:
    pages: list[int] = []
    for n, line in enumerate(flow):
        need = line.height
        ahead = n
        while (flow[ahead].keep_next and ahead + 1 < len(flow) and need <= height
               and not flow[ahead + 1].break_before):
            ahead += 1  # a chain of lines kept together, and the line after it
            need += flow[ahead].height
        if need > height:
            need = line.height  # a chain longer than a page breaks where it must
        if (line.break_before or used + need > height + EPSILON) and used > 0:
            page += 1
            used = 0.0
        used += line.height
        pages.append(page)
    return pages


