"""Write one unit's scoring workbook (.xlsx): the .docx scoring sheet as cells to fill in.

One row per indicator (the rows of render.docx.sheet_rows, so the two sheets agree), a
score cell per row validated to 0..maximum in steps of 0.5, a remarks cell, subtotals and
the total as formulas, the other components as inputs with the composite as a formula,
and each veto condition as a 是/否 cell. Everything but the input cells is protected; the
page is A4 landscape, one page wide. The bytes are reproducible: fixed properties and
zip times.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..write.files import ZIP_TIME
from .cells import data, pages_tall, row_height
from .layout import (
    CONTENT,
    CRITERIA,
    FORMAT,
    GROUP,
    HEADER,
    KEY,
    META,
    NO,
    NO_,
    POINTS,
    REMARKS,
    SCORE,
    SHEET,
    WIDTHS,
    YES,
    Form,
    key,
    show,
)

TITLE_FONT = Font(name="方正小标宋简体", size=18)
HEAD_FONT = Font(name="黑体", size=11)
BODY_FONT = Font(name="仿宋_GB2312", size=11)
BOLD_FONT = Font(name="黑体", size=11)
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # pale yellow: type here
HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")
WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")
FIXED_TIME = "2020-01-01T00:00:00Z"


def write_workbook(form: Form) -> bytes:
    """The scoring workbook of one unit, as .xlsx bytes."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = SHEET
    last = _fill(sheet, form)
    _page(sheet, last)
    meta = book.create_sheet(META)
    for row, (name, value) in enumerate(
            (("format", FORMAT), ("assessment", form.assessment), ("unit", form.unit_id),
             ("unit_name", form.unit_name), ("structure", form.structure())), 1):
        data(meta, row, 1, name)
        data(meta, row, 2, value)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    book.security = WorkbookProtection(lockStructure=True)
    book.properties.creator = "qingdan"
    book.properties.title = form.title
    out = io.BytesIO()
    book.save(out)
    return reproducible(out.getvalue())


def _fill(sheet: Worksheet, form: Form) -> int:
    """Write the cells; returns the last row used."""
    for column, width in WIDTHS.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.column_dimensions[get_column_letter(KEY)].hidden = True
    sheet.merge_cells(start_row=1, start_column=NO, end_row=1, end_column=REMARKS)
    _put(sheet, 1, NO, form.title, TITLE_FONT, CENTRE, box=False)
    page = sum(WIDTHS[c] for c in range(NO, REMARKS + 1))
    sheet.row_dimensions[1].height = row_height(((form.title, page),), 18, minimum=36)
    sheet.merge_cells(start_row=2, start_column=NO, end_row=2, end_column=CRITERIA)
    _put(sheet, 2, NO, f"被考核单位：{form.unit_name}", BODY_FONT, WRAP, box=False)
    sheet.merge_cells(start_row=2, start_column=POINTS, end_row=2, end_column=REMARKS)
    _put(sheet, 2, POINTS, "考核时间：　　年　　月　　日", BODY_FONT,
         Alignment(horizontal="right", vertical="center"), box=False)
    sheet.row_dimensions[2].height = row_height(
        ((f"被考核单位：{form.unit_name}", page - WIDTHS[POINTS] - WIDTHS[SCORE]
          - WIDTHS[REMARKS]),), minimum=24)
    for column, name in enumerate(HEADER, 1):
        _put(sheet, 3, column, name, HEAD_FONT, CENTRE, fill=HEAD_FILL)
    sheet.row_dimensions[3].height = row_height(
        (name, WIDTHS[column]) for column, name in enumerate(HEADER, 1))
    row = 4
    scored: list[int] = []
    groups: list[tuple[str, list[int], list[Decimal]]] = []
    for indicator in form.indicators:
        if not groups or groups[-1][0] != indicator.group:
            if groups:
                row = _subtotal(sheet, row, *groups[-1][1:])
            groups.append((indicator.group, [], []))
        groups[-1][1].append(row)
        groups[-1][2].append(indicator.points)
        _put(sheet, row, NO, int(indicator.no), BODY_FONT, CENTRE)
        _put(sheet, row, GROUP, indicator.group, BODY_FONT, CENTRE)
        _put(sheet, row, CONTENT, indicator.content, BODY_FONT, WRAP)
        _put(sheet, row, CRITERIA, indicator.criteria, BODY_FONT, WRAP)
        _put(sheet, row, POINTS, _number(indicator.points), BODY_FONT, CENTRE)
        _score_cell(sheet, row, indicator.points)
        _input(sheet, row, REMARKS, WRAP)
        data(sheet, row, KEY, key("indicator", indicator.id))
        _fit(sheet, row, ((indicator.content, CONTENT), (indicator.criteria, CRITERIA),
                          (indicator.group, GROUP)))
        scored.append(row)
        row += 1
    if groups:
        row = _subtotal(sheet, row, *groups[-1][1:])
    for _, rows, _ in groups:
        end = rows[-1] + (1 if len(rows) > 1 else 0)
        if end > rows[0]:
            sheet.merge_cells(start_row=rows[0], start_column=GROUP, end_row=end,
                              end_column=GROUP)
    total_row = row
    sheet.merge_cells(start_row=row, start_column=NO, end_row=row, end_column=CRITERIA)
    label = f"合计（{form.parts[0].name}得分）" if form.parts else "合计"
    _put(sheet, row, NO, label, BOLD_FONT, CENTRE)
    for column in (GROUP, CONTENT, CRITERIA):
        sheet.cell(row, column).border = BOX
    _put(sheet, row, POINTS, _number(form.total), BOLD_FONT, CENTRE)
    _put(sheet, row, SCORE, f"=SUM({_ranges(scored)})", BOLD_FONT, CENTRE, formula=True)
    sheet.cell(row, SCORE).number_format = "0.0##"
    _put(sheet, row, REMARKS, "", BODY_FONT, WRAP)
    sheet.row_dimensions[row].height = row_height(
        ((label, sum(WIDTHS[c] for c in range(NO, CRITERIA + 1))),), minimum=24)
    row += 2
    if form.parts:
        row = _components(sheet, row, form, total_row) + 1
    if form.vetoes:
        row = _vetoes(sheet, row, form) + 1
    sheet.merge_cells(start_row=row, start_column=NO, end_row=row, end_column=REMARKS)
    _put(sheet, row, NO, "考核人（签字）：　　　　　　　　　　被考核单位负责人（签字）：",
         BODY_FONT, WRAP, box=False)
    sheet.row_dimensions[row].height = 30
    row += 1
    note = (f"填表说明：黄色单元格填写；得分只填数字，在 0 分至该项分值之间，以 0.5 分为单位；"
            f"{'一票否决事项填“是”或“否”；' if form.vetoes else ''}"
            "合计和综合得分由公式计算，最终结果以 qingdan score 的计算为准。")
    sheet.merge_cells(start_row=row, start_column=NO, end_row=row, end_column=REMARKS)
    _put(sheet, row, NO, note, BODY_FONT, WRAP, box=False)
    sheet.row_dimensions[row].height = row_height(((note, page),), minimum=30)
    return row


def _subtotal(sheet: Worksheet, row: int, rows: list[int], points: list[Decimal]) -> int:
    """A 小计 row under a group of two or more indicators; returns the next row."""
    if len(rows) < 2:
        return row
    _put(sheet, row, NO, "", BODY_FONT, CENTRE)
    _put(sheet, row, CONTENT, "小计", BOLD_FONT, CENTRE)
    _put(sheet, row, CRITERIA, "", BODY_FONT, CENTRE)
    _put(sheet, row, POINTS, _number(sum(points, Decimal(0))), BOLD_FONT, CENTRE)
    _put(sheet, row, SCORE, f"=SUM({_ranges(rows)})", BOLD_FONT, CENTRE, formula=True)
    sheet.cell(row, SCORE).number_format = "0.0##"
    _put(sheet, row, REMARKS, "", BODY_FONT, WRAP)
    return row + 1


def _components(sheet: Worksheet, row: int, form: Form, total_row: int) -> int:
    """综合成绩: each component, its weight, its score (the first: the total above) and
    its weighted share; the composite as their sum. Returns the last row used."""
    for column, name in ((GROUP, "组成部分"), (CONTENT, "计分方法"), (POINTS, "权重"),
                         (SCORE, "得分"), (REMARKS, "折算得分")):
        _put(sheet, row, column, name, HEAD_FONT, CENTRE, fill=HEAD_FILL)
    _put(sheet, row, CRITERIA, "", HEAD_FONT, CENTRE, fill=HEAD_FILL)
    sheet.merge_cells(start_row=row, start_column=CONTENT, end_row=row, end_column=CRITERIA)
    first = row + 1
    for index, part in enumerate(form.parts):
        row += 1
        _put(sheet, row, GROUP, part.name, BODY_FONT, CENTRE)
        how = ("评分表合计" if index == 0 else
               f"满分{show(form.total)}分，按考核办法的规定评定后填入")
        sheet.merge_cells(start_row=row, start_column=CONTENT, end_row=row, end_column=CRITERIA)
        _put(sheet, row, CONTENT, how, BODY_FONT, WRAP)
        sheet.cell(row, CRITERIA).border = BOX
        _put(sheet, row, POINTS, float(part.weight / 100), BODY_FONT, CENTRE)
        sheet.cell(row, POINTS).number_format = "0%" if part.weight == part.weight.to_integral() \
            else "0.0##%"
        if index == 0:
            _put(sheet, row, SCORE, f"={get_column_letter(SCORE)}{total_row}", BODY_FONT, CENTRE,
                 formula=True)
            sheet.cell(row, SCORE).number_format = "0.0##"
        else:
            _score_cell(sheet, row, form.total)
            data(sheet, row, KEY, key("component", part.id))
        score, weight = (f"{get_column_letter(c)}{row}" for c in (SCORE, POINTS))
        _put(sheet, row, REMARKS, f"={score}*{weight}", BODY_FONT, CENTRE, formula=True)
        sheet.cell(row, REMARKS).number_format = "0.0##"
        sheet.row_dimensions[row].height = row_height(
            ((part.name, WIDTHS[GROUP]), (how, WIDTHS[CONTENT] + WIDTHS[CRITERIA])), minimum=24)
    row += 1
    _put(sheet, row, GROUP, "综合得分", BOLD_FONT, CENTRE)
    sheet.merge_cells(start_row=row, start_column=CONTENT, end_row=row, end_column=SCORE)
    _put(sheet, row, CONTENT, form.formula, BODY_FONT, WRAP)
    for column in (CRITERIA, POINTS, SCORE):
        sheet.cell(row, column).border = BOX
    column = get_column_letter(REMARKS)
    _put(sheet, row, REMARKS, f"=SUM({column}{first}:{column}{row - 1})", BOLD_FONT, CENTRE,
         formula=True)
    sheet.cell(row, REMARKS).number_format = "0.0##"
    _fit(sheet, row, ((form.formula, CONTENT),), width=WIDTHS[CONTENT] + WIDTHS[CRITERIA]
         + WIDTHS[POINTS] + WIDTHS[SCORE])
    return row + 1


def _vetoes(sheet: Worksheet, row: int, form: Form) -> int:
    """一票否决: each condition with a 是/否 cell and its effect. Returns the last row used."""
    for column, name in ((GROUP, "一票否决事项"), (CONTENT, "情形"), (SCORE, "是否发生"),
                         (REMARKS, "发生时")):
        _put(sheet, row, column, name, HEAD_FONT, CENTRE, fill=HEAD_FILL)
    for column in (CRITERIA, POINTS):
        _put(sheet, row, column, "", HEAD_FONT, CENTRE, fill=HEAD_FILL)
    sheet.merge_cells(start_row=row, start_column=CONTENT, end_row=row, end_column=POINTS)
    choice = DataValidation(type="list", formula1=f'"{YES},{NO_}"', allow_blank=True,
                            showErrorMessage=True, errorTitle="一票否决事项",
                            error=f"请填“{YES}”或“{NO_}”")
    sheet.add_data_validation(choice)
    for number, veto in enumerate(form.vetoes, 1):
        row += 1
        _put(sheet, row, GROUP, f"第{number}项", BODY_FONT, CENTRE)
        sheet.merge_cells(start_row=row, start_column=CONTENT, end_row=row, end_column=POINTS)
        _put(sheet, row, CONTENT, veto.condition, BODY_FONT, WRAP)
        for column in (CRITERIA, POINTS):
            sheet.cell(row, column).border = BOX
        _input(sheet, row, SCORE, CENTRE)
        choice.add(sheet.cell(row, SCORE))
        _put(sheet, row, REMARKS, veto.effect, BODY_FONT, WRAP)
        data(sheet, row, KEY, key("veto", veto.id))
        _fit(sheet, row, ((veto.condition, CONTENT), (veto.effect, REMARKS)),
             width=WIDTHS[CONTENT] + WIDTHS[CRITERIA] + WIDTHS[POINTS])
    return row + 1


def _score_cell(sheet: Worksheet, row: int, maximum: Decimal) -> None:
    """An input for a score from 0 to maximum in steps of 0.5, refused otherwise."""
    cell = _input(sheet, row, SCORE, CENTRE)
    ref = cell.coordinate
    rule = DataValidation(
        type="custom", allow_blank=True, showErrorMessage=True, errorTitle="得分",
        formula1=f"AND(ISNUMBER({ref}),{ref}>=0,{ref}<={show(maximum)},MOD({ref}*2,1)=0)",
        error=f"得分须是 0 至 {show(maximum)} 之间的数字，以 0.5 分为单位")
    rule.add(cell)
    sheet.add_data_validation(rule)


def _input(sheet: Worksheet, row: int, column: int, align: Alignment):
    cell = sheet.cell(row, column)
    cell.font = BODY_FONT
    cell.alignment = align
    cell.border = BOX
    cell.fill = INPUT_FILL
    cell.protection = Protection(locked=False)
    return cell


def _put(sheet: Worksheet, row: int, column: int, value: object, font: Font,
         align: Alignment, box: bool = True, fill: PatternFill | None = None,
         formula: bool = False) -> None:
    """A styled cell: data, or one of the workbook's own formulas when formula is set."""
    cell = sheet.cell(row, column, value) if formula else data(sheet, row, column, value)
    cell.font = font
    cell.alignment = align
    if box:
        cell.border = BOX
    if fill is not None:
        cell.fill = fill


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral() else float(value)


def _ranges(rows: list[int]) -> str:
    """F4:F6,F8:F8 — the score cells of rows, as few ranges as they allow."""
    column = get_column_letter(SCORE)
    spans: list[list[int]] = []
    for row in rows:
        if spans and spans[-1][1] == row - 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    return ",".join(f"{column}{a}:{column}{b}" for a, b in spans)


def _fit(sheet: Worksheet, row: int, texts: Iterable[tuple[str, int]],
         width: float | None = None) -> None:
    """A row tall enough for its wrapped text: spreadsheets do not grow rows on opening."""
    sheet.row_dimensions[row].height = row_height(
        ((text, width or WIDTHS[column]) for text, column in texts), minimum=24)


def _page(sheet: Worksheet, last: int) -> None:
    """A4 landscape, one page wide, the header row repeated, the inputs the only cells
    that can be changed."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = pages_tall(
        (sheet.row_dimensions[r].height or 15 for r in range(1, last + 1)),
        (WIDTHS[c] for c in range(NO, REMARKS + 1)), (1.2, 1.4),
        repeated=sheet.row_dimensions[3].height or 15)
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.6
    sheet.page_margins.top = sheet.page_margins.bottom = 0.7
    sheet.print_title_rows = "3:3"
    sheet.print_area = f"A1:{get_column_letter(REMARKS)}{last}"
    sheet.freeze_panes = "A4"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # a clerk may widen a column to read it
    sheet.protection.formatRows = False


CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def reproducible(data: bytes) -> bytes:
    """The package with fixed document times and zip times: equal input, equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            payload = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = CORE_TIMES.sub(rb"\g<1>" + FIXED_TIME.encode() + rb"\g<3>", payload)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, payload)
    return out.getvalue()
