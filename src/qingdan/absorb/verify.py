"""The check before anything is written: the project loaded again with the changed file,
every unit resolved, no new error (E458), and the unit's list printing what was sent
(else E457, a defect of qingdan's)."""

from __future__ import annotations

from pathlib import Path

from ..builder.pipeline import Prepared, UnitResult, apply_settings, resolve_unit
from ..diagnostics import Diagnostic, Failed, Location, errors
from ..load.project import load_project
from ..model import Project, RosterUnit
from ..render.docx import list_view
from ..resolve.refs import build_index
from .align import Alignment, squeezed
from .result import Absorbed


def unit_project(prepared: Prepared, unit: RosterUnit | None) -> Project:
    """The unit's project resolved (the project's own unit for None); Failed with its
    errors when it has any."""
    result = UnitResult("", "")
    resolved = resolve_unit(prepared, unit, result)
    if resolved is None:
        raise Failed(errors(result.found))
    return resolved


def verify(project_path: Path, unit: RosterUnit | None, name: str, alignment: Alignment,
            before: set[str], result: Absorbed) -> None:
    """Load the project with the changed file and check it gives the sent list: its items,
    role by role, and no error it did not have (before: those it had, formatted)."""
    texts = {result.target: result.new} if result.target is not None else None
    project, found = load_project(project_path, texts)
    index, problems = build_index(project)
    found += problems
    from ..check import check_project

    prepared = Prepared(project, index, found + check_project(project, index))
    bad = [d for d in all_errors(prepared) if d.format() not in before]
    if bad:  # e.g. an item removed that an assessment or another unit's overlay names
        raise Failed([Diagnostic(
            "E458", f"按“{result.display}”修改后，项目会有 {len(bad)} 个错误（见下），未写入",
            Location(result.display), also=tuple(d.location for d in bad),
            hint="多半是删去或移动了别处引用的条目：先修改引用它的地方，再回收"), *bad])
    if unit is not None:
        unit = next(u for u in project.roster if u.id == unit.id)
    resolved = unit_project(prepared, unit)
    doc = next(d for d in resolved.lists if d.name == name)
    got = {role.id: [squeezed(item.text) for item in role.items] for role in list_view(doc).roles}
    wanted = {role: [squeezed(p.text) for p in items]
              for role, items in alignment.roles.items() if items}
    if got != wanted:
        raise defect(result.display, "修改后生成的清单")


def all_errors(prepared: Prepared) -> list[Diagnostic]:
    """The project's errors, every unit's included (an overlay that names a base item)."""
    settings = prepared.project.settings
    found = errors(apply_settings(prepared.found, settings))
    units: list[RosterUnit | None] = [None] if prepared.project.unit else []
    for unit in [*units, *prepared.project.roster]:
        result = UnitResult("", "")
        resolve_unit(prepared, unit, result)
        found += errors(apply_settings(result.found, settings))
    return found


def defect(display: str, what: str, found: list[Diagnostic] | None = None) -> Failed:
    """A change that would not give the sent list: a defect of qingdan's, nothing written."""
    also = tuple(d.location for d in found or [])
    return Failed([Diagnostic("E457", f"回收“{display}”得到的{what}与文件不符，未写入",
                              Location(display), also=also,
                              hint="这是 qingdan 的缺陷，请把这份文件和项目一并报告")])


