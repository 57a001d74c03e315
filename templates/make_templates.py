"""Generate the .docx templates in this folder from code, so every change is reviewable.

Run from the repository root, with qingdan installed:  .venv/bin/python templates/make_templates.py

The templates carry the GB/T 9704-2012 page facts (A4, margins 37/35/28/26 mm, a grid of
22 lines by 28 characters), named styles a clerk can restyle in Word, the page-number
footers, and docxtpl tags for the body. They are written deterministically: the same
script gives the same XML every time.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
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
# 225 mm / 22 lines = 28.95 pt. Exact line spacing at this pitch gives 22 lines in Word,
# WPS and LibreOffice alike.
LINE_TWIPS = 579
# 156 mm holds 28 characters at 15.75 pt: 3号 with -0.25 pt character spacing.
CHAR_SPACING_TWIPS = -5
FIXED_TIME = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)


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
             "w:overflowPunct", "w:snapToGrid", "w:spacing", "w:ind", "w:jc", "w:outlineLvl"]


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
    return {"title": "公文标题", "h1": "一级标题", "h2": "二级标题", "chapter": "章标题",
            "body": "Normal", "footer": "页码"}


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


def set_properties(doc, title: str) -> None:
    props = doc.core_properties
    props.title = title
    props.author = "qingdan"
    props.last_modified_by = "qingdan"
    props.comments = ""
    props.created = FIXED_TIME.replace(tzinfo=None)
    props.modified = FIXED_TIME.replace(tzinfo=None)
    props.revision = 1


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
        set_properties(self.doc, "{{ title }}")
        drop_thumbnail(self.doc)
        out = io.BytesIO()
        self.doc.save(out)
        return normalise_zip(out.getvalue())


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


TEMPLATES = {"responsibility-list.docx": responsibility_list, "measures.docx": measures}


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else HERE
    target.mkdir(parents=True, exist_ok=True)
    for name, make in TEMPLATES.items():
        (target / name).write_bytes(make())
        print(f"wrote {target / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
