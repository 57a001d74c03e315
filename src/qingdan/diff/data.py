"""The diff as plain data for other tools (`qingdan diff --format json`): every change with
its kinds, 修改类型 and characters, the counts by type, the impact list and last year's
overlays that no longer apply."""

from __future__ import annotations

from typing import Any

from .documents import Change, Entry, ListDiff, ProjectDiff


def _entry(e: Entry | None) -> dict[str, object] | None:
    if e is None:
        return None
    found: dict[str, object] = {"id": e.id, "role": e.role, "role_name": e.role_name,
                                "number": e.number, "label": e.label, "text": e.text}
    if e.points is not None:
        found["points"] = e.points
    if e.assesses:
        found["assesses"] = list(e.assesses)
    return found


def _change(c: Change) -> dict[str, object]:
    return {"kinds": list(c.kinds), "old": _entry(c.old), "new": _entry(c.new),
            "types": [{"type": t.type, "direction": t.direction, "name": t.name,
                       "detail": t.detail} for t in c.types],
            "type_names": list(c.type_names),
            "segments": [[s.kind, s.text] for s in c.segments], "note": c.describe()}


def _one(d: ListDiff) -> dict[str, object]:
    return {"name": d.name, "old_title": d.old_title, "new_title": d.new_title,
            "counts": d.counts(), "type_counts": d.type_counts(),
            "changes": [_change(c) for c in d.changes]}


def _stale(s: Any) -> dict[str, str]:
    return {"unit": s.unit, "document": s.document, "target": s.target, "op": s.op,
            "reason": s.reason}


def to_json(result: ProjectDiff) -> dict[str, object]:
    """The diff as plain data."""
    return {"lists": [_one(d) for d in result.lists], "added_lists": result.added_lists,
            "removed_lists": result.removed_lists,
            "units": [{"unit": u.unit, "status": u.status,
                       "lists": [_one(d) for d in u.lists]} for u in result.units],
            "impacts": [{"document": i.document, "id": i.entry, "where": i.where,
                         "types": list(i.types), "units": i.units, "kept": i.kept,
                         "cited_by": i.cited_by, "overlays": [_stale(s) for s in i.overlays]}
                        for i in result.impacts],
            "stale_overlays": [_stale(s) for s in result.stale_overlays]}
