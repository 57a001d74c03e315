"""Semantic passes over the raw model: problems the schema cannot see."""

from __future__ import annotations

from .diagnostics import Diagnostic
from .model import Project, ResponsibilityList


def check_project(project: Project) -> list[Diagnostic]:
    """Every semantic problem in a project."""
    found: list[Diagnostic] = []
    for doc in project.lists:
        found.extend(duplicate_item_ids(doc))
    return found


def duplicate_item_ids(doc: ResponsibilityList) -> list[Diagnostic]:
    """Item ids must be unique within a list: they are what references and diffs hold on to."""
    seen: dict[str, str] = {}
    found = []
    for role in doc.roles:
        for item in role.items:
            first = seen.get(item.id)
            if first is not None:
                found.append(Diagnostic(
                    "E301", f"条目编号“{item.id}”重复", item.location,
                    hint=f"另一处在 {first}；每条的 id 在清单内必须唯一"))
            else:
                seen[item.id] = str(item.location)
    return found
