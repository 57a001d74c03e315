"""The bundled example, opened as a user would open it in Word."""

from __future__ import annotations

import re
import zipfile

import docx
from docx.oxml.ns import qn

from docxread import paragraphs, run_fonts, style_font

ROLE_HEADINGS = [
    "一、局党委意识形态工作主体责任清单",
    "二、局党委书记意识形态工作责任清单",
    "三、局党委副书记意识形态工作责任清单",
    "四、其他党委班子成员意识形态工作责任清单",
]


def test_file_is_named_after_the_title(example_docx):
    assert example_docx.name == "清河县粮食局党委意识形态工作责任清单.docx"


def test_title_preamble_and_sections_in_order(example_docx):
    paras = [p for p in paragraphs(example_docx) if p.text]
    assert paras[0].text == "清河县粮食局党委意识形态工作责任清单"
    assert paras[0].style == "公文标题"
    assert paras[1].text == (
        "根据中共清河县委办公室《贯彻落实党委（党工委、党组）意识形态工作责任制的实施方案》"
        "（清委办〔2016〕15号）精神，结合工作实际，制定如下责任清单。")
    headings = [p for p in paras if p.style == "一级标题"]
    assert [h.text for h in headings] == ROLE_HEADINGS


def test_blank_line_between_title_and_body(example_docx):
    paras = paragraphs(example_docx)
    assert paras[0].style == "公文标题" and paras[1].text == ""


def test_items_numbered_from_one_in_each_section(example_docx):
    paras = [p for p in paragraphs(example_docx) if p.text]
    sections: list[list[str]] = []
    for p in paras:
        if p.style == "一级标题":
            sections.append([])
        elif sections and re.match(r"^\d+\.", p.text):
            sections[-1].append(p.text.split(".", 1)[0])
    assert [len(s) for s in sections] == [5, 5, 5, 6]
    for numbers in sections:
        assert numbers == [str(i) for i in range(1, len(numbers) + 1)]


def test_placeholders_are_filled_and_folded_lines_joined(example_docx):
    text = "\n".join(p.text for p in paragraphs(example_docx))
    assert "{{" not in text and "}}" not in text and "{%" not in text
    assert "加强局网站、“双微”等媒体的建设、管理和运用。" in text
    assert "3.每年向县委专题汇报一次意识形态工作情况" not in text  # it is item 5
    assert "5.每年向县委专题汇报一次意识形态工作情况，重大情况第一时间报告。" in text
    assert "局党委对本部门意识形态工作负主体责任，对意识形态工作负总责。" in text
    # YAML's folded style must not leave spaces inside Chinese text.
    assert not re.search(r"[^\x00-\x7f] | [^\x00-\x7f]", text)


def test_no_word_list_numbering(example_docx):
    document = docx.Document(str(example_docx))
    assert not list(document.element.body.iter(qn("w:numPr")))


def test_page_setup_is_gbt9704(example_docx):
    section = docx.Document(str(example_docx)).sections[0]
    expected = {"page_width": 210, "page_height": 297, "top_margin": 37, "bottom_margin": 35,
                "left_margin": 28, "right_margin": 26}
    for attr, mm in expected.items():
        assert abs(getattr(section, attr).mm - mm) < 0.1, attr


def test_document_grid_gives_22_lines_of_28_characters(example_docx):
    document = docx.Document(str(example_docx))
    section = document.sections[0]
    grid = section._sectPr.find(qn("w:docGrid"))
    pitch_pt = int(grid.get(qn("w:linePitch"))) / 20
    height_pt = (section.page_height - section.top_margin - section.bottom_margin) / 12700
    assert int(height_pt // pitch_pt) == 22
    normal = document.styles["Normal"].element.rPr
    size_pt = int(normal.find(qn("w:sz")).get(qn("w:val"))) / 2
    spacing_pt = int(normal.find(qn("w:spacing")).get(qn("w:val"))) / 20
    width_pt = (section.page_width - section.left_margin - section.right_margin) / 12700
    assert int(width_pt // (size_pt + spacing_pt)) == 28
    # Body paragraphs use the same exact pitch, so Word, WPS and LibreOffice agree.
    spacing = document.styles["Normal"].element.pPr.find(qn("w:spacing"))
    assert spacing.get(qn("w:lineRule")) == "exact"
    assert int(spacing.get(qn("w:line"))) == int(grid.get(qn("w:linePitch")))


def test_style_fonts_and_sizes(example_docx):
    document = docx.Document(str(example_docx))
    assert style_font(document, "Normal") == ("仿宋_GB2312", 16)
    assert style_font(document, "公文标题") == ("方正小标宋简体", 22)
    assert style_font(document, "一级标题") == ("黑体", 16)
    assert style_font(document, "页码") == ("宋体", 14)
    assert document.styles["公文标题"].paragraph_format.alignment == 1  # centred
    indent = document.styles["Normal"].element.pPr.find(qn("w:ind"))
    assert indent.get(qn("w:firstLineChars")) == "200"


def test_every_run_names_its_east_asian_font(example_docx):
    document = docx.Document(str(example_docx))
    fonts = run_fonts(document.element.body)
    assert fonts, "the body has runs"
    for attrs in fonts:
        assert attrs.get("eastAsia") in {"仿宋_GB2312", "黑体", "方正小标宋简体"}
        # Latin slots carry the same face, so quotation marks stay in the Chinese font.
        assert attrs.get("ascii") == attrs.get("eastAsia") == attrs.get("hAnsi")


def test_defaults_carry_no_theme_fonts(example_docx):
    with zipfile.ZipFile(example_docx) as z:
        styles = z.read("word/styles.xml").decode()
    defaults = styles[styles.index("<w:docDefaults"):styles.index("</w:docDefaults>")]
    assert "Theme" not in defaults
    assert 'w:eastAsia="仿宋_GB2312"' in defaults


def test_page_numbers_odd_right_even_left(example_docx):
    document = docx.Document(str(example_docx))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for para, side in ((odd, "right"), (even, "left")):
        assert para.alignment == (2 if side == "right" else 0)
        assert para.text == "— 1 —"  # the number is a PAGE field; 1 is its cached value
        instr = "".join(t.text for t in para._p.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE"
        ind = para._p.pPr.find(qn("w:ind"))
        assert ind.get(qn(f"w:{side}")) == "280"  # one 4号 character in from the edge
        for attrs in run_fonts(para._p):
            assert attrs.get("eastAsia") == "宋体" and attrs.get("ascii") == "宋体"


def test_rendering_twice_gives_the_same_document(example_docx, tmp_path):
    from conftest import run_cli

    assert run_cli("build", "-o", str(tmp_path)).exit_code == 0
    again = tmp_path / example_docx.name
    with zipfile.ZipFile(example_docx) as a, zipfile.ZipFile(again) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name


def test_no_template_marker_survives_in_any_output(example_dir):
    documents = sorted(example_dir.rglob("*.docx"))
    assert len(documents) == 20
    for path in documents:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.endswith(".xml"):
                    xml = z.read(name).decode("utf-8")
                    assert not re.search(r"\{\{|\}\}|\{%|%\}|\{#|#\}", xml), (path.name, name)
