"""The bundled notice issuing the list and the assessment, opened as Word and as a PDF."""

from __future__ import annotations

import re

import docx
import pytest
from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn

from conftest import run_cli
from docxread import paragraphs
from pdfmeasure import BOTTOM, LEFT, MM, RIGHT, TOP, lines, red_rows, to_pdf
from test_pdf_layout import needs_office

LIST_TITLE = "清河县粮食局党委意识形态工作责任清单"
MEASURES_TITLE = "清河县粮食局意识形态工作责任制考核办法"


def texts(path):
    return [(p.style, p.text) for p in paragraphs(path)]


def test_front_page_elements_in_order(notice_docx):
    paras = texts(notice_docx)
    assert paras[0] == ("发文机关标志", "中共清河县粮食局委员会文件")
    assert paras[1:3] == [("Normal", ""), ("Normal", "")]  # number two lines under the mark
    assert paras[3] == ("发文字号", "清粮党发〔2024〕3号")
    assert re.fullmatch(r"\S+〔\d{4}〕[1-9]\d*号", paras[3][1])
    assert paras[4:6] == [("Normal", ""), ("Normal", "")]  # title two lines under the rule
    title = [t for s, t in paras[6:10] if s == "公文标题"]
    assert "".join(title) == f"关于印发《{LIST_TITLE}》和《{MEASURES_TITLE}》的通知"
    assert len(title) == 3 and all(len(line) <= 20 for line in title)
    after = paras[6 + len(title):]
    assert after[0] == ("Normal", "")  # one blank line, then the recipients flush left
    assert after[1] == ("顶格", "机关各科室党支部，局属各单位党组织：")
    assert after[2][1] == (f"经局党委研究同意，现将《{LIST_TITLE}》和《{MEASURES_TITLE}》"
                           "印发给你们，请结合实际认真贯彻落实。")


def test_attachment_note_signature_and_date(notice_docx):
    paras = texts(notice_docx)
    note = paras.index(("附件说明", f"附件：1.{LIST_TITLE}"))
    assert paras[note - 1] == ("Normal", "")
    assert paras[note + 1] == ("附件说明续", f"2.{MEASURES_TITLE}")
    assert paras[note + 2] == ("Normal", "")
    signature, date = paras[note + 3][1], paras[note + 4][1]
    assert signature.strip() == "中共清河县粮食局委员会"
    assert date.strip() == "2024年3月15日"  # Arabic numerals, no leading zeros
    # Two characters in from the right; the date starts two characters further in.
    assert len(signature) == 28 - 2 and signature.startswith("　" * 15)
    assert date.startswith("　" * 17) and not date.startswith("　" * 18)


def test_attachments_follow_on_new_pages_with_their_labels(notice_docx):
    document = docx.Document(str(notice_docx))
    paras = [p for p in document.paragraphs]
    labels = [i for i, p in enumerate(paras) if p.style.name == "附件标签"]
    assert [paras[i].text for i in labels] == ["附件1", "附件2"]
    style = document.styles["附件标签"]
    assert style.element.pPr.find(qn("w:pageBreakBefore")) is not None
    assert style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    for index, title in zip(labels, (LIST_TITLE, MEASURES_TITLE), strict=True):
        assert paras[index + 1].text == ""  # the title sits on the third line
        assert paras[index + 2].style.name == "公文标题" and paras[index + 2].text == title
    body = "\n".join(p.text for p in paras)
    assert "1.牢牢掌握意识形态工作的领导权、管理权、话语权。" in body
    assert "（一）落实主体责任（30分）" in body


def test_red_mark_and_red_rule(notice_docx):
    document = docx.Document(str(notice_docx))
    mark = document.styles["发文机关标志"].element
    assert mark.rPr.find(qn("w:color")).get(qn("w:val")) == "FF0000"
    assert mark.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体"
    assert document.styles["发文机关标志"].paragraph_format.alignment == 1
    rule = document.styles["发文字号"].element.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000" and rule.get(qn("w:val")) == "single"
    text_runs = [r for r in document.element.body.iter(qn("w:r")) if r.find(qn("w:t")) is not None]
    assert len(text_runs) > 50  # the notice and both attached documents
    for run in text_runs:
        fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert fonts is not None and fonts.get(qn("w:eastAsia")), run.findtext(qn("w:t"))


MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
WPS = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}"


def end_block(document, branch: str = "Choice") -> list:
    """The end block's paragraphs in one branch of its mc:AlternateContent: the DrawingML
    text box (Choice) or the VML one older readers take (Fallback)."""
    [content] = document.element.body.iter(f"{MC}AlternateContent")
    box = content.find(f"{MC}{branch}")
    return list(next(box.iter(qn("w:txbxContent"))))


def text_of(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def test_end_block_sits_in_a_box_at_the_bottom(notice_docx):
    document = docx.Document(str(notice_docx))
    [anchor] = document.element.body.iter(qn("wp:anchor"))
    position = anchor.find(qn("wp:positionV"))
    assert position.get("relativeFrom") == "margin"
    assert position.find(qn("wp:align")).text == "bottom"
    assert next(anchor.iter(f"{WPS}bodyPr")).get("anchor") == "b"
    paras = end_block(document)
    assert [text_of(p) for p in paras] == [
        "", "抄送：县委宣传部，县委组织部。", "", "中共清河县粮食局委员会办公室2024年3月15日印发", ""]
    for p in paras:
        assert p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) == "版记"
    # The same end block in the VML fallback, for readers that do not take DrawingML.
    fallback = end_block(document, "Fallback")
    assert [text_of(p) for p in fallback] == [text_of(p) for p in paras]


def test_end_block_rules_span_the_text_block(notice_docx):
    """Three rules, thick-thin-thick (0.35/0.25 mm), each on an unindented paragraph (a
    border is as wide as its paragraph), the last at the bottom of the box."""
    paras = end_block(docx.Document(str(notice_docx)))
    rules = []
    for p in paras:
        border = p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
        if border is None:
            continue
        indent = p.find(f"{qn('w:pPr')}/{qn('w:ind')}")
        assert indent.get(qn("w:left")) == "0" and indent.get(qn("w:right")) == "0"
        assert text_of(p) == ""
        rules.append(border.get(qn("w:sz")))
    assert rules == ["8", "6", "8"]
    assert paras[-1].find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None
    # The text lines stand one character (4号, 14 pt) in from both sides.
    copy = paras[1].find(f"{qn('w:pPr')}/{qn('w:ind')}")
    assert copy.get(qn("w:right")) == "280" and copy.get(qn("w:hanging")) == "840"
    assert copy.get(qn("w:left")) == str(280 + 840)  # wrapped lines under the first name


def test_page_numbers_continue_through_attachments(notice_docx):
    document = docx.Document(str(notice_docx))
    assert document.settings.odd_and_even_pages_header_footer
    # The example's text ends on page 9: printed on both sides, its end block goes on
    # page 10, in a section of its own that starts on an even page, numbered on.
    text, end = document.sections
    assert text.start_type == WD_SECTION.NEW_PAGE and end.start_type == WD_SECTION.EVEN_PAGE
    for section in (text, end):
        assert section.footer.paragraphs[0].text == "— 1 —"
        assert section.even_page_footer.paragraphs[0].text == "— 1 —"
        assert section._sectPr.find(qn("w:pgNumType")) is None  # numbering goes on


def test_single_attachment_without_copy_to(tmp_path):
    from conftest import EXAMPLE

    project = tmp_path / "p"
    project.mkdir()
    for name in ("qingdan.yaml", "意识形态工作责任清单.yaml"):
        (project / name).write_text((EXAMPLE / name).read_text("utf-8"), "utf-8")
    (project / "通知.yaml").write_text("""\
kind: notice
mark: 清河县粮食局
number: 清粮发〔2024〕12号
recipients: 局属各单位
body: 现将{{ attachments }}印发给你们，请遵照执行。
attachments: [意识形态工作责任清单]
signature: 清河县粮食局
date: 2024-10-08
""", "utf-8")
    result = run_cli("build", str(project / "通知.yaml"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    [notice] = (tmp_path / "out").glob("*.docx")
    paras = texts(notice)
    assert ("顶格", "局属各单位：") in paras
    assert ("附件说明", f"附件：{LIST_TITLE}") in paras  # one attachment: no number
    assert ("附件标签", "附件") in paras
    signature = next(t for s, t in paras if s == "顶格" and t.strip() == "清河县粮食局")
    date = next(t for s, t in paras if s == "顶格" and t.strip() == "2024年10月8日")
    # The date (6.5 characters wide) is longer than the name (6) allows: it sits two in
    # from the right, at 19.5, and the name starts two characters left of it, at 17.5.
    assert date == "　" * 19 + " 2024年10月8日"
    assert signature == "　" * 17 + " 清河县粮食局"
    document = docx.Document(str(notice))
    # No 抄送: one thick rule above the printing line and one under it.
    assert [text_of(p) for p in end_block(document)] == ["", "清河县粮食局2024年10月8日印发", ""]


@pytest.fixture(scope="module")
def notice_pdf(notice_docx, tmp_path_factory):
    return to_pdf(notice_docx, tmp_path_factory.mktemp("notice-pdf"))


@needs_office
def test_first_page_order_and_margins_in_the_pdf(notice_pdf):
    _, found = lines(notice_pdf)
    first = [ln for ln in found if ln.page == 1 and ln.in_body]

    def top_of(text: str) -> float:
        return next(ln.y0 for ln in first if text in ln.text)

    mark = top_of("中共清河县粮食局委员会文件")
    number = top_of("清粮党发")
    title = top_of("关于印发")
    recipients = top_of("机关各科室党支部")
    [rule] = red_rows(notice_pdf, page=1)
    assert mark < number < rule < title < recipients
    assert mark - TOP == pytest.approx(35 * MM, abs=3 * MM)  # 35 mm under the block's top
    assert rule - next(ln.y1 for ln in first if "清粮党发" in ln.text) < 8 * MM
    for ln in first:
        assert LEFT - 0.5 <= ln.x0 and ln.x1 <= RIGHT + 0.5 and ln.y1 <= BOTTOM + 0.5, ln


@needs_office
def test_end_block_is_at_the_bottom_of_the_last_page(notice_pdf):
    pages, found = lines(notice_pdf)
    last = [ln for ln in found if ln.page == pages and ln.in_body]
    printed = next(ln for ln in last if "2024年3月15日印发" in ln.text.replace(" ", ""))
    assert printed.y1 == pytest.approx(BOTTOM, abs=3 * MM)
    assert any("抄送" in ln.text for ln in last)


def test_the_package_is_qingdans_own(notice_docx):
    """Every font the document names is in the font table with what Word and WPS need to
    substitute it; settings, theme and properties are honest and Chinese."""
    import zipfile

    from lxml import etree

    package = zipfile.ZipFile(notice_docx)
    names = package.namelist()
    assert "word/stylesWithEffects.xml" not in names
    assert not any(n.startswith("customXml/") for n in names)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    used = set()
    for part in ("word/document.xml", "word/styles.xml", "word/footer1.xml"):
        for fonts in etree.fromstring(package.read(part)).iter(f"{w}rFonts"):
            used |= {v for k, v in fonts.attrib.items() if not k.endswith("hint")}
    table = etree.fromstring(package.read("word/fontTable.xml"))
    listed = {f.get(f"{w}name"): f for f in table.iter(f"{w}font")}
    assert used and used <= set(listed), used - set(listed)
    for name in used:
        assert listed[name].find(f"{w}altName") is not None, name
        assert listed[name].find(f"{w}charset").get(f"{w}val") == "86", name
        assert listed[name].find(f"{w}panose1") is not None, name
    assert listed["仿宋_GB2312"].find(f"{w}altName").get(f"{w}val") == "仿宋"
    settings = etree.fromstring(package.read("word/settings.xml"))
    assert settings.find(f"{w}themeFontLang").get(f"{w}eastAsia") == "zh-CN"
    mode = [s for s in settings.iter(f"{w}compatSetting") if s.get(f"{w}name") ==
            "compatibilityMode"]
    assert mode[0].get(f"{w}val") == "15"
    app = package.read("docProps/app.xml").decode()
    assert "<Application>qingdan</Application>" in app
    assert "Macintosh" not in app and "<Pages>" not in app
    core = package.read("docProps/core.xml").decode()
    assert "关于印发《清河县粮食局党委意识形态工作责任清单》" in core
    assert "dcterms:created" not in core and "2020" not in core


def test_sealed_notice_leaves_room_for_the_seal(tmp_path):
    from conftest import EXAMPLE

    project = tmp_path / "p"
    project.mkdir()
    for name in ("qingdan.yaml", "意识形态工作责任清单.yaml"):
        (project / name).write_text((EXAMPLE / name).read_text("utf-8"), "utf-8")
    (project / "通知.yaml").write_text("""\
kind: notice
mark: 清河县粮食局
recipients: 局属各单位
body: 现将{{ attachments }}印发给你们，请遵照执行。
attachments: [意识形态工作责任清单]
signature: 中共清河县粮食局委员会
date: 2024-10-08
seal: true
""", "utf-8")
    result = run_cli("build", str(project / "通知.yaml"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    [notice] = (tmp_path / "out").glob("*.docx")
    paras = texts(notice)
    note = next(i for i, (s, _) in enumerate(paras) if s == "附件说明")
    assert paras[note + 1] == paras[note + 2] == ("Normal", "")  # two lines for the seal
    signature, date = paras[note + 3][1], paras[note + 4][1]
    from qingdan.layout.titles import cells

    # The date four characters in from the right; the signature centred over it.
    assert cells(date) == 24
    date_mid = 24 - cells("2024年10月8日") / 2
    sign_mid = cells(signature) - cells("中共清河县粮食局委员会") / 2
    assert abs(date_mid - sign_mid) <= 0.5
