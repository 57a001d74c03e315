"""The long import fuzz run: documents mutated into hostile shapes (tests/import_fuzzing.py,
the large scale), imported in process by several worker processes, the projects written
then checked, with a watchdog.

    .venv/bin/python bench/fuzz_import.py [--inputs 2000] [--workers 2] [--limit 10] [--seed 1]

As bench/fuzz.py does for sources: each worker runs its share of the cases under
hypothesis (generation only), its address space capped (--memory, GB). A command running
past --limit seconds is stopped and recorded; a worker silent for five times that long is
killed, its case recorded as a hang, and a fresh worker takes over. Every case that ran
past the limit is then run once more alone, with --confirm seconds, to tell a slow input
on a busy machine from a hang. Reports inputs tried, tracebacks (from import and from the
check of what it wrote), hangs and exit codes other than 0 and 1, with every finding's
case in findings.jsonl in its log folder. Run by hand; not part of the tests.
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

    from import_fuzzing import CASE, LONG, run_case, saved

    cap = int(memory * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    @fixed_seed(seed)
    @settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=CASE)
    def one(case):
        shown = case.describe()
        with log.open("a", encoding="utf-8") as out:  # before: a killed worker names its case
            out.write(json.dumps({"start": shown}, ensure_ascii=False) + "\n")
        name, data = saved(case, LONG)
        with tempfile.TemporaryDirectory(prefix="qingdan-import-fuzz-") as folder:
            outcome = run_case(name, data, Path(folder), limit)
        record = {"case": shown, "format": case.format, "bytes": len(data),
                  "exit": outcome.exit_code, "seconds": round(outcome.seconds, 3),
                  "check": outcome.check_exit, "traceback": outcome.traceback,
                  "check_traceback": outcome.check_traceback, "findings": outcome.findings()}
        with log.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")

    one()


def confirm(shown: str, limit: float) -> dict:
    """Run one case alone in a fresh process with a generous limit."""
    code = ("import ast, sys, tempfile, json, time; from pathlib import Path;"
            f"sys.path.insert(0, {str(ROOT / 'tests')!r});"
            "from import_fuzzing import Case, Mutation, LONG, run_case, saved;"
            "d = ast.literal_eval(sys.argv[1]);"
            "case = Case(d['seed'], tuple(Mutation(**m) for m in d['mutations']),"
            " d['format'], d['damage']);"
            "name, data = saved(case, LONG); folder = tempfile.mkdtemp(); t = time.monotonic();"
            f"o = run_case(name, data, Path(folder), {limit});"
            "print(json.dumps({'findings': o.findings(), 'exit': o.exit_code,"
            " 'check': o.check_exit, 'seconds': round(time.monotonic() - t, 1)}))")
    try:
        done = subprocess.run([sys.executable, "-c", code, shown], capture_output=True,
                              text=True, timeout=3 * limit, cwd=ROOT)
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (subprocess.TimeoutExpired, IndexError, json.JSONDecodeError):
        return {"findings": ["hang (killed)"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--limit", type=float, default=10.0, help="seconds a command may take")
    parser.add_argument("--confirm", type=float, default=120.0,
                        help="seconds a case that ran past --limit gets when run alone")
    parser.add_argument("--memory", type=float, default=3.0, help="GB a worker may map")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        count, seed, log, _ = args.worker
        worker(int(count), int(seed), args.limit, args.memory, Path(log))
        return
    started = time.monotonic()
    logs = Path(tempfile.mkdtemp(prefix="qingdan-import-fuzz-logs-"))
    share = -(-args.inputs // args.workers)
    running: dict[int, tuple[subprocess.Popen[bytes], Path, int]] = {}
    next_seed = args.seed

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
            if time.time() - log.stat().st_mtime > 5 * args.limit:
                process.kill()
                process.wait()
                last = [line for line in log.open(encoding="utf-8")][-1]
                shown = json.loads(last).get("start", "?")
                log.write_text(log.read_text("utf-8") + json.dumps(
                    {"case": shown, "exit": None, "killed": True,
                     "findings": ["worker killed"]}, ensure_ascii=False) + "\n", "utf-8")
                del running[slot]
                if done + 1 < count:
                    spawn(slot, count - done - 1)
    records = [json.loads(line) for log in logs.glob("*.jsonl")
               for line in log.open(encoding="utf-8") if '"start"' not in line]
    slow = [r for r in records if any("hang" in f or "killed" in f for f in r["findings"])]
    for record in slow:  # a hang, or only slow on a busy machine?
        record["confirmed"] = confirm(record["case"], args.confirm)
    tracebacks = [r for r in records if r.get("traceback")]
    check_tracebacks = [r for r in records if r.get("check_traceback")]
    hangs = [r for r in slow if r["confirmed"]["findings"]]
    exits = [r for r in records if r.get("exit") not in (0, 1, None)]
    findings = logs / "findings.jsonl"
    with findings.open("w", encoding="utf-8") as out:
        for record in tracebacks + check_tracebacks + slow + exits:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    imported = [r for r in records if r.get("exit") == 0]
    seconds = [r.get("seconds", 0) for r in records]
    print(f"inputs tried               {len(records)} "
          f"({sum(r.get('bytes', 0) for r in records) / 2**20:.0f} MB)")
    print(f"imported (exit 0)          {len(imported)}, "
          f"{sum(1 for r in imported if r.get('check') == 0)} of them pass qingdan check")
    print(f"refused (exit 1)           {sum(1 for r in records if r.get('exit') == 1)}")
    print(f"import tracebacks          {len(tracebacks)}")
    print(f"check tracebacks           {len(check_tracebacks)}")
    print(f"other exit codes           {len(exits)}")
    print(f"past {args.limit:g} s                 {len(slow)}, of which hangs alone "
          f"(> {args.confirm:g} s): {len(hangs)}")
    print(f"slowest import             {max(seconds, default=0):.2f} s")
    print(f"wall time                  {time.monotonic() - started:.0f} s")
    if tracebacks or check_tracebacks or slow or exits:
        print(f"findings in {findings}")


if __name__ == "__main__":
    main()
