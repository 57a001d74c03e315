"""The diagnostics corpus: each folder under cases/ is a small project and its expected output.

A case folder holds the project files and `expected.txt`, the whole of what
`qingdan check .` prints to the terminal's error stream, run from inside the folder.
Two kinds of file are made at test time so the corpus stays plain text:
  NAME.gbk          -> NAME, the same text encoded in GBK (a file that is not UTF-8);
  NAME.docx.lines   -> NAME.docx, a Word file with one paragraph per line.
Set QINGDAN_UPDATE_CASES=1 to rewrite expected.txt from the current output (then review).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import docx
import pytest

from conftest import run_cli
from qingdan.diagnostics import CODES

CASES = Path(__file__).parent / "cases"
ALL = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def materialise(case: Path, into: Path) -> Path:
    """Copy a case into a scratch folder, making its generated files."""
    target = into / case.name
    shutil.copytree(case, target, ignore=shutil.ignore_patterns("expected.txt"))
    for gbk in target.glob("*.gbk"):
        gbk.with_suffix("").write_bytes(gbk.read_text("utf-8").encode("gbk"))
        gbk.unlink()
    for lines in target.glob("*.docx.lines"):
        document = docx.Document()
        for line in lines.read_text("utf-8").splitlines():
            document.add_paragraph(line)
        document.save(str(lines.with_suffix("")))
        lines.unlink()
    return target


@pytest.mark.parametrize("name", ALL)
def test_case(name: str, tmp_path: Path):
    case = CASES / name
    project = materialise(case, tmp_path)
    result = run_cli("check", ".", cwd=project)
    expected_file = case / "expected.txt"
    if os.environ.get("QINGDAN_UPDATE_CASES"):
        expected_file.write_text(result.stderr, "utf-8")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == expected_file.read_text("utf-8")


def test_every_code_has_a_case():
    covered = {name.split("-", 1)[0] for name in ALL}
    assert covered == set(CODES)
