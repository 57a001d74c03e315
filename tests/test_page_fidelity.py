"""Every document the project builds, printed by LibreOffice: what the page shows is the truth.

The corpus is the bundled example (its own unit and each unit of its roster), the diff
fixtures' comparison tables and redlines, the fixed sample 001, and notices in each layout
(one attachment without 抄送, a sealed one, one whose spacing qingdan tightens). Each is
converted to PDF and compared with its .docx character for character (text boxes included,
page numbers and repeated table headers aside); the page grid is measured on every portrait
page; every package must pass the Open XML validator.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from conftest import EXAMPLE, REPO, run_cli
from docxread import header_rows, printed_text
from pdfmeasure import BOTTOM, LEFT, RIGHT, TOP, lines, rules, to_pdfs
from test_pdf_layout import needs_office
from test_sample001 import fixed

REVISION = REPO / "tests" / "fixtures" / "revision"
SAMPLE = REPO / "tests" / "fixtures" / "sample001"
PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")
HEADING = re.compile(r"^(?:[一二三四五六七八九十百]+、|（[一二三四五六七八九十百]+）|第\S+章)")
LIST = "意识形态工作责任清单"
NOTICE = """\
kind: notice
mark: 清河县粮食局
number: 清粮发〔2024〕12号
recipients: 局属各单位
body: |
{body}
attachments: [{attachments}]
signature: 清河县粮食局
date: 2024-10-08
{extra}"""
FIRST = "  现将{{ attachments }}印发给你们，请遵照执行。"
LONG = "  各单位要对照责任清单逐项抓好落实，把意识形态工作纳入党建工作总体布局，与业务工作同部署、同落实。"
THREE = LONG + "执行中遇到的问题，请及时报局办公室。"


def notice_project(root: Path, name: str, body: list[str], extra: str = "",
                   attachments: str = LIST) -> Path:
    """A project with the example's config and list and one notice."""
    project = root / name
    project.mkdir()
    for source in ("qingdan.yaml", f"{LIST}.yaml"):
        shutil.copy(EXAMPLE / source, project / source)
    (project / "通知.yaml").write_text(
        NOTICE.format(body="\n".join(body), attachments=attachments, extra=extra), "utf-8")
    return project


def build(project: Path, out: Path) -> list[Path]:
    result = run_cli("build", str(project), "-o", str(out))
    assert result.exit_code == 0, result.output
    return sorted(out.rglob("*.docx"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[Path, Path]:
    """Every document of the corpus (see the module docstring) and its PDF."""
    root = tmp_path_factory.mktemp("corpus")
    docs = build(EXAMPLE, root / "example")
    result = run_cli("diff", str(REVISION / "2023"), str(REVISION / "2024"), "--table",
                     "--redline", "-o", str(root / "diff"), "--date", "2024-03-15")
    assert result.exit_code == 0, result.output
    docs += sorted((root / "diff").rglob("*.docx"))
    sample = root / "sample001"
    shutil.copytree(SAMPLE, sample)
    fixed(sample)
    docs += build(sample, root / "sample-out")
    docs += build(notice_project(root, "single", [FIRST]), root / "single-out")
    docs += build(notice_project(root, "sealed", [FIRST], "seal: true\n"), root / "sealed-out")
    # Laid out at 22 lines, these would put the signature on a page of its own: qingdan
    # tightens the first (one title line, one line over) and loosens the second.
    docs += build(notice_project(root, "tight", [FIRST, THREE], "title: 关于印发责任清单的通知\n"),
                  root / "tight-out")
    docs += build(notice_project(root, "loose", [FIRST, LONG, LONG, LONG]), root / "loose-out")
    if shutil.which("soffice") is None:
        return {d: d for d in docs}
    return to_pdfs(docs, root / "pdf")


def pdf_text(pdf: Path, doc: Path) -> Counter[str]:
    """The characters the PDF prints, without page numbers and the table header rows that
    repeat on each page after the first page that shows them."""
    pages, found = lines(pdf)
    kept = [ln for ln in found if not PAGE_NUMBER.match(ln.text.replace(" ", ""))]
    printed = Counter(c for ln in kept for c in ln.text if not c.isspace())
    for header in header_rows(doc):
        cells = [c for c in header if c]
        showing = [page for page in range(1, pages + 1)
                   if all(c in {ln.text.replace(" ", "") for ln in kept if ln.page == page}
                          for c in cells)]
        for _ in showing[1:]:  # a table may start on any page: its first header is text
            printed -= Counter("".join(cells))
    return printed


def tightened(doc: Path) -> bool:
    """Whether qingdan changed the line pitch of this notice's front part."""
    body = docx.Document(str(doc)).element.body
    return any(s.get(qn("w:line")) not in (None, "579", "40", "20")
               for s in body.iter(qn("w:spacing")))


@needs_office
def test_every_character_reaches_the_page(corpus):
    problems = []
    for doc, pdf in corpus.items():
        expected = Counter(c for c in printed_text(doc) if not c.isspace())
        printed = pdf_text(pdf, doc)
        missing, extra = expected - printed, printed - expected
        if missing or extra:
            problems.append(f"{doc.name}: missing {dict(missing)}, extra {dict(extra)}")
    assert not problems, "\n".join(problems)


@needs_office
def test_the_grid_holds_on_every_portrait_page(corpus):
    """No page over 22 lines (24 where qingdan tightened a notice's front part), no line
    past the 28th cell or outside the text block, and full pages of lists and measures at 22."""
    checked = 0
    for doc, pdf in corpus.items():
        section = docx.Document(str(doc)).sections[0]
        if section.page_width > section.page_height:
            continue  # landscape tables have their own block
        pages, found = lines(pdf)
        body = [ln for ln in found if ln.in_body and ln.y1 - ln.y0 < 22]  # 3号 and 4号 text
        limit = 24 if tightened(doc) else 22
        for page in range(1, pages + 1):
            on_page = [ln for ln in body if ln.page == page]
            if not on_page:
                continue
            count = len({round(ln.y0) for ln in on_page if ln.y1 - ln.y0 > 19})
            assert count <= limit, f"{doc.name} page {page}: {count} lines"
            if page < pages and "关于印发" not in doc.name and "修订" not in doc.name:
                # A heading is kept with the text it heads, so a page before one may end
                # a line early.
                after = min((ln for ln in body if ln.page == page + 1), key=lambda ln: ln.y0)
                full = 20 if HEADING.match(after.text) else 21
                assert max(ln.slot for ln in on_page) >= full, f"{doc.name} page {page} not full"
        for ln in body:
            assert ln.x0 >= LEFT - 0.5 and ln.x1 <= RIGHT + 0.5, (doc.name, ln)
            assert ln.y0 >= TOP - 0.5 and ln.y1 <= BOTTOM + 0.5, (doc.name, ln)
            if ln.y1 - ln.y0 > 19:  # a 3号 line
                assert ln.columns <= 28.1, (doc.name, ln)
        checked += 1
    assert checked >= 25


def notices(corpus: dict[Path, Path]) -> list[tuple[Path, Path]]:
    found = [(d, p) for d, p in corpus.items() if d.name.startswith("关于印发")]
    assert len(found) == 9  # the example's five, single, sealed, tight and loose
    return found


@needs_office
def test_signature_stands_on_a_page_with_body_text(corpus):
    for doc, pdf in notices(corpus):
        _, found = lines(pdf)
        paras = [p.text for p in docx.Document(str(doc)).paragraphs]
        date = next(t.strip() for t in paras if re.fullmatch(r"\s*\d{4}年\d+月\d+日", t))
        signed = next(ln for ln in found if ln.text.replace(" ", "") == date)
        body_lines = [ln for ln in found if ln.page == signed.page and ln.x0 < LEFT + 40
                      and ln.y0 < signed.y0 and ln.in_body and "附件" not in ln.text]
        assert body_lines, f"{doc.name}: the signature's page {signed.page} has no body text"


@needs_office
def test_rules_are_as_wide_as_the_text_block(corpus):
    """The red rule under the number and the end block's three rules: 156 mm, the last
    on the bottom edge of the text block."""
    for doc, pdf in notices(corpus):
        pages, _ = lines(pdf)
        [red] = rules(pdf, 1, "red")
        black = [r for r in rules(pdf, pages, "black") if r[0] > BOTTOM - 150]
        assert len(black) in (2, 3), (doc.name, black)
        for _, x0, x1 in [red, *black]:
            assert x0 == pytest.approx(LEFT, abs=1.5) and x1 == pytest.approx(RIGHT, abs=1.5)
        assert black[-1][0] == pytest.approx(BOTTOM, abs=2.5), doc.name


def test_every_package_is_valid_open_xml(corpus):
    from openxml_audit import OpenXmlValidator

    validator = OpenXmlValidator()
    problems = []
    for doc in corpus:
        result = validator.validate(str(doc))
        if not result.is_valid:
            problems.append(f"{doc.name}: {[str(e) for e in result.errors][:3]}")
    assert not problems, "\n".join(problems)
