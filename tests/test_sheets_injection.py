"""Issue 23: text from the sources is data in every workbook and CSV qingdan writes, never a
formula: unit names such as =HYPERLINK(…) or =cmd|… reach the cells as the text they are."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from conftest import office_missing, run_cli
from scorebooks import fill, workbook_of

HOSTILE = {
    "link": '=HYPERLINK("http://example.com","x")',
    "dde": "=cmd|' /C calc'!A0",
    "plus": "+1+1",
    "minus": "-2+3",
    "at": "@SUM(1)",
}

PROJECT = {
    "qingdan.yaml": "unit:\n  name: 清河县粮食局\n  short: 局\n  body: 党委\n",
    "考核办法.yaml": """\
kind: assessment
title: "=1+1{{ unit.name }}考核办法"
numbering: outline
content:
  - id: neirong
    heading: "=SUM(9,9)考核内容"
    points: 100
    items:
      - {id: zhize, heading: "@履行职责", text: "=2*3 每年向{{ unit.superior }}报告", points: 60,
         criteria: "-每缺一项扣5分。"}
      - {id: zuzhi, heading: 组织建设, points: 40, criteria: "+每少一次扣2分。"}
scoring:
  total: 100
  components:
    - {id: mubiao, name: "=目标考核", weight: 70}
    - {id: ceping, name: "@民主测评", weight: 30}
  grades:
    - {name: 优秀, min: 90}
    - {name: 一般, below: 90}
  vetoes:
    - {id: shigu, condition: "=发生重大责任事件", cap: 一般}
""",
    "清单.yaml": """\
kind: list
title: "{{ unit.name }}责任清单"
topic: 党建工作
roles:
  committee:
    items:
      - {id: yanjiu, text: 定期研究工作。}
      - {id: jiancha, text: 开展督促检查。}
""",
}


def roster() -> str:
    units = []
    for ident, name in HOSTILE.items():
        units.append({"id": ident, "name": name, "body": "党支部", "superior": "=局党委",
                      "overlays": {"清单": [{"replace": "jiancha", "text": f"{name}开展检查。"}]}})
    return yaml.safe_dump({"kind": "roster", "units": units}, allow_unicode=True)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("injection") / "项目"
    root.mkdir()
    for name, text in PROJECT.items():
        (root / name).write_text(text, "utf-8")
    (root / "名册.yaml").write_text(roster(), "utf-8")
    return root


@pytest.fixture(scope="module")
def sheets(project, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sheets")
    result = run_cli("sheets", str(project), "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def results(project, tmp_path_factory) -> Path:
    books = tmp_path_factory.mktemp("filled")
    for ident in HOSTILE:
        values = {"indicator:zhize": 50, "indicator:zuzhi": 40, "component:ceping": 90,
                  "veto:shigu": "是" if ident == "dde" else "否"}
        (books / f"{ident}.xlsx").write_bytes(fill(workbook_of(project, ident), values))
    out = tmp_path_factory.mktemp("results")
    result = run_cli("score", str(books), "--project", str(project), "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


# The only formulas a scoring workbook has: its own sums and products, over its own cells.
OWN_FORMULA = re.compile(r"SUM\(F\d+:F\d+(,F\d+:F\d+)*\)|F\d+|F\d+\*E\d+|SUM\(G\d+:G\d+\)")


def sheet_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as package:
        return {n: package.read(n).decode() for n in package.namelist()
                if n.startswith("xl/worksheets/") and n.endswith(".xml")}


def formulas(path: Path) -> list[str]:
    return [f for xml in sheet_xml(path).values() for f in re.findall(r"<f[^>]*>([^<]*)</f>", xml)]


def string_cells(path: Path) -> list[str]:
    """Every text a workbook holds, as openpyxl reads it, with its data type checked."""
    book = load_workbook(path)
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.data_type != "f":
                    assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value)
                    texts.append(cell.value)
    return texts


def test_sheets_write_hostile_names_as_text(sheets):
    books = sorted(sheets.glob("*.xlsx"))
    assert len(books) == len(HOSTILE)
    for book in books:
        assert all(OWN_FORMULA.fullmatch(f) for f in formulas(book)), formulas(book)
        texts = string_cells(book)
        joined = "\n".join(texts)
        assert texts[0].startswith("=1+1") and "@履行职责（60分）" in texts
        assert "=2*3每年向=局党委报告" in texts and f"被考核单位：{texts[0][4:-5]}" in joined
        assert "=目标考核" in texts and "@民主测评" in texts and "=发生重大责任事件" in texts
        assert "-每缺一项扣5分。" in texts and "+每少一次扣2分。" in texts
        # the hidden sheet names the unit as it is, as text too
        book_unit = load_workbook(book)["qingdan"]["B4"]
        assert book_unit.value in HOSTILE.values() and book_unit.data_type == "s"
    names = {load_workbook(b)["qingdan"]["B4"].value for b in books}
    assert names == set(HOSTILE.values())
    raw = "".join(x for b in books for x in sheet_xml(b).values())
    assert "<f>HYPERLINK" not in raw and "<f>cmd" not in raw and "<f>1+1" not in raw
    # the raw sheet XML: the name as an inline string, not as a formula
    assert re.search(r't="inlineStr"><is><t>=HYPERLINK\((&quot;|")http://example.com', raw)
    assert re.search(r't="inlineStr"><is><t>=cmd\|', raw)


def test_results_workbook_has_no_formula_at_all(results):
    [book] = results.glob("*.xlsx")
    assert formulas(book) == []
    texts = string_cells(book)
    for name in HOSTILE.values():
        assert name in texts
    assert "=目标考核" in texts and "@民主测评" in texts


def test_report_csv_neutralises_formula_starts(project, tmp_path):
    target = tmp_path / "差异.csv"
    result = run_cli("report", str(project), "-o", str(target))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    units = {row[0] for row in rows[1:]}
    assert units == {"'" + name for name in HOSTILE.values()}
    for row in rows:
        for field in row:
            assert not field.startswith(("=", "+", "-", "@", "\t", "\r")), row
    details = {row[4] for row in rows[1:]}
    assert any(d.startswith("'=HYPERLINK(") or "=HYPERLINK(" in d for d in details)


def test_neutral_covers_tab_and_carriage_return():
    from qingdan.diff.report import neutral

    assert neutral("\t=1") == "'\t=1" and neutral("\r=1") == "'\r=1"
    assert neutral("正常文字") == "正常文字" and neutral("a=1") == "a=1"


def soffice_to(target: str, files: list[Path], out: Path) -> None:
    """Convert with LibreOffice in a private profile (tests/pdfmeasure.to_pdf's way)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice is not None
    profile = out / "profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", target, "--outdir", str(out), *map(str, files)],
                   check=True, capture_output=True, timeout=300,
                   env={"HOME": str(profile), "PATH": "/usr/bin:/bin"})


@pytest.mark.skipif(office_missing() is not None, reason="LibreOffice missing")
def test_libreoffice_prints_the_names_literally(sheets, results, project, tmp_path):
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice missing")
    report = tmp_path / "差异.csv"
    assert run_cli("report", str(project), "-o", str(report)).exit_code == 0
    book = sorted(sheets.glob("*.xlsx"))[0]
    [summary] = results.glob("*.xlsx")
    work = tmp_path / "in"
    work.mkdir()
    copies = [work / "sheet.xlsx", work / "results.xlsx", work / "report.csv"]
    for source, copy in zip((book, summary, report), copies, strict=True):
        copy.write_bytes(source.read_bytes())
    soffice_to("pdf", copies, tmp_path)
    text = {c.stem: subprocess.run(["pdftotext", "-raw", str(tmp_path / f"{c.stem}.pdf"), "-"],
                                   capture_output=True, text=True, check=True).stdout
            for c in copies}
    one = load_workbook(book)["qingdan"]["B4"].value
    assert one in text["sheet"].replace("\n", "")
    flat = text["results"].replace("\n", "")
    for name in HOSTILE.values():
        assert name in flat, name
    assert "#NAME" not in flat and "Err:" not in flat
    flat = text["report"].replace("\n", "")
    for name in HOSTILE.values():
        assert name in flat, name
    assert "#NAME" not in flat and "Err:" not in flat
