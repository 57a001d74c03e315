"""Benchmark: PDF conversion, qingdan's worker pool against one soffice process per document.

    .venv/bin/python bench/bench_pdf.py [--units 9] [--rounds 3]

Builds the bundled example with a generated roster of `units` units (4 documents each,
plus the project's own 4), then, in paired rounds (A then B, so both see the same load):

  A  qingdan: `pdf.Converter` over the whole batch, LibreOffice started, every document
     converted on all cores, LibreOffice stopped (what `build --pdf` does);
  B  what a user would write by hand: `soffice --headless --convert-to pdf` once per
     document, one after the other, with one profile kept for the whole loop.

Reports documents per second for each round and the median of each, and their ratio.
Run by hand; it is not part of the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from qingdan import office as pdf
from qingdan.builder.run import run_build

EXAMPLE = Path(__file__).resolve().parents[1] / "checklists" / "example"
BODIES = ["党支部", "党委", "党总支", "党组"]


def make_project(folder: Path, units: int) -> Path:
    """The bundled example with a generated roster of `units` units."""
    project = folder / "project"
    shutil.copytree(EXAMPLE, project)
    entries = []
    for i in range(units):
        organ = f"中共清河县第{i + 1}基层单位委员会"
        entries.append({
            "id": f"u{i:04d}", "name": f"清河县第{i + 1}基层单位", "short": "单位",
            "body": BODIES[i % 4], "superior": "局党委", "channels": f"第{i + 1}号公众号",
            "vars": {"发文机关标志": organ, "发文机关署名": organ,
                     "发文字号": f"清基{i + 1}发〔2024〕1号", "主送": "各党小组",
                     "抄送": "局党委", "印发机关": organ}})
    (project / "单位名册.yaml").write_text(
        json.dumps({"kind": "roster", "units": entries}, ensure_ascii=False), "utf-8")
    return project


def batch(documents: list[Path], out: Path, office: pdf.Office) -> float:
    """Seconds for qingdan's pool to convert every document, start and stop included."""
    start = time.perf_counter()
    with pdf.Converter(office) as converter:
        failures = converter.convert([(d, out / f"{i}.pdf") for i, d in enumerate(documents)])
    elapsed = time.perf_counter() - start
    assert not failures, failures
    return elapsed


def by_hand(documents: list[Path], out: Path, office: pdf.Office, profile: Path) -> float:
    """Seconds for one `soffice --convert-to pdf` per document, in sequence."""
    start = time.perf_counter()
    for document in documents:
        subprocess.run(
            [office.soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
             "--convert-to", "pdf", "--outdir", str(out), str(document)],
            check=True, capture_output=True, timeout=300)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=9, help="roster units (4 documents each)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    office = pdf.find_office()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = make_project(folder, args.units)
        run_build(project, folder / "docx")
        documents = sorted((folder / "docx").rglob("*.docx"))
        profile = folder / "profile"
        by_hand(documents[:1], folder, office, profile)  # the profile is made once, untimed
        ours, theirs = [], []
        for n in range(args.rounds):
            for name in (f"a{n}", f"b{n}"):
                (folder / name).mkdir()
            ours.append(len(documents) / batch(documents, folder / f"a{n}", office))
            theirs.append(len(documents) / by_hand(documents, folder / f"b{n}", office,
                                                   profile))
            print(f"round {n + 1}: qingdan {ours[-1]:.2f} documents/s, "
                  f"soffice per document {theirs[-1]:.2f} documents/s")
    print(f"documents                  {len(documents)} ({os.cpu_count()} cores)")
    print(f"qingdan pool (median)      {statistics.median(ours):.2f} documents/s")
    print(f"soffice per document       {statistics.median(theirs):.2f} documents/s")
    print(f"ratio                      {statistics.median(ours) / statistics.median(theirs):.1f}x")


if __name__ == "__main__":
    main()
