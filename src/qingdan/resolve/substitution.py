"""Text that only fills in names, filled without running a template.

Most placeholders in a list are `{{ unit.name }}` and the like: plain names read from the
context. Running Jinja for them (a new context, the sandbox's calls, the budget) costs
more than the rest of resolving the text. `pieces` reads such a text once into literal
strings and name paths; `fill` joins them with a unit's values exactly as the sandboxed
template would, and says None where it cannot be sure, so that Jinja renders (or
reports) everything else. tests/test_substitution.py holds the two to the same result.
"""

from __future__ import annotations

from typing import Any

from jinja2 import TemplateSyntaxError, nodes

from .sandbox import GuardedEnvironment

Pieces = tuple[str | tuple[str, ...], ...]  # literal text and dotted names


def pieces(env: GuardedEnvironment, source: str) -> Pieces | None:
    """The pieces of a text that only fills in dotted names ("{{ unit.name }}党委"):
    literal strings and name paths, or None for anything else (filters, calls,
    operators, statements, a syntax error), which Jinja itself renders."""
    try:
        tree = env.parse(source)
    except (TemplateSyntaxError, RecursionError):  # 80 "{" in a row exhaust Jinja's parser
        return None
    found: list[str | tuple[str, ...]] = []
    for output in tree.body:
        if type(output) is not nodes.Output:
            return None
        for node in output.nodes:
            if type(node) is nodes.TemplateData:
                found.append(node.data)
                continue
            path = dotted(node)
            if path is None:
                return None
            found.append(tuple(path))
    return tuple(found)


def fill(env: GuardedEnvironment, parts: Pieces, context: dict[str, Any]) -> str | None:
    """What env renders from the pieces with context, without running a template; None
    where that is not certain (a name missing, a value other than text or an integer, a
    result over env's limits): then Jinja renders it, and reports."""
    out: list[str] = []
    for piece in parts:
        if type(piece) is str:
            out.append(piece)
            continue
        value: Any = context
        for depth, name in enumerate(piece):
            # The sandbox's getattr reads a dict's key only where dict has no such
            # attribute (`unit.items` is the method); a top-level name is a key.
            if type(value) is not dict or name not in value or (depth and hasattr(dict, name)):
                return None
            value = value[name]
        if type(value) is int:
            value = str(value)
        elif type(value) is not str or len(value) > env.limits.size:
            return None
        out.append(value)
    text = "".join(out)
    return text if len(text) <= env.limits.output else None


def dotted(node: nodes.Node) -> list[str] | None:
    """["unit", "vars", "x"] for the expression unit.vars.x; None for anything else."""
    parts: list[str] = []
    while isinstance(node, nodes.Getattr) and node.ctx == "load":
        parts.append(node.attr)
        node = node.node
    if isinstance(node, nodes.Name) and node.ctx == "load":
        return [node.name, *reversed(parts)]
    return None


CLOSERS = {"{{": "}}", "{%": "%}", "{#": "#}"}


def template_spans(text: str, openers: tuple[str, ...] = ("{{", "{%", "{#")
                   ) -> list[tuple[int, int]]:
    """Where text holds template marks ({{ … }}, {% … %}, {# … #}, those of openers), as
    the leftmost non-lazy reading of `\\{\\{.*?\\}\\}|…` finds them, in linear time: that
    pattern searched from every opener of a text that never closes it was quadratic."""
    spans: list[tuple[int, int]] = []
    never = set()  # openers whose closer is not in the rest of the text
    i = text.find("{")
    while i != -1:
        mark = text[i:i + 2]
        if mark in openers and mark not in never:
            end = text.find(CLOSERS[mark], i + 2)
            if end != -1:
                spans.append((i, end + 2))
                i = text.find("{", end + 2)
                continue
            never.add(mark)
        i = text.find("{", i + 1)
    return spans


def blank_templates(text: str, fill: str = "\x00",
                    openers: tuple[str, ...] = ("{{", "{%", "{#")) -> str:
    """text with every template mark replaced by fill, character for character (so
    offsets stay true), or removed when fill is empty."""
    pieces, last = [], 0
    for start, end in template_spans(text, openers):
        pieces += [text[last:start], fill * (end - start)]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)
