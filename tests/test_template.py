"""The committed template is exactly what templates/make_templates.py generates."""

from __future__ import annotations

import runpy
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
