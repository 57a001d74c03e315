"""How long `qingdan import` takes on the small inputs that once hung it (issue 23). Run by hand.

    .venv/bin/python bench/bench_import.py [--timeout 300] [--src DIR] [--only NAME] [--json F]

Each input is imported once by a whole `qingdan` process, as a user runs it; a run past
--timeout seconds is stopped and shown as "> timeout". --src runs the qingdan package
found in DIR instead of the installed one, to measure an older revision, e.g.

    git archive c53b523 src | tar -x -C /tmp/before
    .venv/bin/python bench/bench_import.py --src /tmp/before/src

The inputs (made by tests/import_inputs.py):
- long-line-50k, long-line-200k: a 150 KB / 600 KB text whose body is one line of prose
  without punctuation (a backtracking pattern in importer/scoring.py was quadratic);
- numbered-60k: 60,000 numbered lines, each naming 第N项 (Text.at counted through the
  whole text for every hit: quadratic);
- word-199k: a .docx of 199,000 such paragraphs, just under the importer's limit.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from import_inputs import long_line, numbered_lines, word_file  # noqa: E402

INPUTS = {
    "long-line-50k": (".txt", lambda: long_line(50_000).encode()),
    "long-line-200k": (".txt", lambda: long_line(200_000).encode()),
    "numbered-60k": (".txt", lambda: "\n".join(numbered_lines(60_000)).encode()),
    "word-199k": (".docx", lambda: word_file(numbered_lines(198_999))),
}


def run(path: Path, out: Path, timeout: float, src: str | None) -> tuple[float | None, int]:
    """(seconds or None past the timeout, exit code) of one import."""
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    command = [sys.executable, "-m", "qingdan", "import", str(path), "-o", str(out)]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, -1
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        print(done.stderr.decode(errors="replace")[-2000:], file=sys.stderr)
    return seconds, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--src", default=None, help="run the qingdan package in this folder")
    parser.add_argument("--only", action="append", choices=sorted(INPUTS))
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, qingdan from {args.src or 'the installation'}")
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="qingdan-bench-import-") as scratch:
        for name, (suffix, make) in INPUTS.items():
            if args.only and name not in args.only:
                continue
            data = make()
            path = Path(scratch) / f"{name}{suffix}"
            path.write_bytes(data)
            seconds, code = run(path, Path(scratch) / f"out-{name}", args.timeout, args.src)
            shown = f"> {args.timeout:g} s" if seconds is None else f"{seconds:8.2f} s"
            print(f"{name:<16} {len(data) / 1024:8.0f} KB  {shown}  exit {code}", flush=True)
            figures[name] = {"bytes": len(data), "seconds": seconds, "exit": code}
    if args.json:
        args.json.write_text(json.dumps({"src": args.src, "timeout": args.timeout,
                                         "figures": figures}, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
