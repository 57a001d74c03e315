"""Pages of plain paragraphs on the grid: what follows a notice's front part (each attached
document after its 附件N label), so that the end block's page can be known in advance.

A paragraph here is text at an exact line pitch, broken as grid.break_lines breaks it at
its own size and character spacing; anything else (a table, a picture) is not predicted
(render/endblock.py gives up on it before it gets here).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .grid import BLOCK_HEIGHT_PT, Line, Metrics, line_count, paginate, spaced


@dataclass(frozen=True)
class Para:
    """A paragraph as the page sees it: its text (a line break as "\\n"), the cells its
    first and later lines hold, its size and character spacing and exact line pitch (pt),
    the space before and after it (pt), and whether it keeps with the next paragraph or
    starts a page."""

    text: str
    first: float
    rest: float
    size: float
    spacing: float
    pitch: float
    before: float = 0.0
    after: float = 0.0
    keep_next: bool = False
    break_before: bool = False


def para_lines(para: Para, metrics: Metrics) -> list[Line]:
    """The lines a paragraph takes. A paragraph kept with the next keeps all its lines
    with it (LibreOffice moves such a paragraph whole)."""
    wide = spaced(metrics, para.size, para.spacing)
    count = sum(line_count(piece, para.first if n == 0 else para.rest, para.rest, wide)
                for n, piece in enumerate(para.text.split("\n")))
    heights = [para.pitch] * count
    heights[0] += para.before
    heights[-1] += para.after
    return [Line(height, "text", para.keep_next, n == 0 and para.break_before)
            for n, height in enumerate(heights)]


def pages(paras: Sequence[Para], metrics: Metrics, used: float = 0.0) -> tuple[int, float]:
    """The page the paragraphs end on (1: the page they start on, which has used points
    taken already), and the points left free at its foot."""
    lines = [line for para in paras for line in para_lines(para, metrics)]
    if not lines:
        return 1, BLOCK_HEIGHT_PT - used
    placed = paginate(lines, used)
    last = placed[-1]
    taken = sum(line.height for page, line in zip(placed, lines, strict=True) if page == last)
    return last, BLOCK_HEIGHT_PT - taken - (used if last == 1 else 0.0)
