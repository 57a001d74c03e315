"""Benchmark: build a synthetic roster of units and compare with a plain docxtpl loop.

    .venv/bin/python bench/bench_build.py [--units 1000] [--plain-sample 100]

Reports, in one run: the full build (time, documents, time per document), a no-op rebuild,
peak memory for the whole roster and for a quarter of it (to show it does not grow with the
number of units), and the same documents rendered by a plain loop of
`DocxTemplate(path).render(ctx); save()` on the same templates and contexts, as a ratio of
throughput. Run by hand; it is not part of the tests.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docxtpl import DocxTemplate

from qingdan.build import prepare, run_build
from qingdan.compile import resolve_project
from qingdan.layout.notice import notice_text
from qingdan.render.docx import (
    list_view,
    measures_context,
    render_list,
    render_measures,
    sheet_rows,
    sheet_title,
)
from qingdan.render.engine import compiled, environment
from qingdan.render.notice import Attached, notice_context
from qingdan.units import unit_project

EXAMPLE = Path(__file__).resolve().parents[1] / "checklists" / "example"
BODIES = ["党支部", "党委", "党总支", "党组"]


def make_project(folder: Path, units: int) -> Path:
    """The bundled example with a generated roster of `units` units, some with overlays."""
    project = folder / "project"
    shutil.copytree(EXAMPLE, project)
    (project / "单位名册.yaml").unlink()
    entries = []
    for i in range(units):
        entry = {"id": f"u{i:04d}", "name": f"清河县第{i + 1}基层单位", "short": "单位",
                 "body": BODIES[i % 4], "superior": "局党委", "channels": f"第{i + 1}号公众号"}
        if i % 10 == 0:
            entry["overlays"] = {"意识形态工作责任清单": [
                {"replace": "duiwu", "text": f"加强第{i + 1}基层单位宣传队伍建设。"}]}
        entries.append(entry)
    (project / "单位名册.yaml").write_text(
        json.dumps({"kind": "roster", "units": entries}, ensure_ascii=False), "utf-8")
    return project


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def timed_build(project: Path, out: Path) -> tuple[float, int]:
    start = time.perf_counter()
    result = run_build(project, out)
    return time.perf_counter() - start, len(result.written)


def plain_loop(project: Path, sample: int) -> tuple[float, int]:
    """The same documents for `sample` units through DocxTemplate(path).render(ctx); save()."""
    prepared = prepare(project)
    jobs = []
    for unit in prepared.project.roster[:sample]:
        unit_view, _, _ = unit_project(prepared.project, unit)
        resolved, _ = resolve_project(unit_view, prepared.index)
        templates = resolved.templates
        lst, measures, notice = resolved.lists[0], resolved.measures[0], resolved.notices[0]
        jobs.append((templates["list"], list_view(lst).context()))
        jobs.append((templates["measures"], measures_context(measures)))
        rows = sheet_rows(measures)
        groups = [{"name": r.group, "rows": [r]} for r in rows]
        jobs.append((templates["sheet-landscape"], {
            "title": sheet_title(measures), "title_lines": [sheet_title(measures)],
            "unit": unit.unit.name, "groups": groups, "total": "100"}))
        attached = [Attached("".join(t.value for t in d.title), render(d, templates[k]),
                             templates[k])
                    for d, render, k in ((lst, render_list, "list"),
                                         (measures, render_measures, "measures"))]
        text = notice_text(notice, [a.title for a in attached])
        jobs.append((templates["notice"], notice_context(
            notice, text, attached, compiled(templates["notice"], ""))))
    start = time.perf_counter()
    for path, context in jobs:
        tpl = DocxTemplate(path)
        tpl.render(context, jinja_env=environment())
        tpl.save(io.BytesIO())
    return time.perf_counter() - start, len(jobs)


def child_peak(units: int) -> float:
    """Peak memory of a whole build of `units` units, measured in a fresh process."""
    code = ("import sys, tempfile, pathlib; sys.path.insert(0, 'bench');"
            "import bench_build as b;"
            f"d = pathlib.Path(tempfile.mkdtemp()); p = b.make_project(d, {units});"
            "b.run_build(p, d / 'out'); print(b.peak_mb())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[1])
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--plain-sample", type=int, default=100,
                        help="units rendered by the plain loop (its per-document time is "
                             "the same for any number)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = make_project(folder, args.units)
        out = folder / "out"
        full, documents = timed_build(project, out)
        noop, _ = timed_build(project, out)
        plain, plain_docs = plain_loop(project, min(args.plain_sample, args.units))
    ours_rate = documents / full
    plain_rate = plain_docs / plain
    print(f"units                      {args.units}")
    print(f"full build                 {full:.2f} s, {documents} documents, "
          f"{1000 * full / documents:.2f} ms per document ({ours_rate:.0f} documents/s)")
    print(f"no-op rebuild              {noop:.2f} s")
    print(f"plain docxtpl loop         {plain:.2f} s for {plain_docs} documents, "
          f"{1000 * plain / plain_docs:.2f} ms per document ({plain_rate:.0f} documents/s)")
    print(f"throughput ratio           {ours_rate / plain_rate:.1f}x")
    print(f"peak memory, {args.units:>5} units   {child_peak(args.units):.0f} MB")
    quarter = max(args.units // 4, 1)
    print(f"peak memory, {quarter:>5} units   {child_peak(quarter):.0f} MB")


if __name__ == "__main__":
    main()
