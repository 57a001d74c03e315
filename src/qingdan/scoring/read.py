"""Read filled scoring workbooks back: scores by key, every problem located at its cell.

Workbooks are untrusted input. Before openpyxl sees one, the file's size, its number of
zip members and their declared uncompressed sizes are capped (zipfile never inflates past
a member's declared size, so this bounds memory); openpyxl then reads in read-only mode
(streamed, defusedxml when installed) and only the first MAX_ROWS rows. Anything that still
fails is reported as E721 at the file, never a traceback.
"""

from __future__ import annotations

import datetime
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Location
from ..paths import display_path
from .grade import Filled
from .layout import (
    FORMAT,
    KEY,
    META,
    NO_,
    SCORE,
    SHEET,
    UNIT_CELL,
    YES,
    Form,
    show,
)

MAX_BYTES = 5 * 1024 * 1024  # a filled workbook is some 20 KB
MAX_UNZIPPED = 20 * 1024 * 1024
MAX_MEMBERS = 500
MAX_ROWS = 2000
REGENERATE = "用 qingdan sheets 重新生成评分表，再把得分填入新表"


@dataclass(frozen=True)
class Cell:
    """One input cell as read: its value, whether it held a formula, and where it is."""

    value: Any
    formula: bool
    where: Location


def workbook_files(paths: list[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """The .xlsx files named or inside the folders named (Office's ~$ lock files skipped)."""
    files: list[Path] = []
    found: list[Diagnostic] = []
    for path in paths:
        if path.is_dir():
            inner = sorted(p for p in path.iterdir() if p.suffix.lower() == ".xlsx"
                           and not p.name.startswith(("~$", ".")) and p.is_file())
            if not inner:
                found.append(Diagnostic("E401", f"“{display_path(path)}”中没有 .xlsx 评分工作簿",
                                        Location(display_path(path)),
                                        hint="先用 qingdan sheets 生成评分工作簿，填好后放在这里"))
            files += inner
        elif path.is_file():
            files.append(path)
        else:
            found.append(Diagnostic("E401", f"找不到“{display_path(path)}”",
                                    Location(display_path(path)),
                                    hint="给出评分工作簿（.xlsx）或存放它们的文件夹"))
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return unique, found


def _whole(path: Path) -> Location:
    return Location(display_path(path), 0, 0, sheet="")


def _refuse(path: Path, why: str) -> Diagnostic:
    return Diagnostic("E721", f"无法读取评分工作簿：{why}", _whole(path),
                      hint="用 Excel、WPS 或 LibreOffice 打开后另存为 .xlsx（不加密），再试一次")


def _guard(path: Path) -> Diagnostic | None:
    """Refuse a file too big to be a scoring workbook, or a zip that inflates too far."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return _refuse(path, exc.strerror or "文件无法打开")
    if size > MAX_BYTES:
        limit = MAX_BYTES // 1024 // 1024
        return _refuse(path, f"文件有 {size // 1024} KB，超过 {limit} MB 的上限")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return _refuse(path, "不是 .xlsx 文件（可能是 .xls、已加密，或已损坏）")
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNZIPPED:
        return _refuse(path, "解压后的内容过大，不是正常的评分工作簿")
    return None


def read_cells(path: Path) -> tuple[dict[str, str], dict[str, Cell], Location] | Diagnostic:
    """The workbook's identity (its hidden sheet), its input cells by key, and where the
    unit's name is shown; or the one diagnostic that says why it cannot be read."""
    refused = _guard(path)
    if refused is not None:
        return refused

    display = display_path(path)
    with warnings.catch_warnings():
        # openpyxl warns about parts it drops (Excel's validation extensions, say): the
        # reader needs none of them, and a clerk should not see a Python warning.
        warnings.simplefilter("ignore")
        read = _read(path, display)
    if isinstance(read, str):
        return (_refuse(path, read) if read != META else Diagnostic(
            "E722", "这不是 qingdan sheets 生成的评分工作簿（缺少评分表或其标识）",
            _whole(path), hint="用 qingdan sheets 生成评分工作簿；不要另建表格或重命名工作表"))
    meta, inputs = read
    unit_at = Location(display, UNIT_CELL[0], UNIT_CELL[1], sheet=SHEET)
    return meta, inputs, unit_at


def _read(path: Path, display: str) -> tuple[dict[str, str], dict[str, Cell]] | str:
    """The hidden sheet's entries and the input cells; or why not (META: not ours)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception:  # noqa: BLE001 - any failure to parse untrusted input is the file's
        return "文件已损坏或格式不对"
    try:
        if META not in book.sheetnames or SHEET not in book.sheetnames:
            return META
        meta = {str(row[0]): "" if row[1] is None else str(row[1])
                for row in book[META].iter_rows(max_row=20, max_col=2, values_only=True)
                if row and row[0] is not None and len(row) > 1}
        return meta, dict(_inputs(book[SHEET], display))
    except Exception:  # noqa: BLE001
        return "文件已损坏或格式不对"
    finally:
        book.close()


def _inputs(sheet: Any, display: str) -> Iterator[tuple[str, Cell]]:
    """(key, score cell) for each row whose hidden key column is filled."""
    for number, row in enumerate(sheet.iter_rows(min_row=1, max_row=MAX_ROWS, max_col=KEY), 1):
        cells = {getattr(c, "column", None): c for c in row}
        mark = cells.get(KEY)
        if mark is None or not isinstance(mark.value, str) or ":" not in mark.value:
            continue
        cell = cells.get(SCORE)
        value = getattr(cell, "value", None)
        formula = getattr(cell, "data_type", "") == "f"
        row_number = getattr(mark, "row", None) or number
        yield mark.value, Cell(value, formula, Location(display, row_number, SCORE, sheet=SHEET))


def check_identity(meta: dict[str, str], unit_at: Location, known_units: dict[str, str],
                   path: Path) -> list[Diagnostic]:
    """The workbook is of this format and for a unit being assessed."""
    if meta.get("format") != FORMAT:
        return [Diagnostic("E722", "评分工作簿的格式版本不对，不是本版 qingdan 生成的",
                           _whole(path), hint=REGENERATE)]
    unit = meta.get("unit", "")
    if unit not in known_units:
        name = meta.get("unit_name", "")
        shown = f"“{name}”（编号 {unit}）" if unit else f"“{name}”"
        listed = "、".join(known_units.values())
        return [Diagnostic("E723", f"评分工作簿的被考核单位{shown}不在单位名册中", unit_at,
                           hint=f"名册中的单位：{listed}；单位编号改过时，重新生成评分表")]
    return []


def check_structure(meta: dict[str, str], form: Form, inputs: dict[str, Cell],
                    path: Path) -> list[Diagnostic]:
    """E724 when the workbook was made for another version of the measures."""
    if meta.get("assessment") != form.assessment:
        return [Diagnostic(
            "E724", f"评分工作簿属于考核办法“{meta.get('assessment', '')}”，"
                    f"不是“{form.assessment}”", _whole(path), hint=REGENERATE)]
    if meta.get("structure") == form.structure():
        return []
    theirs = dict(_pairs(meta.get("structure", "")))
    ours = dict(_pairs(form.structure()))
    changes = []
    for name, value in ours.items():
        if name not in theirs:
            changes.append(f"缺少{_describe(name, value)}")
        elif theirs[name] != value:
            changes.append(_changed(name, theirs[name], value))
    changes += [f"多出{_describe(name, value)}" for name, value in theirs.items()
                if name not in ours]
    if not changes:
        changes = ["指标的顺序不同"]
    first = next((inputs[k].where for k in _keys(changes, ours, theirs) if k in inputs),
                 _whole(path))
    shown = "；".join(changes[:4]) + ("等" if len(changes) > 4 else "")
    return [Diagnostic("E724", f"评分工作簿的指标与当前考核办法不一致：{shown}", first,
                       hint=f"这份工作簿来自另一版本的考核办法；{REGENERATE}")]


def _pairs(structure: str) -> Iterator[tuple[str, str]]:
    for part in structure.split(";"):
        name, _, value = part.partition("=")
        if name:
            yield name, value


def _describe(name: str, value: str) -> str:
    kind, _, ident = name.partition(":")
    if kind == "i":
        return f"指标“{ident}”（{value}分）" if value else f"指标“{ident}”"
    if kind == "c":
        return f"组成部分“{ident}”（权重{value}%）"
    return f"一票否决事项“{ident}”"


def _changed(name: str, old: str, new: str) -> str:
    kind, _, ident = name.partition(":")
    if kind == "i":
        return f"指标“{ident}”的分值由{old}分改为{new}分"
    return f"组成部分“{ident}”的权重由{old}%改为{new}%"


def _keys(changes: list[str], ours: dict[str, str], theirs: dict[str, str]) -> Iterator[str]:
    """Input keys of the first changed rows, to point at one of them."""
    kinds = {"i": "indicator", "c": "component", "v": "veto"}
    for name in [*theirs, *ours]:
        if theirs.get(name) != ours.get(name):
            kind, _, ident = name.partition(":")
            yield f"{kinds.get(kind, kind)}:{ident}"


def read_scores(form: Form, inputs: dict[str, Cell], path: Path, unit_id: str,
                unit_name: str) -> tuple[Filled | None, list[Diagnostic]]:
    """Every score of a workbook whose structure matches, or all of its problems."""
    wanted = [f"indicator:{i.id}" for i in form.indicators]
    wanted += [f"component:{p.id}" for p in form.parts[1:]] + [f"veto:{v.id}" for v in form.vetoes]
    lost = [k for k in wanted if k not in inputs]
    if lost:
        return None, [Diagnostic(
            "E724", f"评分表中缺少 {len(lost)} 个填写栏（如“{lost[0]}”），行被删除或工作簿被改动过",
            Location(display_path(path), 0, 0, sheet=SHEET), hint=REGENERATE)]
    found: list[Diagnostic] = []
    indicators: dict[str, Decimal] = {}
    for item in form.indicators:
        value = _score(inputs[f"indicator:{item.id}"], item.points, f"第{item.no}项指标", found)
        if value is not None:
            indicators[item.id] = value
    parts: dict[str, Decimal] = {}
    for part in form.parts[1:]:
        value = _score(inputs[f"component:{part.id}"], form.total, part.name, found)
        if value is not None:
            parts[part.id] = value
    met: list[str] = []
    for veto in form.vetoes:
        if _answer(inputs[f"veto:{veto.id}"], veto.condition, found):
            met.append(veto.id)
    if found:
        return None, found
    return Filled(unit_id, unit_name, display_path(path), indicators, parts,
                  tuple(met)), []


def _score(cell: Cell, maximum: Decimal, what: str, found: list[Diagnostic]) -> Decimal | None:
    value = cell.value
    if cell.formula:
        found.append(Diagnostic("E729", f"{what}的得分是公式“{str(value)[:30]}”，应直接填数字",
                                cell.where, hint="删除公式，只填写得分数字"))
        return None
    if value is None or (isinstance(value, str) and not value.strip()):
        found.append(Diagnostic("E725", f"{what}没有填写得分", cell.where,
                                hint=f"填写 0 至 {show(maximum)} 之间的得分"))
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        shown = value.isoformat() if isinstance(value, datetime.date) else str(value)[:20]
        found.append(Diagnostic("E727", f"{what}的得分“{shown}”不是数字", cell.where,
                                hint="只填数字，不要带“分”字，也不要设成文本格式"))
        return None
    try:
        score = Decimal(str(value))
    except InvalidOperation:  # nan or inf cannot come from a cell, but be safe
        found.append(Diagnostic("E727", f"{what}的得分不是数字", cell.where))
        return None
    if score < 0 or score > maximum:
        found.append(Diagnostic(
            "E726", f"{what}的得分 {show(score)} 超出范围：应在 0 至 {show(maximum)} 分之间",
            cell.where, hint="得分不能为负数，也不能超过该项分值"))
        return None
    if (score * 2) != (score * 2).to_integral_value():
        found.append(Diagnostic("E728", f"{what}的得分 {show(score)} 不是 0.5 的倍数",
                                cell.where, hint="得分以 0.5 分为单位，例如 8、8.5"))
        return None
    return score


def _answer(cell: Cell, condition: str, found: list[Diagnostic]) -> bool | None:
    value = cell.value.strip() if isinstance(cell.value, str) else cell.value
    if cell.formula or value not in (YES, NO_, None, ""):
        found.append(Diagnostic(
            "E730", f"一票否决事项“{condition}”填的是“{str(value)[:20]}”，应填“{YES}”或“{NO_}”",
            cell.where, hint=f"发生该情形填“{YES}”，未发生填“{NO_}”"))
        return None
    if value in (None, ""):
        found.append(Diagnostic("E725", f"一票否决事项“{condition}”没有填写", cell.where,
                                hint=f"发生该情形填“{YES}”，未发生填“{NO_}”"))
        return None
    return value == YES

