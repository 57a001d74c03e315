"""Coverage: indicators that name responsibility items, and items no indicator assesses."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic
from ..model import Project, RosterUnit
from ..resolve.refs import Index, RefError

if TYPE_CHECKING:
    from ..resolve.overlays import Deviation


def assessed_items(project: Project, index: Index) -> tuple[dict[str, set[str]],
                                                             list[Diagnostic]]:
    """The items each list has assessed (by list name), and references that do not resolve."""
    assessed, found, _ = _assessed(project, index)
    return assessed, found


def _assessed(project: Project, index: Index) -> tuple[dict[str, set[str]], list[Diagnostic],
                                                       dict[int, str]]:
    """assessed_items, and the id each unresolved reference was written as (by its index
    among the problems)."""
    lists = {lst.name for lst in project.lists}
    assessed: dict[str, set[str]] = {}
    found: list[Diagnostic] = []
    missed: dict[int, str] = {}
    for doc in project.measures:
        for node in doc.nodes():
            for ref in node.assesses:
                try:
                    target = index.resolve(ref.value, "", among=lists)
                except RefError as exc:
                    if isinstance(ref.value, str):
                        missed[len(found)] = ref.value.rpartition(":")[2]
                    found.append(Diagnostic(exc.code, exc.message, ref.locate(exc.needle),
                                            hint=exc.hint))
                    continue
                if not target.location.path:
                    continue  # names a part that failed to load: reported there
                if target.doc not in lists:
                    found.append(Diagnostic(
                        "E311", f"“{ref.value}”不是责任清单中的条目", ref.location,
                        hint="assesses 中写责任清单条目的 id，或“清单文件名:id”"))
                    continue
                assessed.setdefault(target.doc, set()).add(target.id)
    return assessed, found, missed


def check_coverage(project: Project, index: Index) -> list[Diagnostic]:
    """Every named item exists; every item of an assessed list is assessed by something.

    An item left unassessed because a reference to it is misspelt (E311 suggests it) is
    that error's consequence: listed in it, not reported again (W801).
    """
    assessed, found, missed = _assessed(project, index)
    for lst in project.lists:
        if lst.name not in assessed:
            continue  # no indicator assesses this list at all: nothing to cover
        for role in lst.roles:
            for item in role.items:
                # An indicator left out (or a file not loaded) that names it may assess it.
                if item.id in assessed[lst.name] or project.unread_mentions(item.id):
                    continue
                meant = [i for i, written in missed.items()
                         if difflib.get_close_matches(written, [item.id], n=1, cutoff=0.6)]
                if meant:
                    for i in meant:
                        found[i] = found[i].affecting([item.location])
                else:
                    found.append(Diagnostic(
                        "W801", f"条目“{item.id}”（{role.id}）没有任何考核指标考核",
                        item.location,
                        hint=f"在考核办法某项指标的 assesses 中加入 {lst.name}:{item.id}"))
    return found


def unassessed_additions(assessed: dict[str, set[str]], unit: RosterUnit,
                         changes: list[Deviation]) -> list[Diagnostic]:
    """W801 for items a unit adds to a list the assessment covers: no indicator can name
    them, since indicators name the base list's items."""
    found = []
    for change in changes:
        if change.change != "新增" or change.document not in assessed:
            continue
        op = next(o for o in unit.overlays[change.document] if o.target.value == change.item)
        found.append(Diagnostic(
            "W801", f"单位“{unit.unit.name}”新增的条目“{change.item}”没有任何考核指标考核",
            op.target.location, hint="考核指标只能考核基础清单中的条目；需要考核时，"
            "把它加入基础清单并写入相应指标的 assesses"))
    return found
