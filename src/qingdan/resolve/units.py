"""The project as one roster unit sees it: its variables, its overlays on the base lists
and measures (overlays.py), without the notices only the issuing unit sends; and that
project resolved. Every command that needs a unit's documents goes through here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Failed, did_you_mean, errors
from ..model import Project, RosterUnit
from .overlays import Deviation, apply_measures_overlays, apply_overlays
from .refs import Index, build_index
from .resolver import resolve_project


@dataclass
class UnitSources:
    """One unit's project before its texts are resolved: overlays applied and, where they
    changed the documents, every id indexed again; with what its overlays found."""

    project: Project
    index: Index
    found: list[Diagnostic]
    deviations: list[Deviation]


def unit_sources(project: Project, index: Index, unit: RosterUnit | None) -> UnitSources:
    """The project (and its index) as unit sees it; the project's own unit when None."""
    if unit is None:
        return UnitSources(project, index, [], [])
    project, found, deviations = unit_project(project, unit)
    if unit.overlays:
        index, problems = build_index(project)
        found += problems
    return UnitSources(project, index, found, deviations)


def resolve_for_unit(project: Project, index: Index, unit: RosterUnit | None) -> Project:
    """The project with every text final for one unit (the project's own when None);
    raises Failed with the errors of its overlays or of its texts."""
    sources = unit_sources(project, index, unit)
    if errors(sources.found):
        raise Failed(sources.found)
    return resolve_project(sources.project, sources.index)[0]


def issuer_only(project: Project) -> Project:
    """The project without its work notices: what a roster unit issues."""
    kept = tuple(n for n in project.notices if n.kind != "work")
    return project if len(kept) == len(project.notices) else dataclasses.replace(
        project, notices=kept)


def unit_project(project: Project, unit: RosterUnit) -> tuple[Project, list[Diagnostic],
                                                                 list[Deviation]]:
    """The project as one unit sees it: its variables, its lists and measures with its
    overlays."""
    problems: list[Diagnostic] = []
    changes: list[Deviation] = []
    names = {doc.name for doc in project.issuable()}
    for name in unit.overlays:
        if name not in names and name not in project.lost:
            problems.append(Diagnostic(
                "E813", f"单位“{unit.unit.name}”的调整：项目中没有清单或办法“{name}”",
                unit.list_locations[name], hint=did_you_mean(name, names)
                or f"写源文件名（不含 .yaml）：{'、'.join(sorted(names))}"))
    lists = []
    for lst in project.lists:
        ops = unit.overlays.get(lst.name, ())
        if ops:
            lst, found, deviations = apply_overlays(lst, unit, ops)
            problems += found
            changes += deviations
        lists.append(lst)
    measures = []
    for doc in project.measures:
        ops = unit.overlays.get(doc.name, ())
        if ops:
            doc, found, deviations = apply_measures_overlays(doc, unit, ops)
            problems += found
            changes += deviations
        measures.append(doc)
    own = issuer_only(project)  # a work notice is the issuing unit's, not each unit's
    return (dataclasses.replace(own, unit=unit.unit, lists=tuple(lists),
                                measures=tuple(measures), roster=()), problems, changes)
