"""Data -> YAML as a clerk writes it: block style, keys in the order given, long text on one
line (several paragraphs as a `|` block), quotes only where YAML needs them, and Chinese
comments before the entries they concern."""

from __future__ import annotations

from typing import Any

import yaml

Comments = dict[tuple[Any, ...], list[str]]
SPACED = {"roles", "content", "scoring", "documents"}  # a blank line before


def scalar(value: Any, indent: int) -> str:
    """The text after "key: " (or "- ") for a scalar value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if "\n" in text:
        pad = " " * (indent + 2)
        return "|\n" + "\n".join(pad + line for line in text.split("\n"))
    dumped = yaml.safe_dump(text, allow_unicode=True, width=1_000_000)
    if dumped.endswith("\n...\n"):
        dumped = dumped[: -len("\n...\n")]
    return dumped.rstrip("\n")


def dump(data: dict[str, Any], comments: Comments, header: list[str]) -> str:
    lines = [f"# {line}" for line in header]
    _mapping(data, 0, (), comments, lines, top=True)
    return "\n".join(lines) + "\n"


def _comment(path: tuple[Any, ...], indent: int, comments: Comments, lines: list[str]) -> None:
    for note in comments.get(path, []):
        lines.append(" " * indent + f"# {note}")


def _mapping(data: dict[str, Any], indent: int, path: tuple[Any, ...], comments: Comments,
             lines: list[str], top: bool = False, first: str | None = None) -> None:
    """first: the "- " that opens a list item, put before the mapping's first key."""
    for n, (key, value) in enumerate(data.items()):
        if top and key in SPACED and lines:
            lines.append("")
        lead = " " * indent
        if n == 0 and first is not None:
            lead = first
        else:
            _comment((*path, key), indent, comments, lines)
        head = f"{lead}{key}:"
        _value(value, head, indent, (*path, key), comments, lines)


def _value(value: Any, head: str, indent: int, path: tuple[Any, ...], comments: Comments,
           lines: list[str]) -> None:
    if isinstance(value, dict):
        if not value:
            lines.append(f"{head} {{}}")
            return
        lines.append(head)
        _mapping(value, indent + 2, path, comments, lines)
    elif isinstance(value, list):
        if not value:
            lines.append(f"{head} []")
            return
        lines.append(head)
        for i, element in enumerate(value):
            _comment((*path, i), indent + 2, comments, lines)
            dash = " " * (indent + 2) + "- "
            if isinstance(element, dict):
                _mapping(element, indent + 4, (*path, i), comments, lines, first=dash)
            else:
                lines.append(dash + scalar(element, indent + 4))
    else:
        lines.append(f"{head} {scalar(value, indent)}")
