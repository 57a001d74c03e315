"""Two versions of a project compared list by list and unit by unit, and each unit's
departures from the base lists."""

from __future__ import annotations

from pathlib import Path

from ..builder.pipeline import Prepared, merge_units, prepare
from ..diagnostics import Diagnostic, Failed, errors
from ..model import Measures, Project, ResponsibilityList, RosterUnit
from ..resolve.overlays import Deviation
from ..resolve.refs import Index, RefError
from ..resolve.resolver import resolve_project
from ..resolve.units import unit_project, unit_sources
from .documents import ListDiff, ProjectDiff, UnitDiff, diff_list_sets
from .entries import Resolver, reader_names
from .impact import Version, impacts, stale_overlays


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


Docs = tuple[ResponsibilityList | Measures, ...]


def resolver(index: Index, project: Project) -> Resolver:
    """References as "doc:id", resolved as the version itself resolves them (a bare id of
    an indicator's assesses among the lists); one that does not resolve stays as written."""
    lists = {lst.name for lst in project.lists}

    def resolve(key: str, current: str) -> str:
        try:
            target = index.resolve(key, current, among=None if current else lists)
        except RefError:
            return key
        return f"{target.doc}:{target.id}"

    return resolve


def _resolved_lists(prepared: Prepared, unit: RosterUnit | None,
                    ) -> tuple[Docs, Resolver, Project]:
    """A version's lists and measures as readers see them: overlays applied, placeholders
    filled; and how that version resolves references."""
    sources = unit_sources(prepared.project, prepared.index, unit)
    found = prepared.found + sources.found
    if errors(found):
        raise Failed(merge_units(found))
    resolved, _ = resolve_project(sources.project, sources.index)
    return ((*resolved.lists, *resolved.measures), resolver(sources.index, resolved),
            resolved)


def compare(old: Path, new: Path) -> ProjectDiff:
    """The lists of two versions compared item by item, and each unit's when both have a
    roster, with the impact list; raises Failed when either version has errors."""
    before, after = prepare(old), prepare(new)
    empty: Docs = ()
    old_base, old_resolve, old_project = (
        _resolved_lists(before, None) if before.project.unit
        else (empty, resolver(before.index, before.project), before.project))
    new_base, new_resolve, new_project = (
        _resolved_lists(after, None) if after.project.unit
        else (empty, resolver(after.index, after.project), after.project))
    result = diff_list_sets(old_base, new_base, (old_resolve, new_resolve))
    names = reader_names(old_base) | reader_names(new_base)
    old_units = {u.id: u for u in before.project.roster}
    unit_diffs: dict[str, list[ListDiff]] = {}
    unit_docs: dict[str, dict[str, ResponsibilityList | Measures]] = {}
    for unit in after.project.roster:
        prior = old_units.pop(unit.id, None)
        if prior is None:
            result.units.append(UnitDiff(unit.unit.name, "added"))
            continue
        old_docs, first, _ = _resolved_lists(before, prior)
        new_docs, second, _ = _resolved_lists(after, unit)
        each = diff_list_sets(old_docs, new_docs, (first, second))
        names = reader_names(old_docs) | reader_names(new_docs) | names
        changed = [d for d in each.lists if d.changed]
        result.units.append(UnitDiff(unit.unit.name, "changed" if changed else "same", changed))
        result.unit_pairs[unit.unit.name] = each.pairs
        unit_diffs[unit.unit.name] = changed
        unit_docs[unit.unit.name] = {d.name: d for d in new_docs}
    result.units += [UnitDiff(u.unit.name, "removed") for u in old_units.values()]
    result.templates = after.project.templates
    result.stale_overlays = stale_overlays(before.project.roster, after.project, names)
    result.unit_names = ([after.project.unit.name] if after.project.unit and new_base else [])
    result.unit_names += [u.unit.name for u in after.project.roster]
    own = after.project.unit.name if after.project.unit and new_base else None
    result.impacts = impacts(result.lists, unit_diffs, own,
                             Version(old_project, old_resolve, {}),
                             Version(new_project, new_resolve, unit_docs),
                             result.stale_overlays, names)
    return result
