"""The assessment run: scoring workbooks out, filled workbooks in, grades, ranks, the notice."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from conftest import EXAMPLE, run_cli
from docxread import run_fonts
from scorebooks import fill, workbook_of

PROJECT = {
    "qingdan.yaml": """\
unit:
  name: 清河县粮食局
  short: 局
  body: 党委
""",
    "名册.yaml": """\
kind: roster
units:
  - {id: a, name: 甲单位, body: 党支部}
  - {id: b, name: 乙单位, body: 党支部}
  - {id: c, name: 丙单位, body: 党支部}
  - {id: d, name: 丁单位, body: 党支部}
  - {id: e, name: 戊单位, body: 党支部}
  - {id: f, name: 己单位, body: 党支部}
""",
    "考核办法.yaml": """\
kind: assessment
title: "{{ unit.name }}党建工作考核办法"
numbering: outline
content:
  - id: neirong
    heading: 考核内容
    points: 100
    items:
      - {id: zhize, heading: 履行职责, points: 60, criteria: 每缺一项扣5分。}
      - {id: zuzhi, heading: 组织建设, points: 40, criteria: 每少一次扣2分。}
  - id: dengci
    heading: 考核等次
    text: 综合得分＝{{ formula }}。考核得分{{ grades }}。{{ vetoes }}。
scoring:
  total: 100
  components:
    - {id: mubiao, name: 目标考核, weight: 70}
    - {id: ceping, name: 民主测评, weight: 30}
  grades:
    - {name: 优秀, min: 90}
    - {name: 良好, min: 80, below: 90}
    - {name: 一般, min: 60, below: 80}
    - {name: 较差, below: 60}
  vetoes:
    - {id: shigu, condition: 发生重大责任事件, cap: 良好}
    - {id: chufen, condition: 班子成员受到党纪处分, exclude: true}
""",
    "通报.yaml": """\
kind: results
mark: 中共清河县粮食局委员会文件
number: 清粮党发〔2025〕2号
title: 关于2024年度党建工作考核结果的通报
recipients: 局属各单位党组织：
body: |
  根据{{ assessment }}，局党委对{{ count }}个单位进行了考核，综合评定{{ summary }}。现通报如下：
  {{ results }}
  希望各单位认真抓好整改。
signature: 中共清河县粮食局委员会
date: 2025-01-15
copy_to: 县委组织部
""",
}

# unit -> (职责, 组织, 民主测评, 重大事件, 处分): composites 90, 89.5, 89.5, 99.4, 71.5, 75.
SCORES = {
    "a": (55, 35, 90, "否", "否"),       # 90: the lowest 优秀
    "b": (54.5, 35, 89.5, "否", "否"),   # 89.5: 良好, not 优秀 and not in a gap
    "c": (55, 34.5, 89.5, "否", "否"),   # 89.5 again: tied with b
    "d": (60, 40, 98, "是", "否"),       # the top scorer, capped at 良好 by a veto
    "e": (40, 30, 75, "否", "否"),       # 71.5: 一般
    "f": (45, 30, 75, "否", "是"),       # excluded: 不作为考核对象
}


def make_project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in PROJECT.items():
        (root / name).write_text(text, "utf-8")
    return root


def filled_book(project: Path, unit: str, **override: object) -> bytes:
    zhize, zuzhi, ceping, shigu, chufen = SCORES[unit]
    values: dict[str, object] = {"indicator:zhize": zhize, "indicator:zuzhi": zuzhi,
                                 "component:ceping": ceping, "veto:shigu": shigu,
                                 "veto:chufen": chufen}
    values.update({k.replace("__", ":"): v for k, v in override.items()})
    return fill(workbook_of(project, unit), values)


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> tuple[Path, Path, object]:
    """The six units' workbooks filled, scored once: (project, output folder, result)."""
    root = tmp_path_factory.mktemp("scoring")
    project = make_project(root / "项目")
    books = root / "评分"
    books.mkdir()
    for unit in SCORES:
        (books / f"{unit}.xlsx").write_bytes(filled_book(project, unit))
    out = root / "结果"
    result = run_cli("score", str(books), "--project", str(project), "-o", str(out))
    assert result.exit_code == 0, result.output
    return project, out, result


def results_rows(out: Path) -> list[tuple]:
    [book] = out.glob("*.xlsx")
    sheet = load_workbook(book)["考核结果"]
    return [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=3)]


def test_grades_ranks_ties_and_vetoes(scored):
    _, out, _ = scored
    rows = {r[1]: r for r in results_rows(out)}
    # 名次, 单位, 目标考核, 民主测评, 综合得分, 等次, 说明
    assert rows["甲单位"][:6] == (1, "甲单位", 90, 90, 90, "优秀")
    assert rows["丁单位"][:6] == (2, "丁单位", 100, 98, 99.4, "良好")
    assert "按得分为“优秀”" in rows["丁单位"][6] and "发生重大责任事件" in rows["丁单位"][6]
    assert rows["乙单位"][0] == rows["丙单位"][0] == 3  # tied at 89.5
    assert rows["乙单位"][4] == rows["丙单位"][4] == 89.5
    assert rows["乙单位"][5] == rows["丙单位"][5] == "良好"
    assert rows["戊单位"][:1] == (5,) and rows["戊单位"][5] == "一般"
    assert rows["己单位"][0] == "—" and rows["己单位"][5] == "不作为考核对象"
    order = [r[1] for r in results_rows(out)]
    assert order == ["甲单位", "丁单位", "乙单位", "丙单位", "戊单位", "己单位"]


def test_terminal_shows_the_ranking(scored):
    _, _, result = scored
    first, *lines = result.stdout.splitlines()
    assert result.stderr.splitlines()[0] == f"项目：{scored[0]}（由 --project 指定）"
    assert first.startswith("名次")
    assert "丁单位" in lines[1] and "99.4" in lines[1] and "良好" in lines[1]
    assert any("己单位" in ln and "不作为考核对象" in ln for ln in lines)


def test_indicator_sheet_lists_every_unit(scored):
    _, out, _ = scored
    [book] = out.glob("*.xlsx")
    sheet = load_workbook(book)["指标得分"]
    assert [c.value for c in sheet[2]][4:] == ["甲单位", "乙单位", "丙单位", "丁单位",
                                              "戊单位", "己单位"]
    assert [c.value for c in sheet[3]][3:6] == [60, 55, 54.5]
    assert [c.value for c in sheet[5]][0] == "合计"


def notice_path(out: Path) -> Path:
    [path] = out.glob("*.docx")
    return path


def test_notice_lists_units_by_grade(scored):
    _, out, _ = scored
    path = notice_path(out)
    assert path.name == "关于2024年度党建工作考核结果的通报.docx"
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert "中共清河县粮食局委员会文件" in texts
    body = "\n".join(texts)
    assert ("根据《清河县粮食局党建工作考核办法》，局党委对6个单位进行了考核，综合评定"
            "优秀1个、良好3个、一般1个、不作为考核对象1个。现通报如下：") in body
    start = texts.index("优秀（1个）：甲单位。")
    assert texts[start:start + 6] == [
        "优秀（1个）：甲单位。",
        "良好（3个）：丁单位、乙单位、丙单位。",
        "一般（1个）：戊单位。",
        "丁单位存在“发生重大责任事件”的情形，按规定不得评为“优秀”。",
        "己单位存在“班子成员受到党纪处分”的情形，按规定不作为考核对象。",
        "希望各单位认真抓好整改。"]
    assert "附件：各单位考核得分情况" in texts
    table = document.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["名次", "单位", "目标考核", "民主测评",
                                                    "综合得分", "等次"]
    assert [c.text for c in table.rows[2].cells] == ["2", "丁单位", "100", "98", "99.4", "良好"]
    for fonts in run_fonts(table._tbl):
        assert fonts.get("eastAsia"), "every run of the table names its East Asian font"


def test_notice_embeds_the_chart_as_a_picture(scored):
    _, out, _ = scored
    with zipfile.ZipFile(notice_path(out)) as package:
        names = package.namelist()
        assert "word/media/qingdan-chart1.png" in names
        png = package.read("word/media/qingdan-chart1.png")
        rels = package.read("word/_rels/document.xml.rels").decode()
        types = package.read("[Content_Types].xml").decode()
        body = package.read("word/document.xml").decode()
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    assert 'Target="media/qingdan-chart1.png"' in rels and "relationships/image" in rels
    assert 'PartName="/word/media/qingdan-chart1.png" ContentType="image/png"' in types
    assert 'r:embed="rIdQingdanChart1"' in body
    # python-docx resolves the picture through the relationship, as Word does.
    document = docx.Document(str(notice_path(out)))
    assert any(r.reltype.endswith("/image") for r in document.part.rels.values())


def test_outputs_are_reproducible(scored, tmp_path):
    project, out, _ = scored
    books = out.parent / "评分"
    again = tmp_path / "again"
    result = run_cli("score", str(books), "--project", str(project), "-o", str(again))
    assert result.exit_code == 0
    for path in out.iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name
    result = run_cli("score", str(books), "--project", str(project), "-o", str(out))
    assert result.output.count("未变化") == 2


def test_the_results_notice_is_printed_as_the_project_prints(scored, tmp_path):
    """printing: {sides: simplex} in qingdan.yaml: the 考核结果通报 keeps its 版记 at the
    foot of its last page (one section), as build's notices do; by default (duplex) the
    版记 has a section of its own that starts on an even page."""
    project, out, _ = scored
    assert len(docx.Document(str(notice_path(out))).sections) == 2
    simplex = tmp_path / "单面"
    shutil.copytree(project, simplex)
    config = simplex / "qingdan.yaml"
    config.write_text(config.read_text("utf-8") + "printing:\n  sides: simplex\n", "utf-8")
    again = tmp_path / "结果"
    result = run_cli("score", str(out.parent / "评分"), "--project", str(simplex),
                     "-o", str(again))
    assert result.exit_code == 0, result.output
    assert len(docx.Document(str(notice_path(again))).sections) == 1


def test_every_workbook_problem_is_reported_in_one_run(tmp_path):
    project = make_project(tmp_path / "项目")
    books = tmp_path / "评分"
    books.mkdir()
    (books / "甲.xlsx").write_bytes(filled_book(project, "a", indicator__zuzhi=None))
    (books / "乙.xlsx").write_bytes(filled_book(project, "b", indicator__zhize=61))
    (books / "丙.xlsx").write_bytes(filled_book(project, "c", component__ceping="九十"))
    (books / "丁.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    out = tmp_path / "结果"
    out.mkdir()
    (out / "旧结果.txt").write_text("上次的结果", "utf-8")
    result = run_cli("score", str(books), "--project", str(project), "-o", str(out),
                     cwd=tmp_path)
    assert result.exit_code == 1
    errors = [ln for ln in result.stderr.splitlines() if "error[" in ln]
    assert errors == [
        "评分/丁.xlsx: error[E721]: 无法读取评分工作簿：不是 .xlsx 文件（可能是 .xls、已加密，或已损坏）",
        "评分/丙.xlsx!评分表!F10: error[E727]: 民主测评的得分“九十”不是数字",
        "评分/乙.xlsx!评分表!F4: error[E726]: 第1项指标的得分 61 超出范围：应在 0 至 60 分之间",
        "评分/甲.xlsx!评分表!F5: error[E725]: 第2项指标没有填写得分",
    ]
    assert "失败：发现 4 个错误，未生成任何文件。" in result.stderr
    assert [p.name for p in out.iterdir()] == ["旧结果.txt"]  # nothing written


def test_huge_and_hostile_workbooks_are_refused_quickly(tmp_path):
    from qingdan.scoring import read

    big = tmp_path / "大.xlsx"
    big.write_bytes(b"\0" * (read.MAX_BYTES + 1))
    bomb = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (read.MAX_UNZIPPED + 1))
    for path, why in ((big, "超过 5 MB 的上限"), (bomb, "解压后的内容过大")):
        found = read.read_cells(path)
        assert found.code == "E721" and why in found.message  # type: ignore[union-attr]


def test_rows_past_the_limit_are_not_read(tmp_path):
    """A workbook padded with a great many rows is read up to MAX_ROWS, no further."""
    from qingdan.scoring import read

    project = make_project(tmp_path / "项目")
    book = load_workbook(io.BytesIO(filled_book(project, "a")))
    sheet = book["评分表"]
    sheet.cell(read.MAX_ROWS + 5, 8, "indicator:zhize")  # a key no reader should reach
    path = tmp_path / "甲.xlsx"
    book.save(path)
    meta, inputs, _ = read.read_cells(path)  # type: ignore[misc]
    assert inputs["indicator:zhize"].where.line == 4


def test_sheets_writes_a_protected_validated_workbook_per_unit(tmp_path):
    result = run_cli("sheets", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["清河县粮食局机关.xlsx", "清河县粮食质量监测站.xlsx",
                            "清河县粮食购销总公司.xlsx", "清河县储备粮库.xlsx"])
    book = load_workbook(tmp_path / "清河县粮食局机关.xlsx")
    assert book.sheetnames == ["评分表", "qingdan"]
    assert book["qingdan"].sheet_state == "veryHidden"
    sheet = book["评分表"]
    assert sheet["A1"].value == "清河县粮食局机关意识形态工作责任制考核评分表"
    assert sheet["A2"].value == "被考核单位：清河县粮食局机关"
    assert [c.value for c in sheet[3]][:7] == ["序号", "考核项目", "考核内容", "评分标准",
                                              "分值", "得分", "备注"]
    # The rows and the text of the .docx sheet (render.docx.sheet_rows), the group merged.
    assert [sheet.cell(r, 5).value for r in range(4, 7)] == [10, 10, 10]
    assert sheet["D4"].value == "未纳入年度考核的扣5分；未制定年度工作计划的扣5分。"
    assert "B4:B7" in {str(m) for m in sheet.merged_cells.ranges}
    assert sheet["C7"].value == "小计" and sheet["F7"].value == "=SUM(F4:F6)"
    assert sheet["B8"].value == "书记履行第一责任人职责（20分）"
    total = next(r for r in range(1, 40) if str(sheet.cell(r, 1).value).startswith("合计"))
    assert sheet.cell(total, 6).value == "=SUM(F4:F6,F8:F11)"
    # Inputs: unlocked, validated 0..max in halves; everything else protected.
    assert sheet.protection.sheet
    assert not sheet["F4"].protection.locked and not sheet["G4"].protection.locked
    assert sheet["E4"].protection.locked and sheet["F7"].protection.locked
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert rules["F4"].formula1 == "AND(ISNUMBER(F4),F4>=0,F4<=10,MOD(F4*2,1)=0)"
    assert rules["F4"].showErrorMessage
    keys = {sheet.cell(r, 8).value: r for r in range(1, sheet.max_row + 1)}
    ceping, veto = keys["component:ceping"], keys["veto:zhongda-shijian"]
    assert not sheet.cell(ceping, 6).protection.locked
    assert sheet.cell(veto, 3).value == "发生意识形态领域重大责任事件"
    assert sheet.cell(veto, 7).value == "不得评为“优秀”"
    assert any(v.type == "list" and v.formula1 == '"是,否"' and f"F{veto}" in str(v.sqref)
               for v in sheet.data_validations.dataValidation)
    assert sheet.column_dimensions["H"].hidden
    # Print: A4 landscape, one page wide; Chinese fonts.
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.page_setup.fitToWidth == 1
    assert sheet["A1"].font.name == "方正小标宋简体" and sheet["C4"].font.name == "仿宋_GB2312"
    again = tmp_path / "again"
    run_cli("sheets", "-o", str(again))
    for path in tmp_path.glob("*.xlsx"):
        assert (again / path.name).read_bytes() == path.read_bytes()


def test_example_text_states_the_vetoes(example_dir):
    from docxread import paragraphs

    [measures] = example_dir.glob("*考核办法.docx")
    text = "".join(p.text for p in paragraphs(measures))
    assert ("发生意识形态领域重大责任事件的，不得评为“优秀”；领导班子成员因意识形态工作失职失责"
            "受到党纪政务处分的，不作为考核对象。") in text


def test_the_readme_session_on_the_bundled_samples(tmp_path):
    samples = EXAMPLE / "考核评分"
    result = run_cli("score", str(samples), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert result.stderr == "项目：checklists/example（评分工作簿所在的文件夹或其上级）\n"
    assert [ln.split()[1] for ln in lines[1:5]] == [
        "清河县粮食局机关", "清河县粮食购销总公司", "清河县粮食质量监测站", "清河县储备粮库"]
    assert [ln.split()[-1] for ln in lines[1:5]] == ["优秀", "良好", "良好", "一般"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "关于2024年度意识形态工作责任制考核结果的通报.docx",
        "意识形态工作责任制考核结果汇总表.xlsx"]


def test_bundled_samples_match_the_current_measures():
    """The samples were made from this version (regenerate with their script otherwise)."""
    from qingdan.scoring.run import render_sheets

    sheets, _ = render_sheets(EXAMPLE)
    for sheet in sheets:
        fresh = load_workbook(io.BytesIO(sheet.data))["qingdan"]
        sample = load_workbook(EXAMPLE / "考核评分" / sheet.name)["qingdan"]
        assert [c.value for c in sample["B"]] == [c.value for c in fresh["B"]]


def test_grading_is_exact_at_band_edges():
    from qingdan.diagnostics import Location
    from qingdan.model import Band, Component, Scoring, Text
    from qingdan.scoring.grade import Filled, band_of, grade_one

    here = Location("x")
    bands = (Band("优秀", here, lower=90), Band("良好", here, 80, True, 90, False),
             Band("一般", here, upper=80, upper_inclusive=False))
    assert band_of(Decimal("90"), list(bands)).name == "优秀"  # type: ignore[union-attr]
    assert band_of(Decimal("89.5"), list(bands)).name == "良好"  # type: ignore[union-attr]
    assert band_of(Decimal("79.5"), list(bands)).name == "一般"  # type: ignore[union-attr]
    parts = tuple(Component(i, Text(n, here), w, here, here)
                  for i, n, w in (("mubiao", "目标考核", 60), ("ceping", "民主测评", 30),
                                  ("shuzhi", "述职评议", 10)))
    scoring = Scoring(here, total=100, components=parts, bands=bands)
    # 84.5 × 60% + 100 × 30% + 93 × 10% is 90 exactly, but 89.99999999999999 in floats.
    assert 84.5 * 0.6 + 100 * 0.3 + 93 * 0.1 < 90
    unit = Filled("u", "某单位", "u.xlsx", {"a": Decimal("84.5")},
                  {"ceping": Decimal(100), "shuzhi": Decimal(93)}, ())
    graded = grade_one(scoring, unit)
    assert graded.composite == 90 and graded.grade == "优秀"


needs_calc = pytest.mark.skipif(
    (shutil.which("soffice") is None
     or not Path("/usr/lib/libreoffice/program/libsclo.so").exists()) and not os.environ.get("CI"),
    reason="LibreOffice Calc is not installed (scripts/test.sh installs it)")


@needs_calc
def test_a_workbook_saved_by_libreoffice_reads_back_the_same(scored, tmp_path):
    project, out, _ = scored
    books = out.parent / "评分"
    converted = tmp_path / "评分"
    converted.mkdir()
    soffice = shutil.which("soffice") or "soffice"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--calc",
             "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(converted),
             *map(str, sorted(books.glob("*.xlsx")))],
            check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": profile})
    assert len(list(converted.glob("*.xlsx"))) == len(SCORES)
    for path in converted.glob("*.xlsx"):  # really rewritten by Calc, not copied
        assert path.read_bytes() != (books / path.name).read_bytes()
    again = tmp_path / "结果"
    result = run_cli("score", str(converted), "--project", str(project), "-o", str(again))
    assert result.exit_code == 0, result.output
    assert results_rows(again) == results_rows(out)


def _mangled(data: bytes, member: str, position: int, junk: bytes) -> bytes:
    """The workbook with junk written into one of its XML parts at a position."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            payload = source.read(info.filename)
            if info.filename == member:
                at = position % max(len(payload), 1)
                payload = payload[:at] + junk + payload[at + len(junk):]
            target.writestr(info.filename, payload)
    return out.getvalue()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(member=st.sampled_from(["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
                               "xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml",
                               "xl/sharedStrings.xml"]),
       position=st.integers(min_value=0, max_value=20_000),
       junk=st.binary(min_size=1, max_size=12))
def test_a_damaged_workbook_gives_diagnostics_not_a_traceback(fuzz_books, member, position,
                                                              junk):
    project, books, good = fuzz_books
    (books / "乙.xlsx").write_bytes(_mangled(good, member, position, junk))
    result = run_cli("score", str(books), "--project", str(project), "-o",
                     str(books.parent / "结果"))
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert "error[E7" in result.stderr


@pytest.fixture(scope="module")
def fuzz_books(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    project = make_project(root / "项目")
    (project / "名册.yaml").write_text(
        "kind: roster\nunits:\n  - {id: a, name: 甲单位, body: 党支部}\n"
        "  - {id: b, name: 乙单位, body: 党支部}\n", "utf-8")
    books = root / "评分"
    books.mkdir()
    (books / "甲.xlsx").write_bytes(filled_book(project, "a"))
    return project, books, filled_book(project, "b")


def test_the_results_line_must_stand_alone(tmp_path):
    project = make_project(tmp_path / "项目")
    source = project / "通报.yaml"
    source.write_text(source.read_text("utf-8").replace(
        "现通报如下：\n  {{ results }}", "现通报如下：{{ results }}"), "utf-8")
    books = tmp_path / "评分"
    books.mkdir()
    for unit in SCORES:
        (books / f"{unit}.xlsx").write_bytes(filled_book(project, unit))
    result = run_cli("score", str(books), "--project", str(project), "-o", str(tmp_path / "o"),
                     cwd=tmp_path)
    assert result.exit_code == 1
    assert "项目/通报.yaml:7:" in result.stderr
    assert "error[E735]: {{ results }} 须单独写成一行（一段）" in result.stderr
    assert not (tmp_path / "o").exists()


def test_without_a_roster_the_project_unit_is_assessed(tmp_path):
    project = make_project(tmp_path / "项目")
    (project / "名册.yaml").unlink()
    (project / "通报.yaml").unlink()
    result = run_cli("sheets", str(project), "-o", str(tmp_path / "表"))
    assert result.exit_code == 0, result.output
    [book] = (tmp_path / "表").iterdir()
    assert book.name == "清河县粮食局.xlsx"
    book.write_bytes(fill(book.read_bytes(), {
        "indicator:zhize": 50, "indicator:zuzhi": 40, "component:ceping": 80,
        "veto:shigu": "否", "veto:chufen": "否"}))
    result = run_cli("score", str(tmp_path / "表"), "--project", str(project),
                     "-o", str(tmp_path / "果"))
    assert result.exit_code == 0, result.output
    assert "1  清河县粮食局" in result.stdout and "87  良好" in result.stdout
    assert "没有考核结果通报源文件" in result.stderr
    assert [p.name for p in (tmp_path / "果").iterdir()] == ["考核结果汇总表.xlsx"]


def test_many_units_are_charted_as_a_distribution():
    """A bar per unit while bars stay readable; past BAR_LIMIT, units per score interval."""
    from qingdan.scoring import chart
    from qingdan.scoring.grade import Graded

    def unit(i: int) -> Graded:
        score = Decimal(60 + i % 40)
        grade = "优秀" if score >= 90 else "良好"
        return Graded(f"u{i}", f"第{i}站", "", {}, score, (), score, grade, grade, (), False, i)

    few = chart.score_chart([unit(i) for i in range(4)], ["优秀", "良好"], 100, [(90, "优秀")])
    many = chart.score_chart([unit(i) for i in range(200)], ["优秀", "良好"], 100,
                             [(90, "优秀")])
    assert few is not None and many is not None
    assert few[0].startswith(b"\x89PNG") and many[0].startswith(b"\x89PNG")
    assert few[1] == pytest.approx((1.5 + 0.3 * 4) / chart.WIDTH_IN)
    assert many[1] == pytest.approx(3.8 / chart.WIDTH_IN)  # not 200 bars squeezed onto a page


def test_fmt_fixes_the_results_source_too(tmp_path):
    project = tmp_path / "example"
    shutil.copytree(EXAMPLE, project)
    source = project / "考核结果通报.yaml"
    source.write_text(source.read_text("utf-8").replace("通报如下：", "通报如下:"), "utf-8")
    books = project / "考核评分"
    result = run_cli("score", str(books), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0 and "warning[W901]" in result.stderr
    assert run_cli("fmt", str(project)).exit_code == 0
    assert "通报如下：" in source.read_text("utf-8")
