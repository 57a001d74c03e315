"""Prove that a change of code left every output as it was. Run by hand.

    .venv/bin/python bench/same_output.py save BEFORE_DIR [--units 300] [--no-ofd]
    ... change the code ...
    .venv/bin/python bench/same_output.py save AFTER_DIR [--units 300] [--no-ofd]
    .venv/bin/python bench/same_output.py compare BEFORE_DIR AFTER_DIR

`save` runs the installed `qingdan` (the one beside this Python) in a scratch folder on:
the bundled example (build, and build --ofd unless --no-ofd), example-2025 (build),
the example with a generated roster of --units units (build; bench_build's generator),
sheets and score on the example's filled samples, diff --table --redline of example
against example-2025 (a fixed --date), and the text of check (example-2025 also with
--final), report and diff (text and JSON). It keeps every part of every .docx, .xlsx and
.ofd as a file of its own (zip entries carry times and their order may differ; the parts
themselves must not), and every command's output, with the scratch folder's path replaced
by a mark.

`compare` lists every part that is missing on one side or differs, byte for byte, and
exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from bench_build import REPO, make_project

QINGDAN = [sys.executable, "-m", "qingdan"]
EXAMPLE = REPO / "checklists" / "example"
EXAMPLE_2025 = REPO / "checklists" / "example-2025"
PACKAGES = (".docx", ".xlsx", ".ofd")


def run(name: str, args: list[str], cwd: Path, texts: Path) -> None:
    """One qingdan command; its exit code, output and errors kept as text (paths marked)."""
    done = subprocess.run([*QINGDAN, *args], cwd=cwd, capture_output=True, text=True)
    shown = f"exit {done.returncode}\n--- stdout\n{done.stdout}--- stderr\n{done.stderr}"
    (texts / f"{name}.txt").write_text(shown.replace(str(cwd), "<scratch>"), "utf-8")
    if done.returncode not in (0, 1):  # 1 is a finding (a report may have warnings)
        raise SystemExit(f"qingdan {' '.join(args)} failed:\n{done.stderr[-2000:]}")


def unpack(folder: Path, into: Path) -> int:
    """Every part of every package below folder, as files under into; how many."""
    count = 0
    for package in sorted(p for p in folder.rglob("*") if p.suffix in PACKAGES):
        base = into / package.relative_to(folder)
        with zipfile.ZipFile(package) as zipped:
            for entry in zipped.infolist():
                if entry.is_dir():
                    continue
                target = base / entry.filename
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(zipped.read(entry))
                count += 1
    return count


def save(dest: Path, units: int, ofd: bool) -> None:
    if dest.exists():
        raise SystemExit(f"{dest} exists: give a new folder")
    texts = dest / "texts"
    texts.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="qingdan-same-") as tmp:
        work = Path(tmp)
        shutil.copytree(EXAMPLE, work / "example")
        shutil.copytree(EXAMPLE_2025, work / "example-2025")
        make_project(work, units)  # work/project
        run("check-example", ["check", "example"], work, texts)
        run("check-example-2025", ["check", "example-2025"], work, texts)
        run("check-example-2025-final", ["check", "example-2025", "--final"], work, texts)
        run("check-roster", ["check", "project"], work, texts)
        run("check-roster-json", ["check", "project", "--format", "json"], work, texts)
        run("build-example", ["build", "example", "-o", "out/example"]
            + (["--ofd"] if ofd else []), work, texts)
        run("build-example-2025", ["build", "example-2025", "-o", "out/example-2025"], work,
            texts)
        run("build-roster", ["build", "project", "-o", "out/roster"], work, texts)
        run("sheets", ["sheets", "example", "-o", "out/sheets"], work, texts)
        run("score", ["score", "example/考核评分", "--project", "example", "-o", "out/score"],
            work, texts)
        run("report", ["report", "project", "-o", "out/report.csv"], work, texts)
        (texts / "report.csv").write_bytes((work / "out" / "report.csv").read_bytes())
        diff = ["diff", "example", "example-2025", "--date", "2025-01-15"]
        run("diff-text", diff, work, texts)
        run("diff-json", [*diff, "--format", "json"], work, texts)
        run("diff-files", [*diff, "--table", "--redline", "-o", "out/diff"], work, texts)
        parts = unpack(work / "out", dest / "parts")
        listing = sorted(p.relative_to(work / "out").as_posix()
                         for p in (work / "out").rglob("*") if p.is_file()
                         and p.name not in (".qingdan-manifest.json", ".qingdan-ofd.json"))
        (texts / "files.txt").write_text("\n".join(listing) + "\n", "utf-8")
    print(f"{parts} parts and {len(list(texts.iterdir()))} texts saved in {dest}")


def compare(before: Path, after: Path) -> int:
    """Every file under before and after, byte for byte; the differences listed."""
    left = {p.relative_to(before) for p in before.rglob("*") if p.is_file()}
    right = {p.relative_to(after) for p in after.rglob("*") if p.is_file()}
    problems = [f"only before: {p}" for p in sorted(left - right)]
    problems += [f"only after: {p}" for p in sorted(right - left)]
    common = sorted(left & right)
    problems += [f"differs: {p}" for p in common
                 if not filecmp.cmp(before / p, after / p, shallow=False)]
    for line in problems:
        print(line)
    print(f"{len(common)} files compared, {len(problems)} differences")
    return 1 if problems else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    saving = commands.add_parser("save", help="build everything and keep its parts")
    saving.add_argument("dest", type=Path)
    saving.add_argument("--units", type=int, default=300)
    saving.add_argument("--no-ofd", action="store_true", help="skip build --ofd (LibreOffice)")
    comparing = commands.add_parser("compare", help="compare two saved folders")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "save":
        save(args.dest.resolve(), args.units, not args.no_ofd)
    else:
        sys.exit(compare(args.before, args.after))


if __name__ == "__main__":
    main()
