"""A unit's overlays on the base documents, and where each unit departs from them.

An overlay names items by id: replace an item's text, add an item after another (or at
the end of a role), remove one, move one to another role. An overlay that targets a
missing id or role is an error, and so is one that changes nothing: both usually mean
the base moved on and the overlay was not updated.

On measures the same four operations work on the node tree: replace changes a node's
text; remove takes a node (and what is under it) out; add puts a new node after a sibling
(after) or at the end of a parent's items (to; to the document's top level with to:
正文); move takes a node to such a place. `paragraph: true` on add makes the new node an
unnumbered paragraph. Numbers and references follow, since labels are computed from the
tree.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..diagnostics import Diagnostic, did_you_mean
from ..model import (
    ROLE_NAMES,
    Item,
    Measures,
    Node,
    Overlay,
    ResponsibilityList,
    Role,
    RosterUnit,
    Text,
)

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


TOP = "正文"  # `to: 正文` places a node at the document's top level
Path_ = tuple[int, ...]


def _find(nodes: tuple[Node, ...], ident: str, prefix: Path_ = ()) -> Path_ | None:
    for i, node in enumerate(nodes):
        if node.id == ident:
            return prefix + (i,)
        found = _find(node.children, ident, prefix + (i,))
        if found is not None:
            return found
    return None


def _get(nodes: tuple[Node, ...], path: Path_) -> Node:
    node = nodes[path[0]]
    for i in path[1:]:
        node = node.children[i]
    return node


def _edit(nodes: tuple[Node, ...], parent: Path_, change) -> tuple[Node, ...]:
    """nodes with the children list at parent (() for the top) replaced by change(list)."""
    if not parent:
        return tuple(change(list(nodes)))
    head, rest = parent[0], parent[1:]
    node = nodes[head]
    updated = dataclasses.replace(node, children=_edit(node.children, rest, change))
    return nodes[:head] + (updated,) + nodes[head + 1:]


def _ids(nodes: tuple[Node, ...]) -> list[str]:
    return [i for n in nodes for i in ([n.id] if n.id else []) + _ids(n.children)]


def apply_measures_overlays(base: Measures, unit: RosterUnit, ops: tuple[Overlay, ...],
                            ) -> tuple[Measures, list[Diagnostic], list[Deviation]]:
    """The unit's measures, the problems of its overlays, and its deviations from base."""
    content = base.content
    problems: list[Diagnostic] = []
    changes: list[Deviation] = []
    who = f"单位“{unit.unit.name}”的调整：“{base.name}”"

    def missing(text: Text) -> None:
        if text.value in base.dropped_ids:
            return
        problems.append(Diagnostic(
            "E811", f"{who}没有编号“{text.value}”", text.location,
            hint=did_you_mean(text.value, _ids(content)) or "编号见该文件；文件改过编号时，"
            "各单位的调整要一并修改"))

    def place(op: Overlay) -> tuple[Path_, int] | None:
        """(parent path, index) where an added or moved node goes."""
        if op.after is not None:
            found = _find(content, op.after.value)
            if found is None:
                missing(op.after)
                return None
            return found[:-1], found[-1] + 1
        assert op.to is not None  # the schema asks for after or to
        if op.to.value == TOP:
            return (), len(content)
        found = _find(content, op.to.value)
        if found is None:
            missing(op.to)
            return None
        return found, len(_get(content, found).children)

    for op in ops:
        ident = op.target.value
        where = _find(content, ident)
        if op.op == "add":
            if where is not None:
                problems.append(Diagnostic("E301", f"{who}新增的编号“{ident}”已存在",
                                           op.target.location,
                                           hint="新增条目要用文件中没有的 id"))
                continue
            spot = place(op)
            if spot is None:
                continue
            assert op.text is not None
            node = Node(id=ident, location=op.target.location, text=op.text,
                        plain=op.paragraph)
            content = _edit(content, spot[0], lambda kids, s=spot, n=node: (
                kids[:s[1]] + [n] + kids[s[1]:]))
            changes.append(Deviation(unit.unit.name, base.name, ident, "新增", op.text.value))
            continue
        if where is None:
            missing(op.target)
            continue
        node = _get(content, where)
        if op.op == "replace":
            assert op.text is not None
            if node.text is not None and node.text.value == op.text.value:
                problems.append(Diagnostic(
                    "E812", f"单位“{unit.unit.name}”的调整没有带来任何变化：“{ident}”的新文字"
                            "与原文相同", op.target.location,
                    hint="删除这项调整，或改成真正需要的内容"))
                continue
            replaced = dataclasses.replace(node, text=op.text)
            content = _edit(content, where[:-1], lambda kids, i=where[-1], r=replaced: (
                kids[:i] + [r] + kids[i + 1:]))
            changes.append(Deviation(unit.unit.name, base.name, ident, "替换", op.text.value))
        elif op.op == "remove":
            content = _edit(content, where[:-1], lambda kids, i=where[-1]: kids[:i] + kids[i + 1:])
            changes.append(Deviation(unit.unit.name, base.name, ident, "删除", ""))
        else:  # move
            before = content
            content = _edit(content, where[:-1], lambda kids, i=where[-1]: kids[:i] + kids[i + 1:])
            spot = place(op)
            if spot is None:
                content = before
                continue
            content = _edit(content, spot[0], lambda kids, s=spot, n=node: (
                kids[:s[1]] + [n] + kids[s[1]:]))
            target = op.after.value if op.after else op.to.value  # type: ignore[union-attr]
            changes.append(Deviation(unit.unit.name, base.name, ident, "移动", f"→ {target}"))
    return dataclasses.replace(base, content=content), problems, changes
