"""The diagnostics corpus: each folder under cases/ is a small project and its expected output.

A case folder holds the project files and `expected.txt`, the whole of what
`qingdan check .` prints (error stream, then standard output), run from inside the
folder. An `args.txt` replaces the arguments (one per line), an `env.txt` adds environment
variables (NAME=value lines). The expected exit code is 1 when the output reports a
failure, 0 otherwise. Cases that run `proof` or `build --pdf` are skipped where LibreOffice
is missing (never in CI).
Some files are made at test time so the corpus stays plain text and small:
  NAME.gbk          -> NAME, the same text encoded in GBK (a file that is not UTF-8);
  NAME.docx.lines   -> NAME.docx, a Word file with one paragraph per line;
  NAME.xlsx.fill    -> NAME.xlsx, a scoring workbook made by `qingdan sheets` for the
                       case's project and filled in as the file says (see scorebooks.py);
  NAME.members      -> NAME, a zip of the JSON object's members (name -> text); the key
                       "!declared" maps members to the inflated size their headers claim;
  NAME.link         -> NAME, a symbolic link to the path the file holds;
  NAME.repeat       -> NAME, the text after the first line repeated as often as it says.
A `git.txt` makes the folder a git repository: each line is a git command run in it.
Codes that only a running system can show (a full disk, a file without permission, a
second qingdan at work, a hostile git revision) are shown by tests in test_hardening_*.py.
Set QINGDAN_UPDATE_CASES=1 to rewrite expected.txt from the current output (then review).
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from conftest import office_missing, run_cli
from qingdan.diagnostics import CODES
from scorebooks import materialise_fills

CASES = Path(__file__).parent / "cases"
ALL = sorted(p.name for p in CASES.iterdir() if p.is_dir())
# Shown in test_hardening_*.py and test_formats.py; E671 (a redline that fails its own
# check, a defect of qingdan's) in test_changetypes.py, by breaking the redline writer on
# purpose; W960 depends on the fonts installed: test_fonts.py; E461 and E462 (a PDF OFD
# cannot carry, a package gone wrong) in test_ofd.py; E457 (absorb's change that would not
# give the file sent, a defect of qingdan's) in test_absorb.py, breaking it on purpose.
RUNTIME = {"E108", "E414", "E415", "E416", "E457", "E461", "E462", "E671", "W960"}


def materialise(case: Path, into: Path) -> Path:
    """Copy a case into a scratch folder, making its generated files."""
    target = into / case.name
    shutil.copytree(case, target,
                    ignore=shutil.ignore_patterns("expected.txt", "args.txt", "git.txt"))
    for gbk in target.glob("*.gbk"):
        gbk.with_suffix("").write_bytes(gbk.read_text("utf-8").encode("gbk"))
        gbk.unlink()
    for lines in target.glob("*.docx.lines"):
        document = docx.Document()
        for line in lines.read_text("utf-8").splitlines():
            document.add_paragraph(line)
        document.save(str(lines.with_suffix("")))
        lines.unlink()
    for members in target.rglob("*.members"):
        make_zip(members.with_suffix(""), json.loads(members.read_text("utf-8")))
        members.unlink()
    for link in target.rglob("*.link"):
        link.with_suffix("").symlink_to(link.read_text("utf-8").strip())
        link.unlink()
    for repeat in target.rglob("*.repeat"):
        count, _, text = repeat.read_text("utf-8").partition("\n")
        repeat.with_suffix("").write_text(text * int(count), "utf-8")
        repeat.unlink()
    materialise_fills(target, target)
    commands = case / "git.txt"
    for line in commands.read_text("utf-8").splitlines() if commands.exists() else ():
        subprocess.run(["git", "-c", "user.name=qingdan", "-c", "user.email=qingdan@invalid",
                        *line.split()], cwd=target, check=True, capture_output=True)
    return target


def make_zip(path: Path, members: dict[str, object]) -> None:
    """A zip of the members, the inflated sizes in its headers overwritten as declared."""
    declared = members.pop("!declared", {})
    assert isinstance(declared, dict)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, str(text))
    data = bytearray(path.read_bytes())
    for name, size in declared.items():
        encoded = name.encode("utf-8")
        # (signature, where the name's length is, where the name starts, the size field)
        for signature, length_at, name_at, size_at in ((b"PK\x03\x04", 26, 30, 22),
                                                       (b"PK\x01\x02", 28, 46, 24)):
            header = data.find(signature)
            while header >= 0:
                name_length = struct.unpack_from("<H", data, header + length_at)[0]
                start = header + name_at
                if bytes(data[start:start + name_length]) == encoded:
                    struct.pack_into("<I", data, header + size_at, size)
                header = data.find(signature, header + 4)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("name", ALL)
def test_case(name: str, tmp_path: Path):
    case = CASES / name
    project = materialise(case, tmp_path)
    args_file = case / "args.txt"
    args = args_file.read_text("utf-8").split() if args_file.exists() else ["check", "."]
    env_file = case / "env.txt"
    env = dict(line.split("=", 1) for line in env_file.read_text("utf-8").splitlines()
               if line) if env_file.exists() else None
    if ("proof" in args or "--pdf" in args) and office_missing():
        pytest.skip(office_missing())
    result = run_cli(*args, cwd=project, env=env)
    expected_file = case / "expected.txt"
    if os.environ.get("QINGDAN_UPDATE_CASES"):
        expected_file.write_text(result.stderr + result.stdout, "utf-8")
    expected = expected_file.read_text("utf-8")
    assert result.stderr + result.stdout == expected
    assert result.exit_code == (1 if "失败" in expected else 0)


def test_every_code_has_a_case():
    covered = {name.split("-", 1)[0] for name in ALL}
    assert covered | RUNTIME == set(CODES)
    assert not covered & RUNTIME
