"""Benchmark qingdan's speed and memory against the targets of issue 15. Run by hand.

    .venv/bin/python bench/bench_build.py [--runs 5] [--units 1000] [--big 4000] [--quick]
                                          [--json bench/results.json]

Every figure is a whole `qingdan` process, as a user runs it, measured `--runs` times; it
prints the median and the min–max. Comparisons are paired: both sides are measured in the
same run, alternating, so the machine's state affects both alike. It prints the machine
and writes a JSON record of everything. --quick uses 2 runs and smaller rosters (a smoke
test of the script, not figures to quote).

qingdan's bytecode is cached, as in an installation (see main).

What is measured (the targets are in the issue; the report shows each beside its figure):
- check of a list with 10,000 items, paired with parsing the same YAML with PyYAML's C loader;
- check of a 1,000-unit roster;
- full build of 1,000 units, paired with the plain docxtpl loop
  (`DocxTemplate(path).render(ctx); save()`) over the same documents, per document;
- no-op rebuild at 1,000 and 4,000 units, and a rebuild after one unit changed;
- peak memory (largest process, workers included) of full builds across roster sizes,
  and its slope per unit;
- diff of two 1,000-unit rosters with --table --redline;
- check of the bundled example in a cold process.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "checklists" / "example"
QINGDAN = [str(Path(sys.executable).parent / "qingdan")]  # the installed command
BODIES = ["党支部", "党委", "党总支", "党组"]


def make_project(folder: Path, units: int, edition: str = "") -> Path:
    """The bundled example with a generated roster of `units` units, each with the vars its
    notice needs (its own 发文字号), every tenth with an overlay; edition changes a few
    units' texts, as next year's roster would."""
    project = folder / f"project{edition}"
    shutil.copytree(EXAMPLE, project,
                    ignore=shutil.ignore_patterns("考核评分", "考核结果通报.yaml"))
    entries = []
    for i in range(units):
        entry: dict[str, object] = {
            "id": f"u{i:04d}", "name": f"清河县第{i + 1}基层单位", "short": "单位",
            "body": BODIES[i % 4], "superior": "局党委", "channels": f"第{i + 1}号公众号",
            "vars": {"发文机关标志": f"中共清河县第{i + 1}基层单位委员会",
                     "发文机关署名": f"中共清河县第{i + 1}基层单位委员会",
                     "发文字号": f"清基{i + 1}发〔2024〕1号", "主送": "各党小组",
                     "抄送": "局党委", "印发机关": f"中共清河县第{i + 1}基层单位委员会"}}
        if i % 10 == 0:
            text = f"加强第{i + 1}基层单位宣传队伍建设。"
            if edition and i % 20 == 0:
                text = f"加强第{i + 1}基层单位宣传思想文化队伍建设。"
            entry["overlays"] = {"意识形态工作责任清单": [{"replace": "duiwu", "text": text}]}
        entries.append(entry)
    (project / "单位名册.yaml").write_text(
        json.dumps({"kind": "roster", "units": entries}, ensure_ascii=False), "utf-8")
    return project


def make_long_list(folder: Path, items: int) -> Path:
    """A project whose one list has `items` items in four roles."""
    project = folder / "long"
    project.mkdir()
    shutil.copy(EXAMPLE / "qingdan.yaml", project / "qingdan.yaml")
    lines = ["kind: list", 'title: "{{ unit.name }}{{ unit.body }}意识形态工作责任清单"',
             "basis: [shishi-fangan]", "roles:"]
    for r, role in enumerate(("committee", "secretary", "deputy", "members")):
        lines += [f"  {role}:", "    items:"]
        for i in range(items // 4):
            lines += [f"      - id: r{r}-{i}",
                      f"        text: 第{i + 1}项职责：认真贯彻落实意识形态工作责任制，"
                      "定期分析研判意识形态领域情况，及时处置苗头性倾向性问题。"]
    (project / "清单.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    return project


def timed(command: list[str], cwd: Path = REPO) -> tuple[float, float]:
    """(seconds, peak MB of the process and its children) of one command; fails loudly."""
    start = time.perf_counter()
    process = subprocess.run(["/usr/bin/time", "-f", "%M", *command], cwd=cwd,
                             capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{process.stderr[-2000:]}")
    peak_kb = float(process.stderr.strip().splitlines()[-1])
    return seconds, peak_kb / 1024


def series(runs: int, *commands: list[str]) -> list[list[float]]:
    """Each command timed runs times, alternating, so pairs share the machine's state."""
    out: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for i, command in enumerate(commands):
            out[i].append(timed(command)[0])
    return out


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "runs": len(values)}


def show(name: str, values: list[float], target: str = "", unit: str = "s") -> dict[str, float]:
    s = summary(values)
    print(f"{name:<44} {s['median']:8.3f} {unit}  ({s['min']:.3f}–{s['max']:.3f}, "
          f"{s['runs']} runs)  {target}")
    return s


def parse_c(path: Path) -> list[str]:
    code = ("import yaml,sys;"
            "yaml.load(open(sys.argv[1],encoding='utf-8'),Loader=yaml.CSafeLoader)")
    return [sys.executable, "-c", code, str(path)]


def plain_docxtpl(out: Path, sample: int) -> float:
    """Seconds per document of DocxTemplate(path).render(ctx); save() over the documents the
    build made for `sample` units (each rendered from the template it came from, with the
    context qingdan gave it)."""
    from docxtpl import DocxTemplate

    from qingdan.builder.pipeline import prepare
    from qingdan.layout.notice import notice_text
    from qingdan.render.docx import list_view, measures_context, sheet_context
    from qingdan.render.engine import compiled, environment
    from qingdan.render.notice import notice_context
    from qingdan.resolve.resolver import resolve_project
    from qingdan.resolve.units import unit_project

    project = next(p for p in out.parent.iterdir() if p.name == "project")
    prepared = prepare(project)
    jobs = []
    for unit in prepared.project.roster[:sample]:
        view, _, _ = unit_project(prepared.project, unit)
        resolved, _ = resolve_project(view, prepared.index)
        templates = resolved.templates
        lst, measures, notice = resolved.lists[0], resolved.measures[0], resolved.notices[0]
        jobs.append((templates["list"], list_view(lst).context()))
        jobs.append((templates["measures"], measures_context(measures)))
        kind, context = sheet_context(measures, resolved.unit)
        jobs.append((templates[kind], context))
        # The notice's own context, as render_notice builds it (no attachments embedded).
        jobs.append((templates["notice"], notice_context(
            notice, notice_text(notice, []), [], compiled(templates["notice"]))))
    plain = out.parent / "plain-out"
    shutil.rmtree(plain, ignore_errors=True)
    start = time.perf_counter()
    for n, (path, context) in enumerate(jobs):  # written to files, as qingdan writes them
        tpl = DocxTemplate(path)
        tpl.render(context, jinja_env=environment())
        folder = plain / f"unit{n // 4}"
        folder.mkdir(parents=True, exist_ok=True)
        tpl.save(folder / f"{n % 4}.docx")
    return (time.perf_counter() - start) / len(jobs)


def subfolder(folder: Path, name: str) -> Path:
    (folder / name).mkdir()
    return folder / name


def machine() -> dict[str, object]:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if "model name" in line), "?")
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "date": time.strftime("%Y-%m-%d")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--big", type=int, default=4000)
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    if args.quick:
        args.runs, args.units, args.big, args.items = 2, 100, 200, 1000
    record: dict[str, object] = {"machine": machine(), "args": vars(args) | {"json": None}}
    # qingdan runs as installed: with the bytecode Python caches for it (pip compiles it at
    # install; an editable install writes it on its first run). This machine's environment
    # sets PYTHONDONTWRITEBYTECODE, under which every process would compile qingdan's
    # sources again (about 50 ms), so the bench lets Python cache it, and warms the cache.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([*QINGDAN, "check", str(EXAMPLE)], capture_output=True, check=False)
    record["bytecode"] = "cached"
    print(json.dumps(record["machine"], ensure_ascii=False))
    q = QINGDAN
    # In memory where the system has it: file creation on this VM's disk took from 0.07 to
    # 0.7 ms a file depending on the moment, which would measure the disk, not qingdan.
    memory = Path("/dev/shm")
    scratch = str(memory) if memory.is_dir() and os.access(memory, os.W_OK) else None
    record["scratch"] = scratch or tempfile.gettempdir()
    with tempfile.TemporaryDirectory(dir=scratch) as tmp:
        folder = Path(tmp)
        long = make_long_list(folder, args.items)
        ours, parse = series(args.runs, [*q, "check", str(long)], parse_c(long / "清单.yaml"))
        record["check_long_list"] = show(f"check, list of {args.items} items", ours, "< 1 s")
        record["parse_long_list"] = show("  PyYAML C loader, same file", parse)
        ratios = [a / b for a, b in zip(ours, parse, strict=True)]
        record["check_vs_parse"] = show("  ratio check / parse (paired)", ratios, "< 3",
                                        unit="x")

        project = make_project(folder, args.units)
        [checks] = series(args.runs, [*q, "check", str(project)])
        record["check_roster"] = show(f"check, {args.units} units", checks, "< 1.5 s")

        out = folder / "out"
        builds, per_doc_plain = [], []
        documents = 4 * args.units + 4
        for _ in range(args.runs):
            shutil.rmtree(out, ignore_errors=True)
            builds.append(timed([*q, "build", str(project), "-o", str(out)])[0])
            per_doc_plain.append(plain_docxtpl(out, min(50, args.units)))
        record["full_build"] = show(f"full build, {args.units} units ({documents} documents)",
                                    builds)
        ratios = [plain * documents / ours for ours, plain in
                  zip(builds, per_doc_plain, strict=True)]
        record["plain_per_document"] = show("  plain docxtpl loop, per document",
                                            [1000 * p for p in per_doc_plain], unit="ms")
        record["build_vs_plain"] = show("  throughput ratio (paired)", ratios, "≥ 20", unit="x")

        [noop] = series(args.runs, [*q, "build", str(project), "-o", str(out)])
        record["noop_rebuild"] = show(f"no-op rebuild, {args.units} units", noop, "< 0.5 s")
        roster = project / "单位名册.yaml"
        original = roster.read_text("utf-8")
        one = []
        for n in range(args.runs):
            roster.write_text(original.replace('"第1号公众号"', f'"第1号公众号{n}"'), "utf-8")
            one.append(timed([*q, "build", str(project), "-o", str(out)])[0])
        roster.write_text(original, "utf-8")
        record["one_unit_changed"] = show(f"one unit changed, {args.units} units", one, "< 1 s")

        big = make_project(subfolder(folder, "big"), args.big)
        big_out = folder / "big-out"
        _, big_peak = timed([*q, "build", str(big), "-o", str(big_out)])
        [big_noop] = series(args.runs, [*q, "build", str(big), "-o", str(big_out)])
        record["noop_rebuild_big"] = show(f"no-op rebuild, {args.big} units", big_noop, "< 1.5 s")
        peaks = {}
        for size in sorted({max(args.big // 16, 1), args.big // 4, args.big}):
            p = make_project(subfolder(folder, f"m{size}"), size)
            peaks[size] = timed([*q, "build", str(p), "-o", str(folder / f"m{size}-out")])[1]
            print(f"{'peak memory, ' + str(size) + ' units':<44} {peaks[size]:8.1f} MB")
        sizes = sorted(peaks)
        slope = (peaks[sizes[-1]] - peaks[sizes[0]]) / max(sizes[-1] - sizes[0], 1) * 1024
        print(f"{'  slope':<44} {slope:8.2f} KB per unit   (< 120 MB at {args.big}, flat)")
        record["peak_memory_mb"] = peaks
        record["peak_slope_kb_per_unit"] = slope
        record["peak_big_mb"] = big_peak

        new = make_project(subfolder(folder, "v2"), args.units, edition="2025")
        [diffs] = series(args.runs, [*q, "diff", str(project), str(new), "--table", "--redline",
                                     "-o", str(folder / "diff-out")])
        record["diff_roster"] = show(f"diff --table --redline, {args.units} units", diffs,
                                     "< 5 s")

        [cold] = series(args.runs, [*q, "check"])
        record["check_example_cold"] = show("check of the example, cold process", cold,
                                            "< 0.6 s")
    if args.json:
        args.json.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", "utf-8")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
