"""Benchmark: what `--ofd` adds to `build --pdf`, and the sizes of the OFDs against the PDFs.

    .venv/bin/python bench/bench_ofd.py [--units 0] [--rounds 3]

Uses the bundled example (its own roster, 20 documents) or, with --units N, the example
with a generated roster of N units (bench_pdf.make_project). Each round, as a user runs it:

  1. `qingdan build PROJECT -o OUT --pdf` into a fresh folder     (the PDF build)
  2. the same again: nothing to do                                  (the no-op)
  3. `qingdan build PROJECT -o OUT --pdf --ofd`: every OFD made     (no-op + the OFD step)

The OFD step's cost is (3) - (2); it is reported against (1). Then every OFD's size
against its PDF's. Run by hand; it is not part of the tests.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_pdf import make_project

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "checklists" / "example"
QINGDAN = [sys.executable, "-m", "qingdan"]


def timed(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([*QINGDAN, *args], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        project = make_project(Path(scratch), options.units) if options.units else EXAMPLE
        rows = []
        for round_ in range(options.rounds):
            out = Path(scratch) / f"out{round_}"
            pdf_build = timed("build", str(project), "-o", str(out), "--pdf")
            noop = timed("build", str(project), "-o", str(out), "--pdf")
            with_ofd = timed("build", str(project), "-o", str(out), "--pdf", "--ofd")
            step = with_ofd - noop
            rows.append((pdf_build, noop, with_ofd, step))
            count = len(list(out.rglob("*.ofd")))
            print(f"round {round_ + 1}: build --pdf {pdf_build:.2f} s, no-op {noop:.2f} s, "
                  f"then --ofd {with_ofd:.2f} s: OFD step {step:.2f} s for {count} documents "
                  f"= {100 * step / pdf_build:.1f} % of build --pdf")
        ratios = []
        for ofd in sorted(out.rglob("*.ofd")):
            ratios.append(ofd.stat().st_size / ofd.with_suffix(".pdf").stat().st_size)
        print(f"median: build --pdf {statistics.median(r[0] for r in rows):.2f} s, OFD step "
              f"{statistics.median(r[3] for r in rows):.2f} s = "
              f"{100 * statistics.median(r[3] / r[0] for r in rows):.1f} %")
        print(f"OFD size / PDF size over {len(ratios)} documents: min {min(ratios):.2f}, "
              f"median {statistics.median(ratios):.2f}, max {max(ratios):.2f}")
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
