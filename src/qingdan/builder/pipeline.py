"""The stages of one unit: load -> index -> check -> (per unit: overlay -> resolve -> lint
-> render).

Everything here is pure: sources in, diagnostics and document bytes out. run.py runs
these stages for every unit of a roster and is the only one that writes.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..check import check_project, check_resolved
from ..check.coverage import assessed_items, unassessed_additions
from ..check.docnumber import NumberUse, notice_numbers
from ..check.text import lint_texts
from ..check.wording import check_glossary, check_usage
from ..diagnostics import Diagnostic, Failed, Location, Severity, errors
from ..load.project import load_project
from ..model import Notice, Project, RosterUnit
from ..render.docx import (
    has_indicators,
    render_list,
    render_measures,
    render_sheet,
    sheet_title,
)
from ..render.engine import Rendered
from ..render.notice import Attached, render_notice
from ..render.stamp import STAMP, stamping
from ..resolve.overlays import Deviation
from ..resolve.refs import Index, build_index
from ..resolve.resolver import check_without_unit, resolve_all
from ..resolve.units import unit_sources
from ..write.files import safe_filename


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
    documents: int = 0  # how many it writes (rendered or, for a check, counted)
    rendered: bool = False  # whether its documents were rendered (so its templates tested)
    deviations: list[Deviation] = field(default_factory=list)
    written: list[tuple[str, str]] = field(default_factory=list)  # (final, temporary) names
    targets: list[tuple[str, bool]] = field(default_factory=list)  # (final, changed) names
    files: dict[str, list[int]] = field(default_factory=dict)  # file name -> stamp
    numbers: list[NumberUse] = field(default_factory=list)  # its notices' 发文字号


def prepare(path: Path) -> Prepared:
    """Load the sources, index every id and run the checks that do not depend on a unit."""
    project, found = load_project(path)
    index, problems = build_index(project)
    found += problems + check_project(project, index)
    if project.unit is None and not project.roster:  # no unit to build for: still checked
        found += check_without_unit(project, index)
    return Prepared(project, index, found)


def resolve_unit(prepared: Prepared, unit: RosterUnit | None,
                 result: UnitResult) -> Project | None:
    """One unit's project with every placeholder filled and every check run, its problems
    added to result; None when they include an error (the project's own unit when unit
    is None)."""
    sources = unit_sources(prepared.project, prepared.index, unit)
    result.found, result.deviations = sources.found, sources.deviations
    if unit is not None and unit.overlays:
        result.found += unassessed_additions(prepared.assessed, unit, result.deviations)
        written = [op.text for ops in unit.overlays.values() for op in ops if op.text]
        # W931 and W935 here, with the unit: check_wording sees the shared texts only
        result.found += (lint_texts(written) + check_usage(written)
                         + check_glossary(prepared.project, written))
    if errors(result.found):
        return None
    resolved, problems = resolve_all(sources.project, sources.index)
    result.found += _for_unit(problems + check_resolved(resolved), prepared.project, unit)
    owner = resolved.unit.name if resolved.unit else ""
    result.numbers = notice_numbers(resolved, owner)
    return None if errors(result.found) else resolved


def build_unit(prepared: Prepared, unit: RosterUnit | None, folder: str = "",
               key: str = "", render: bool = True) -> UnitResult:
    """One unit's documents and problems (the project's own unit when unit is None).
    Without render, its documents are counted, not rendered (a check)."""
    result = UnitResult(folder=folder, key=key)
    resolved = resolve_unit(prepared, unit, result)
    if resolved is None or not prepared.renderable:
        return result
    if not render:
        result.documents = sum(1 for d in planned(resolved) if d.written)
        return result
    try:
        with stamping(unit.id if unit is not None else "", ""):  # each file says whose it is
            result.outputs = render_project(resolved)
    except Failed as failed:
        result.found += failed.diagnostics
    result.documents = len(result.outputs)
    result.rendered = True
    return result


def template_problems(prepared: Prepared, unit: RosterUnit | None) -> list[Diagnostic]:
    """What rendering one unit's documents finds that the checks do not: a template's own
    errors. A check renders one unit: every unit fills the same templates with the same
    names, and the units' texts are already checked."""
    resolved = resolve_unit(prepared, unit, UnitResult("", ""))
    if resolved is None:
        return []
    try:
        render_project(resolved)
    except Failed as failed:
        return failed.diagnostics
    return []


def _for_unit(found: list[Diagnostic], project: Project,
              unit: RosterUnit | None) -> list[Diagnostic]:
    """Problems met while rendering shared text for a unit name the unit, when there are
    several units (merge_units then gives a problem they share one line)."""
    if unit is None and (not project.roster or project.unit is None):
        return found
    name = unit.unit.name if unit is not None else project.unit.name  # type: ignore[union-attr]
    return [dataclasses.replace(d, units=(name,)) for d in found]


@dataclass(frozen=True)
class Planned:
    """One document a resolved project gives, before it is rendered."""

    title: str
    source: str  # the source file's name (a scoring sheet's is its assessment's)
    render: Callable[[dict[str, Attached]], Rendered]  # given the documents rendered so far
    written: bool  # False for a document only a selected notice needs (it issues it)
    template: Path | None = None  # a document a notice may issue: its template


def planned(project: Project) -> list[Planned]:
    """Every document of a resolved project, in the order they are rendered: lists and
    measures first; a notice then embeds the documents it issues, and an assessment with
    indicators also gets its scoring sheet."""
    out: list[Planned] = []
    templates = project.templates

    def chosen(source: str) -> bool:
        return project.selected in (None, source)

    for doc in project.lists:
        out.append(Planned("".join(t.value for t in doc.title), doc.name,
                           _alone(partial(render_list, doc, templates["list"])),
                           chosen(doc.name), templates["list"]))
    for measures in project.measures:
        out.append(Planned(
            "".join(t.value for t in measures.title), measures.name,
            _alone(partial(render_measures, measures, templates["measures"])),
            chosen(measures.name), templates["measures"]))
        if has_indicators(measures):
            assert project.unit is not None
            out.append(Planned(
                sheet_title(measures), measures.name,
                _alone(partial(render_sheet, measures, project.unit, templates)),
                chosen(measures.name)))
    for notice in project.notices:
        if chosen(notice.name):
            out.append(Planned("".join(t.value for t in notice.title), notice.name,
                               partial(_issue, notice, templates["notice"],
                                       project.printing.duplex), True))
    return out


def _alone(render: Callable[[], Rendered]) -> Callable[[dict[str, Attached]], Rendered]:
    """A document that embeds no other."""
    return lambda _: render()


def _issue(notice: Notice, template: Path, duplex: bool, done: dict[str, Attached]) -> Rendered:
    """A notice, embedding the documents it issues that rendered."""
    return render_notice(notice, [done[a.value] for a in notice.attachments if a.value in done],
                         template, duplex=duplex)


def render_project(project: Project) -> list[Output]:
    """Render every document of a resolved project; raises Failed with all problems.
    Inside `stamping` (a build), each document carries its unit's id and its source's
    name as properties (render/stamp.py: what qingdan absorb reads back)."""
    problems: list[Diagnostic] = []
    names: set[str] = set()
    outputs: list[Output] = []
    rendered: dict[str, Attached] = {}
    stamp = STAMP.get()
    for doc in planned(project):
        try:
            if stamp is None:
                result = doc.render(rendered)
            else:
                with stamping(stamp.unit, doc.source):
                    result = doc.render(rendered)
        except Failed as failed:
            problems.extend(d for d in failed.diagnostics if d not in problems)
            continue
        if doc.written:
            name = f"{unique_name(safe_filename(doc.title), names)}.docx"
            outputs.append(Output(name, result.data, doc.source))
        if doc.template is not None:
            rendered[doc.source] = Attached(doc.title, result, doc.template)
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
    """One diagnostic for a problem many units share: 「……（单位：甲、乙 等 12 个）」."""
    groups: dict[tuple[str, Location, str], list[Diagnostic]] = {}
    for diag in found:
        groups.setdefault((diag.code, diag.location, diag.message), []).append(diag)
    merged = []
    for group in groups.values():
        if len(group) == 1 or not group[0].units:
            merged.append(group[0])
            continue
        units = tuple(unit for d in group for unit in d.units)
        merged.append(dataclasses.replace(group[0], units=units)
                      .affecting(loc for d in group[1:] for loc in d.also))
    return merged
