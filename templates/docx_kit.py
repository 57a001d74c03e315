"""The building blocks of the templates: GB/T 9704 page facts, named styles, paragraphs.

Used by make_templates.py (run it, not this module). Everything here is deterministic, so
the same code gives the same XML every time.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from ooxml import clean_package

from qingdan.write.files import normalise_zip

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
# WPS and LibreOffice alike, with no document grid: LibreOffice snaps every line of a
# gridded page to whole grid lines, so a 2号 title line (taller than 28.95 pt in most
# fonts' metrics) would take two.
LINE_TWIPS = 579
# 156 mm (442.2 pt) holds 28 characters at 15.75 pt: 3号 with -0.25 pt character spacing.
# A character grid (linesAndChars) would do this in Word, but LibreOffice gives every 16 pt
# character two cells of a 15.79 pt grid: 14 characters a line.
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
             "w:pBdr", "w:tabs", "w:overflowPunct", "w:autoSpaceDE", "w:autoSpaceDN",
             "w:snapToGrid", "w:spacing", "w:ind", "w:jc", "w:outlineLvl"]


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
    asian_typography(ppr)
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


def asian_typography(ppr) -> None:
    """Punctuation at a line's end, and no extra space between Chinese and digits.

    w:overflowPunct is written as 1 although ECMA-376 (17.3.1.21) says 1 lets a closing
    mark hang past the right margin. LibreOffice imports the element inverted (writerfilter
    DomainMapper: ParaIsHangingPunctuation = (val == 0), while its export writes it
    uninverted), and its hanging code, with the -0.25 pt spacing, neither draws nor exports
    a "，" or "、" that falls after a full line. With 1 it moves the mark down with the
    character before it, so every character is drawn and no line passes 28. Word and WPS read
    1 as the standard says and may hang such a mark in the margin: nothing is lost there.

    w:autoSpaceDE/DN = 0 stop Word and WPS from adding a quarter space between Chinese and
    Latin text or digits ("2024年3月" rather than "2024 年 3 月"); LibreOffice ignores both
    elements on import (qingdan's own PDF conversion turns its equivalent off).
    """
    child(ppr, "w:overflowPunct", val="1")
    child(ppr, "w:autoSpaceDE", val="0")
    child(ppr, "w:autoSpaceDN", val="0")


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
    child(ppr, "w:widowControl", val="0")
    asian_typography(ppr)
    child(ppr, "w:spacing", before="0", after="0", line=str(LINE_TWIPS), lineRule="exact")
    reorder(ppr, PPR_ORDER)


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
            "flush": "顶格", "marker": "版头标注", "note": "附件说明", "note-more": "附件说明续",
            "label": "附件标签", "endblock": "版记", "cell": "表格文字", "head": "表头"}


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
    # 份号, 密级, 紧急程度 and qingdan's 草稿 / 征求意见稿: 3号黑体, flush left, on the first
    # lines of the text block (GB/T 9704-2012 7.2.2-7.2.4).
    paragraph_style(doc, "版头标注", HEITI, BODY_PT, align="left")
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
    """A4, GB/T 9704 margins, odd/even page-number footers; 22 lines by exact spacing."""
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
    # No grid type: the exact line spacing of every style makes the 22 lines (see
    # LINE_TWIPS). The pitch is kept so a clerk who turns on Word's line grid gets 28.95 pt.
    grid.set(qn("w:linePitch"), str(LINE_TWIPS))
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
        return normalise_zip(clean_package(out.getvalue(), set(self.names.values())))


def drop_thumbnail(doc) -> None:
    """Remove the English-language preview picture python-docx's default template carries."""
    rels = doc.part.package.rels
    for rid, rel in list(rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del rels[rid]
