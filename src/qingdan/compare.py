"""Two versions of a project compared list by list and unit by unit, and each unit's
departures from the base lists."""

from __future__ import annotations

from pathlib import Path

from .compile import resolve_project
from .diagnostics import Diagnostic, Failed, errors
from .diff import ProjectDiff, UnitDiff, diff_list_sets
from .model import Measures, ResponsibilityList, RosterUnit
from .pipeline import Prepared, merge_units, prepare
from .refs import build_index
from .units import Deviation, unit_project


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
