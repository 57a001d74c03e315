"""The notice template's end block (版记) and its page-number footers.

Used by make_templates.py (run it, not this module).
"""

from __future__ import annotations

from docx.oxml import parse_xml
from docx_kit import (
    FANGSONG,
    FOOTER_PT,
    LINE_TWIPS,
    PPR_ORDER,
    TEXT_WIDTH_TWIPS,
    Builder,
    child,
    reorder,
)

# The room between the text block and the footer's foot: the bottom margin less the footer
# distance (35 mm - 22 mm), in twips, less the exact line of the page number.
FOOTER_ROOM_TWIPS = 1984 - 1247 - LINE_TWIPS


def footers_fill_the_margin(t: Builder) -> None:
    """The page number's paragraph takes the room above it as space before (nearly all of
    it: 150 of 158 twips), so the footer is as tall as the margin it sits in. Nothing moves
    in Word, WPS or LibreOffice; but when qingdan puts the end block in a section that
    starts on an even page (a double-sided set), LibreOffice copies the page style without
    the footer's distance from the text, and the text block of that page would otherwise
    end 7.9 pt lower than the others'."""
    section = t.doc.sections[0]
    for footer in (section.footer, section.even_page_footer):
        ppr = footer.paragraphs[0]._p.get_or_add_pPr()
        child(ppr, "w:spacing", before=str(FOOTER_ROOM_TWIPS - 8))
        reorder(ppr, PPR_ORDER)



EMU_PER_TWIP = 635
RULE_TWIPS = 40  # the height of an empty paragraph that carries one rule of the end block
END_BLOCK_LINES = 3  # text lines the box holds: 抄送 may wrap once


def end_block_text(text: str, hanging_chars: int = 0) -> str:
    """A text line of the end block: 4号 仿宋, one character in on both sides, wrapped lines
    under the first character after hanging_chars (抄送：), a right tab for the date."""
    one = FOOTER_PT * 20
    tab = (f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH_TWIPS - one}"/></w:tabs>'
           if "\t" in text else "")
    hang = hanging_chars * one
    rpr = (f'<w:rPr><w:rFonts w:ascii="{FANGSONG}" w:hAnsi="{FANGSONG}" w:eastAsia="{FANGSONG}" '
           f'w:cs="{FANGSONG}" w:hint="eastAsia"/><w:sz w:val="{FOOTER_PT * 2}"/>'
           f'<w:szCs w:val="{FOOTER_PT * 2}"/></w:rPr>')
    runs = "".join((f"<w:r>{rpr}<w:tab/></w:r>" if i else "")
                   + f'<w:r>{rpr}<w:t xml:space="preserve">{piece}</w:t></w:r>'
                   for i, piece in enumerate(text.split("\t")))
    indent = (f'<w:ind w:left="{one + hang}" w:right="{one}" w:hanging="{hang}" '
              'w:firstLineChars="0"/>' if hang else
              f'<w:ind w:left="{one}" w:right="{one}" w:firstLine="0" w:firstLineChars="0"/>')
    return f'<w:p><w:pPr><w:pStyle w:val="版记"/>{tab}{indent}</w:pPr>{runs}</w:p>'


def end_block_rule(eighths: int) -> str:
    """A rule as wide as the text block: the bottom border of an empty, very low paragraph
    with no indent (a border follows its paragraph's indents, so the text lines, which are
    indented one character, cannot carry it). eighths: 8 = 0.35 mm, 6 = 0.25 mm."""
    return (f'<w:p><w:pPr><w:pStyle w:val="版记"/><w:pBdr><w:bottom w:val="single" '
            f'w:sz="{eighths}" w:space="0" w:color="000000"/></w:pBdr>'
            f'<w:spacing w:before="0" w:after="0" w:line="{RULE_TWIPS}" w:lineRule="exact"/>'
            '<w:ind w:left="0" w:right="0" w:firstLine="0" w:firstLineChars="0"/></w:pPr></w:p>')


def end_block_content() -> str:
    """The end block's paragraphs: a thick rule, 抄送, a thin rule, 印发机关 and 印发日期,
    and a thick rule that is the bottom edge of the box, so of the text block (7.4.1)."""
    printed = end_block_text("{{ printer }}\t{{ print_date }}印发")
    return "".join([
        end_block_rule(8),
        end_block_text("{%p if copy_to %}"),
        end_block_text("抄送：{{ copy_to }}", hanging_chars=3),
        end_block_rule(6),
        end_block_text("{%p endif %}"),
        printed,
        end_block_rule(8),
    ])


def end_block(t: Builder) -> None:
    """版记 in a text box anchored to the bottom of the text block on the last page.

    Written as Word writes a text box: a DrawingML shape (mc:Choice Requires="wps", what
    Word 2010+, WPS and LibreOffice read) with a VML fallback, so older readers and
    converters that take the fallback (mammoth, pandoc) see the end block too.
    """
    content = end_block_content()
    width = TEXT_WIDTH_TWIPS * EMU_PER_TWIP
    height_twips = END_BLOCK_LINES * LINE_TWIPS + 3 * RULE_TWIPS
    height = height_twips * EMU_PER_TWIP
    drawing = f"""<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0"
 simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1"
 allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="margin"><wp:align
 >center</wp:align></wp:positionH><wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align
 ></wp:positionV><wp:extent cx="{width}" cy="{height}"/><wp:effectExtent l="0" t="0" r="0" b="0"
 /><wp:wrapTopAndBottom/><wp:docPr id="9001" name="版记"/><wp:cNvGraphicFramePr/><a:graphic
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData
 uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp
 ><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"
 /></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln
 ></wps:spPr><wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx><wps:bodyPr rot="0"
 vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b" anchorCtr="0"
 ><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"""
    style = (f"position:absolute;margin-left:0;margin-top:0;width:{TEXT_WIDTH_TWIPS / 20:g}pt;"
             f"height:{height_twips / 20:g}pt;z-index:251659264;mso-wrap-distance-left:0;"
             "mso-wrap-distance-top:0;mso-wrap-distance-right:0;mso-wrap-distance-bottom:0;"
             "mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
             "mso-position-vertical:bottom;mso-position-vertical-relative:margin;"
             "v-text-anchor:bottom")
    fallback = (f'<w:pict><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
                'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path '
                'gradientshapeok="t" o:connecttype="rect"/></v:shapetype><v:shape id="endblock" '
                f'type="#_x0000_t202" style="{style}" filled="f" stroked="f"><v:textbox '
                f'inset="0,0,0,0"><w:txbxContent>{content}</w:txbxContent></v:textbox>'
                '<w10:wrap type="topAndBottom" anchorx="margin" anchory="margin"/></v:shape>'
                "</w:pict>")
    namespaces = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in (
        ("w", "http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
        ("wp", "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
        ("wps", "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"),
        ("mc", "http://schemas.openxmlformats.org/markup-compatibility/2006"),
        ("v", "urn:schemas-microsoft-com:vml"), ("o", "urn:schemas-microsoft-com:office:office"),
        ("w10", "urn:schemas-microsoft-com:office:word")))
    xml = (f'<w:p {namespaces}><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" '
           'w:lineRule="exact"/></w:pPr><w:r><mc:AlternateContent><mc:Choice Requires="wps">'
           f"{drawing}</mc:Choice><mc:Fallback>{fallback}</mc:Fallback></mc:AlternateContent>"
           "</w:r></w:p>")
    para = parse_xml(xml.replace("\n", ""))
    t.doc.element.body.insert(len(t.doc.element.body) - 1, para)
