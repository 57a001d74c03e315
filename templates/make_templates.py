"""Generate the .docx templates in this folder from code, so every change is reviewable.

Run from the repository root, with qingdan installed:  .venv/bin/python templates/make_templates.py

The templates carry the GB/T 9704-2012 page facts (A4, margins 37/35/28/26 mm, a grid of
22 lines by 28 characters), named styles a clerk can restyle in Word, the page-number
footers, and docxtpl tags for the body. They are written deterministically: the same
script gives the same XML every time.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm

from qingdan.writer import normalise_zip

HERE = Path(__file__).resolve().parent

# Fonts named by GB/T 9704 practice. They are set on the East Asian slot as well as the
# Latin ones, so Word never falls back to a theme font and quotation marks and dashes
# stay in the Chinese face.
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"

BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
FOOTER_PT = 14  # 4号
MARK_PT = 36  # 小初: the organ mark; shorter sizes for long names are chosen in the template
TABLE_PT = 14  # 4号 in tables, single-spaced so rows stay low
RED = "FF0000"
TEXT_WIDTH_TWIPS = 8845  # 156 mm
CHAR = BODY_PT * 20  # one 3号 character in twips
# 225 mm / 22 lines = 28.95 pt. Exact line spacing at this pitch gives 22 lines in Word,
# WPS and LibreOffice alike.
LINE_TWIPS = 579
# 156 mm holds 28 characters at 15.75 pt: 3号 with -0.25 pt character spacing.
CHAR_SPACING_TWIPS = -5


def set_fonts(rpr, face: str) -> None:
    """Name one font on every slot of a run or style, East Asian included."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), face)
    fonts.set(qn("w:hint"), "eastAsia")


def child(parent, tag: str, **attrs: str):
    """Append (or replace) one child element with the given w: attributes."""
    old = parent.find(qn(tag))
    if old is not None:
        parent.remove(old)
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    parent.append(el)
    return el


def run_props(style_el, face: str, size_pt: float, bold: bool = False):
    """Give a style its run properties: font on all slots, size, spacing, colour."""
    rpr = style_el.get_or_add_rPr()
    set_fonts(rpr, face)
    if bold:
        child(rpr, "w:b")
    child(rpr, "w:color", val="000000")
    child(rpr, "w:spacing", val=str(CHAR_SPACING_TWIPS))
    child(rpr, "w:sz", val=str(int(size_pt * 2)))
    child(rpr, "w:szCs", val=str(int(size_pt * 2)))
    child(rpr, "w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA")
    reorder_rpr(rpr)
    return rpr


RPR_ORDER = ["w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:color", "w:spacing", "w:kern",
             "w:sz", "w:szCs", "w:lang"]
PPR_ORDER = ["w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:widowControl",
             "w:pBdr", "w:tabs", "w:overflowPunct", "w:snapToGrid", "w:spacing", "w:ind",
             "w:jc", "w:outlineLvl"]


def reorder(el, order: list[str]) -> None:
    """Put children in schema order (Word rejects files whose elements are out of order)."""
    rank = {qn(tag): i for i, tag in enumerate(order)}
    kids = sorted(el, key=lambda k: rank.get(k.tag, len(order)))
    for kid in kids:
        el.remove(kid)
        el.append(kid)


def reorder_rpr(rpr) -> None:
    reorder(rpr, RPR_ORDER)


def para_props(style_el, *, indent_chars: int = 0, align: str = "both",
               outline: int | None = None, keep_next: bool = False):
    """Paragraph properties shared by all text styles: exact line pitch, no widow control."""
    ppr = style_el.get_or_add_pPr()
    if keep_next:
        child(ppr, "w:keepNext")
    child(ppr, "w:widowControl", val="0")
    # No punctuation hanging past the right margin: the text block is 156 mm wide, exactly.
    child(ppr, "w:overflowPunct", val="0")
    child(ppr, "w:spacing", before="0", after="0", line=str(LINE_TWIPS), lineRule="exact")
    if indent_chars:
        child(ppr, "w:ind", firstLineChars=str(indent_chars * 100),
              firstLine=str(indent_chars * BODY_PT * 20))
    else:
        child(ppr, "w:ind", firstLineChars="0", firstLine="0")
    child(ppr, "w:jc", val=align)
    if outline is not None:
        child(ppr, "w:outlineLvl", val=str(outline))
    reorder(ppr, PPR_ORDER)
    return ppr


def set_defaults(doc) -> None:
    """Replace the theme-font document defaults with the 3号 仿宋 body face."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, FANGSONG)
    child(rpr, "w:sz", val=str(BODY_PT * 2))
    child(rpr, "w:szCs", val=str(BODY_PT * 2))
    child(rpr, "w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA")
    reorder_rpr(rpr)
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    child(ppr, "w:spacing", before="0", after="0", line=str(LINE_TWIPS), lineRule="exact")


def paragraph_style(doc, name: str, face: str, size: float, **kw):
    """Create (or reuse) a named paragraph style based on Normal."""
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.quick_style = True
    run_props(style.element, face, size)
    para_props(style.element, **kw)
    return style


def make_styles(doc) -> dict[str, str]:
    """Define the styles the templates use; returns their names by role."""
    set_defaults(doc)
    normal = doc.styles["Normal"]
    run_props(normal.element, FANGSONG, BODY_PT)
    para_props(normal.element, indent_chars=2)
    paragraph_style(doc, "公文标题", XIAOBIAOSONG, TITLE_PT, align="center", outline=0)
    paragraph_style(doc, "一级标题", HEITI, BODY_PT, indent_chars=2, outline=1, keep_next=True)
    paragraph_style(doc, "二级标题", KAITI, BODY_PT, indent_chars=2, outline=2, keep_next=True)
    paragraph_style(doc, "章标题", HEITI, BODY_PT, align="center", outline=1, keep_next=True)
    paragraph_style(doc, "页码", SONGTI, FOOTER_PT, align="right")
    notice_styles(doc)
    return {"title": "公文标题", "h1": "一级标题", "h2": "二级标题", "chapter": "章标题",
            "body": "Normal", "footer": "页码", "mark": "发文机关标志", "number": "发文字号",
            "flush": "顶格", "note": "附件说明", "note-more": "附件说明续", "label": "附件标签",
            "endblock": "版记", "cell": "表格文字", "head": "表头"}


def indent(style, *, left: int = 0, hanging: int = 0, first: int = 0) -> None:
    """Set a style's indentation in twips (first-line indent or hanging, not both)."""
    ppr = style.element.get_or_add_pPr()
    attrs = {"left": str(left), "firstLineChars": "0"}
    if hanging:
        attrs["hanging"] = str(hanging)
    else:
        attrs["firstLine"] = str(first)
    child(ppr, "w:ind", **attrs)
    reorder(ppr, PPR_ORDER)


def notice_styles(doc) -> None:
    """Styles of the notice's parts and of tables, all named so a clerk can restyle them."""
    mark = paragraph_style(doc, "发文机关标志", XIAOBIAOSONG, MARK_PT, align="center")
    child(mark.element.rPr, "w:color", val=RED)
    reorder_rpr(mark.element.rPr)
    # The mark's top edge sits 35 mm under the text block's top edge.
    ppr = mark.element.pPr
    child(ppr, "w:spacing", before=str(35 * 567 // 10 - 200), after="0",
          line=str(MARK_PT * 20 + 120), lineRule="exact")
    reorder(ppr, PPR_ORDER)
    number = paragraph_style(doc, "发文字号", FANGSONG, BODY_PT, align="center")
    borders = child(number.element.pPr, "w:pBdr")
    # The red separator line 4 mm under the number glyphs (6.5 pt of line box + 5 pt), as
    # wide as the text block.
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "12"), ("space", "5"), ("color", RED)):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    reorder(number.element.pPr, PPR_ORDER)
    paragraph_style(doc, "顶格", FANGSONG, BODY_PT)
    note = paragraph_style(doc, "附件说明", FANGSONG, BODY_PT, align="left")
    indent(note, left=5 * CHAR, hanging=3 * CHAR)  # 附件：1.… with later lines under 1.
    more = paragraph_style(doc, "附件说明续", FANGSONG, BODY_PT, align="left")
    indent(more, left=5 * CHAR)
    label = paragraph_style(doc, "附件标签", HEITI, BODY_PT, align="left")
    child(label.element.pPr, "w:pageBreakBefore")
    reorder(label.element.pPr, PPR_ORDER)
    paragraph_style(doc, "版记", FANGSONG, FOOTER_PT, align="left")
    for name, face, align in (("表格文字", FANGSONG, "left"), ("表头", HEITI, "center")):
        cell = paragraph_style(doc, name, face, TABLE_PT, align=align)
        child(cell.element.pPr, "w:spacing", before="0", after="0", line="240", lineRule="auto")
        child(cell.element.pPr, "w:snapToGrid", val="0")
        reorder(cell.element.pPr, PPR_ORDER)


def page_setup(doc) -> None:
    """A4, GB/T 9704 margins, a 22-line grid, odd/even page-number footers."""
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    # The number's line starts 7 mm under the text block (35 mm - 7 mm = 28 mm above the
    # page edge); a 4号 line is about 6 mm tall, so its bottom sits 22 mm above the edge.
    section.footer_distance = Mm(22)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    for attr in list(grid.attrib):
        del grid.attrib[attr]
    # type="lines": LibreOffice mis-reads a linesAndChars grid (14 characters a line), so
    # the 28 characters come from the -0.25 pt character spacing of the styles instead.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_TWIPS))
    doc.settings.odd_and_even_pages_header_footer = True
    footer_number(section.footer, "right")
    footer_number(section.even_page_footer, "left")


def footer_number(footer, side: str) -> None:
    """Write "— N —" in 4号 宋体, one character in from the outer edge."""
    footer.is_linked_to_previous = False
    para = footer.paragraphs[0]
    para.style = "页码"
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if side == "right" else WD_ALIGN_PARAGRAPH.LEFT
    ppr = para._p.get_or_add_pPr()
    one_char = str(FOOTER_PT * 20)
    if side == "right":
        child(ppr, "w:ind", right=one_char, firstLine="0", firstLineChars="0")
    else:
        child(ppr, "w:ind", left=one_char, firstLine="0", firstLineChars="0")
    reorder(ppr, PPR_ORDER)
    add_run(para, "— ")
    field_run(para, "begin")
    add_run(para, " PAGE ", instr=True)
    field_run(para, "separate")
    add_run(para, "1")
    field_run(para, "end")
    add_run(para, " —")


def add_run(para, text: str, instr: bool = False):
    """A run with the footer face named on every slot."""
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    set_fonts(rpr, SONGTI)
    child(rpr, "w:sz", val=str(FOOTER_PT * 2))
    child(rpr, "w:szCs", val=str(FOOTER_PT * 2))
    run.append(rpr)
    t = OxmlElement("w:instrText" if instr else "w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    para._p.append(run)
    return run


def field_run(para, kind: str) -> None:
    run = add_run(para, "")
    run.remove(run[-1])
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), kind)
    run.append(fld)


def text_para(doc, style: str, text: str, face: str, size: float):
    """A paragraph of one run whose fonts are set explicitly (East Asian slot too)."""
    para = doc.add_paragraph(style=style)
    run = para.add_run(text)
    rpr = run._r.get_or_add_rPr()
    set_fonts(rpr, face)
    child(rpr, "w:sz", val=str(int(size * 2)))
    child(rpr, "w:szCs", val=str(int(size * 2)))
    reorder_rpr(rpr)
    return para


CORE_XML = """<?xml version='1.0' encoding='UTF-8' standalone='yes'?>
<cp:coreProperties \
xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
<dc:title>{{ title }}</dc:title><dc:creator>qingdan</dc:creator>\
<cp:lastModifiedBy>qingdan</cp:lastModifiedBy><cp:revision>1</cp:revision>\
<dcterms:created xsi:type="dcterms:W3CDTF">2020-01-01T00:00:00Z</dcterms:created>\
<dcterms:modified xsi:type="dcterms:W3CDTF">2020-01-01T00:00:00Z</dcterms:modified>\
</cp:coreProperties>"""


def with_core_properties(data: bytes) -> bytes:
    """The package with fixed document properties (title from the context, fixed dates).

    Written here rather than through python-docx, whose default properties part is shared
    between documents made in one process."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = CORE_XML.encode("utf-8")
            dst.writestr(info, payload)
    return out.getvalue()


class Builder:
    """A template being written: the document, its style names and paragraph helpers."""

    def __init__(self) -> None:
        self.doc = Document()
        self.doc._body.clear_content()
        self.names = make_styles(self.doc)
        page_setup(self.doc)

    def body(self, text: str):
        return text_para(self.doc, self.names["body"], text, FANGSONG, BODY_PT)

    def styled(self, role: str, text: str, face: str, size: float = BODY_PT):
        return text_para(self.doc, self.names[role], text, face, size)

    def two_runs(self, label: str, label_face: str, text: str):
        """A body paragraph whose label run has its own face: 第一条 in 黑体, then 仿宋."""
        para = self.body(label)
        rpr = para.runs[0]._r.get_or_add_rPr()
        set_fonts(rpr, label_face)
        reorder_rpr(rpr)
        run = para.add_run(text)
        rpr = run._r.get_or_add_rPr()
        set_fonts(rpr, FANGSONG)
        child(rpr, "w:sz", val=str(BODY_PT * 2))
        child(rpr, "w:szCs", val=str(BODY_PT * 2))
        reorder_rpr(rpr)
        return para

    def title_block(self) -> None:
        """Title lines in 2号 小标宋, then one blank line."""
        self.styled("title", "{%p for line in title_lines %}", XIAOBIAOSONG, TITLE_PT)
        self.styled("title", "{{ line }}", XIAOBIAOSONG, TITLE_PT)
        self.styled("title", "{%p endfor %}", XIAOBIAOSONG, TITLE_PT)
        self.body("")

    def paragraphs(self, name: str) -> None:
        """One body paragraph per entry of a list of strings."""
        self.body(f"{{%p for line in {name} %}}")
        self.body("{{ line }}")
        self.body("{%p endfor %}")

    def save(self) -> bytes:
        drop_thumbnail(self.doc)
        out = io.BytesIO()
        self.doc.save(out)
        return normalise_zip(with_core_properties(out.getvalue()))


def responsibility_list() -> bytes:
    """The 责任清单 template: title, recipients, preamble, then one section per role."""
    t = Builder()
    t.title_block()
    t.body("{%p if recipients %}")
    recipients = t.body("{{ recipients }}")
    child(recipients._p.get_or_add_pPr(), "w:ind", firstLineChars="0", firstLine="0")
    t.body("{%p endif %}")
    t.paragraphs("preamble")
    t.body("{%p for role in roles %}")
    t.styled("h1", "{{ role.label }}{{ role.heading }}", HEITI)
    t.body("{%p if role.lead %}")
    t.body("{{ role.lead }}")
    t.body("{%p endif %}")
    t.body("{%p for item in role.items %}")
    t.body("{{ item.label }}{{ item.text }}")
    t.body("{%p endfor %}")
    t.body("{%p endfor %}")
    return t.save()


def measures() -> bytes:
    """The 实施办法/考核办法 template: title, preamble, then blocks of numbered text.

    Each block has a kind: chapter (第一章 总则, centred), h1 and h2 (一、 and （一） as
    headings on their own line), or a body paragraph whose label run (第一条, 一、, （一）)
    takes the face of its level, 黑体 or 楷体, and whose text is 仿宋.
    """
    t = Builder()
    t.title_block()
    t.paragraphs("preamble")
    t.body("{%p for b in blocks %}")
    t.body("{%p if b.kind == 'chapter' %}")
    t.styled("chapter", "{{ b.label }}{{ b.text }}", HEITI)
    t.body("{%p elif b.kind == 'h1' %}")
    t.styled("h1", "{{ b.label }}{{ b.text }}", HEITI)
    t.body("{%p elif b.kind == 'h2' %}")
    t.styled("h2", "{{ b.label }}{{ b.text }}", KAITI)
    t.body("{%p elif b.kind == 'lead-hei' %}")
    t.two_runs("{{ b.label }}", HEITI, "{{ b.text }}")
    t.body("{%p elif b.kind == 'lead-kai' %}")
    t.two_runs("{{ b.label }}", KAITI, "{{ b.text }}")
    t.body("{%p else %}")
    t.body("{{ b.label }}{{ b.text }}")
    t.body("{%p endif %}")
    t.body("{%p endfor %}")
    return t.save()


def drop_thumbnail(doc) -> None:
    """Remove the English-language preview picture python-docx's default template carries."""
    rels = doc.part.package.rels
    for rid, rel in list(rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del rels[rid]


def notice() -> bytes:
    """The 通知 template: letterhead, number and red line, title, recipients, body,
    attachment note, signature and date, each attached document on a new page after its
    附件N label, and the end block (版记) at the bottom of the last page."""
    t = Builder()
    for test, size in (("if mark|length <= 12", MARK_PT), ("elif mark|length <= 15", 28),
                       ("else", 22)):
        t.body(f"{{%p {test} %}}")
        t.styled("mark", "{{ mark }}", XIAOBIAOSONG, size)
    t.body("{%p endif %}")
    t.body("")
    t.body("")
    t.styled("number", "{{ number }}", FANGSONG)
    t.body("")
    t.body("")
    t.title_block()
    t.styled("flush", "{{ recipients }}", FANGSONG)
    t.paragraphs("body")
    t.body("")
    t.body("{%p for a in attachments %}")
    t.body("{%p if loop.first %}")
    t.styled("note", "{{ a.note }}", FANGSONG)
    t.body("{%p else %}")
    t.styled("note-more", "{{ a.note }}", FANGSONG)
    t.body("{%p endif %}")
    t.body("{%p endfor %}")
    t.body("")
    t.styled("flush", "{{ signature_line }}", FANGSONG)
    t.styled("flush", "{{ date_line }}", FANGSONG)
    t.body("{%p for a in attachments %}")
    t.styled("label", "{{ a.label }}", HEITI)
    t.body("")
    t.body("{{p a.doc }}")
    t.body("{%p endfor %}")
    end_block(t)
    return t.save()


NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"')
EMU_PER_TWIP = 635


def end_block_line(text: str, top: int, bottom: int) -> str:
    """One line of the end block: 4号 仿宋, one character in on both sides, its rules as
    paragraph borders (sizes in eighths of a point; 0 for none)."""
    rules = "".join(f'<w:{side} w:val="single" w:sz="{size}" w:space="0" w:color="000000"/>'
                    for side, size in (("top", top), ("bottom", bottom)) if size)
    one = FOOTER_PT * 20
    tab = (f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH_TWIPS - one}"/></w:tabs>'
           if "\t" in text else "")
    rpr = (f'<w:rPr><w:rFonts w:ascii="{FANGSONG}" w:hAnsi="{FANGSONG}" w:eastAsia="{FANGSONG}" '
           f'w:cs="{FANGSONG}" w:hint="eastAsia"/><w:sz w:val="{FOOTER_PT * 2}"/>'
           f'<w:szCs w:val="{FOOTER_PT * 2}"/></w:rPr>')
    runs = "".join((f"<w:r>{rpr}<w:tab/></w:r>" if i else "")
                   + f'<w:r>{rpr}<w:t xml:space="preserve">{piece}</w:t></w:r>'
                   for i, piece in enumerate(text.split("\t")))
    return (f'<w:p><w:pPr><w:pStyle w:val="版记"/><w:pBdr>{rules}</w:pBdr>{tab}'
            f'<w:ind w:left="{one}" w:right="{one}" w:firstLine="0" w:firstLineChars="0"/>'
            f"</w:pPr>{runs}</w:p>")


def end_block(t: Builder) -> None:
    """版记 in a text box anchored to the bottom of the text block on the last page:
    抄送 and 印发 lines, the first and last rules thick (0.35 mm), the middle one thin."""
    printed = "{{ printer }}\t{{ print_date }}印发"
    lines = "".join([
        end_block_line("{%p if copy_to %}", 0, 0),
        end_block_line("抄送：{{ copy_to }}", 8, 6),
        end_block_line(printed, 0, 8),
        end_block_line("{%p else %}", 0, 0),
        end_block_line(printed, 8, 8),
        end_block_line("{%p endif %}", 0, 0),
    ])
    width = TEXT_WIDTH_TWIPS * EMU_PER_TWIP
    height = 2 * LINE_TWIPS * EMU_PER_TWIP + 20000
    xml = f"""<w:p {NAMESPACES}><w:pPr><w:spacing w:before="0" w:after="0" w:line="20"
 w:lineRule="exact"/></w:pPr><w:r><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0"
 simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1"
 allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="margin"><wp:align
 >center</wp:align></wp:positionH><wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align
 ></wp:positionV><wp:extent cx="{width}" cy="{height}"/><wp:effectExtent l="0" t="0" r="0" b="0"
 /><wp:wrapTopAndBottom/><wp:docPr id="9001" name="版记"/><wp:cNvGraphicFramePr/><a:graphic
 ><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp
 ><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"
 /></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln
 ></wps:spPr><wps:txbx><w:txbxContent>{lines}</w:txbxContent></wps:txbx><wps:bodyPr rot="0"
 vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b" anchorCtr="0"
 ><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing
 ></w:r></w:p>"""
    para = parse_xml(xml.replace("\n", ""))
    t.doc.element.body.insert(len(t.doc.element.body) - 1, para)


SHEET_COLUMNS = {
    False: [("序号", 900), ("考核项目", 1900), ("考核内容", 4245), ("分值", 900), ("得分", 900)],
    True: [("序号", 900), ("考核项目", 2000), ("考核内容", 4500), ("评分标准", 3456),
           ("分值", 900), ("得分", 1000)],
}


def landscape(t: Builder) -> None:
    """Turn the page: A4 landscape, the binding edge at the top."""
    section = t.doc.sections[0]
    section.orientation = 1  # WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(28), Mm(26)
    section.left_margin, section.right_margin = Mm(37), Mm(35)


def grid_table(t: Builder, columns: list[tuple[str, int]], rows: list[list[str]],
               centred: tuple[str, ...]) -> None:
    """A ruled table: a header row (repeated on every page), docxtpl {%tr %} rows merged
    into one cell, fixed column widths in twips, rows that never break across pages."""
    table = t.doc.add_table(rows=len(rows), cols=len(columns))
    table.style = t.doc.styles["Table Grid"]
    table.autofit = False
    for column, (_, width) in zip(table.columns, columns, strict=True):
        column.width = width * 635
    tbl_pr = table._tbl.tblPr
    child(tbl_pr, "w:tblLayout", type="fixed")
    child(tbl_pr, "w:jc", val="center")
    reorder(tbl_pr, ["w:tblStyle", "w:tblW", "w:jc", "w:tblLayout", "w:tblLook"])
    for r, values in enumerate(rows):
        cells = table.rows[r].cells
        if values[0].startswith("{%tr"):
            cells[0].merge(cells[-1])
            cells = cells[:1]
        for cell, (_, width), value in zip(cells, columns, values, strict=False):
            cell.width = width * 635
            para = cell.paragraphs[0]
            para.style = t.doc.styles["表头" if r == 0 else "表格文字"]
            if value in centred:
                para.alignment = 1
            run = para.add_run(value)
            rpr = run._r.get_or_add_rPr()
            set_fonts(rpr, HEITI if r == 0 else FANGSONG)
            reorder_rpr(rpr)
    for row in table.rows:
        child(row._tr.get_or_add_trPr(), "w:cantSplit")
    child(table.rows[0]._tr.get_or_add_trPr(), "w:tblHeader")


def scoring_sheet(wide: bool) -> bytes:
    """考核评分表: one row per indicator, items of one group merged down the 考核项目 column."""
    t = Builder()
    if wide:
        landscape(t)
    columns = SHEET_COLUMNS[wide]
    t.title_block()
    info = t.styled("flush", "被考核单位：{{ unit }}", FANGSONG)
    ppr = info._p.get_or_add_pPr()
    tabs = child(ppr, "w:tabs")
    stop = OxmlElement("w:tab")
    stop.set(qn("w:val"), "right")
    stop.set(qn("w:pos"), str(sum(w for _, w in columns)))
    tabs.append(stop)
    reorder(ppr, PPR_ORDER)
    tab = info.add_run()
    tab._r.append(OxmlElement("w:tab"))
    tail = info.add_run("考核时间：　　年　　月　　日")
    set_fonts(tail._r.get_or_add_rPr(), FANGSONG)
    fields = ["{{ r.no }}", "{% vm %}{{ g.name }}", "{{ r.content }}",
              *(["{{ r.criteria }}"] if wide else []), "{{ r.points }}", ""]
    total = ["合计", "", "", *([""] if wide else []), "{{ total }}", ""]
    # Rows of one group sit in an inner loop, so {% vm %} merges 考核项目 within a group.
    rows = [[name for name, _ in columns], ["{%tr for g in groups %}"],
            ["{%tr for r in g.rows %}"], fields, ["{%tr endfor %}"], ["{%tr endfor %}"], total]
    grid_table(t, columns, rows, ("{{ r.no }}", "{{ r.points }}", "合计", "{{ total }}"))
    t.body("")
    t.styled("flush", "考核人（签字）：　　　　　　　　　　被考核单位负责人（签字）：", FANGSONG)
    return t.save()


def comparison() -> bytes:
    """修订对照表: landscape, one row per changed item; the old and new text cells take
    run-level content ({{r …}}) so deletions can be struck through and additions marked."""
    t = Builder()
    landscape(t)
    t.title_block()
    t.styled("flush", "{{ legend }}", FANGSONG)
    columns = [("序号", 900), ("原条文", 4700), ("修订后条文", 4700), ("修订说明", 2456)]
    rows = [[name for name, _ in columns], ["{%tr for r in rows %}"],
            ["{{ r.no }}", "{{r r.old }}", "{{r r.new }}", "{{ r.note }}"], ["{%tr endfor %}"]]
    grid_table(t, columns, rows, ("{{ r.no }}",))
    return t.save()


TEMPLATES = {"responsibility-list.docx": responsibility_list, "measures.docx": measures,
             "notice.docx": notice, "scoring-sheet.docx": lambda: scoring_sheet(False),
             "scoring-sheet-landscape.docx": lambda: scoring_sheet(True),
             "comparison.docx": comparison}


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else HERE
    target.mkdir(parents=True, exist_ok=True)
    for name, make in TEMPLATES.items():
        (target / name).write_bytes(make())
        print(f"wrote {target / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
