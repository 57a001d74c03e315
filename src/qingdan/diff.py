"""Compare two versions of a document, item by item (diff the model, not files).

A responsibility list is compared item by item within its roles; measures node by node
within their parents (an article, a part, a 款), unnumbered paragraphs included. Entries
are matched by id; one whose id changed is still matched when its text is close enough,
and reported as such. Each matched entry may be reworded (shown character by character:
Chinese has no spaces, so word diffs say nothing), moved to another role or parent, or
renumbered because others were added or removed around it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import ROLE_NAMES, Measures, Node, ResponsibilityList
from .refs import measures_targets
from .scoring.text import number

SIMILAR = 0.6  # how close two texts must be to call an item with a new id the same duty


@dataclass(frozen=True)
class Segment:
    """A run of characters: kept ("equal"), removed ("delete") or added ("insert")."""

    kind: str
    text: str


def char_diff(old: str, new: str) -> list[Segment]:
    """Character-level differences from old to new."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    out: list[Segment] = []
    for op, a, b, c, d in matcher.get_opcodes():
        if op == "equal":
            out.append(Segment("equal", old[a:b]))
            continue
        if a < b:
            out.append(Segment("delete", old[a:b]))
        if c < d:
            out.append(Segment("insert", new[c:d]))
    return out


@dataclass(frozen=True)
class Entry:
    """One item as it stands in one version."""

    id: str
    role: str  # the role (list) or the parent node's id (measures)
    role_name: str
    number: int  # 1-based within its role
    text: str
    note: str = ""
    mark: str = ""  # the printed label, where it is not "N." (第三条, （一）; "" unnumbered)

    @property
    def label(self) -> str:
        return self.mark if self.mark or not self.number else f"{self.number}."

    @property
    def ordinal(self) -> str:
        """The label as a sentence names it: 4, 第三条, （一）."""
        return self.label.rstrip("．.、　") or "（不编号）"


@dataclass(frozen=True)
class Change:
    """What happened to one duty between the versions."""

    kinds: tuple[str, ...]  # added, removed, reworded, moved, renumbered, id-changed
    old: Entry | None
    new: Entry | None

    @property
    def role(self) -> str:
        return (self.new or self.old).role_name  # type: ignore[union-attr]

    @property
    def segments(self) -> list[Segment]:
        return char_diff(self.old.text if self.old else "", self.new.text if self.new else "")

    @property
    def visible(self) -> bool:
        """Whether a reader of the document sees the change: an item whose source id alone
        changed reads exactly as before."""
        return bool(set(self.kinds) - {"id-changed"})

    def describe(self) -> str:
        """A short Chinese account of the change, for the 修订说明 column. It speaks of
        what readers see (roles, text, numbers), never of source ids."""
        if self.new and self.new.note:
            return self.new.note
        parts = []
        if "added" in self.kinds:
            return "新增条目。"
        if "removed" in self.kinds:
            return "删除条目。"
        if "moved" in self.kinds:
            parts.append(f"由“{self.old.role_name}”移至“{self.new.role_name}”")  # type: ignore[union-attr]
        if "reworded" in self.kinds:
            parts.append("修改文字")
        if "renumbered" in self.kinds and not parts:
            parts.append(f"序号由{self.old.ordinal}调整为{self.new.ordinal}")  # type: ignore[union-attr]
        return "，".join(parts) + "。" if parts else ""


KIND_NAMES = {"added": "新增", "removed": "删除", "reworded": "修改", "moved": "移动",
              "renumbered": "序号变化", "id-changed": "编号变更"}


@dataclass
class ListDiff:
    """All changes between two versions of one list, in the new version's order."""

    name: str
    old_title: str
    new_title: str
    changes: list[Change] = field(default_factory=list)
    kind: str = "list"  # "list" or "measures": which template its redline takes

    def counts(self) -> dict[str, dict[str, int]]:
        """Per role (by its name in the new version), how many of each kind of change."""
        table: dict[str, dict[str, int]] = {}
        for change in self.changes:
            row = table.setdefault(change.role, {k: 0 for k in KIND_NAMES})
            for kind in change.kinds:
                row[kind] += 1
        return table

    @property
    def changed(self) -> bool:
        return bool(self.changes) or self.old_title != self.new_title


def entries(doc: ResponsibilityList) -> list[Entry]:
    out = []
    for role in doc.roles:
        name = ROLE_NAMES.get(role.id, role.heading.value)
        for n, item in enumerate(role.items, 1):
            out.append(Entry(item.id, role.id, name, n, item.text.value, item.note))
    return out


def measures_entries(doc: Measures) -> list[Entry]:
    """A measures document node by node: its label, its heading and text as printed, under
    its parent; an unnumbered paragraph without an id is keyed by its place."""
    labels = {t.id: t.label for t in measures_targets(doc)[0]}
    out: list[Entry] = []

    def walk(nodes: tuple[Node, ...], parent: str, parent_name: str) -> None:
        position = 0
        for i, node in enumerate(nodes, 1):
            position += 0 if node.plain else 1
            label = labels.get(node.id, "") if node.id else ""
            ident = node.id or f"{parent}#{i}"
            out.append(Entry(ident, parent, parent_name, 0 if node.plain else position,
                             node_text(node), mark=label))
            heading = node.heading.value if node.heading else ""
            walk(node.children, ident, f"{label}{heading}" or label or parent_name)

    walk(doc.content, "", "正文")
    return out


def node_text(node: Node) -> str:
    """A node's words as a reader sees them after its label: heading, text, points, and
    the 评分标准 the scoring sheet prints for it."""
    parts = [node.heading.value] if node.heading else []
    parts += node.text.paragraphs() if node.text else []
    text = "　".join(parts)
    text = text if node.points is None else f"{text}（{number(node.points)}分）"
    return f"{text}　评分标准：{node.criteria.value}" if node.criteria else text


def diff_lists(old: ResponsibilityList, new: ResponsibilityList) -> ListDiff:
    """Every change from old to new list, matched by id, then by text for the unmatched."""
    return diff_entries(old.name, "".join(t.value for t in old.title),
                        "".join(t.value for t in new.title), entries(old), entries(new))


def diff_measures(old: Measures, new: Measures) -> ListDiff:
    """Every change from old to new measures, node by node."""
    result = diff_entries(old.name, "".join(t.value for t in old.title),
                          "".join(t.value for t in new.title), measures_entries(old),
                          measures_entries(new))
    result.kind = "measures"
    return result


def diff_entries(name: str, old_title: str, new_title: str, before: list[Entry],
                 after: list[Entry]) -> ListDiff:
    """Every change from the entries before to those after."""
    by_id = {e.id: e for e in before}
    matched: dict[str, Entry] = {}  # new id -> old entry
    for entry in after:
        if entry.id in by_id:
            matched[entry.id] = by_id[entry.id]
    gone = [e for e in before if e.id not in {m.id for m in matched.values()}]
    fresh = [e for e in after if e.id not in matched]
    for entry in fresh:  # an id that changed: the closest unmatched old text, if close
        scored = [(difflib.SequenceMatcher(None, g.text, entry.text, autojunk=False).ratio(), g)
                  for g in gone]
        if scored:
            score, best = max(scored, key=lambda pair: pair[0])
            if score >= SIMILAR:
                matched[entry.id] = best
                gone.remove(best)
    result = ListDiff(name, old_title, new_title)
    for entry in after:
        prior = matched.get(entry.id)
        if prior is None:
            result.changes.append(Change(("added",), None, entry))
            continue
        kinds = []
        if prior.id != entry.id:
            kinds.append("id-changed")
        if prior.text != entry.text:
            kinds.append("reworded")
        if prior.role != entry.role:
            kinds.append("moved")
        elif prior.label != entry.label:
            kinds.append("renumbered")
        if kinds:
            result.changes.append(Change(tuple(kinds), prior, entry))
    removed = [Change(("removed",), e, None) for e in gone]
    # A removed item is listed where it stood: after the changes of the items before it.
    order = {e.id: i for i, e in enumerate(before)}
    for change in removed:
        position = order[change.old.id]  # type: ignore[union-attr]
        index = next((i for i, c in enumerate(result.changes)
                      if c.old is not None and order.get(c.old.id, -1) > position),
                     len(result.changes))
        result.changes.insert(index, change)
    return result


@dataclass
class UnitDiff:
    """One unit's lists compared between the versions."""

    unit: str
    status: str  # "changed", "same", "added", "removed"
    lists: list[ListDiff] = field(default_factory=list)


@dataclass
class ProjectDiff:
    """Everything `qingdan diff` reports."""

    lists: list[ListDiff] = field(default_factory=list)
    added_lists: list[str] = field(default_factory=list)
    removed_lists: list[str] = field(default_factory=list)
    units: list[UnitDiff] = field(default_factory=list)
    pairs: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # name -> (old, new)
    unit_pairs: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict)
    templates: dict[str, Path] = field(default_factory=dict)  # the new version's


Document = ResponsibilityList | Measures


def diff_list_sets(old_docs: tuple[Document, ...], new_docs: tuple[Document, ...]) -> ProjectDiff:
    """Documents matched by source name (lists and measures): their diffs, and documents
    only one side has."""
    before = {d.name: d for d in old_docs}
    after = {d.name: d for d in new_docs}
    diffs, pairs = [], {}
    for name, doc in after.items():
        prior = before.get(name)
        if isinstance(prior, ResponsibilityList) and isinstance(doc, ResponsibilityList):
            diffs.append(diff_lists(prior, doc))
        elif isinstance(prior, Measures) and isinstance(doc, Measures):
            diffs.append(diff_measures(prior, doc))
        else:
            continue
        pairs[name] = (prior, doc)
    return ProjectDiff(lists=diffs, added_lists=[n for n in after if n not in before],
                       removed_lists=[n for n in before if n not in after], pairs=pairs)


def to_json(result: ProjectDiff) -> dict[str, object]:
    """The diff as plain data for other tools."""
    def entry(e: Entry | None) -> dict[str, object] | None:
        if e is None:
            return None
        return {"id": e.id, "role": e.role, "role_name": e.role_name, "number": e.number,
                "text": e.text}

    def one(d: ListDiff) -> dict[str, object]:
        return {"name": d.name, "old_title": d.old_title, "new_title": d.new_title,
                "counts": d.counts(),
                "changes": [{"kinds": list(c.kinds), "old": entry(c.old), "new": entry(c.new),
                             "segments": [[s.kind, s.text] for s in c.segments],
                             "note": c.describe()} for c in d.changes]}

    return {"lists": [one(d) for d in result.lists], "added_lists": result.added_lists,
            "removed_lists": result.removed_lists,
            "units": [{"unit": u.unit, "status": u.status,
                       "lists": [one(d) for d in u.lists]} for u in result.units]}
