"""Whom a revision touches: for each changed duty or indicator, the units whose documents
carry the change (after their overlays), the units whose overlays keep their own text,
the indicators, measures and notices that cite it, and last year's overlays that no
longer apply to the new base.

Everything here is read from the models the diff already built: each unit's own diff
(projects.py), each version's entries with their resolved references, and the units'
overlays replayed on the new base by resolve/units.unit_project (its E811/E812/E813 are
exactly "this overlay no longer applies").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Measures, Project, ResponsibilityList, RosterUnit
from ..resolve.overlays import OP_NAMES
from ..resolve.units import unit_project
from .documents import Change, ListDiff
from .entries import Entry, Resolver, entries, measures_entries, uses_of

# An overlay the new base no longer takes, by the code units.unit_project reports it with.
STALE = {"E811": "所指条目已不在新版本中", "E812": "与新版本的文字相同，不再起作用",
         "E813": "所指角色或文件已不在新版本中", "E301": "新增条目的编号在新版本中已有"}


@dataclass(frozen=True)
class StaleOverlay:
    """One of last year's overlays that the new base no longer takes."""

    unit: str
    document: str
    target: str  # the id the overlay names
    op: str  # 替换, 删除, 新增, 移动
    reason: str
    where: str = ""  # how readers knew the target in the old version: 副书记 1.


@dataclass
class Impact:
    """One changed duty or indicator and whom it touches."""

    document: str
    entry: str  # its id (the new one when it changed)
    where: str  # how readers know it: 主体责任 4.
    types: tuple[str, ...]
    units: list[str] = field(default_factory=list)  # whose documents carry the change
    kept: list[str] = field(default_factory=list)  # whose overlays keep their own text
    cited_by: list[str] = field(default_factory=list)
    overlays: list[StaleOverlay] = field(default_factory=list)


@dataclass(frozen=True)
class Version:
    """One version as the impact list reads it: its base project, how it resolves
    references, and each unit's documents (overlays applied) by unit name."""

    project: Project
    resolve: Resolver
    unit_docs: dict[str, dict[str, ResponsibilityList | Measures]]


def _key(change: Change) -> tuple[str, str]:
    entry = change.new or change.old
    assert entry is not None
    return entry.id, entry.where


def _ids(doc: ResponsibilityList | Measures) -> set[str]:
    found = entries(doc) if isinstance(doc, ResponsibilityList) else measures_entries(doc)
    return {e.id for e in found}


def _citations(version: Version, names: dict[str, str]) -> dict[str, list[str]]:
    """Who cites each "doc:id" in a version: indicators by assesses, any text by ref()."""
    cited: dict[str, list[str]] = {}

    def add(key: str, who: str) -> None:
        found = cited.setdefault(key, [])
        if who not in found:
            found.append(who)

    project = version.project
    for doc in project.issuable():
        found: list[Entry] = (entries(doc, version.resolve) if isinstance(doc, ResponsibilityList)
                              else measures_entries(doc, version.resolve))
        for entry in found:
            who = f"《{_title(doc)}》{names.get(f'{doc.name}:{entry.id}', entry.where)}"
            for key in entry.assesses:
                add(key, who + "（考核指标）")
            for key in entry.refs:
                add(key, who)
    for notice in project.notices:
        texts = (notice.body, *(t for s in notice.sections for t in (s.heading, s.text)))
        refs, _ = uses_of(tuple(texts), notice.name, version.resolve)
        for key in refs:
            title = "".join(t.value for t in notice.title)
            add(key, f"《{title}》" if title and "{" not in title else notice.name)
    return cited


def _title(doc: ResponsibilityList | Measures) -> str:
    """The document's title as printed; its source name where the title is not resolved
    (a roster project without a unit of its own)."""
    title = "".join(t.value for t in doc.title)
    return doc.name if "{" in title else title


def stale_overlays(old_roster: tuple[RosterUnit, ...], new_base: Project,
                   names: dict[str, str]) -> list[StaleOverlay]:
    """Last year's overlays replayed on this year's base: those it refuses."""
    found: list[StaleOverlay] = []
    for unit in old_roster:
        _, problems, _ = unit_project(new_base, unit)
        for problem in problems:
            if problem.code not in STALE:
                continue
            for document, ops in unit.overlays.items():
                for op in ops:
                    spots = [t.location for t in (op.target, op.after, op.to) if t is not None]
                    if problem.location in spots:
                        target = op.target.value
                        found.append(StaleOverlay(
                            unit.unit.name, document, target, OP_NAMES[op.op],
                            STALE[problem.code], names.get(f"{document}:{target}", "")))
    return found


def impacts(base: list[ListDiff], unit_diffs: dict[str, list[ListDiff]], own: str | None,
            before: Version, after: Version, stale: list[StaleOverlay],
            names: dict[str, str]) -> list[Impact]:
    """The impact list: one row per substantive change (one with a type, or an entry added
    or removed), the base documents' first, then changes only some units' documents have."""
    rows: dict[tuple[str, str], Impact] = {}
    old_ids = {}

    def row(document: str, change: Change) -> Impact | None:
        if not change.visible or not (change.types or {"added", "removed"} & set(change.kinds)):
            return None
        ident, where = _key(change)
        key = (document, ident)
        if key not in rows:
            rows[key] = Impact(document, ident, names.get(f"{document}:{ident}", where),
                               change.type_names)
            old_ids[key] = change.old.id if change.old else ident
        return rows[key]

    for diff in base:
        for change in diff.changes:
            found = row(diff.name, change)
            if found is not None and own:
                found.units.append(own)
    for unit, diffs in unit_diffs.items():
        for diff in diffs:
            for change in diff.changes:
                found = row(diff.name, change)
                if found is not None and unit not in found.units:
                    found.units.append(unit)
    later, earlier = _citations(after, names), _citations(before, names)
    carried = {(unit, name): _ids(doc) for unit, docs in after.unit_docs.items()
               for name, doc in docs.items()}
    for (document, ident), found in rows.items():
        old_id = old_ids[(document, ident)]
        for unit in after.unit_docs:
            if unit not in found.units and ident in carried.get((unit, document), set()):
                found.kept.append(unit)
        new_key, old_key = f"{document}:{ident}", f"{document}:{old_id}"
        found.cited_by = list(later.get(new_key, [])) or list(earlier.get(old_key, []))
        found.overlays = [s for s in stale if s.document == document and s.target in
                          (ident, old_id)]
    return list(rows.values())

