"""An alignment -> the changes that make the built list into the sent one: the four overlay
operations (replace, add after / to, remove, move), in an order that applies one after the
other as units.py applies a unit's overlays.

An overlay places an item after another item or at the end of a role, never first; an item
that the sent list puts first in its role, where something else was, is therefore placed
after the role's first item, and that one moved after it. Moves are kept few: the items
whose order the unit kept (the longest run in the same order) stay.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from ..words.ids import Ids
from .align import Alignment, Placed


@dataclass(frozen=True)
class Op:
    """One change, as an overlay says it."""

    op: str  # replace, add, remove, move
    id: str
    text: str = ""  # the new text (replace, add)
    after: str = ""
    to: str = ""
    old: str = ""  # the text as built (replace, remove)
    where: str = ""  # the paragraph of the sent file
    tracked: bool = False


def name_new(alignment: Alignment, taken: set[str]) -> dict[int, str]:
    """An id for each new item (by the placed object), from its words, none of taken."""
    ids = Ids(taken)
    return {id(p): ids.make(p.text) for items in alignment.roles.values() for p in items
            if not p.id}


def plan(alignment: Alignment, roles: dict[str, list[str]], named: dict[int, str]) -> list[Op]:
    """The operations, given the built list's roles (role id -> item ids in order) and the
    new items' ids (name_new)."""
    ops: list[Op] = []
    current = {role: list(items) for role, items in roles.items()}
    for ident, old, _ in alignment.removed:
        ops.append(Op("remove", ident, old=old))
        for items in current.values():
            if ident in items:
                items.remove(ident)
    for placed in (p for items in alignment.roles.values() for p in items):
        if placed.changed:
            ops.append(Op("replace", placed.id, placed.text, old=placed.old, where=placed.where,
                          tracked=placed.tracked))
    for role in roles:
        sent = alignment.roles.get(role)
        if sent:
            ops += _order(role, sent, current, named)
    return ops


def _order(role: str, sent: list[Placed], current: dict[str, list[str]],
           named: dict[int, str]) -> list[Op]:
    """The adds and moves that put role's items in the order sent."""
    ops: list[Op] = []
    seq = [p.id or named[id(p)] for p in sent]
    here = current.setdefault(role, [])
    if not here:
        ops.append(_into(sent[0], seq[0], role, "", current))
    elif here[0] != seq[0]:
        # No overlay puts an item first: put it after the first, then that one after it.
        was = here[0]
        ops.append(_into(sent[0], seq[0], role, was, current))
        again = next((p for p in sent if p.id == was), Placed(was, "", "", False))
        ops.append(_into(again, was, role, seq[0], current))
    position = {ident: n for n, ident in enumerate(here)}
    kept = {seq[0], *_increasing([(position[i], i) for i in seq[1:] if i in position])}
    for placed, ident, before in zip(sent[1:], seq[1:], seq, strict=False):
        if ident not in kept:
            ops.append(_into(placed, ident, "", before, current))
    return ops


def _into(placed: Placed, ident: str, role: str, after: str,
          current: dict[str, list[str]]) -> Op:
    """Add (a new item) or move (an old one) after another item, or to a role's end; the
    working order follows."""
    for items in current.values():
        if ident in items:
            items.remove(ident)
    if after:
        role, items = next((r, v) for r, v in current.items() if after in v)
        items.insert(items.index(after) + 1, ident)
    else:
        current[role].append(ident)
    if placed.id:  # a move names its role always (the roster's schema asks for it)
        return Op("move", ident, after=after, to=role, where=placed.where, tracked=placed.tracked)
    return Op("add", ident, placed.text, after=after, to=role, where=placed.where,
              tracked=placed.tracked)


def _increasing(pairs: list[tuple[int, str]]) -> list[str]:
    """The longest run of pairs whose positions increase (patience sorting): the items
    that can stay where they are."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous: list[int] = [-1] * len(pairs)
    for n, (position, _) in enumerate(pairs):
        k = bisect_left(tails, position)
        if k == len(tails):
            tails.append(position)
            tail_index.append(n)
        else:
            tails[k] = position
            tail_index[k] = n
        previous[n] = tail_index[k - 1] if k else -1
    out = []
    n = tail_index[-1] if tail_index else -1
    while n >= 0:
        out.append(pairs[n][1])
        n = previous[n]
    return out[::-1]


def simulate(roles: dict[str, list[str]], ops: list[Op]) -> dict[str, list[str]]:
    """The roles' item ids after the operations, as units.py applies them (for checking a
    plan before anything is written)."""
    current = {role: list(items) for role, items in roles.items()}

    def where(ident: str) -> list[str] | None:
        return next((v for v in current.values() if ident in v), None)

    for op in ops:
        if op.op == "remove":
            found = where(op.id)
            if found is not None:
                found.remove(op.id)
        elif op.op in ("add", "move"):
            found = where(op.id)
            if found is not None:
                found.remove(op.id)
            if op.after:
                target = where(op.after)
                assert target is not None
                target.insert(target.index(op.after) + 1, op.id)
            else:
                current[op.to].append(op.id)
    return {role: items for role, items in current.items() if items}
