"""build --ofd and proof --ofd: every document also as an OFD package with the PDF's pages,
opened by a reader qingdan did not write (easyofd) with every character of the .docx, valid
against the GB/T 33190 schemas, byte-stable and incremental."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from conftest import EXAMPLE, REPO, office_missing, run_cli
from qingdan.diagnostics import Location
from qingdan.ofd import DocInfo, Unsupported, convert
from qingdan.ofd.check import lines, validate
from qingdan.ofd.sfnt import read_tables
from qingdan.proof import docx as docx_text
from qingdan.proof.checks import Printed, check
from qingdan.proof.locate import Locator
from qingdan.proof.pages import MM as PT_PER_MM
from qingdan.proof.pages import Line

needs_office = pytest.mark.skipif(office_missing() is not None, reason=str(office_missing()))
EXAMPLE_2025 = REPO / "checklists" / "example-2025"
Q = "{http://www.ofdspec.org/2016}"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    """The example built with --pdf --ofd; (output folder, what it printed)."""
    out = tmp_path_factory.mktemp("ofd") / "output"
    result = run_cli("build", str(EXAMPLE), "-o", str(out), "--pdf", "--ofd")
    assert result.exit_code == 0, result.output
    return out, result.stdout


@pytest.fixture(scope="module")
def built_2025(tmp_path_factory) -> Path:
    """example-2025 built with --ofd alone: OFDs and no PDF."""
    out = tmp_path_factory.mktemp("ofd2025") / "output"
    result = run_cli("build", str(EXAMPLE_2025), "-o", str(out), "--ofd")
    assert result.exit_code == 0, result.output
    return out


def _text_problems(docx: Path, page_lines: list[Line], sizes: list[tuple[float, float]]) -> list[str]:
    """proof's own comparison of the .docx's characters with the printed lines: what it
    reports missing (E951) or added (E952)."""
    data = docx.read_bytes()
    printed = Printed(docx.name, docx_text.paragraphs(data), docx_text.frames(data), sizes,
                      page_lines, Locator(None, Location(docx.name)))
    return [f"{d.code} {d.message}" for d in check(printed) if d.code in ("E951", "E952")]


def _documents(out: Path) -> list[Path]:
    return sorted(out.rglob("*.docx"))


@needs_office
def test_every_document_gets_a_valid_ofd_no_larger_than_half_again_its_pdf(built):
    out, printed = built
    documents = _documents(out)
    assert len(documents) == 20
    for document in documents:
        target = document.with_suffix(".ofd")
        assert f"已生成：{target}" in printed or "份 OFD" in printed
        data = target.read_bytes()
        assert validate(data) == [], target
        assert len(data) <= 1.5 * document.with_suffix(".pdf").stat().st_size, target


@needs_office
def test_our_reader_finds_every_character_of_the_docx(built, built_2025):
    for out in (built[0], built_2025):
        for document in _documents(out):
            sizes, found = lines(document.with_suffix(".ofd").read_bytes())
            assert _text_problems(document, [Line(*ln) for ln in found], sizes) == [], document


def _easyofd_lines(path: Path) -> tuple[list[tuple[float, float]], list[Line]]:
    """The pages as easyofd reads them: every text object's text at its Boundary."""
    from easyofd.ofd import OFD
    from loguru import logger

    logger.remove()
    reader = OFD()
    reader.read(str(path), fmt="path")
    [doc] = reader.data
    found: list[Line] = []
    for page in sorted(doc["page_info"]):
        previous = None
        for item in doc["page_info"][page]["text_list"]:
            x, y, w, h = item["pos"]
            line = Line(page + 1, item["text"], x * PT_PER_MM, y * PT_PER_MM,
                        (x + w) * PT_PER_MM, (y + h) * PT_PER_MM)
            # text objects of one line (a page number's dashes and digits are three)
            if previous and abs(previous.y0 - line.y0) < 1 and \
                    abs(line.x0 - previous.x1) < item["size"] * PT_PER_MM:
                line = Line(page + 1, previous.text + line.text, previous.x0, previous.y0,
                            line.x1, max(previous.y1, line.y1))
                found.pop()
            found.append(line)
            previous = line
    boxes = [box or doc["default_page_size"] for box in doc["page_size"]]
    sizes = [(box[2] * PT_PER_MM, box[3] * PT_PER_MM) for box in boxes]
    return sizes, found


@needs_office
def test_an_independent_reader_finds_every_character_of_the_docx(built, built_2025, tmp_path,
                                                                 monkeypatch):
    monkeypatch.chdir(tmp_path)  # easyofd unpacks into the working folder
    checked = 0
    for out in (built[0], built_2025):
        for document in _documents(out):
            sizes, found = _easyofd_lines(document.with_suffix(".ofd"))
            assert len(sizes) == len(lines(document.with_suffix(".ofd").read_bytes())[0])
            assert _text_problems(document, found, sizes) == [], document
            checked += 1
    assert checked == 41
    assert not list(tmp_path.iterdir())  # it cleaned up after itself


@needs_office
def test_without_pdf_no_pdf_is_left(built_2025):
    assert not list(built_2025.rglob("*.pdf"))
    assert len(list(built_2025.rglob("*.ofd"))) == 21


@needs_office
def test_an_unchanged_build_makes_nothing_and_a_missing_ofd_is_made_the_same(built):
    out, _ = built
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*.ofd")}
    result = run_cli("build", str(EXAMPLE), "-o", str(out), "--pdf", "--ofd")
    assert result.exit_code == 0, result.output
    assert "已生成" not in result.stdout
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.ofd")} == stamps
    [notice] = out.glob("关于印发*.ofd")
    before = notice.read_bytes()
    notice.unlink()
    result = run_cli("build", str(EXAMPLE), "-o", str(out), "--ofd")
    assert result.exit_code == 0, result.output
    assert f"已生成：{notice}" in result.stdout and result.stdout.count("已生成") == 1
    assert notice.read_bytes() == before


@needs_office
def test_the_notice_says_its_organ_date_number_and_outline(built):
    out, _ = built
    [notice] = out.glob("关于印发*.ofd")
    package = zipfile.ZipFile(notice)
    info = etree.fromstring(package.read("OFD.xml")).find(f"{Q}DocBody/{Q}DocInfo")
    assert info.findtext(f"{Q}Title").startswith("关于印发《清河县粮食局党委")
    assert info.findtext(f"{Q}Author") == "中共清河县粮食局委员会"
    assert info.findtext(f"{Q}CreationDate") == "2024-03-15"
    assert info.find(f"{Q}CustomDatas/{Q}CustomData").text == "清粮党发〔2024〕3号"
    document = etree.fromstring(package.read("Doc_0/Document.xml"))
    pages = {p.get("ID") for p in document.iter(f"{Q}Page")}
    titles = [e.get("Title") for e in document.iter(f"{Q}OutlineElem")]
    assert "附件1" in titles or any(t.startswith("一、") for t in titles), titles
    assert {d.get("PageID") for d in document.iter(f"{Q}Dest")} <= pages
    # the list the notice issues takes its organ and date
    attached = etree.fromstring(zipfile.ZipFile(
        out / "清河县粮食局党委意识形态工作责任清单.ofd").read("OFD.xml"))
    assert attached.findtext(f".//{Q}Author") == "中共清河县粮食局委员会"


@needs_office
def test_red_header_rules_and_page_boxes(built):
    out, _ = built
    [notice] = out.glob("关于印发*.ofd")
    package = zipfile.ZipFile(notice)
    document = etree.fromstring(package.read("Doc_0/Document.xml"))
    physical = [float(v) for v in document.findtext(f".//{Q}PhysicalBox").split()]
    content = [float(v) for v in document.findtext(f".//{Q}ContentBox").split()]
    assert physical == pytest.approx([0, 0, 210, 297], abs=0.1)
    assert content == pytest.approx([28, 37, 156, 225], abs=0.1)
    page = etree.fromstring(package.read("Doc_0/Pages/Page_0/Content.xml"))
    red_text = [t for t in page.iter(f"{Q}TextObject") if t.find(f"{Q}FillColor") is not None
                and t.find(f"{Q}FillColor").get("Value") == "255 0 0"]
    assert "".join(t.findtext(f"{Q}TextCode") for t in red_text) == "中共清河县粮食局委员会文件"
    red_rules = [p for p in page.iter(f"{Q}PathObject")
                 if p.find(f"{Q}StrokeColor") is not None
                 and p.find(f"{Q}StrokeColor").get("Value") == "255 0 0"]
    assert red_rules
    width = float(red_rules[0].get("Boundary").split()[2])
    assert width == pytest.approx(156, abs=1)  # as wide as the text block
    sheet = zipfile.ZipFile(out / "清河县粮食局意识形态工作责任制考核评分表.ofd")
    box = etree.fromstring(sheet.read("Doc_0/Document.xml")).findtext(f".//{Q}PhysicalBox")
    assert [float(v) for v in box.split()] == pytest.approx([0, 0, 297, 210], abs=0.1)


@needs_office
def test_every_font_is_embedded_and_maps_every_character_drawn(built):
    out, _ = built
    package = zipfile.ZipFile(next(out.glob("关于印发*.ofd")))
    res = etree.fromstring(package.read("Doc_0/PublicRes.xml"))
    cmaps = {}
    for font in res.iter(f"{Q}Font"):
        data = package.read("Doc_0/Res/" + font.findtext(f"{Q}FontFile"))
        parsed = TTFont(io.BytesIO(data))
        cmaps[font.get("ID")] = parsed.getBestCmap()
        assert read_tables(data)["head"][20:36] == bytes(16)  # no date in the font
    for name in package.namelist():
        if not name.endswith("Content.xml"):
            continue
        for text in etree.fromstring(package.read(name)).iter(f"{Q}TextObject"):
            chars = set(text.findtext(f"{Q}TextCode")) - {" "}
            assert {ord(c) for c in chars} <= set(cmaps[text.get("Font")]), chars


@needs_office
def test_proof_checks_the_ofd_pages(built, tmp_path):
    """The example's OFDs pass as its PDFs do; a page problem (the W959 case's end block
    on an odd page, with its own notice template) is found on the OFD's pages too."""
    clean = run_cli("proof", str(EXAMPLE), "--ofd", "--format", "json")
    assert clean.exit_code == 0 and json.loads(clean.stdout) == [], clean.stdout
    case = tmp_path / "case"
    shutil.copytree(REPO / "tests" / "cases" / "W959-end-block-odd-page", case)
    result = run_cli("proof", str(case), "--ofd", "--format", "json")
    found = [(d["code"], d["message"].rsplit("（", 1)[-1]) for d in json.loads(result.stdout)]
    assert ("W959", "关于印发两份责任清单的通知.ofd）") in found, found
    assert ("W959", "关于印发两份责任清单的通知.pdf）") in found, found


def test_the_results_chart_is_an_image_where_the_pdf_has_it(tmp_path):
    """The results notice's chart (a PNG with transparency in the PDF) becomes a
    MultiMedia image of the same pixels, at the same place."""
    from PIL import Image

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595.3, 841.9))
    picture = Image.new("RGB", (40, 20), (200, 30, 30))
    raw = pikepdf.Stream(pdf, picture.tobytes())
    raw.Type, raw.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    raw.Width, raw.Height, raw.BitsPerComponent = 40, 20, 8
    raw.ColorSpace = pikepdf.Name.DeviceRGB
    pdf.pages[0].Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=raw))
    pdf.pages[0].Contents = pdf.make_stream(b"q 200 0 0 100 72 600 cm /Im0 Do Q")
    out = io.BytesIO()
    pdf.save(out)
    data = convert(out.getvalue(), DocInfo("0" * 32, "图"))
    assert validate(data) == []
    package = zipfile.ZipFile(io.BytesIO(data))
    page = etree.fromstring(package.read("Doc_0/Pages/Page_0/Content.xml"))
    [image] = page.iter(f"{Q}ImageObject")
    box = [float(v) for v in image.get("Boundary").split()]
    assert box == pytest.approx([72 * MM_PER_PT, (841.9 - 700) * MM_PER_PT,
                                 200 * MM_PER_PT, 100 * MM_PER_PT], abs=0.01)
    [media] = [n for n in package.namelist() if n.endswith(".png")]
    assert Image.open(io.BytesIO(package.read(media))).getpixel((3, 3)) == (200, 30, 30)


MM_PER_PT = 25.4 / 72


def test_what_ofd_cannot_carry_is_refused():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].Contents = pdf.make_stream(b"/Sh0 sh")
    out = io.BytesIO()
    pdf.save(out)
    with pytest.raises(Unsupported, match="sh"):
        convert(out.getvalue(), DocInfo("0" * 32))


def test_converting_twice_gives_the_same_bytes(example_pdf):
    first = convert(example_pdf, DocInfo("1" * 32))
    assert convert(example_pdf, DocInfo("1" * 32)) == first
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0)
               for i in zipfile.ZipFile(io.BytesIO(first)).infolist())


@pytest.fixture(scope="module")
def example_pdf(built) -> bytes:
    return (built[0] / "清河县粮食局党委意识形态工作责任清单.pdf").read_bytes()


@needs_office
@pytest.mark.parametrize(("code", "target", "error"), [
    ("E461", "qingdan.ofd.build.convert", Unsupported("PDF 绘图操作 sh 不受支持")),
    ("E462", "qingdan.ofd.build.validate", None),
])
def test_a_failed_conversion_changes_no_ofd(built, monkeypatch, code, target, error):
    out, _ = built
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*.ofd")}
    [notice] = out.glob("关于印发*.ofd")
    notice.unlink()
    if error is not None:
        def refuse(*args, **kwargs):
            raise error
        monkeypatch.setattr(target, refuse)
    else:
        monkeypatch.setattr(target, lambda data: ["Doc_0/Document.xml:1：缺少 Pages"])
    result = run_cli("build", str(EXAMPLE), "-o", str(out), "--ofd")
    assert result.exit_code == 1
    assert f"error[{code}]" in result.output and "没有改动任何 OFD" in result.output
    assert not notice.exists()
    stamps.pop(notice)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.ofd")} == stamps
    assert not [p for p in out.rglob("*") if re.search(r"\.tmp|qingdan-stage", p.name)]
    monkeypatch.undo()
    assert run_cli("build", str(EXAMPLE), "-o", str(out), "--ofd").exit_code == 0
    assert notice.exists()


def test_the_schemas_are_the_standards(tmp_path):
    """The packaged schemas load, and refuse a package that breaks them."""
    bad = io.BytesIO()
    with zipfile.ZipFile(bad, "w") as package:
        package.writestr("OFD.xml", '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" '
                         'Version="1.0" DocType="OFD"/>')
    problems = validate(bad.getvalue())
    assert problems and "OFD.xml" in problems[0]
    assert os.path.isfile(REPO / "src/qingdan/ofd/schemas/SOURCE.md")
