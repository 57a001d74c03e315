"""The long fuzz run: structure-aware mutations of the example's sources (tests/fuzzing.py),
built in-process by several worker processes, with a watchdog.

    .venv/bin/python bench/fuzz.py [--inputs 10000] [--workers 2] [--limit 10] [--seed 1]

Each worker runs its share of the cases under hypothesis (generation only, no shrinking),
with its address space capped (--memory, GB), so a memory bomb shows as a traceback
instead of swapping. A case running past --limit seconds is a hang; a worker silent for
three times that long is killed, its case recorded as a hang, and a fresh worker takes
over. Reports inputs tried, tracebacks, hangs, and written packages python-docx cannot
open, with every finding's case in findings.jsonl in its log folder. Run by hand; not part
of the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def worker(count: int, seed: int, limit: float, memory: float, log: Path) -> None:
    """Run count cases, appending one JSON line per case to log."""
    sys.path.insert(0, str(ROOT / "tests"))
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as fixed_seed

    from fuzzing import CASE, apply, base_files, describe, run_case

    cap = int(memory * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    @fixed_seed(seed)
    @settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=CASE)
    def one(case):
        mutations, with_roster = case
        shown = describe(mutations, with_roster)
        with log.open("a", encoding="utf-8") as out:  # before: a killed worker names its case
            out.write(json.dumps({"start": shown}, ensure_ascii=False) + "\n")
        files = apply(base_files(with_roster), mutations)
        with tempfile.TemporaryDirectory(prefix="qingdan-fuzz-") as folder:
            outcome = run_case(files, Path(folder), limit)
        record = {"case": shown, "exit": outcome.exit_code, "seconds": round(outcome.seconds, 3),
                  "documents": outcome.documents, "traceback": outcome.traceback,
                  "unopenable": outcome.unopenable}
        with log.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")

    one()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--limit", type=float, default=10.0, help="seconds a case may take")
    parser.add_argument("--memory", type=float, default=3.0, help="GB a worker may map")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        count, seed, log, _ = args.worker
        worker(int(count), int(seed), args.limit, args.memory, Path(log))
        return
    started = time.monotonic()
    logs = Path(tempfile.mkdtemp(prefix="qingdan-fuzz-logs-"))
    share = -(-args.inputs // args.workers)
    running: dict[int, tuple[subprocess.Popen[bytes], Path, int]] = {}
    next_seed = args.seed
    killed_hangs: list[str] = []

    def spawn(slot: int, count: int) -> None:
        nonlocal next_seed
        log = logs / f"w{slot}-{next_seed}.jsonl"
        log.touch()
        command = [sys.executable, __file__, "--limit", str(args.limit), "--memory",
                   str(args.memory), "--worker", str(count), str(next_seed), str(log), "x"]
        running[slot] = (subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL), log, count)
        next_seed += 1

    for slot in range(args.workers):
        spawn(slot, share)
    while running:
        time.sleep(1)
        for slot, (process, log, count) in list(running.items()):
            done = sum(1 for line in log.open(encoding="utf-8") if '"start"' not in line)
            if process.poll() is not None:
                del running[slot]
                if done < count and process.returncode != 0:
                    spawn(slot, count - done)  # it died (memory cap?): go on with a fresh one
                continue
            if time.time() - log.stat().st_mtime > 3 * args.limit:
                process.kill()
                process.wait()
                last = [line for line in log.open(encoding="utf-8")][-1]
                killed_hangs.append(json.loads(last).get("start", "?"))
                log.write_text(log.read_text("utf-8") + json.dumps(
                    {"case": killed_hangs[-1], "exit": None, "killed": True}) + "\n", "utf-8")
                del running[slot]
                if done + 1 < count:
                    spawn(slot, count - done - 1)
    records = [json.loads(line) for log in logs.glob("*.jsonl")
               for line in log.open(encoding="utf-8") if '"start"' not in line]
    tracebacks = [r for r in records if r.get("traceback")]
    hangs = [r for r in records if r.get("exit") is None]
    unopenable = [r for r in records if r.get("unopenable")]
    findings = logs / "findings.jsonl"
    with findings.open("w", encoding="utf-8") as out:
        for record in tracebacks + hangs + unopenable:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    built = [r for r in records if r.get("exit") == 0]
    slowest = max((r.get("seconds", 0) for r in records), default=0)
    print(f"inputs tried               {len(records)}")
    print(f"built (exit 0)             {len(built)}, {sum(r['documents'] for r in built)} "
          "documents opened with python-docx")
    print(f"refused (exit 1)           {sum(1 for r in records if r.get('exit') == 1)}")
    print(f"tracebacks                 {len(tracebacks)}")
    print(f"hangs (> {args.limit:g} s)           {len(hangs)}")
    print(f"unopenable packages        {len(unopenable)}")
    print(f"slowest input              {slowest:.2f} s")
    print(f"wall time                  {time.monotonic() - started:.0f} s")
    if tracebacks or hangs or unopenable:
        print(f"findings in {findings}")


if __name__ == "__main__":
    main()
