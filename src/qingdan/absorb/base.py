"""Changes to the base list itself (the document qingdan built for the project's own unit
came back): its source edited at the loader's offsets. Each role's items are written in
the order sent, every kept item as the lines it had (its comments with it, its text
replaced where it was reworded), a new item as `- id:` and `text:`; a role whose items all
went is taken out.
"""

from __future__ import annotations

from typing import Any

from ..load.source import Source
from .align import Alignment
from .yamltext import Edit, block, dash_indent, end_of, reindent, scalar


def base_edits(source: Source, alignment: Alignment, new_ids: dict[int, str],
               texts: dict[tuple[str, str], str]) -> tuple[list[Edit], list[str]]:
    """(edits to the list's source, problems that stop them); new_ids: a new item's id by
    the placed object; texts: the source text of each reworded or new item, by (role, id)."""
    roles: dict[str, Any] = source.data.get("roles") or {}
    blocks: dict[str, tuple[str, str]] = {}  # id -> (lines, dash indentation)
    for role, entry in roles.items():
        for k, item in enumerate(entry.get("items") or []):
            path = ("roles", role, "items", k)
            start, end = block(source, path)
            lines = source.text[start:end]
            ident = item.get("id", "")
            if (role, ident) in texts:
                span = source.span((*path, "text"))
                if span is None:
                    return [], [f"条目“{ident}”没有 text"]
                written = source.text[span.start:span.end]
                lines = (source.text[start:span.start] + scalar(texts[(role, ident)], written)
                         + source.text[span.end:end])
            blocks[ident] = (lines, dash_indent(source, path))
    edits: list[Edit] = []
    for role, entry in roles.items():
        items = entry.get("items") or []
        if not items:
            continue
        text = source.text
        if text[source.span(("roles", role, "items")).start] == "[":  # type: ignore[union-attr]
            return [], [f"角色“{role}”的条目写成了方括号中的流式写法，回收只能修改逐行书写的条目"]
        pad = dash_indent(source, ("roles", role, "items", 0))
        first = block(source, ("roles", role, "items", 0))[0]
        last = block(source, ("roles", role, "items", len(items) - 1))[1]
        placed = alignment.roles.get(role, [])
        if not placed:
            edits.append((_role_start(source, role), _role_end(source, role, roles), ""))
            continue
        out = []
        for item in placed:
            ident = item.id or new_ids[id(item)]
            if item.id:
                lines, old_pad = blocks[item.id]
                out.append(reindent(lines, old_pad, pad))
            else:
                out.append(f"{pad}- id: {scalar(ident)}\n"
                           f"{pad}  text: {scalar(texts[(role, ident)])}\n")
        edits.append((first, last, "".join(out)))
    return edits, []


def _role_start(source: Source, role: str) -> int:
    """The start of a role's key line, with the comment lines just above it."""
    key = dict(source.key_spans())[("roles", role)]
    text = source.text
    start = text.rfind("\n", 0, key.start) + 1
    while start > 0:
        above = text.rfind("\n", 0, start - 1) + 1
        if text[above:start].strip().startswith("#"):
            start = above
        else:
            break
    return start


def _role_end(source: Source, role: str, roles: dict[str, Any]) -> int:
    """Where a role's lines end: the next role's start, or the end of its value."""
    names = list(roles)
    n = names.index(role)
    if n + 1 < len(names):
        return _role_start(source, names[n + 1])
    return end_of(source, ("roles", role))

