"""The results workbook `score` writes: 考核结果, 指标得分, 各单位考核内容 and 评分来源.

Every text is resolved (no placeholder reaches a cell): the columns and the 说明 as the
units read them, each indicator's text from the workbook each unit was sent. 指标得分
spans the units, so an indicator whose text differs from unit to unit (a placeholder such
as {{ unit.channels }}) shows what the units share around an ellipsis, and 各单位考核内容
lists that indicator's text for each unit. Every sheet prints on A4 landscape, one page
wide, its header row repeated, every row as tall as its wrapped text (cells.row_height).
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..model import Scoring
from .cells import data, row_height
from .grade import Graded
from .layout import Form
from .results import columns, results_title, row_values
from .workbook import reproducible

HEAD = Font(name="黑体", size=11)
BODY = Font(name="仿宋_GB2312", size=11)
TITLE_SIZE = 16
TITLE = Font(name="方正小标宋简体", size=TITLE_SIZE)
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
GREY = PatternFill("solid", fgColor="D9D9D9")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(vertical="center", wrap_text=True)
VARIES = "各单位不同，见“各单位考核内容”表"
VARIANTS = "各单位考核内容"
UNITS_PER_PAGE = 8  # 指标得分: beyond this many units a page would print too small to read


def results_workbook(office: Form, scoring: Scoring, graded: list[Graded],
                     roster_order: list[Graded], forms: dict[str, Form]) -> bytes:
    """The workbook: office is the assessment as the office reads it (its columns), forms
    each unit's own (by unit id), graded in result order with their vetoes' texts resolved
    for their unit, roster_order the same units in roster order."""
    book = Workbook()
    first = book.active
    assert isinstance(first, Worksheet)
    first.title = "考核结果"
    heads = columns(office)
    widths = [6, 24, *([10] * (len(heads) - 4)), 14, 40]
    _table(first, results_title(office.assessment), heads, widths,
           [row_values(g, office, scoring) for g in graded])
    indicators, variants = _indicator_rows(office, roster_order, forms)
    heads = ["序号", "考核项目", "考核内容", "分值", *(g.unit_name for g in roster_order)]
    widths = [6, 18, 44, 8, *([14] * len(roster_order))]
    detail = book.create_sheet("指标得分")
    _table(detail, "各单位指标得分", heads, widths,
           [*indicators, ["合计", "", "", office.total,
                          *(g.indicator_total for g in roster_order)]], total=True,
           span=min(len(heads), 4 + UNITS_PER_PAGE))
    if len(roster_order) > UNITS_PER_PAGE:  # several pages wide, the indicators on each
        detail.page_setup.fitToWidth = math.ceil(len(roster_order) / UNITS_PER_PAGE)
        detail.print_title_cols = "A:D"
    if variants:
        _table(book.create_sheet(VARIANTS), VARIANTS, ["单位", "序号", "考核项目", "考核内容"],
               [24, 6, 18, 60], variants)
    _table(book.create_sheet("评分来源"), "评分来源", ["单位", "评分工作簿"], [24, 60],
           [[g.unit_name, g.file] for g in roster_order])
    book.properties.creator = "qingdan"
    out = io.BytesIO()
    book.save(out)
    return reproducible(out.getvalue())


def _indicator_rows(office: Form, roster_order: list[Graded], forms: dict[str, Form],
                    ) -> tuple[list[list[object]], list[list[object]]]:
    """指标得分's rows, and 各单位考核内容's rows for the indicators whose text varies."""
    rows: list[list[object]] = []
    variants: list[list[object]] = []
    for index, item in enumerate(office.indicators):
        own = [forms[g.unit_id].indicators[index] for g in roster_order if g.unit_id in forms]
        group = shared([i.group for i in own] or [item.group])
        content = shared([i.content for i in own] or [item.content])
        rows.append([int(item.no), group, content, item.points,
                     *(g.indicators[item.id] for g in roster_order)])
        if VARIES in group or VARIES in content:
            variants += [[g.unit_name, int(i.no), i.group, i.content]
                         for g, i in zip(roster_order, own, strict=True)]
    return rows, variants


def shared(texts: Sequence[str]) -> str:
    """One text for a row that spans units: theirs when they agree; otherwise what they
    share around an ellipsis (每年向……专题汇报) and where to read each unit's."""
    if len(set(texts)) <= 1:
        return texts[0] if texts else ""
    head = os.path.commonprefix(list(texts))
    tails = [t[len(head):][::-1] for t in texts]
    tail = os.path.commonprefix(tails)[::-1]
    frame = f"{head}……{tail}" if head or tail else ""
    return f"{frame}（{VARIES}）" if frame else VARIES


def _table(sheet: Worksheet, title: str, heads: Sequence[str], widths: Sequence[float],
           rows: Sequence[Sequence[object]], total: bool = False, span: int = 0) -> None:
    """A titled, ruled table (its last row a total, in bold, when total is set); every row
    as tall as its wrapped text; printed A4 landscape, one page wide, the header row on
    every page. The title spans the first span columns (all of them by default)."""
    assert len(widths) == len(heads), (heads, widths)
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    span = span or len(heads)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=span)
    cell = data(sheet, 1, 1, title)
    cell.font = TITLE
    cell.alignment = CENTRE
    sheet.row_dimensions[1].height = row_height(((title, sum(widths[:span])),), TITLE_SIZE,
                                                minimum=32)
    last = len(rows) + 2
    for number, values in enumerate([heads, *rows], 2):
        font = HEAD if number == 2 or (total and number == last) else BODY
        _row(sheet, number, values, font, GREY if number == 2 else None)
        sheet.row_dimensions[number].height = row_height(
            (_shown(v), w) for v, w in zip(values, widths, strict=True))
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.6
    sheet.page_margins.top = sheet.page_margins.bottom = 0.7
    sheet.freeze_panes = "A3"


def _row(sheet: Worksheet, row: int, values: Sequence[object], font: Font,
         fill: PatternFill | None) -> None:
    for column, value in enumerate(values, 1):
        if isinstance(value, Decimal):
            value = _num(value)
        cell = data(sheet, row, column, value)
        cell.font = font
        cell.border = BOX
        cell.alignment = LEFT if isinstance(value, str) and len(value) > 12 else CENTRE
        if fill is not None:
            cell.fill = fill


def _shown(value: object) -> str:
    """A cell's text as printed, for its row's height."""
    if isinstance(value, Decimal):
        value = _num(value)
    return "" if value is None else str(value)


def _num(value: Decimal) -> int | float:
    """A cell's number: exact for the halves, quarters and tenths scores produce."""
    return int(value) if value == value.to_integral_value() else float(value)
