"""The committed template is exactly what templates/make_templates.py generates."""

from __future__ import annotations

import runpy
import zipfile
from pathlib import Path

from conftest import REPO


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
