"""The committed template is exactly what templates/make_templates.py generates."""

from __future__ import annotations

import runpy
import subprocess
import zipfile
import zlib
from pathlib import Path

from conftest import REPO
from qingdan.builder.run import run_build
from qingdan.render import engine, zipout


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_template_is_reproducible_from_its_script(tmp_path):
    script = runpy.run_path(str(REPO / "templates" / "make_templates.py"))
    assert script["main"](["make_templates.py", str(tmp_path)]) == 0
    for name in script["TEMPLATES"]:
        committed, fresh = parts(REPO / "templates" / name), parts(tmp_path / name)
        assert committed.keys() == fresh.keys(), name
        for part in committed:
            assert committed[part] == fresh[part], f"{name}:{part} differs; rerun the script"


def test_template_has_no_word_list_numbering_or_theme_fonts():
    data = parts(REPO / "templates" / "responsibility-list.docx")
    document = data["word/document.xml"].decode()
    assert "<w:numPr>" not in document
    styles = data["word/styles.xml"].decode()
    defaults = styles[styles.index("<w:docDefaults"):styles.index("</w:docDefaults>")]
    assert "Theme" not in defaults


def test_documents_deflated_by_isal_or_zlib_hold_the_same_parts(monkeypatch, tmp_path):
    """render/zipout deflates with ISA-L where isal is installed, else with zlib: either
    gives a package any inflater reads, with the same parts."""
    assert zipout.DEFLATER.__name__ == "isal.isal_zlib"  # installed by the project's setup
    run_build(REPO / "checklists" / "example", tmp_path / "isal")
    monkeypatch.setattr(zipout, "DEFLATER", zlib)
    monkeypatch.setattr(zipout, "DEFLATE_LEVEL", 3)
    engine._CACHE.clear()  # the templates' own parts were deflated when compiled
    run_build(REPO / "checklists" / "example", tmp_path / "zlib")
    engine._CACHE.clear()
    made = sorted(p.name for p in (tmp_path / "isal").glob("*.docx"))
    assert len(made) >= 4 and made == sorted(p.name for p in (tmp_path / "zlib").glob("*.docx"))
    for name in made:
        one, other = tmp_path / "isal" / name, tmp_path / "zlib" / name
        assert one.read_bytes() != other.read_bytes()
        for path in (one, other):
            assert zipfile.ZipFile(path).testzip() is None
        assert parts(one) == parts(other)


def test_a_comment_left_in_a_template_reaches_no_document_and_the_pdf_is_made(tmp_path):
    """A clerk's 批注 in their own 红头 template is a note about the template: no built
    document carries it (in thirty units' margins), and LibreOffice, which aborts on a
    view of a commented document, makes the PDF."""
    import shutil

    import docx

    from conftest import run_cli
    from docxread import printed_text
    from qingdan import office

    project = tmp_path / "project"
    shutil.copytree(REPO / "checklists" / "example", project)
    made = docx.Document(str(REPO / "templates" / "notice.docx"))
    number = next(p for p in made.paragraphs if p.text == "{{ number }}")
    made.add_comment(number.runs, text="文号按年度改", author="办公室", initials="BGS")
    (project / "模板").mkdir()
    made.save(str(project / "模板" / "红头.docx"))
    with (project / "qingdan.yaml").open("a", encoding="utf-8") as config:
        config.write("templates:\n  notice: 模板/红头.docx\n")
    result = run_cli("build", str(project), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    [notice] = (tmp_path / "out").glob("关于印发*的通知.docx")
    package = parts(notice)
    assert not [name for name in package if "comment" in name.lower()]
    assert b"comment" not in package["word/document.xml"]
    assert b"comment" not in package["[Content_Types].xml"]
    assert b"comment" not in package["word/_rels/document.xml.rels"]
    assert "清粮党发〔2024〕3号" in printed_text(notice)
    pdf = tmp_path / "notice.pdf"
    with office.converter(office.find_office(None)) as converter:
        assert converter.convert([office.Job(notice, pdf)]) == []
    shown = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "清粮党发〔2024〕3号" in shown and "文号按年度改" not in shown


def test_a_comment_reference_sharing_its_run_leaves_the_run():
    from qingdan.render.comments import without_comments

    body = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
            'main"><w:body><w:p><w:commentRangeStart w:id="0"/><w:r><w:t>文号</w:t>'
            '</w:r><w:commentRangeEnd w:id="0"/><w:r><w:t>留下</w:t><w:commentReference '
            'w:id="0"/></w:r><w:r><w:rPr><w:b/></w:rPr><w:commentReference w:id="0"/></w:r>'
            '</w:p></w:body></w:document>').encode()
    kept = without_comments({"word/document.xml": body, "word/comments.xml": b"<x/>"})
    assert list(kept) == ["word/document.xml"]
    text = kept["word/document.xml"].decode()
    assert "comment" not in text and "<w:t>文号</w:t>" in text and "<w:t>留下</w:t>" in text
    assert text.count("<w:r>") == 2  # the run that held only the reference is gone
