"""The documents a comparison gives: for every changed list or measures (each unit's in
its own folder), its 修订对照表 and its redline (修订稿), rendered and written together
or not at all (write/staging.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..write.files import inside, safe_filename
from ..write.staging import write_all
from .documents import ListDiff, ProjectDiff
from .render import Summary, render_comparison, render_redline


def write_revisions(result: ProjectDiff, out_dir: Path, table: bool, redline: bool, author: str,
                    stamp: str) -> list[Path]:
    """Comparison tables and redlines for every changed list (each unit's in its folder),
    all renamed into place together, or none (see staging.py)."""
    if not (table or redline):
        return []
    templates = result.templates
    jobs: list[tuple[str, str | None, list[ListDiff], dict[str, tuple[Any, Any]]]] = [
        ("", None, result.lists, result.pairs)]
    jobs += [(safe_filename(u.unit), u.unit, u.lists, result.unit_pairs.get(u.unit, {}))
             for u in result.units if u.status == "changed"]
    documents: list[tuple[Path, bytes]] = []
    for folder, unit, diffs, pairs in jobs:
        base = out_dir / folder if folder else out_dir
        for each in diffs:
            if not each.changed:
                continue
            old_doc, new_doc = pairs[each.name]
            if table:
                path = inside(base, safe_filename(f"《{each.new_title}》修订对照表") + ".docx")
                documents.append((path, render_comparison(
                    each, templates["comparison"], _summary(result, each, unit)).data))
            if redline:
                path = inside(base, safe_filename(f"{each.new_title}（修订稿）") + ".docx")
                documents.append((path, render_redline(old_doc, new_doc, each, templates[each.kind],
                                                       author, stamp)))
    if documents:
        write_all(out_dir, documents)
    return [path for path, _ in documents]


def _summary(result: ProjectDiff, each: ListDiff, unit: str | None) -> Summary:
    """The summary page of one document's table: the impacts of its changes, naming every
    unit (the base documents' table) or only the unit whose table it is."""
    changed = {entry.id for c in each.changes if (entry := c.new or c.old) is not None}
    found = [i for i in result.impacts if i.document == each.name and i.entry in changed
             and (unit is None or unit in i.units)]
    return Summary(found, None if unit is None else {unit}, result.unit_names)
