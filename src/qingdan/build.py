"""The pipeline: load -> index -> check -> (per unit: overlay -> resolve -> lint -> render)
-> write.

`prepare` and `build_unit` are pure: sources in, diagnostics and document bytes out. Only
`run_build` touches the output folder, through writer.py, and it renames anything into
place only after every unit has been checked and rendered without an error.

With a roster, every unit gets its own documents in output/<unit>/, rendered on all cores,
and a unit whose inputs (its roster entry, the shared sources, the templates, qingdan
itself) did not change since the last build is not rendered again.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import multiprocessing
import os
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypedDict, cast

from . import __version__
from .annual.drafts import refuse_drafts
from .checks import check_project, check_resolved
from .checks.coverage import assessed_items, unassessed_additions
from .checks.docnumber import (
    NumberUse,
    check_unique_numbers,
    notice_numbers,
    registered_numbers,
)
from .checks.text import lint_texts
from .compile import resolve_all, resolve_project
from .diagnostics import Diagnostic, Failed, Location, Severity, errors
from .diff import ProjectDiff, UnitDiff, diff_list_sets
from .load import display_path
from .model import Measures, Project, ResponsibilityList, RosterUnit
from .project import CONFIG_NAME, load_project, source_files
from .refs import Index, build_index
from .render.docx import render_list, render_measures, render_sheet, sheet_rows, sheet_title
from .render.engine import Rendered, compiled
from .render.notice import Attached, render_notice
from .staging import Staging, folder_problem, os_problem, quiet_worker, stage
from .units import Deviation, unit_project
from .writer import inside, safe_filename

MANIFEST = ".qingdan-manifest.json"
PARALLEL_FROM = 8  # units; below this a worker pool costs more than it saves


@dataclass(frozen=True)
class Output:
    """One rendered document: its file name inside its folder, its bytes, and the name of
    the source it came from (a scoring sheet's is its assessment's)."""

    name: str
    data: bytes
    source: str = ""


@dataclass
class Prepared:
    """A loaded and checked project, ready to be built unit by unit."""

    project: Project
    index: Index
    found: list[Diagnostic]

    @functools.cached_property
    def assessed(self) -> dict[str, set[str]]:
        """The base lists' items that assessment indicators name, by list."""
        return assessed_items(self.project, self.index)[0]

    @property
    def renderable(self) -> bool:
        """Whether the shared checks passed, so rendering is worth doing."""
        return not errors(apply_settings(self.found, self.project.settings))


@dataclass
class UnitResult:
    """What building one unit (or the project's own unit) gave."""

    folder: str  # "" for the project's own unit
    key: str
    found: list[Diagnostic] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    deviations: list[Deviation] = field(default_factory=list)
    written: list[tuple[str, str]] = field(default_factory=list)  # (final, temporary) names
    numbers: list[NumberUse] = field(default_factory=list)  # its notices' 发文字号


@dataclass
class BuildResult:
    """The whole run: its warnings, what it wrote, how many units it could skip."""

    warnings: list[Diagnostic]
    documents: int
    written: list[tuple[Path, bool]] = field(default_factory=list)
    skipped: int = 0
    units: int = 0


def prepare(path: Path) -> Prepared:
    """Load the sources, index every id and run the checks that do not depend on a unit."""
    project, found = load_project(path)
    index, problems = build_index(project)
    found += problems + check_project(project, index)
    return Prepared(project, index, found)


def build_unit(prepared: Prepared, unit: RosterUnit | None, folder: str = "",
               key: str = "") -> UnitResult:
    """One unit's documents and problems (the project's own unit when unit is None)."""
    result = UnitResult(folder=folder, key=key)
    project, index = prepared.project, prepared.index
    if unit is not None:
        project, result.found, result.deviations = unit_project(project, unit)
        if unit.overlays:
            index, problems = build_index(project)
            result.found += problems + unassessed_additions(prepared.assessed, unit,
                                                            result.deviations)
            result.found += lint_texts(
                [op.text for ops in unit.overlays.values() for op in ops if op.text])
        if errors(result.found):
            return result
    resolved, problems = resolve_all(project, index)
    result.found += _for_unit(problems + check_resolved(resolved), prepared.project, unit)
    owner = resolved.unit.name if resolved.unit else ""
    result.numbers = notice_numbers(resolved, owner)
    if errors(result.found) or not prepared.renderable:
        return result
    try:
        result.outputs = render_project(resolved)
    except Failed as failed:
        result.found += failed.diagnostics
    return result


def _for_unit(found: list[Diagnostic], project: Project,
              unit: RosterUnit | None) -> list[Diagnostic]:
    """Problems met while rendering shared text for a unit name the unit, when there are
    several units (merge_units then gives a problem they share one line)."""
    if unit is None and (not project.roster or project.unit is None):
        return found
    name = unit.unit.name if unit is not None else project.unit.name  # type: ignore[union-attr]
    return [dataclasses.replace(d, message=f"{d.message}（单位：{name}）") for d in found]


def render_project(project: Project) -> list[Output]:
    """Render every document of a resolved project; raises Failed with all problems.

    Lists and measures come first; a notice then embeds the documents it issues, and an
    assessment with indicators also gets its scoring sheet.
    """
    problems: list[Diagnostic] = []
    names: set[str] = set()
    outputs: list[Output] = []
    rendered: dict[str, Attached] = {}

    def run(title: str, render: Callable[[], Rendered], source: str) -> Rendered | None:
        try:
            result = render()
        except Failed as failed:
            problems.extend(d for d in failed.diagnostics if d not in problems)
            return None
        if project.selected in (None, source):
            name = f"{unique_name(safe_filename(title), names)}.docx"
            outputs.append(Output(name, result.data, source))
        return result

    templates = project.templates
    for doc in project.lists:
        title = "".join(t.value for t in doc.title)
        result = run(title, partial(render_list, doc, templates["list"]), doc.name)
        if result is not None:
            rendered[doc.name] = Attached(title, result, templates["list"])
    for measures in project.measures:
        title = "".join(t.value for t in measures.title)
        result = run(title, partial(render_measures, measures, templates["measures"]),
                     measures.name)
        if result is not None:
            rendered[measures.name] = Attached(title, result, templates["measures"])
        if sheet_rows(measures):
            unit = project.unit
            assert unit is not None
            run(sheet_title(measures), partial(render_sheet, measures, unit, templates),
                measures.name)
    for notice in project.notices:
        attached = [rendered[a.value] for a in notice.attachments if a.value in rendered]
        if project.selected in (None, notice.name):
            run("".join(t.value for t in notice.title),
                partial(render_notice, notice, attached, templates["notice"]), notice.name)
    if problems:
        raise Failed(problems)
    return outputs


def unique_name(name: str, taken: set[str]) -> str:
    """name, or name（2）, name（3）… when two documents would share a file. Case does not
    tell names apart: Windows and macOS users share these folders."""
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{name}（{n}）"
    taken.add(candidate.casefold())
    return candidate


def apply_settings(found: list[Diagnostic], settings: dict[str, str]) -> list[Diagnostic]:
    """The project's per-code levels: a warning may be turned off or made an error."""
    out = []
    for diag in found:
        level = settings.get(diag.code)
        if level == "off" and diag.severity is Severity.WARNING:
            continue
        if level in ("error", "warning"):
            diag = dataclasses.replace(diag, severity=Severity(level))
        out.append(diag)
    return out


def merge_units(found: list[Diagnostic]) -> list[Diagnostic]:
    """One line for a problem many units share: 「……（单位：甲、乙 等 12 个）」."""
    groups: dict[tuple[str, Location, str], list[Diagnostic]] = {}
    for diag in found:
        base, _, unit = diag.message.rpartition("（单位：")
        key = (diag.code, diag.location, base if unit else diag.message)
        groups.setdefault(key, []).append(diag)
    merged = []
    for (_, _, base), group in groups.items():
        if len(group) == 1 or "（单位：" not in group[0].message:
            merged.append(group[0])
            continue
        names = [d.message.rpartition("（单位：")[2].rstrip("）") for d in group]
        shown = "、".join(names[:3]) + (f" 等 {len(names)} 个" if len(names) > 3 else "")
        merged.append(dataclasses.replace(group[0], message=f"{base}（单位：{shown}）"))
    return merged


# --- incremental builds -------------------------------------------------------------------


def code_digest() -> str:
    """A digest of qingdan's own code and schemas: new code means new output."""
    package = Path(__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for file in sorted(package.rglob("*")):
        if file.suffix in (".py", ".json"):
            digest.update(file.relative_to(package).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def inputs_digest(prepared: Prepared, path: Path) -> str:
    """Everything every unit shares: sources (not the roster), config, templates, code."""
    root, files = source_files(path)
    digest = hashlib.sha256(code_digest().encode())
    digest.update(str(prepared.project.selected).encode())
    roster_files = {u.location.path for u in prepared.project.roster}
    for file in sorted([root / CONFIG_NAME, *files]):
        if display_path(file) in roster_files:
            continue  # each unit's own entry is in its key instead
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    for name, template in sorted(prepared.project.templates.items()):
        digest.update(name.encode())
        digest.update(template.read_bytes() if template.is_file() else b"")
    return digest.hexdigest()


class ManifestEntry(TypedDict):
    """What the last build recorded for one unit's folder."""

    key: str
    files: dict[str, list[int]]  # name -> [size, mtime_ns]
    warnings: list[dict[str, Any]]
    numbers: list[list[Any]]  # [发文字号, path, line, column, owner] of its notices


def _load_manifest(out_dir: Path) -> dict[str, ManifestEntry]:
    try:
        data = json.loads((out_dir / MANIFEST).read_text("utf-8"))
        return cast(dict[str, ManifestEntry], data["units"]) if data.get("format") == 1 else {}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


# --- running ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    folder: str
    key: str
    unit: RosterUnit | None


_SHARED: tuple[Prepared, Path | None] | None = None  # inherited by forked workers


def _work(job: Job) -> UnitResult:
    assert _SHARED is not None
    prepared, out_dir = _SHARED
    result = build_unit(prepared, job.unit, job.folder, job.key)
    folder = (out_dir / job.folder if job.folder else out_dir) if out_dir else None
    # A unit folder that is a link (or a file) was reported by the parent: never written.
    if folder is not None and not errors(result.found) and folder_problem(folder) is None:
        try:
            for output in result.outputs:
                target = inside(folder, output.name)
                tmp = stage(target, output.data)
                if tmp is not None:
                    result.written.append((str(target), str(tmp)))
        except OSError as exc:  # a full disk, a link, a folder in the way: nothing stays
            for _, tmp_name in result.written:
                Path(tmp_name).unlink(missing_ok=True)
            result.written = []
            result.found.append(os_problem(exc, folder))
    result.outputs = [dataclasses.replace(o, data=b"") for o in result.outputs]
    return result


def _results(jobs: list[Job],
             progress: Callable[[int], None] | None) -> Generator[UnitResult, None, None]:
    """Build the jobs, on every core when there are enough of them."""
    workers = min(os.cpu_count() or 1, len(jobs))
    forking = "fork" in multiprocessing.get_all_start_methods()
    if len(jobs) < PARALLEL_FROM or workers < 2 or not forking:
        for job in jobs:
            yield _work(job)
            if progress:
                progress(1)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=quiet_worker, initargs=(os.getpid(),)) as pool:
        chunk = max(1, len(jobs) // (workers * 8))
        for result in pool.imap_unordered(_work, jobs, chunksize=chunk):
            yield result
            if progress:
                progress(1)


def plan(prepared: Prepared, path: Path, out_dir: Path | None,
         manifest: dict[str, ManifestEntry]) -> tuple[list[Job], list[Job]]:
    """(jobs to build, jobs whose output the last build's manifest shows up to date)."""
    project = prepared.project
    shared = inputs_digest(prepared, path) if out_dir is not None else ""
    jobs: list[Job] = []
    if project.unit is not None:
        jobs.append(Job("", hashlib.sha256(f"{shared}:base".encode()).hexdigest(), None))
    folders: set[str] = set()
    for unit in project.roster:
        name = safe_filename(unit.unit.name)
        if name.casefold().endswith(".docx"):  # a folder never takes a document's name
            name = name[:-5] + "_docx"
        folder = unique_name(name, folders)
        key = hashlib.sha256(f"{shared}:{unit.fingerprint}".encode()).hexdigest()
        jobs.append(Job(folder, key, unit))
    todo, done = [], []
    for job in jobs:
        entry = manifest.get(job.folder)
        unit_dir = (out_dir / job.folder) if (out_dir is not None and job.folder) else out_dir
        if entry and entry.get("key") == job.key and unit_dir is not None and _intact(
                unit_dir, entry.get("files", {})):
            done.append(job)
        else:
            todo.append(job)
    return todo, done


def _stamp(path: Path) -> list[int]:
    stat = os.lstat(path)  # a link put in a document's place is never "intact"
    return [stat.st_size, stat.st_mtime_ns]


def _intact(folder: Path, files: dict[str, list[int]]) -> bool:
    """Every file of a unit's last build is there, untouched since (size and time)."""
    try:
        return bool(files) and all(_stamp(folder / name) == stamp for name, stamp in files.items())
    except (OSError, TypeError, ValueError):
        return False


def run_build(path: Path, out_dir: Path | None, strict: bool = False,
              progress: Callable[[int], None] | None = None,
              on_plan: Callable[[int], None] | None = None,
              no_drafts: bool = False) -> BuildResult:
    """Check (out_dir None) or build a project; raises Failed after a full run.

    Nothing is renamed into the output folder unless every unit succeeded; a failed or
    interrupted build leaves the folder as it was (see staging.py). no_drafts
    (--final): a draft (a date or number still 待定) is an error, not a warning.
    """
    prepared = prepare(path)
    manifest = _load_manifest(out_dir) if out_dir is not None else {}
    if prepared.renderable:
        for template in prepared.project.templates.values():
            # Compiled once here, so forked workers share it; and checked (size, names)
            # before plan() hashes its bytes.
            compiled(template, "")
    todo, done = plan(prepared, path, out_dir, manifest)
    run = partial(_run_jobs, prepared, todo=todo, done=done, manifest=manifest,
                  progress=progress, on_plan=on_plan, no_drafts=no_drafts)
    if out_dir is None:
        results, found = run(None)
        if errors(found) or (strict and found):
            raise Failed(found)
        return BuildResult(warnings=found, documents=sum(len(r.outputs) for r in results),
                           units=len(todo) + len(done))
    with Staging(out_dir, [j.folder for j in todo], [j.folder for j in done]) as staging:
        blocked = staging.check()  # those units are checked and rendered, never written
        results, found = run(out_dir)
        staging.temporaries = [Path(tmp) for r in results for _, tmp in r.written]
        found += blocked
        if errors(found) or (strict and found):
            raise Failed(found)
        written: list[tuple[Path, bool]] = []
        renames: list[tuple[str, str]] = []
        for result in results:
            staged = dict(result.written)
            unit_dir = out_dir / result.folder if result.folder else out_dir
            files = {}
            for output in result.outputs:
                target = inside(unit_dir, output.name)
                written.append((target, str(target) in staged))
                # A rename keeps the size and time, so the temporary's stamp is the file's.
                files[output.name] = _stamp(Path(staged.get(str(target), target)))
            renames += result.written
            manifest[result.folder] = {
                "key": result.key, "files": files,
                "warnings": [d.to_json() for d in result.found],
                "numbers": [[n.number, n.location.path, n.location.line, n.location.column,
                             n.owner] for n in result.numbers]}
        data = json.dumps({"format": 1, "units": manifest}, ensure_ascii=False, indent=1,
                          sort_keys=True).encode("utf-8")
        try:
            tmp = stage(out_dir / MANIFEST, data)
        except OSError as exc:
            raise Failed([os_problem(exc, out_dir)]) from None
        if tmp is not None:
            staging.temporaries.append(tmp)
            renames.append((str(out_dir / MANIFEST), str(tmp)))
        staging.commit(renames)  # the manifest last: it vouches for the files before it
    documents = len(written) + sum(len(manifest[j.folder].get("files", {})) for j in done)
    return BuildResult(warnings=found, documents=documents, written=written,
                       skipped=len(done), units=len(todo) + len(done))


def _run_jobs(prepared: Prepared, out_dir: Path | None, *, todo: list[Job], done: list[Job],
              manifest: dict[str, ManifestEntry], progress: Callable[[int], None] | None,
              on_plan: Callable[[int], None] | None,
              no_drafts: bool) -> tuple[list[UnitResult], list[Diagnostic]]:
    """Every job's result, and every problem (the skipped units' as the manifest kept them)."""
    global _SHARED
    if on_plan:
        on_plan(len(todo))
    _SHARED = (prepared, out_dir)
    results: list[UnitResult] = []
    running = _results(todo, progress)
    try:
        for result in running:
            results.append(result)
    finally:
        running.close()  # on Ctrl-C: stop the workers before anything is cleaned up
        _SHARED = None
    found = list(prepared.found)
    for result in results:
        found += result.found
    numbers = registered_numbers(prepared.project) + [n for r in results for n in r.numbers]
    for job in done:  # an unchanged unit's warnings are reported again, as last time
        found += [_diagnostic(d) for d in manifest[job.folder].get("warnings", [])]
        numbers += [NumberUse(n, Location(p, line, column), owner) for n, p, line, column, owner
                    in manifest[job.folder].get("numbers", [])]
    found += check_unique_numbers(numbers)
    if no_drafts:
        found = refuse_drafts(found)
    return results, merge_units(apply_settings(found, prepared.project.settings))


def recorded_documents(out_dir: Path) -> list[Path]:
    """Every document the manifest in out_dir records, unchanged units' included."""
    return [inside(out_dir / folder if folder else out_dir, name)
            for folder, entry in sorted(_load_manifest(out_dir).items())
            for name in sorted(entry.get("files", {}))]


def _diagnostic(data: dict[str, object]) -> Diagnostic:
    loc = data["location"]
    assert isinstance(loc, dict)
    return Diagnostic(code=str(data["code"]), message=str(data["message"]),
                      location=Location(str(loc["path"]), int(loc["line"]), int(loc["column"])),
                      hint=data.get("hint") and str(data["hint"]),  # type: ignore[arg-type]
                      severity=Severity(str(data["severity"])))


def deviations(path: Path) -> list[Deviation]:
    """Every unit's departures from the base lists, in roster order."""
    prepared = prepare(path)
    found: list[Deviation] = []
    problems: list[Diagnostic] = list(prepared.found)
    for unit in prepared.project.roster:
        _, unit_problems, changes = unit_project(prepared.project, unit)
        found += changes
        problems += unit_problems
    if errors(problems):
        raise Failed(merge_units(problems))
    return found



def _resolved_lists(prepared: Prepared, unit: RosterUnit | None,
                    ) -> tuple[ResponsibilityList | Measures, ...]:
    """A version's lists and measures as readers see them: overlays applied, placeholders
    filled."""
    project, index, found = prepared.project, prepared.index, list(prepared.found)
    if unit is not None:
        project, problems, _ = unit_project(project, unit)
        found += problems
        index, problems = build_index(project)
        found += problems
    if errors(found):
        raise Failed(merge_units(found))
    resolved, _ = resolve_project(project, index)
    return (*resolved.lists, *resolved.measures)


def compare(old: Path, new: Path) -> ProjectDiff:
    """The lists of two versions compared item by item, and each unit's when both have a
    roster; raises Failed when either version has errors."""
    before, after = prepare(old), prepare(new)
    empty: tuple[ResponsibilityList | Measures, ...] = ()
    result = diff_list_sets(
        _resolved_lists(before, None) if before.project.unit else empty,
        _resolved_lists(after, None) if after.project.unit else empty)
    old_units = {u.id: u for u in before.project.roster}
    for unit in after.project.roster:
        prior = old_units.pop(unit.id, None)
        if prior is None:
            result.units.append(UnitDiff(unit.unit.name, "added"))
            continue
        each = diff_list_sets(_resolved_lists(before, prior), _resolved_lists(after, unit))
        changed = [d for d in each.lists if d.changed]
        result.units.append(UnitDiff(unit.unit.name, "changed" if changed else "same", changed))
        result.unit_pairs[unit.unit.name] = each.pairs
    result.units += [UnitDiff(u.unit.name, "removed") for u in old_units.values()]
    result.templates = after.project.templates
    return result
