"""The end block moved to an even page of its own, without LibreOffice: the body as text
(the usual path) and parsed (a table before the block), and the text after the front part
read as the page sees it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import REPO
from qingdan.builder.pipeline import planned, prepare
from qingdan.layout.endblock import EndPage
from qingdan.render import aftertext
from qingdan.render.endblock import BLANK_FOOTER_ID, settle
from qingdan.render.notice import Attached, render_notice
from qingdan.resolve.resolver import resolve_project

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PROJECT = REPO / "tests" / "fixtures" / "signature-alone"
TABLE = ("<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w=\"8845\"/></w:tblGrid><w:tr><w:tc>"
         "<w:tcPr/><w:p><w:r><w:t>表</w:t></w:r></w:p></w:tc></w:tr></w:tbl>")


@pytest.fixture(scope="module")
def printed_on_one_side() -> tuple[str, str, Path]:
    """The fixture's notice rendered for one-sided printing: (prefix, body, template)."""
    prepared = prepare(PROJECT)
    project = resolve_project(prepared.project, prepared.index)[0]
    done: dict[str, Attached] = {}
    for doc in planned(project):
        if doc.template is not None:
            done[doc.source] = Attached(doc.title, doc.render(done), doc.template)
    [notice] = project.notices
    template = project.templates["notice"]
    data = render_notice(notice, [done[a.value] for a in notice.attachments], template,
                         duplex=False).data
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    start = xml.index("<w:body")
    return xml[:start], xml[start:xml.rindex("</w:body>") + len("</w:body>")], template


def sections(prefix: str, body: str) -> list[etree._Element]:
    root = etree.fromstring((prefix + body + "</w:document>").encode("utf-8"))
    return list(root.iter(f"{W}sectPr"))


def test_here_leaves_the_body_as_it_is(printed_on_one_side):
    prefix, body, template = printed_on_one_side
    seen = []
    moved, parts = settle(body, prefix, template, lambda rest: seen.append(rest) or EndPage.HERE)
    assert (moved, parts) == (body, [])
    [rest] = seen
    # 附件1 on a new page, a blank line, the title, …, 附件2 on a new page …
    assert rest is not None and rest[0].text == "附件1" and rest[0].break_before
    assert [p.text for p in rest if p.break_before] == ["附件1", "附件2"]
    title = next(p for p in rest if p.text == "高新区思想政治工作目标管理考核实施办法")
    assert (title.size, title.first, title.rest) == (22.0, 20, 20)  # 2号: 20 a line
    item = next(p for p in rest if p.text.startswith("第一条"))
    assert (item.size, item.first, item.rest) == (16.0, 26, 28) and item.pitch == pytest.approx(28.95)


@pytest.mark.parametrize("table", [False, True])
def test_next_ends_the_text_s_section_and_starts_the_block_on_an_even_page(
        printed_on_one_side, table):
    prefix, body, template = printed_on_one_side
    if table:  # a table before the block: parsed, not predicted
        anchor = body.rindex("<w:p>", 0, body.rindex("<mc:AlternateContent"))
        body = body[:anchor] + TABLE + body[anchor:]
    seen = []
    moved, parts = settle(body, prefix, template, lambda rest: seen.append(rest) or EndPage.NEXT)
    assert parts == [] and (seen == [None]) == table
    text, block = sections(prefix, moved)
    assert block.find(f"{W}type").get(f"{W}val") == "evenPage"
    assert text.find(f"{W}type") is None
    # The same footers on both sides of the break: the block's page is numbered on.
    refs = [[r.get(f"{R}id") for r in s.findall(f"{W}footerReference")] for s in (text, block)]
    assert refs[0] == refs[1] and len(refs[0]) == 2
    holder = text.getparent().getparent()
    assert holder.tag == f"{W}p"
    if table:  # a paragraph of its own after the table, an exact 1 pt line
        assert holder.getprevious().tag == f"{W}tbl"
        assert holder.find(f"{W}pPr/{W}spacing").get(f"{W}line") == "20"
    else:  # the last paragraph of the last attachment
        assert "".join(holder.itertext()).startswith("2.选优配强")


def test_blank_gives_the_block_s_section_a_blank_footer(printed_on_one_side):
    prefix, body, template = printed_on_one_side
    moved, [footer] = settle(body, prefix, template, lambda rest: EndPage.BLANK)
    _, block = sections(prefix, moved)
    refs = {r.get(f"{W}type"): r.get(f"{R}id") for r in block.findall(f"{W}footerReference")}
    assert refs == {"default": BLANK_FOOTER_ID, "even": BLANK_FOOTER_ID,
                    "first": BLANK_FOOTER_ID}
    assert footer.rel_id == BLANK_FOOTER_ID
    blank = etree.fromstring(footer.data)
    assert "".join(blank.itertext()) == ""  # the page number's paragraph, without its runs
    spacing = blank.find(f"{W}p/{W}pPr/{W}spacing")
    assert spacing is not None and spacing.get(f"{W}before") == "150"


def test_paragraphs_read_as_the_page_sees_them(printed_on_one_side):
    _, _, template = printed_on_one_side
    styles = aftertext.style_props(template)
    run = '<w:r><w:rPr><w:sz w:val="32"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r>'
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    paragraph = aftertext.paragraph
    split = paragraph(run.format("甲&amp;乙") + '<w:r><w:br w:type="page"/></w:r>'
                      + run.format("丙"), styles, ns)
    assert split is not None and [(p.text, p.break_before) for p in split] == [
        ("甲&乙", False), ("丙", True)]
    assert paragraph(run.format("甲") + "<w:r><w:tab/></w:r>", styles, ns) is None
    assert paragraph(run.format("甲") + run.format("乙").replace("32", "44"), styles, ns) is None
    hanging = ('<w:pPr><w:ind w:left="960" w:hanging="640"/></w:pPr>' + run.format("甲"))
    [one] = paragraph(hanging, styles, ns) or [None]
    assert one is not None and (one.first, one.rest) == (27, 25)  # (8845 - 320) / 315
    assert aftertext.one_paragraph("<w:p><w:r><w:t>甲</w:t></w:r></w:p>")
    assert not aftertext.one_paragraph("<w:p/><w:p/>")
