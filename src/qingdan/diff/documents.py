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

from ..model import Measures, ResponsibilityList
from ..words.numbering import number
from .changetypes import NAMES, Tag, compare_texts, masked, one_side, ordered
from .entries import (
    Entry,
    Resolver,
    changed_values,
    entries,
    measures_entries,
    reader_names,
)

__all__ = ["Entry", "Change", "ListDiff", "ProjectDiff", "UnitDiff", "diff_lists",
           "diff_measures", "diff_list_sets", "char_diff", "KIND_NAMES"]

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
class Change:
    """What happened to one duty between the versions."""

    kinds: tuple[str, ...]  # added, removed, reworded, moved, renumbered, id-changed,
    # retargeted (what an indicator assesses changed, its text did not)
    old: Entry | None
    new: Entry | None
    types: tuple[Tag, ...] = ()  # what the change means, in the order of changetypes.TYPES

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
        details = [t.detail for t in self.types
                   if t.detail and not (t.type == "scope" and "moved" in self.kinds)]
        if "reworded" in self.kinds and not details:
            parts.append("修改文字")
        parts += details
        if "renumbered" in self.kinds and not parts:
            parts.append(f"序号由{self.old.ordinal}调整为{self.new.ordinal}")  # type: ignore[union-attr]
        return "，".join(parts) + "。" if parts else ""

    @property
    def type_names(self) -> tuple[str, ...]:
        """The 修改类型 as the table prints it: the types' names, or for a change that is
        only structural (renumbered, added without anything more), the kind's name."""
        if self.types:
            return tuple(t.name for t in self.types)
        return tuple(KIND_NAMES[k] for k in self.kinds if k != "id-changed")


KIND_NAMES = {"added": "新增", "removed": "删除", "reworded": "修改", "moved": "移动",
              "renumbered": "序号变化", "id-changed": "编号变更", "retargeted": "改指"}


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

    def type_counts(self) -> dict[str, int]:
        """How many changes carry each 修改类型, in the order of the types (then the kinds
        of changes that are only structural)."""
        table: dict[str, int] = {}
        for change in self.changes:
            if change.visible:
                for name in change.type_names:
                    table[name] = table.get(name, 0) + 1
        rank = {name: n for n, name in enumerate([*NAMES.values(), *KIND_NAMES.values()])}
        return dict(sorted(table.items(), key=lambda pair: rank.get(pair[0], len(rank))))

    @property
    def changed(self) -> bool:
        return bool(self.changes) or self.old_title != self.new_title


@dataclass(frozen=True)
class Setting:
    """What the classifier knows of the two documents beyond one entry."""

    kind: str = "list"
    old_roles: frozenset[str] = frozenset()
    new_roles: frozenset[str] = frozenset()
    changed: frozenset[str] = frozenset()  # scoring values whose printed value changed
    names: dict[str, str] = field(default_factory=dict)  # "doc:id" -> how a reader knows it


BANDS = frozenset({"grades", "vetoes"})


def _model_tags(old: Entry, new: Entry, kinds: list[str], setting: Setting) -> list[Tag]:
    """The types the model tells, for an entry both versions have."""
    tags = []
    if "moved" in kinds and setting.kind == "list":
        tags.append(Tag("scope", "changed", f"由“{old.role_name}”改为“{new.role_name}”负责"))
    if old.points != new.points:
        was = f"{number(old.points)}分" if old.points is not None else "无分值"
        now = f"{number(new.points)}分" if new.points is not None else "无分值"
        tags.append(Tag("points", "changed", f"分值由{was}改为{now}"))
    used = (old.uses | new.uses) & setting.changed
    if used - BANDS:
        tags.append(Tag("points", "changed", _scoring_detail(old, new, used - BANDS)))
    if used & BANDS:
        tags.append(Tag("bands", "changed", _scoring_detail(old, new, used & BANDS)))
    if old.assesses != new.assesses:
        tags.append(Tag("reference", "changed", _targets("考核的条目", old.assesses,
                                                         new.assesses, setting.names)))
    if old.refs != new.refs:
        tags.append(Tag("reference", "changed", _targets("引用", old.refs, new.refs,
                                                         setting.names)))
    return tags


def _scoring_detail(old: Entry, new: Entry, names: set[str] | frozenset[str]) -> str:
    if old.id.startswith("scoring:"):
        what = old.where.partition("：")[2]
        if names & BANDS or not (old.values and new.values):
            return f"{what}调整"
        return f"{what}由{old.values[0]}改为{new.values[0]}"
    words = {"grades": "等次区间", "vetoes": "一票否决", "formula": "计算公式", "total": "总分"}
    shown = sorted(words.get(n, "权重" if n.startswith("weight:") else "分值") for n in names)
    return f"所写的{'、'.join(dict.fromkeys(shown))}随评分规则改变"


def _targets(what: str, old: tuple[str, ...], new: tuple[str, ...],
             names: dict[str, str]) -> str:
    def short(key: str) -> str:
        if key.startswith("cite:"):
            return "所引文件"
        return f"“{names.get(key, key.rpartition(':')[2])}”"

    parts = [f"增加{'、'.join(short(k) for k in new if k not in old)}"
             if set(new) - set(old) else "",
             f"去掉{'、'.join(short(k) for k in old if k not in new)}"
             if set(old) - set(new) else ""]
    return what + "：" + "，".join(p for p in parts if p)


def _whole(entry: Entry, added: bool, setting: Setting) -> list[Tag]:
    """The types of an entry only one version has."""
    tags = []
    roles = setting.old_roles if added else setting.new_roles
    if setting.kind == "list" and entry.role not in roles:
        tags.append(Tag("scope", "wider" if added else "narrower",
                        f"{'新增' if added else '删去'}“{entry.role_name}”一节"))
    tags += one_side(masked(entry.text, entry.values), added)
    if entry.points is not None or entry.uses - BANDS and entry.id.startswith("scoring:"):
        tags.append(Tag("points", "changed", f"{'新增' if added else '删去'}分值项"))
    if entry.uses & BANDS and entry.id.startswith("scoring:"):
        tags.append(Tag("bands", "changed"))
    return tags


def classify(kinds: list[str], old: Entry | None, new: Entry | None,
             setting: Setting) -> tuple[Tag, ...]:
    """What a change means (changetypes.py): the model's facts first, then the text rules
    on the texts with the model's printed values masked."""
    if old is None or new is None:
        return ordered(_whole(new or old, old is None, setting))  # type: ignore[arg-type]
    tags = _model_tags(old, new, kinds, setting)
    before, after = masked(old.text, old.values), masked(new.text, new.values)
    tags += compare_texts(before, after)
    if before != after:
        tags.append(Tag("wording"))
    return ordered(tags)


def diff_lists(old: ResponsibilityList, new: ResponsibilityList,
               resolvers: tuple[Resolver, Resolver] | None = None,
               names: dict[str, str] | None = None) -> ListDiff:
    """Every change from old to new list, matched by id, then by text for the unmatched.
    resolvers: each version's reference resolution, so references compare by target;
    names: how readers know the targets (entries.reader_names)."""
    first, second = resolvers or (None, None)
    setting = Setting("list", frozenset(r.id for r in old.roles),
                      frozenset(r.id for r in new.roles), names=names or {})
    return diff_entries(old.name, "".join(t.value for t in old.title),
                        "".join(t.value for t in new.title), entries(old, first),
                        entries(new, second), setting)


def diff_measures(old: Measures, new: Measures,
                  resolvers: tuple[Resolver, Resolver] | None = None,
                  names: dict[str, str] | None = None) -> ListDiff:
    """Every change from old to new measures, node by node, then their scoring blocks."""
    first, second = resolvers or (None, None)
    result = diff_entries(old.name, "".join(t.value for t in old.title),
                          "".join(t.value for t in new.title), measures_entries(old, first),
                          measures_entries(new, second),
                          Setting("measures", changed=changed_values(old, new),
                                  names=names or {}))
    result.kind = "measures"
    return result


def diff_entries(name: str, old_title: str, new_title: str, before: list[Entry],
                 after: list[Entry], setting: Setting | None = None) -> ListDiff:
    """Every change from the entries before to those after."""
    setting = setting or Setting()
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
            result.changes.append(Change(("added",), None, entry,
                                         classify(["added"], None, entry, setting)))
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
        if prior.text == entry.text and prior.assesses != entry.assesses:
            kinds.append("retargeted")
        if kinds:
            result.changes.append(Change(tuple(kinds), prior, entry,
                                         classify(kinds, prior, entry, setting)))
    removed = [Change(("removed",), e, None, classify(["removed"], e, None, setting))
               for e in gone]
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
    impacts: list[Any] = field(default_factory=list)  # impact.Impact, one per changed entry
    stale_overlays: list[Any] = field(default_factory=list)  # impact.StaleOverlay
    unit_names: list[str] = field(default_factory=list)  # every unit the new version builds for


Document = ResponsibilityList | Measures


def diff_list_sets(old_docs: tuple[Document, ...], new_docs: tuple[Document, ...],
                   resolvers: tuple[Resolver, Resolver] | None = None) -> ProjectDiff:
    """Documents matched by source name (lists and measures): their diffs, and documents
    only one side has."""
    before = {d.name: d for d in old_docs}
    after = {d.name: d for d in new_docs}
    names = reader_names(old_docs) | reader_names(new_docs)
    diffs, pairs = [], {}
    for name, doc in after.items():
        prior = before.get(name)
        if isinstance(prior, ResponsibilityList) and isinstance(doc, ResponsibilityList):
            diffs.append(diff_lists(prior, doc, resolvers, names))
        elif isinstance(prior, Measures) and isinstance(doc, Measures):
            diffs.append(diff_measures(prior, doc, resolvers, names))
        else:
            continue
        pairs[name] = (prior, doc)
    return ProjectDiff(lists=diffs, added_lists=[n for n in after if n not in before],
                       removed_lists=[n for n in before if n not in after], pairs=pairs)
