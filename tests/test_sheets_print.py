"""Issue 24: the workbooks print cleanly. LibreOffice Calc turns them into PDF; pdftotext
reads every word's box back: every character of every 说明 and 考核内容 is printed, no word
lies on another, every word stays inside its row (the rows' heights are the workbook's,
scaled as the page is), and the header row is repeated on every page."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from lxml import etree
from openpyxl import load_workbook

from conftest import EXAMPLE, office_missing, run_cli
from scorebooks import fill, workbook_of

pytestmark = pytest.mark.skipif(
    office_missing() is not None or shutil.which("pdftotext") is None,
    reason="LibreOffice or poppler missing")

UNITS = 36
LONG_VETO = ("发生意识形态领域重大责任事件，或者在本单位网站、公众号、宣传栏等阵地发布错误言论、"
             "造成恶劣社会影响，经上级党组织调查核实、认定负有直接责任")
PROJECT = {
    "qingdan.yaml": "unit:\n  name: 清河县粮食局\n  short: 局\n  body: 党委\n  superior: 县委\n",
    "考核办法.yaml": """\
kind: assessment
title: "{{ unit.name }}党建工作考核办法"
numbering: outline
content:
  - id: neirong
    heading: 考核内容
    points: 100
    items:
      - id: zhize
        heading: 履行主体责任和第一责任人职责，把党建工作纳入年度工作计划和考核体系
        text: >-
          每年向{{ unit.superior }}专题汇报两次以上，书记带头讲党课，班子成员按照“一岗双责”要求
          抓好分管领域党建工作，定期研究解决基层党组织建设中的突出问题，建立健全工作台账。
        points: 60
        criteria: 未专题汇报的扣10分；汇报少一次扣5分；台账不全的酌情扣1至3分；其他情形按照考核组意见扣分。
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
    - {name: 一般, below: 80}
  vetoes:
    - {id: shigu, condition: "LONG_VETO", cap: 一般}
""".replace("LONG_VETO", LONG_VETO),
}


def roster() -> str:
    units = [{"id": f"u{n:02d}", "name": f"清河县第{n}粮食购销站", "body": "党支部",
              "superior": ["局党委", "县委", "局机关党委"][n % 3]} for n in range(1, UNITS + 1)]
    return yaml.safe_dump({"kind": "roster", "units": units}, allow_unicode=True)


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def middle(self) -> float:
        return (self.y0 + self.y1) / 2


def words_of(pdf: Path) -> list[Word]:
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         check=True).stdout
    tree = etree.fromstring(xml, etree.HTMLParser(encoding="utf-8"))
    out = []
    for number, page in enumerate(tree.iter("page"), 1):
        for w in page.iter("word"):
            out.append(Word(number, w.text or "", *(float(w.get(k)) for k in
                                                    ("xmin", "ymin", "xmax", "ymax"))))
    return out


def to_pdf(book: Path, out: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice
    profile = out / "profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(book)],
                   check=True, capture_output=True, timeout=300,
                   env={"HOME": str(profile), "PATH": "/usr/bin:/bin"})
    return out / (book.stem + ".pdf")


def plain(text: str) -> str:
    return re.sub(r"\s+", "", text)


def printed(pdf: Path) -> str:
    """The PDF's text in drawing order (a cell's lines together), without white space."""
    return plain(subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                                text=True, check=True).stdout)


def no_word_on_another(words: list[Word]) -> None:
    for i, a in enumerate(words):
        for b in words[i + 1:]:
            if a.page == b.page and min(a.x1, b.x1) - max(a.x0, b.x0) > 0.5 \
                    and min(a.y1, b.y1) - max(a.y0, b.y0) > 0.5:
                raise AssertionError(f"{a.text!r} and {b.text!r} overlap on page {a.page}")


def rows_hold_their_words(words: list[Word], heights: list[float], anchors: list[str],
                          skip_x: tuple[float, float] | None = None) -> int:
    """On one page: the rows (from the header down) as tall as the workbook says, scaled as
    printed (fitted to the middles of each row's first-column word), hold every word
    whose middle falls in them. Returns how many rows were found."""
    centres = []
    for anchor in anchors:
        matches = [w for w in words if w.text == anchor]
        centres.append(min(matches, key=lambda w: w.x0).middle if matches else None)
    tops = [sum(heights[:i]) for i in range(len(heights))]
    pairs = [(tops[i] + heights[i] / 2, c) for i, c in enumerate(centres) if c is not None]
    assert len(pairs) >= 2, anchors
    n = len(pairs)
    mx = sum(p for p, _ in pairs) / n
    my = sum(c for _, c in pairs) / n
    scale = sum((p - mx) * (c - my) for p, c in pairs) / sum((p - mx) ** 2 for p, _ in pairs)
    origin = my - scale * mx
    bands = [(origin + scale * t, origin + scale * (t + h)) for t, h in zip(tops, heights,
                                                                             strict=True)]
    for word in words:
        if skip_x and skip_x[0] <= (word.x0 + word.x1) / 2 <= skip_x[1]:
            continue
        inside = [b for b in bands if b[0] <= word.middle <= b[1]]
        if not inside:
            continue  # above the header (the title) or below the table
        top, bottom = inside[0]
        assert word.y0 >= top - 1 and word.y1 <= bottom + 1, (word, top, bottom)
    return n


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("print") / "项目"
    root.mkdir()
    for name, text in PROJECT.items():
        (root / name).write_text(text, "utf-8")
    (root / "名册.yaml").write_text(roster(), "utf-8")
    return root


@pytest.fixture(scope="module")
def results_pdf(project, tmp_path_factory) -> tuple[Path, Path]:
    books = tmp_path_factory.mktemp("filled")
    for n in range(1, UNITS + 1):
        ident = f"u{n:02d}"
        values = {"indicator:zhize": 50 + n % 10, "indicator:zuzhi": 30 + n % 8,
                  "component:ceping": 80 + n % 15, "veto:shigu": "是" if n % 5 == 0 else "否"}
        (books / f"{ident}.xlsx").write_bytes(fill(workbook_of(project, ident), values))
    out = tmp_path_factory.mktemp("results")
    result = run_cli("score", str(books), "--project", str(project), "-o", str(out))
    assert result.exit_code == 0, result.output
    [book] = out.glob("*.xlsx")
    return book, to_pdf(book, out)


def test_every_note_is_printed_whole(results_pdf):
    book, pdf = results_pdf
    sheet = load_workbook(book)["考核结果"]
    notes = [plain(row[-1]) for row in sheet.iter_rows(min_row=3, values_only=True) if row[-1]]
    assert len(notes) == UNITS // 5 and all(LONG_VETO in n for n in notes)
    text = printed(pdf)
    for note in notes:
        assert note in text
    for content in load_workbook(book)["各单位考核内容"].iter_rows(min_row=3, values_only=True):
        assert plain(content[3]) in text


def test_no_word_overlaps_and_rows_hold_their_text(results_pdf):
    book, pdf = results_pdf
    words = words_of(pdf)
    no_word_on_another(words)
    sheet = load_workbook(book)["考核结果"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    heights = [sheet.row_dimensions[r].height for r in range(2, sheet.max_row + 1)]
    pages = sorted({w.page for w in words if w.text == "名次"})
    assert len(pages) >= 2, "36 units with notes take more than one page"
    checked = 0
    for page in pages:
        on_page = [w for w in words if w.page == page]
        ranks = {w.text for w in on_page if re.fullmatch(r"\d+|—", w.text)}
        # the header row repeated, then this page's rows (the ranks are unique per row here
        # only when no two units tie, so use the units' names as anchors)
        shown = [i for i, row in enumerate(rows) if i and str(row[1]) in
                 {w.text for w in on_page}]
        assert ranks and shown
        first, last = shown[0], shown[-1]
        page_heights = [heights[0], *heights[first:last + 1]]
        anchors = ["单位", *(str(rows[i][1]) for i in range(first, last + 1))]
        checked += rows_hold_their_words(on_page, page_heights, anchors) - 1
    assert checked == UNITS


def test_indicator_sheet_texts_resolved_and_held(results_pdf):
    book, pdf = results_pdf
    detail = load_workbook(book)["指标得分"]
    content = detail.cell(3, 3).value
    assert content.startswith("每年向……") and "专题汇报两次以上" in content
    assert content.endswith("（各单位不同，见“各单位考核内容”表）")
    text = printed(pdf)
    assert plain(content) in text and "{{" not in text


def test_sheets_workbooks_print_whole(project, tmp_path):
    """The scoring workbooks too: every 考核内容 and 评分标准 printed, nothing on top of
    anything, every word of the indicator rows inside its row."""
    out = tmp_path / "sheets"
    assert run_cli("sheets", str(project), "-o", str(out)).exit_code == 0
    book = sorted(out.glob("*.xlsx"))[0]
    pdf = to_pdf(book, tmp_path)
    words = words_of(pdf)
    no_word_on_another(words)
    sheet = load_workbook(book)["评分表"]
    rows = list(sheet.iter_rows(min_row=3, max_row=5, values_only=True))
    text = printed(pdf)
    for row in rows[1:]:
        for value in row[2:4]:
            if value:
                assert plain(value) in text
    heights = [sheet.row_dimensions[r].height for r in range(3, 6)]
    header = {w.text: w for w in words if w.page == 1}
    group = header["考核项目"]
    skip = ((header["序号"].x1 + group.x0) / 2, (group.x1 + header["考核内容"].x0) / 2)
    on_page = [w for w in words if w.page == 1]
    assert rows_hold_their_words(on_page, heights, ["序号", "1", "2"], skip) == 3


def test_example_results_print_cleanly(tmp_path):
    """The README's own command: its results workbook, through Calc."""
    result = run_cli("score", str(EXAMPLE / "考核评分"), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    [book] = tmp_path.glob("*.xlsx")
    pdf = to_pdf(book, tmp_path)
    text = printed(pdf)
    assert "{{" not in text and "每年向局党委专题汇报" in text
    no_word_on_another(words_of(pdf))
    sheet = load_workbook(book)["考核结果"]
    for row in sheet.iter_rows(min_row=3, values_only=True):
        if row[-1]:
            assert plain(row[-1]) in text


def test_a_last_page_of_a_few_rows_is_folded_back():
    """pages_tall: the scoring workbook is told to fit its pages tall so that a page that
    would hold only the last rows (the signature, the note) is avoided by shrinking."""
    from qingdan.scoring.cells import pages_tall

    page = 210 / 25.4 * 72 - 1.4 * 72
    assert pages_tall([page * 0.5], [100], (1.2, 1.4)) == 1
    assert pages_tall([page * 1.1], [100], (1.2, 1.4)) == 1
    assert pages_tall([page * 1.5], [100], (1.2, 1.4)) == 2
    assert pages_tall([page * 2.05], [100], (1.2, 1.4)) == 2
    assert pages_tall([page * 1.1], [200], (1.2, 1.4)) == 1  # scaled down to fit the width
