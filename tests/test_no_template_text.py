"""Issue 24: no `{{` or `{%` in anything a reader sees. Builds the example, example-2025 and
every case of tests/cases that builds, runs `sheets` and `score` on them, renders serve's
pages in process, and scans every .docx (the text of every XML part), every .xlsx (every
cell value and every XML part's text, shared strings included), the PDF Calc makes of the
results workbook, and every served page."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook

from conftest import EXAMPLE, REPO, office_missing, run_cli
from scorebooks import fill
from test_cases import ALL, CASES, materialise

EXAMPLE_2025 = REPO / "checklists" / "example-2025"
MARKS = re.compile(r"\{\{|\{%")


def part_texts(data: bytes) -> Iterator[tuple[str, str]]:
    """(part name, its text) for every XML part of an Office package: every text node of
    the part joined, so a mark split over runs is found too."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                root = etree.fromstring(package.read(name))
                yield name, "".join(root.itertext())


def cell_values(data: bytes) -> Iterator[tuple[str, str]]:
    """(sheet!cell, value) for every text cell of a workbook, hidden sheets included."""
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    yield f"{sheet.title}!{cell.coordinate}", cell.value


def marks_in(path: Path, data: bytes | None = None) -> list[str]:
    """Where a reader of this file would see a template mark."""
    data = path.read_bytes() if data is None else data
    found = [f"{path.name}:{name}: {text[max(0, m.start() - 20):m.end() + 20]}"
             for name, text in part_texts(data) for m in [MARKS.search(text)] if m]
    if path.suffix == ".xlsx":
        found += [f"{path.name}!{where}: {value}" for where, value in cell_values(data)
                  if MARKS.search(value)]
    return found


def scan_folder(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".docx", ".xlsx") and path.is_file():
            found += marks_in(path)
    return found


def shown(page: str) -> str:
    """A served page without the source lines its warnings quote."""
    return re.sub(r'<pre class="qv-line">.*?</pre>', "", page, flags=re.S)


def filled_books(project: Path, out: Path) -> Path:
    """The workbooks `sheets` makes, filled as a scorer would (full marks, 否)."""
    made = out / "made"
    result = run_cli("sheets", str(project), "-o", str(made))
    assert result.exit_code == 0, result.output
    books = out / "filled"
    books.mkdir()
    for book in made.glob("*.xlsx"):
        sheet = load_workbook(book)["评分表"]
        values: dict[str, object] = {}
        for row in sheet.iter_rows(min_row=4):
            key = row[7].value
            if isinstance(key, str) and key.startswith("indicator:"):
                values[key] = row[4].value
            elif isinstance(key, str) and key.startswith("component:"):
                values[key] = 60
            elif isinstance(key, str) and key.startswith("veto:"):
                values[key] = "否"
        (books / book.name).write_bytes(fill(book.read_bytes(), values))
    return books


@pytest.mark.parametrize("project", [EXAMPLE, EXAMPLE_2025], ids=["example", "example-2025"])
def test_example_outputs_carry_no_template_marks(project, tmp_path):
    built = tmp_path / "build"
    result = run_cli("build", str(project), "-o", str(built))
    assert result.exit_code == 0, result.output
    books = filled_books(project, tmp_path)
    scored = tmp_path / "score"
    result = run_cli("score", str(books), "--project", str(project), "-o", str(scored))
    assert result.exit_code == 0, result.output
    assert list(scored.glob("*.xlsx")) and list(built.rglob("*.docx"))
    assert scan_folder(tmp_path) == []


def test_the_readme_score_session_carries_no_template_marks(tmp_path):
    """`qingdan score checklists/example/考核评分`, as the README runs it; its workbook
    through Calc too. This failed on the results workbook's 指标得分 (issue 24)."""
    result = run_cli("score", str(EXAMPLE / "考核评分"), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert scan_folder(tmp_path) == []
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if office_missing() is not None or soffice is None:
        return
    [book] = tmp_path.glob("*.xlsx")
    profile = tmp_path / "profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(book)],
                   check=True, capture_output=True, timeout=300,
                   env={"HOME": str(profile), "PATH": "/usr/bin:/bin"})
    text = subprocess.run(["pdftotext", str(book.with_suffix(".pdf")), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "指标得分" in text or "各单位指标得分" in text
    assert not MARKS.search(text)


@pytest.mark.parametrize("name", ALL)
def test_case_outputs_carry_no_template_marks(name, tmp_path):
    """Every case that builds: its documents, and its workbooks when it has an assessment."""
    project = materialise(CASES / name, tmp_path)
    out = tmp_path / "out"
    built = run_cli("build", ".", "-o", str(out), cwd=project)
    if built.exit_code != 0:
        pytest.skip("the case does not build (it shows an error)")
    if any("kind: assessment" in p.read_text("utf-8", "replace")
           for p in project.glob("*.yaml")):
        run_cli("sheets", ".", "-o", str(out / "考核评分"), cwd=project)
    assert scan_folder(out) == []


@pytest.mark.parametrize("folder", [EXAMPLE, EXAMPLE_2025], ids=["example", "example-2025"])
def test_served_pages_carry_no_template_marks(folder):
    """Every page serve shows and every .docx it hands out, for every unit. The source
    pages, and the source line a warning quotes (<pre class="qv-line">), are left out:
    they show the sources, placeholders and all, on purpose, as the terminal does."""
    from starlette.testclient import TestClient

    from qingdan.serve.app import LOOPBACK, Site, create_app
    from qingdan.serve.pages import PageImages
    from qingdan.serve.preview import Preview

    preview = Preview(folder)
    preview.refresh()
    site = Site(preview, out_dir=None, revision=None, images=PageImages(lambda key: None))
    web = TestClient(create_app(site, set(LOOPBACK)), base_url="http://127.0.0.1:8000")
    index = web.get("/")
    assert index.status_code == 200
    links = sorted(set(re.findall(r'href="(/(?:doc|docx)/[^"#]+)"', index.text)))
    assert any(link.startswith("/doc/") for link in links)
    found = [f"/: {m.group()}" for m in [MARKS.search(shown(index.text))] if m]
    for link in links:
        page = web.get(link)
        assert page.status_code == 200, link
        if link.startswith("/docx/"):
            found += marks_in(Path(link.rsplit("/", 1)[-1] + ".docx"), page.content)
        else:
            text = shown(page.text)
            found += [f"{link}: {text[m.start() - 30:m.end() + 30]}"
                      for m in [MARKS.search(text)] if m]
    assert found == []
