"""A unit's overlays on measures: the same four operations as on lists, on the node tree.

replace changes a node's text; remove takes a node (and what is under it) out; add puts a
new node after a sibling (after) or at the end of a parent's items (to; to the document's
top level with to: 正文); move takes a node to such a place. `paragraph: true` on add makes
the new node an unnumbered paragraph. Numbers and references follow, since labels are
computed from the tree.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, did_you_mean
from ..model import Measures, Node, Overlay, RosterUnit, Text

if TYPE_CHECKING:
    from .units import Deviation

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
                            deviation: type[Deviation]) -> tuple[Measures, list[Diagnostic],
                                                                 list[Deviation]]:
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
            changes.append(deviation(unit.unit.name, base.name, ident, "新增", op.text.value))
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
            changes.append(deviation(unit.unit.name, base.name, ident, "替换", op.text.value))
        elif op.op == "remove":
            content = _edit(content, where[:-1], lambda kids, i=where[-1]: kids[:i] + kids[i + 1:])
            changes.append(deviation(unit.unit.name, base.name, ident, "删除", ""))
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
            changes.append(deviation(unit.unit.name, base.name, ident, "移动", f"→ {target}"))
    return dataclasses.replace(base, content=content), problems, changes
