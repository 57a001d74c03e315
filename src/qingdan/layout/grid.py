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
0.65 in the fallback fonts LibreOffice uses where that face is missing. Predictions are
therefore made under several `Metrics`, and a layout decision must hold under all of them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

BLOCK_HEIGHT_PT = 225 * 72 / 25.4  # the text block: 637.8 pt
PITCH_TWIPS = 579  # 28.95 pt: 22 lines in the block
LINE_CELLS = 28
EPSILON = 0.01

NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…—·％．,.;:?!)]}%")
NO_LINE_END = set("（《「『【〔〈“‘([{")
HANGABLE = set("，。、．,.")
WORD = re.compile(r"[A-Za-z0-9]+(?:[.\-/][A-Za-z0-9]+)*|.", re.S)


@dataclass(frozen=True)
class Metrics:
    """How one renderer measures and breaks a line."""

    name: str
    half: float  # cells taken by a half-width character
    hanging: bool  # whether a 、。，． that does not fit hangs in the margin


METRICS = (
    Metrics("仿宋_GB2312，标点不悬挂", 0.5, False),
    Metrics("仿宋_GB2312，标点悬挂（Word、WPS）", 0.5, True),
    Metrics("替代字体（LibreOffice）", 0.65, False),
)


@cache
def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WFA"


def width(token: str, metrics: Metrics) -> float:
    """Cells a token takes: full-width characters one each (“” … — are full-width in
    Chinese fonts), others metrics.half."""
    if len(token) == 1:
        return 1.0 if _wide(token) else metrics.half
    return sum(1.0 if _wide(c) else metrics.half for c in token)


def tokens(text: str) -> list[str]:
    """The units a line may not split: single characters, or a run of Latin letters and
    digits (with inner . - /)."""
    return WORD.findall(text)


def break_lines(text: str, first: float, rest: float, metrics: Metrics) -> list[str]:
    """text broken into lines: the first holds `first` cells, later ones `rest`."""
    pending = tokens(text)
    lines: list[str] = []
    line: list[str] = []
    used, capacity = 0.0, first
    i = 0
    while i < len(pending):
        token = pending[i]
        size = width(token, metrics)
        if used + size <= capacity + EPSILON:
            line.append(token)
            used += size
            i += 1
            continue
        if not line:  # a word longer than the line: split it where it must
            head, cut = _split(token, capacity, metrics)
            pending[i:i + 1] = [head, cut]
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


def _split(token: str, capacity: float, metrics: Metrics) -> tuple[str, str]:
    used = 0.0
    for n, char in enumerate(token):
        used += width(char, metrics)
        if used > capacity + EPSILON:
            return token[:max(n, 1)], token[max(n, 1):]
    return token, ""


@dataclass(frozen=True)
class Line:
    """One line box in a page flow: its height in points and what it belongs to.
    keep_next: the line goes to the next page with the line after it (a heading's)."""

    height: float
    tag: str = ""
    keep_next: bool = False


def paginate(lines: Iterable[Line], used: float = 0.0) -> list[int]:
    """The page (1-based) each line lands on: a line that would pass the text block's
    bottom starts the next page, and so does one that must keep with the next when the
    two do not fit together. used: points already taken on the first page."""
    flow = list(lines)
    pages: list[int] = []
    page = 1
    for n, line in enumerate(flow):
        need = line.height + (flow[n + 1].height if line.keep_next and n + 1 < len(flow) else 0)
        if used + need > BLOCK_HEIGHT_PT + EPSILON and used > 0:
            page += 1
            used = 0.0
        used += line.height
        pages.append(page)
    return pages


