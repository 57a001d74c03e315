"""Base list + a unit's overlays -> that unit's list, and where each unit departs from base.

An overlay names items by id: replace an item's text, add an item after another (or at
the end of a role), remove one, move one to another role. An overlay that targets a
missing id or role is an error, and so is one that changes nothing: both usually mean
the base moved on and the overlay was not updated.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..diagnostics import Diagnostic, did_you_mean
from ..model import ROLE_NAMES, Item, Overlay, Project, ResponsibilityList, Role, RosterUnit
from .overlays import apply_measures_overlays

OP_NAMES = {"replace": "替换", "add": "新增", "remove": "删除", "move": "移动"}


@dataclass(frozen=True)
class Deviation:
    """One place where a unit's list departs from the base: a row of the report."""

    unit: str
    document: str
    item: str
    change: str  # 替换 / 新增 / 删除 / 移动
    detail: str


class _Working:
    """A list being changed: roles as mutable lists of items."""

    def __init__(self, base: ResponsibilityList):
        self.base = base
        self.roles: dict[str, list[Item]] = {r.id: list(r.items) for r in base.roles}

    def find(self, ident: str) -> tuple[str, int] | None:
        for role, items in self.roles.items():
            for index, item in enumerate(items):
                if item.id == ident:
                    return role, index
        return None

    def ids(self) -> list[str]:
        return [item.id for items in self.roles.values() for item in items]

    def result(self) -> ResponsibilityList:
        """The changed list; a role left with no items is dropped (and the rest renumber)."""
        roles = tuple(dataclasses.replace(role, items=tuple(self.roles[role.id]))
                      for role in self.base.roles if self.roles[role.id])
        return dataclasses.replace(self.base, roles=roles)


def apply_overlays(base: ResponsibilityList, unit: RosterUnit,
                   ops: tuple[Overlay, ...]) -> tuple[ResponsibilityList, list[Diagnostic],
                                                      list[Deviation]]:
    """The unit's list, the problems of its overlays, and its deviations from base."""
    work = _Working(base)
    problems: list[Diagnostic] = []
    changes: list[Deviation] = []

    def missing(text) -> None:
        if text.value in base.dropped_ids:
            return  # the item failed the schema and is reported there
        problems.append(Diagnostic(
            "E811", f"单位“{unit.unit.name}”的调整：清单“{base.name}”没有条目“{text.value}”",
            text.location, hint=did_you_mean(text.value, work.ids())
            or "条目 id 见基础清单；基础清单改过 id 时，各单位的调整要一并修改"))

    def unknown_role(text) -> None:
        problems.append(Diagnostic(
            "E813", f"单位“{unit.unit.name}”的调整：清单“{base.name}”没有角色“{text.value}”",
            text.location, hint=did_you_mean(text.value, work.roles)
            or f"可用的角色：{'、'.join(work.roles)}"))

    def misplaced(text, actual: str, wanted: str) -> None:
        problems.append(Diagnostic(
            "E811", f"单位“{unit.unit.name}”的调整：条目“{text.value}”在角色“{actual}”中，"
                    f"不在 to 所写的“{wanted}”中", text.location,
            hint="去掉 to（放在 after 所在的角色），或把 after 改为该角色中的条目"))

    def unchanged(op: Overlay, why: str) -> None:
        problems.append(Diagnostic(
            "E812", f"单位“{unit.unit.name}”的调整没有带来任何变化：{why}", op.target.location,
            hint="删除这项调整，或改成真正需要的内容"))

    for op in ops:
        ident = op.target.value
        where = work.find(ident)
        if op.op == "replace":
            if where is None:
                missing(op.target)
                continue
            role, index = where
            old = work.roles[role][index]
            assert op.text is not None
            if old.text.value == op.text.value:
                unchanged(op, f"条目“{ident}”的新文字与基础清单相同")
                continue
            work.roles[role][index] = dataclasses.replace(old, text=op.text)
            changes.append(Deviation(unit.unit.name, base.name, ident, "替换", op.text.value))
        elif op.op == "remove":
            if where is None:
                missing(op.target)
                continue
            role, index = where
            del work.roles[role][index]
            changes.append(Deviation(unit.unit.name, base.name, ident, "删除", ""))
        elif op.op == "add":
            if where is not None:
                problems.append(Diagnostic(
                    "E301", f"单位“{unit.unit.name}”新增的条目编号“{ident}”已存在",
                    op.target.location, hint="新增条目要用清单中没有的 id"))
                continue
            assert op.text is not None
            item = Item(id=ident, text=op.text, location=op.target.location)
            placed = _place(work, op, missing, unknown_role, misplaced)
            if placed is None:
                continue
            role, index = placed
            work.roles[role].insert(index, item)
            changes.append(Deviation(unit.unit.name, base.name, ident, "新增",
                                     f"{_role_name(base, role)}：{op.text.value}"))
        else:  # move
            if where is None:
                missing(op.target)
                continue
            role, index = where
            item = work.roles[role][index]
            if op.to is not None and op.to.value == role and op.after is None:
                unchanged(op, f"条目“{ident}”已在角色“{role}”中")
                continue
            del work.roles[role][index]
            placed = _place(work, op, missing, unknown_role, misplaced)
            if placed is None:
                work.roles[role].insert(index, item)
                continue
            target, position = placed
            work.roles[target].insert(position, item)
            changes.append(Deviation(unit.unit.name, base.name, ident, "移动",
                                     f"{_role_name(base, role)} → {_role_name(base, target)}"))
    return work.result(), problems, changes


def _place(work: _Working, op: Overlay, missing, unknown_role,
           misplaced) -> tuple[str, int] | None:
    """Where an added or moved item goes: after `after`, or at the end of role `to`."""
    if op.to is not None and op.to.value not in work.roles:
        unknown_role(op.to)
        return None
    if op.after is not None:
        found = work.find(op.after.value)
        if found is None:
            missing(op.after)
            return None
        if op.to is not None and found[0] != op.to.value:
            misplaced(op.after, found[0], op.to.value)
            return None
        return found[0], found[1] + 1
    assert op.to is not None  # the schema asks for after or to
    return op.to.value, len(work.roles[op.to.value])


def _role_name(base: ResponsibilityList, role_id: str) -> str:
    if role_id in ROLE_NAMES:
        return ROLE_NAMES[role_id]
    role: Role = next(r for r in base.roles if r.id == role_id)
    return role_id if "{" in role.heading.value else role.heading.value


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
            doc, found, deviations = apply_measures_overlays(doc, unit, ops, Deviation)
            problems += found
            changes += deviations
        measures.append(doc)
    own = issuer_only(project)  # a work notice is the issuing unit's, not each unit's
    return (dataclasses.replace(own, unit=unit.unit, lists=tuple(lists),
                                measures=tuple(measures), roster=()), problems, changes)
