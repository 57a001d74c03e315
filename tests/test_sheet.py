"""The scoring sheet (考核评分表) of the bundled assessment."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from pdfmeasure import MM, lines, to_pdf
from qingdan.load.project import load_project
from qingdan.model import evolve
from qingdan.render.docx import has_indicators, sheet_rows
from test_pdf_layout import needs_office


def cell_texts(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def test_sheet_rows_groups_and_total(sheet_docx):
    document = docx.Document(str(sheet_docx))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[0] == "清河县粮食局意识形态工作责任制考核评分表"
    assert texts[1].startswith("被考核单位：清河县粮食局") and "考核时间" in texts[1]
    [table] = document.tables
    rows = cell_texts(table)
    assert rows[0] == ["序号", "考核项目", "考核内容", "评分标准", "分值", "得分"]
    assert [r[0] for r in rows[1:-1]] == [str(i) for i in range(1, 8)]
    assert [r[4] for r in rows[1:-1]] == ["10", "10", "10", "20", "20", "20", "10"]
    assert rows[-1][0] == "合计" and rows[-1][4] == "100"
    # The three parts of 落实主体责任 share one merged 考核项目 cell.
    first_column = [row._tr.tc_lst[1] for row in table.rows[1:5]]
    merges = [tc.tcPr.find(qn("w:vMerge")) for tc in first_column]
    assert [m.get(qn("w:val")) for m in merges] == ["restart", "continue", "continue", "restart"]
    assert rows[1][1] == "落实主体责任（30分）"
    assert rows[4][1] == "书记履行第一责任人职责（20分）"
    assert rows[1][3] == "未纳入年度考核的扣5分；未制定年度工作计划的扣5分。"


def test_sheet_is_landscape_when_it_has_criteria(sheet_docx):
    section = docx.Document(str(sheet_docx)).sections[0]
    assert section.page_width > section.page_height
    assert abs(section.page_width.mm - 297) < 0.1 and abs(section.page_height.mm - 210) < 0.1


@pytest.fixture(scope="module")
def sheet_pdf(sheet_docx, tmp_path_factory):
    return to_pdf(sheet_docx, tmp_path_factory.mktemp("sheet-pdf"))


@needs_office
def test_sheet_fits_the_page_width(sheet_pdf):
    info = subprocess.run(["pdfinfo", str(sheet_pdf)], capture_output=True, text=True).stdout
    width, _, height = info.split("Page size:")[1].split()[:3]
    assert float(width) > float(height)  # landscape A4, 842 × 595 pt
    _, found = lines(sheet_pdf)
    left, right = 37 * MM, (297 - 35) * MM
    for ln in found:
        assert left - 1 <= ln.x0 and ln.x1 <= right + 1, ln


def test_criteria_take_placeholders_and_lints(tmp_path):
    import shutil

    from conftest import EXAMPLE, run_cli

    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project)
    source = project / "意识形态工作责任制考核办法.yaml"
    source.write_text(source.read_text("utf-8").replace(
        "criteria: 每少一次扣5分。", "criteria: 每少一次扣5分,由{{ unit.short }}党委办公室核定。"), "utf-8")
    result = run_cli("build", str(project), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "warning[W901]: 中文中的半角标点“,”应为全角“，”" in result.stderr
    sheet = docx.Document(str(tmp_path / "out" / "清河县粮食局意识形态工作责任制考核评分表.docx"))
    cells = [c.text for row in sheet.tables[0].rows for c in row.cells]
    assert "每少一次扣5分,由局党委办公室核定。" in cells


@pytest.mark.parametrize("folder", ["checklists/example", "checklists/example-2025",
                                    "tests/fixtures/structures"])
def test_a_scoring_sheet_exists_exactly_when_a_node_carries_points(folder):
    """has_indicators decides whether a measures gets a sheet without building its rows."""
    project, _ = load_project(Path(__file__).parent.parent / folder)
    seen = set()
    for doc in project.measures:
        without = evolve(doc, content=tuple(_unpointed(n) for n in doc.content))
        for measures in (doc, without):
            seen.add(has_indicators(measures))
            assert has_indicators(measures) == bool(sheet_rows(measures))
    assert seen == {True, False} or folder == "tests/fixtures/structures"


def _unpointed(node):
    return evolve(node, points=None, children=tuple(_unpointed(c) for c in node.children))
