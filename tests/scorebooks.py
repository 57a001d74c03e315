"""Filled scoring workbooks for tests: made by `qingdan sheets`, filled in as a scorer would.

A fill spec (a `NAME.xlsx.fill` file in a case folder, or a dict in a test) is a mapping:
  sheets: UNIT        the roster unit's workbook ("-": the project's own unit; "none": a
                      blank workbook, not made by qingdan)
  project: FOLDER     make it from another project folder (an older version), optional
  indicator:ID: 9.5   an input, by the key in its row's hidden column (component:ID,
                      veto:ID); null leaves it empty, "=…" writes a formula
  评分表!F4: 9.5      any cell, by sheet and reference (qingdan!B3 is the hidden sheet's)
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook, load_workbook

from qingdan.scoring.layout import KEY, SCORE, SHEET
from qingdan.scoring.run import render_sheets


def fill(data: bytes, values: dict[str, Any]) -> bytes:
    """The workbook with inputs (by key) and cells (by sheet!ref) set."""
    book = load_workbook(io.BytesIO(data))
    sheet = book[SHEET]
    rows = {sheet.cell(r, KEY).value: r for r in range(1, sheet.max_row + 1)}
    for name, value in values.items():
        if "!" in name:
            sheet_name, ref = name.split("!")
            book[sheet_name][ref].value = value
        else:
            sheet.cell(rows[name], SCORE).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def blank(values: dict[str, Any]) -> bytes:
    """A workbook not made by qingdan, with the given cells."""
    book = Workbook()
    book.active.title = SHEET
    for name, value in values.items():
        sheet_name, ref = name.split("!")
        book[sheet_name][ref].value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_MADE: dict[Path, dict[str, bytes]] = {}


def workbook_of(project: Path, unit: str) -> bytes:
    """The unchanged workbook `qingdan sheets` makes for a unit of a project."""
    key = project.resolve()
    if key not in _MADE:
        _MADE.clear()  # each case folder is new; keep one project's books at a time
        sheets, _ = render_sheets(project)
        _MADE[key] = {s.unit_id or "-": s.data for s in sheets}
    return _MADE[key][unit]


def filled(project: Path, spec: dict[str, Any]) -> bytes:
    """A workbook made and filled as the spec says (see the module docstring)."""
    values = dict(spec)
    unit = str(values.pop("sheets"))
    source = project / str(values.pop("project")) if "project" in values else project
    if unit == "none":
        return blank(values)
    return fill(workbook_of(source, unit), values)


def materialise_fills(folder: Path, project: Path) -> None:
    """Turn every NAME.xlsx.fill under folder into NAME.xlsx."""
    for spec in sorted(folder.rglob("*.xlsx.fill")):
        data = yaml.safe_load(spec.read_text("utf-8"))
        spec.with_suffix("").write_bytes(filled(project, data))
        spec.unlink()
