"""Running the pipeline (pipeline.py) for every unit of a project, and writing the results.

`run_build` is the only place that touches the output folder, through staging.py, and it
renames anything into place only after every unit has been checked and rendered without
an error.

With a roster, every unit gets its own documents in output/<unit>/, rendered on all cores,
and a unit whose inputs did not change since the last build is not rendered again
(incremental.py). A check renders no documents but one unit's, for the templates' sake.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Generic, TypeVar

from ..check.docnumber import check_unique_numbers, registered_numbers
from ..check.drafts import refuse_drafts
from ..diagnostics import Diagnostic, Failed, errors
from ..render.engine import compiled
from ..write.files import inside
from ..write.interrupts import quiet_worker
from ..write.staging import Staging, folder_problem, os_problem, stage
from .incremental import Job, build_digest, plan, unchanged_build
from .manifest import (
    MANIFEST,
    Manifest,
    RecordedNumber,
    UnitRecord,
    load_manifest,
    stamp,
)
from .pipeline import (
    Prepared,
    UnitResult,
    apply_settings,
    build_unit,
    merge_units,
    prepare,
    template_problems,
)

PARALLEL_FROM = 8  # units; below this a worker pool costs more than it saves
T = TypeVar("T")


@dataclass
class BuildResult:
    """The whole run: its warnings, what it wrote, how many units it could skip."""

    warnings: list[Diagnostic]
    documents: int
    written: list[tuple[str, bool]] = field(default_factory=list)  # names: thousands
    skipped: int = 0
    units: int = 0


def run_build(path: Path, out_dir: Path | None, strict: bool = False,
              progress: Callable[[int], None] | None = None,
              on_plan: Callable[[int], None] | None = None,
              no_drafts: bool = False) -> BuildResult:
    """Check (out_dir None) or build a project; raises Failed after a full run.

    Nothing is renamed into the output folder unless every unit succeeded; a failed or
    interrupted build leaves the folder as it was (see staging.py). no_drafts
    (--final): a draft (a date or number still 待定) is an error, not a warning.
    """
    options = f"final={no_drafts}"
    manifest = load_manifest(out_dir) if out_dir is not None else Manifest()
    if manifest.digest:
        assert out_dir is not None
        with Staging(out_dir, [], list(manifest.units)):  # locked, swept of what killed runs left
            kept = unchanged_build(path, out_dir, manifest, options)
        if kept is not None:  # nothing changed: the last build's report, nothing parsed
            if strict and kept:
                raise Failed(kept)
            return BuildResult(warnings=kept, documents=sum(
                len(unit.files) for unit in manifest.units.values()),
                skipped=len(manifest.units), units=len(manifest.units))
    prepared = prepare(path)
    if prepared.renderable and out_dir is not None:  # a check renders one unit, in itself
        for template in prepared.project.templates.values():
            # Compiled once here, so forked workers share it; and checked (size, names)
            # before plan() hashes its bytes.
            compiled(template)
    todo, done = plan(prepared, path, out_dir, manifest.units)
    run = partial(_run_jobs, prepared, todo=todo, done=done, manifest=manifest,
                  progress=progress, on_plan=on_plan, no_drafts=no_drafts)
    if out_dir is None:
        results, found = run(None)
        if errors(found) or (strict and found):
            raise Failed(found)
        return BuildResult(warnings=found, documents=sum(r.documents for r in results),
                           units=len(todo) + len(done))
    templates = [str(t) for t in prepared.project.templates.values()]
    with Staging(out_dir, [j.folder for j in todo], [j.folder for j in done]) as staging:
        blocked = staging.check()  # those units are checked and rendered, never written
        results, found = run(out_dir)
        staging.temporaries = [tmp for r in results for _, tmp in r.written]
        found += blocked
        if errors(found) or (strict and found):
            raise Failed(found)
        written: list[tuple[str, bool]] = []
        renames: list[tuple[str, str]] = []
        for result in results:
            written += result.targets
            renames += result.written
            manifest.units[result.folder] = UnitRecord(
                result.key, result.files, [RecordedNumber.of(n) for n in result.numbers],
                [d.to_record() for d in result.found])
        for folder in set(manifest.units) - {j.folder for j in todo + done}:
            del manifest.units[folder]  # a unit no longer in the roster
        manifest.warning_records = [d.to_record() for d in found]
        manifest.templates = templates
        manifest.digest = build_digest(path, templates, options)
        try:
            tmp = stage(out_dir / MANIFEST, manifest.to_bytes())
        except OSError as exc:
            raise Failed([os_problem(exc, out_dir)]) from None
        if tmp is not None:
            staging.temporaries.append(tmp)
            renames.append((str(out_dir / MANIFEST), str(tmp)))
        staging.commit(renames)  # the manifest last: it vouches for the files before it
    documents = len(written) + sum(len(manifest.units[j.folder].files) for j in done)
    return BuildResult(warnings=found, documents=documents, written=written,
                       skipped=len(done), units=len(todo) + len(done))


def _run_jobs(prepared: Prepared, out_dir: Path | None, *, todo: list[Job], done: list[Job],
              manifest: Manifest, progress: Callable[[int], None] | None,
              on_plan: Callable[[int], None] | None,
              no_drafts: bool) -> tuple[list[UnitResult], list[Diagnostic]]:
    """Every job's result, and every problem (the skipped units' as the manifest kept them)."""
    if on_plan:
        on_plan(len(todo))
    # A check renders the first unit's documents only, to test the templates.
    sample = todo[0].folder if todo and out_dir is None else None
    results: list[UnitResult] = []
    with SHARED.holding(Shared(prepared, out_dir, sample)):
        running = _results(todo, progress)
        try:
            for result in running:
                results.append(result)
        finally:
            running.close()  # on Ctrl-C: stop the workers before anything is cleaned up
    found = list(prepared.found)
    for result in results:
        found += result.found
    if out_dir is None and prepared.renderable and not any(r.rendered for r in results):
        # The first unit had errors of its own: the first without any tests the templates.
        clean = {r.folder for r in results if not errors(r.found)}
        tested = next((j for j in todo if j.folder in clean), None)
        if tested is not None:
            found += template_problems(prepared, tested.unit)
    numbers = registered_numbers(prepared.project) + [n for r in results for n in r.numbers]
    for job in done:  # an unchanged unit's warnings are reported again, as last time
        record = manifest.units[job.folder]
        found += record.warnings()
        numbers += [n.use() for n in record.numbers]
    found += check_unique_numbers(numbers)
    if no_drafts:
        found = refuse_drafts(found)
    return results, merge_units(apply_settings(found, prepared.project.settings))


@dataclass(frozen=True)
class Shared:
    """What every job of one build reads: the prepared project, the output folder (None for
    a check) and, for a check, the one unit whose documents are rendered."""

    prepared: Prepared
    out_dir: Path | None
    sample: str | None


class Inherited(Generic[T]):
    """A value the build's workers inherit instead of receiving it: set in the parent
    before the pool forks, so each worker starts with a copy of the parent's memory and
    the prepared project (thousands of units) is never pickled; read by the jobs, in the
    workers or in the parent alike; cleared when the jobs are done."""

    def __init__(self) -> None:
        self._value: T | None = None

    @contextmanager
    def holding(self, value: T) -> Iterator[None]:
        self._value = value
        try:
            yield
        finally:
            self._value = None

    def get(self) -> T:
        assert self._value is not None, "read outside holding()"
        return self._value


SHARED: Inherited[Shared] = Inherited()  # set by _run_jobs, read by _work


def _work(job: Job) -> UnitResult:
    """One job: its unit built and its documents staged beside their targets."""
    shared = SHARED.get()
    out_dir = shared.out_dir
    result = build_unit(shared.prepared, job.unit, job.folder, job.key,
                        render=out_dir is not None or job.folder == shared.sample)
    folder = (out_dir / job.folder if job.folder else out_dir) if out_dir else None
    # A unit folder that is a link (or a file) was reported by the parent: never written.
    if folder is not None and not errors(result.found) and folder_problem(folder) is None:
        try:
            for output in result.outputs:
                target = str(inside(folder, output.name))  # names, not Paths: thousands
                tmp = stage(Path(target), output.data)
                if tmp is not None:
                    result.written.append((target, str(tmp)))
                result.targets.append((target, tmp is not None))
                # A rename keeps the size and time, so the temporary's stamp is the file's.
                result.files[output.name] = stamp(tmp or target)
        except OSError as exc:  # a full disk, a link, a folder in the way: nothing stays
            for _, tmp_name in result.written:
                Path(tmp_name).unlink(missing_ok=True)
            result.written, result.targets, result.files = [], [], {}
            result.found.append(os_problem(exc, folder))
    result.outputs = []  # written, or not to be: the parent needs only the names above
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
        chunk = max(1, len(jobs) // (workers * 32))  # small: no worker idles long at the end
        for result in pool.imap_unordered(_work, jobs, chunksize=chunk):
            yield result
            if progress:
                progress(1)
