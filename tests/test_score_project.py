"""Issue 23: `score` finds the project its workbooks belong to, says which, and never
grades against the bundled example; the workbooks sent to units name no folder."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLE, run_cli

SAMPLES = EXAMPLE / "考核评分"


@pytest.fixture
def example(tmp_path) -> Path:
    """A copy of the example project, its filled samples in 考核评分/ inside it."""
    root = tmp_path / "粮食局"
    shutil.copytree(EXAMPLE, root)
    return root


def books_at(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for book in SAMPLES.glob("*.xlsx"):
        shutil.copy(book, folder / book.name)
    return folder


def first_line(result) -> str:
    return result.stderr.splitlines()[0]


def test_found_above_the_workbooks(example, tmp_path):
    result = run_cli("score", str(example / "考核评分"), "-o", str(tmp_path / "out"),
                     cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert first_line(result) == "项目：粮食局（评分工作簿所在的文件夹或其上级）"


def test_found_in_the_current_folder(example, tmp_path):
    books = books_at(tmp_path / "收回的评分表")
    result = run_cli("score", str(books), "-o", str(tmp_path / "out"), cwd=example / "考核评分")
    assert result.exit_code == 0, result.output
    assert first_line(result) == f"项目：{example}（当前文件夹或其上级）"


def test_a_project_without_the_assessment_is_passed_over(example, tmp_path):
    """Workbooks kept inside another project: the one that has their assessment wins."""
    other = tmp_path / "其他项目"
    other.mkdir()
    (other / "qingdan.yaml").write_text("unit:\n  name: 某单位\n", "utf-8")
    books = books_at(other / "收回")
    result = run_cli("score", str(books), "-o", str(tmp_path / "out"), cwd=example)
    assert result.exit_code == 0, result.output
    assert first_line(result) == "项目：.（当前文件夹或其上级）"


def test_explicit_project_is_said(example, tmp_path):
    books = books_at(tmp_path / "收回")
    result = run_cli("score", str(books), "--project", str(example), "-o",
                     str(tmp_path / "out"), cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert first_line(result) == "项目：粮食局（由 --project 指定）"


def test_no_project_is_an_error_not_the_bundled_example(tmp_path):
    books_at(tmp_path / "收回")
    # the repository's own folder holds checklists/example: run where that path resolves too
    (tmp_path / "checklists").symlink_to(EXAMPLE.parent)
    result = run_cli("score", "收回", "-o", "out", cwd=tmp_path)
    assert result.exit_code == 1
    assert "error[E736]" in result.stderr and "--project" in result.stderr
    assert not (tmp_path / "out").exists()


def test_sheets_workbooks_name_no_folder(example, tmp_path):
    """Workbooks go to the units: no absolute path of the office's machine inside."""
    out = tmp_path / "评分表"
    result = run_cli("sheets", str(example), "-o", str(out))
    assert result.exit_code == 0, result.output
    books = sorted(out.glob("*.xlsx"))
    assert books
    needles = [str(tmp_path), str(example), str(Path.cwd()), "/home/", "/tmp/", "/root"]
    for book in books:
        with zipfile.ZipFile(book) as package:
            for name in package.namelist():
                text = package.read(name).decode("utf-8", "replace")
                assert not any(n in text for n in needles), (book.name, name)
