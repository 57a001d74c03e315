"""The font profile (issue 24): where the GB faces are missing, every PDF prints in open
faces of the right style with Simplified Chinese glyphs, never another region's; the real
face wins where installed; proof names every substitution (W960); the score chart too
keeps to Simplified Chinese faces.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from conftest import EXAMPLE, REPO, office_missing, run_cli
from qingdan import office
from qingdan.office import fonts

needs_office = pytest.mark.skipif(office_missing() is not None, reason=str(office_missing()))
# What pdffonts shows of a face for Japan, Korea, Taiwan or Hong Kong (Noto CJK's "jp",
# AR PL's "TW"); LibreOffice 7.4 names an embedded Noto CJK face after the collection's
# first, Japanese font, which is why the profile puts Fandol faces first.
OTHER_REGION = re.compile(r"CJK(jp|kr|tc|hk)|(JP|KR|TC|HK|TW)(-|$)|\b(jp|kr|tw|hk)\b", re.I)
TITLE = "清河县粮食局党委意识形态工作责任清单"


def pdffonts(pdf: Path) -> list[str]:
    listed = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    return [re.sub(r"^[A-Z]{6}\+", "", line.split()[0]) for line in listed]


def faces_of(pdf: Path) -> dict[str, set[str]]:
    """Text -> the faces it is printed in, as pdftohtml reads the PDF."""
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", str(pdf)], capture_output=True,
                         text=True, check=True).stdout
    specs = dict(re.findall(r'<fontspec id="(\d+)" size="[^"]+" family="([^"]+)"', xml))
    printed: dict[str, set[str]] = {}
    for font, text in re.findall(r'<text [^>]*font="(\d+)"[^>]*>(.*?)</text>', xml):
        printed.setdefault(re.sub("<[^>]+>", "", text), set()).add(
            re.sub(r"^[A-Z]{6}\+", "", specs[font]))
    return printed


@pytest.fixture(scope="module")
def example_pdfs(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fonts")
    result = run_cli("build", str(EXAMPLE), "-o", str(out), "--pdf")
    assert result.exit_code == 0, result.output
    return out


@needs_office
def test_no_pdf_of_the_example_names_another_regions_face(example_pdfs):
    pdfs = sorted(example_pdfs.rglob("*.pdf"))
    assert len(pdfs) == 20
    for pdf in pdfs:
        names = pdffonts(pdf)
        assert names and not [n for n in names if OTHER_REGION.search(n)], (pdf.name, names)


@needs_office
def test_title_body_and_headings_print_in_three_faces(example_pdfs):
    printed = faces_of(example_pdfs / f"{TITLE}.pdf")
    [title] = [faces for text, faces in printed.items() if text == TITLE]
    body = next(faces for text, faces in printed.items() if text.startswith("1.牢牢掌握"))
    heading = next(faces for text, faces in printed.items() if text.startswith("一、"))
    assert len(title) == len(body) == len(heading) == 1
    assert len(title | body | heading) == 3, (title, body, heading)
    if fonts.missing():  # the open faces of the profile, as scripts/install-fonts.sh puts them
        assert body == {"FandolFang"} and heading == {"FandolHei"}
        assert title == {"FandolSong"}  # the bold face: pdffonts says FandolSong-Bold
        assert "FandolSong-Bold" in pdffonts(example_pdfs / f"{TITLE}.pdf")


def face_named(source: Path, family: str, target: Path) -> Path:
    """A copy of a font file whose family is called family (its PostScript name kept)."""
    font = TTFont(source, lazy=True)
    names = font["name"]
    names.removeNames(platformID=1)  # Macintosh records cannot spell it
    for name_id in (1, 4, 16):
        names.removeNames(nameID=name_id)
        names.setName(family, name_id, 3, 1, 0x409)
    font.save(target)
    return target


@needs_office
def test_an_installed_gb_face_wins_over_its_substitutes(example_docx, tmp_path, monkeypatch):
    """A face called 仿宋_GB2312 (FandolKai renamed, so the PDF can tell) is used for the
    body as soon as fontconfig knows it: the profile only fills in what is missing."""
    kai = Path("/usr/local/share/fonts/fandol/FandolKai-Regular.otf")
    if not kai.exists() or "仿宋_GB2312" not in fonts.missing()[0].name:
        pytest.skip("needs the Fandol faces of scripts/install-fonts.sh and no 仿宋_GB2312")
    folder = tmp_path / "fonts"
    folder.mkdir()
    face_named(kai, "仿宋_GB2312", folder / "fangsong.otf")
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?><fontconfig><include>/etc/fonts/fonts.conf</include>'
                      f"<dir>{folder}</dir><cachedir>{tmp_path / 'cache'}</cachedir>"
                      "</fontconfig>", "utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))  # as a user's own configuration
    pdf = tmp_path / "list.pdf"
    with office.Converter(office.find_office(), 1) as converter:
        assert converter.convert([(example_docx, pdf)]) == []
    names = pdffonts(pdf)
    assert "FandolKai-Regular" in names and "FandolFang-Regular" not in names, names


@needs_office
def test_proof_names_every_face_to_install(tmp_path):
    missing = fonts.missing()
    if not missing:
        pytest.skip("every GB face is installed here: nothing is substituted")
    project = tmp_path / "project"
    project.mkdir()
    (project / "qingdan.yaml").write_text("unit:\n  name: 清河县粮食局\n  short: 局\n"
                                          "  body: 党委\n", "utf-8")
    (project / "清单.yaml").write_text(
        "kind: list\ntitle: 局党委意识形态工作责任清单\nroles:\n  committee:\n    items:\n"
        "      - id: lingdao\n        text: 牢牢掌握意识形态工作领导权。\n", "utf-8")
    result = run_cli("proof", ".", cwd=project)
    assert result.exit_code == 0, result.output
    found = re.findall(r"warning\[W960\]: 文档所用的字体“([^”]+)”没有安装，PDF 中以“([^”]+)”代替",
                       result.stderr)
    assert found, result.stderr
    for face, substitute in found:
        entry = fonts.face(face)
        assert entry in missing and substitute in entry.substitutes
    assert "仿宋_GB2312" in dict(found)
    assert "正式印发前请在本机安装仿宋_GB2312" in result.stderr

    # A project that accepts the open faces is told the same substitutions, as notes.
    config = project / "qingdan.yaml"
    config.write_text(config.read_text("utf-8") + "printing:\n  fonts: open\n", "utf-8")
    accepted = run_cli("proof", ".", cwd=project)
    assert accepted.exit_code == 0, accepted.output
    assert "W960" not in accepted.stderr
    noted = re.findall(r"^字体“([^”]+)”没有安装，PDF 中以“([^”]+)”代替.*printing: \{fonts: open\}",
                       accepted.stderr, re.M)
    assert sorted(noted) == sorted(found)
    assert "0 个警告" in accepted.stdout


def test_the_profile_never_offers_another_regions_face():
    for entry in fonts.PROFILE:
        assert entry.substitutes and not [s for s in entry.substitutes if s in fonts.REJECTED]
    config = fonts.fontconfig()
    assert config.count("<rejectfont>") == 1 and "Noto Sans CJK JP" in config
    # Bound as strongly as the name: a face that merely covers Chinese does not outrank them.
    assert 'binding="strong"><family>仿宋_GB2312</family><accept><family>FandolFang' in config


def test_the_docx_names_exactly_the_faces_of_the_profile(example_docx):
    with zipfile.ZipFile(example_docx) as archive:
        named = fonts.docx_fonts([archive.read(n) for n in archive.namelist()
                                  if n.endswith(".xml")])
    assert named and all(fonts.face(name) for name in named), named


def test_the_score_chart_uses_a_simplified_chinese_face():
    from qingdan.scoring.chart import cjk_family

    family = cjk_family()
    if family is not None:
        assert family not in fonts.REJECTED and not OTHER_REGION.search(family), family


def test_the_preview_falls_back_to_the_faces_the_pdfs_print_in():
    """serve's pages (gbt9704.css) name each GB face, then the profile's substitutes in
    the profile's order, so a preview on a machine without the GB faces looks like its
    PDFs; never another region's face."""
    css = (REPO / "src" / "qingdan" / "render" / "html_templates" / "gbt9704.css").read_text(
        "utf-8")
    stacks = {name: re.findall(r'"([^"]+)"', value)
              for name, value in re.findall(r"--qd-(\w+):([^;]+);", css)}
    for variable, face in (("fangsong", "仿宋_GB2312"), ("xiaobiaosong", "方正小标宋简体"),
                           ("heiti", "黑体"), ("kaiti", "楷体_GB2312"), ("songti", "宋体")):
        stack = stacks[variable]
        assert stack[0] == face
        entry = fonts.face(face)
        listed = [name for name in stack if name in entry.substitutes]
        assert listed == list(entry.substitutes), (variable, stack)
        assert not set(stack) & set(fonts.REJECTED)
