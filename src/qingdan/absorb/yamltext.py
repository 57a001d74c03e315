"""Edits to a YAML source at the offsets the loader recorded, as fmt and upgrade make them:
everything not edited (comments, quoting, blank lines, key order) stays byte for byte.

A sequence entry's block is its lines from its dash to its last character, with the
comment lines just above it (they speak of it); entries are deleted, inserted and moved
as such blocks, and a value is replaced by a scalar on one line.
"""

from __future__ import annotations

import yaml

from ..load.source import Source

Edit = tuple[int, int, str]  # replace text[start:end] by the string


def scalar(text: str, like: str = "") -> str:
    """text as a YAML scalar on one line, quoted as like (the value it replaces, as
    written) was: double or single quotes kept; else plain where YAML allows, else
    quoted by PyYAML."""
    style = like[:1] if like[:1] in ("'", '"') else None
    if any(c in text for c in "\n\r\x85\u2028\u2029"):
        style = '"'  # escaped, so the scalar stays on its line
    dumped = yaml.safe_dump(text, allow_unicode=True, width=1_000_000, default_style=style)
    if dumped.endswith("\n...\n"):
        dumped = dumped[: -len("\n...\n")]
    return dumped.rstrip("\n")


def line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def after_line(text: str, index: int) -> int:
    """Just after the line break ending the line that holds index (or the text's end)."""
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def last_char(text: str, start: int, end: int) -> int:
    """The index of the last character of text[start:end] that is neither white space nor
    in a comment line after it (a collection's span runs on to the next token; the comment
    lines before that belong to what follows)."""
    end = min(end, len(text))
    while True:
        while end > start and text[end - 1] in " \t\r\n":
            end -= 1
        line = line_start(text, end - 1) if end > start else start
        if line > start and text[line:end].lstrip().startswith("#"):
            end = line
            continue
        return max(start, end - 1)


def block(source: Source, path: tuple) -> tuple[int, int]:
    """The lines of the sequence entry at path, with the comment lines just above it."""
    span = source.span(path)
    assert span is not None
    text = source.text
    start = line_start(text, span.start)
    while start > 0:
        above = line_start(text, start - 1)
        if text[above:start].strip().startswith("#"):
            start = above
        else:
            break
    end = after_line(text, last_char(text, span.start, span.end))
    return start, end


def dash_indent(source: Source, path: tuple) -> str:
    """The spaces before the dash of the sequence entry at path."""
    span = source.span(path)
    assert span is not None
    text = source.text
    start = line_start(text, span.start)
    line = text[start:span.start]
    dash = line.rfind("-")
    return " " * (dash if dash >= 0 else len(line))


def key_indent(source: Source, path: tuple) -> str:
    """The spaces before the key at path."""
    found = dict(source.key_spans()).get(tuple(path))
    assert found is not None
    return " " * (found.column - 1)


def end_of(source: Source, path: tuple) -> int:
    """Just after the last line of the value at path."""
    span = source.span(path)
    assert span is not None
    return after_line(source.text, last_char(source.text, span.start, span.end))


def apply(text: str, edits: list[Edit]) -> str:
    """text with the edits made (they must not overlap; insertions at one place keep
    their order)."""
    ordered = sorted(enumerate(edits), key=lambda e: (e[1][0], e[1][1], e[0]), reverse=True)
    for _, (start, end, new) in ordered:
        text = text[:start] + new + text[end:]
    return text


def reindent(lines: str, old: str, new: str) -> str:
    """A block's lines moved from one indentation to another."""
    if old == new:
        return lines
    out = []
    for line in lines.splitlines(keepends=True):
        out.append(new + line[len(old):] if line.startswith(old) else line)
    return "".join(out)
