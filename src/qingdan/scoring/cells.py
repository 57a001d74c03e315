"""Cells as both workbooks write them: text always as text, rows tall enough to print.

Text from the sources is data, never a formula: openpyxl takes any string starting with
"=" for one, so `data` sets the cell's type back to string (an inline string in the XML,
no <f>). Spreadsheets do not grow a row to its wrapped text on opening (LibreOffice keeps
the default height of a row without one; merged cells never count), so every row with
wrapped text gets a height computed here, for the narrowest rendering the workbook meets:
Excel's column width (7 px a unit with Calibri, the workbook's default font) and the
tallest line of the CJK faces in use (Noto Sans CJK's 1.45 em where 仿宋 is missing).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from ..layout.titles import cells as text_cells

PX_PER_UNIT = 7  # Excel: a column width unit is the maximum digit width of Calibri 11
PADDING_PX = 5 + 6  # the width's own padding, and the text's margins inside the cell
LINE_PT = 16  # one line of 11 pt CJK text, Noto Sans CJK's line height included
ROW_PAD_PT = 6
MIN_ROW_PT = 20
MAX_ROW_PT = 409  # Excel's largest row height


def data(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    """A cell holding value as data: text stays text whatever it starts with, so a unit
    named "=HYPERLINK(…)" or "@SUM(1)" is never a formula (issue 23)."""
    cell = sheet.cell(row, column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # written as an inline string, never as <f>
    return cell


def per_line(width: float, size: float = 11) -> int:
    """How many full-width characters of size pt fit on one line of a column this wide."""
    room_px = width * PX_PER_UNIT + 5 - PADDING_PX
    return max(1, math.floor(room_px / (size * 96 / 72)))


def lines(text: str, width: float, size: float = 11) -> int:
    """The lines text wraps to in a column this wide (each paragraph on its own lines)."""
    room = per_line(width, size)
    return sum(max(1, math.ceil(text_cells(part) / room)) for part in text.split("\n"))


def row_height(texts: Iterable[tuple[str, float]], size: float = 11,
               minimum: float = MIN_ROW_PT) -> float:
    """A row tall enough for the longest of its wrapped texts: (text, column width)."""
    most = max((lines(text, width, size) for text, width in texts if text), default=1)
    pitch = LINE_PT * size / 11
    return min(MAX_ROW_PT, max(minimum, most * pitch + ROW_PAD_PT))


A4_LANDSCAPE_PT = (297 / 25.4 * 72, 210 / 25.4 * 72)
WIDOW = 0.15  # a last page this little filled is folded back by shrinking the scale


def pages_tall(heights: Iterable[float], widths: Iterable[float], margins_in: tuple[float, float],
               repeated: float = 0) -> int:
    """How many pages tall a sheet printed one page wide on A4 landscape should be told
    to fit in: its rows' heights (pt) at the scale its column widths (units) need, the
    header row of repeated pt on every page after the first; a last page that would hold
    only a few rows is avoided by shrinking a little instead (the scale may go down by
    WIDOW). The margins are (left + right, top + bottom) in inches."""
    width_pt = sum(w * PX_PER_UNIT + 5 for w in widths) * 0.75
    page_w = A4_LANDSCAPE_PT[0] - margins_in[0] * 72
    page_h = A4_LANDSCAPE_PT[1] - margins_in[1] * 72
    scale = min(1.0, page_w / width_pt)
    total = sum(heights) * scale
    pages = max(1, math.ceil(total / page_h))
    total += (pages - 1) * repeated * scale
    return max(1, math.ceil(total / page_h - WIDOW))
