"""A unit's changes written into the roster as overlays, at the loader's offsets.

New operations go after the unit's overlays for the list (each applies to the list as the
ones before it left it, as the roster says). Where the unit already has an overlay on an
item, that overlay is changed instead of one more added, when the result is the same: a
reworded item the unit added (its `add` gets the new text), an item replaced before (its
`replace` gets the new text, or goes when the text is back to the base's), an added item
removed again (its `add` goes). `tidy=False` only appends (the plain form, should the tidy
one not give the sent list: run.py tries both).
"""

from __future__ import annotations

from typing import Any

from ..load.source import Source
from .align import squeezed
from .plan import Op
from .yamltext import Edit, block, dash_indent, end_of, key_indent, scalar

MARK = "# qingdan absorb："


def entry(op: Op, text: str, pad: str) -> str:
    """One overlay as the roster writes it, its dash at pad."""
    lines = [f"{pad}- {op.op}: {scalar(op.id)}"]
    if op.op == "move" or op.op == "add" and not op.after:
        lines.append(f"{pad}  to: {scalar(op.to)}")
    if op.after and op.op in ("add", "move"):
        lines.append(f"{pad}  after: {scalar(op.after)}")
    if op.op in ("replace", "add"):
        lines.append(f"{pad}  text: {scalar(text)}")
    return "".join(line + "\n" for line in lines)


def roster_edits(source: Source, index: int, name: str, ops: list[Op], texts: dict[int, str],
                 base_texts: dict[str, str], origin: str, tidy: bool = True) -> list[Edit]:
    """The edits that give unit `index` of the roster file these operations on list
    `name`; texts: each operation's source text (by its place in ops), placeholders kept;
    base_texts: the base list's item texts as written, by id."""
    data: dict[str, Any] = source.data["units"][index]
    overlays = data.get("overlays")
    here = ("units", index, "overlays", name)
    existing: list[dict[str, Any]] = overlays.get(name) or [] if isinstance(overlays, dict) else []
    edits: list[Edit] = []
    appended: list[tuple[Op, str]] = []
    gone: set[int] = set()
    for n, op in enumerate(ops):
        text = texts.get(n, op.text)
        if tidy and op.op == "replace":
            k = _find(existing, "add", op.id, gone)
            if k is None:
                k = _find(existing, "replace", op.id, gone)
                if k is not None and squeezed(text) == squeezed(base_texts.get(op.id, "")):
                    gone.add(k)
                    continue
            if k is not None:
                span = source.span((*here, k, "text"))
                assert span is not None
                edits.append((span.start, span.end,
                              scalar(text, source.text[span.start:span.end])))
                continue
        if tidy and op.op == "remove":
            k = _find(existing, "add", op.id, gone)
            others = [j for j, e in enumerate(existing) if j != k and j not in gone
                      and op.id in (e.get("after"), e.get("to"))]
            if k is not None and not others:
                gone.update(j for j, e in enumerate(existing)
                            if op.id in (e.get("add"), e.get("replace"), e.get("move")))
                continue
            k = _find(existing, "replace", op.id, gone)
            if k is not None:
                gone.add(k)
        appended.append((op, text))
    if existing and len(gone) == len(existing) and not appended:
        # none left: the list's key goes, and `overlays:` when it held nothing else
        only = isinstance(overlays, dict) and list(overlays) == [name]
        path = ("units", index, "overlays") if only else here
        return [(_key_start(source, path), end_of(source, path), "")]
    for k in sorted(gone):
        start, end = block(source, (*here, k))
        edits.append((start, end, ""))
    if appended:
        edits.append(_append(source, index, name, appended, _origin(origin)))
    return edits


def _key_start(source: Source, path: tuple) -> int:
    """The start of the line of the key at path."""
    key = dict(source.key_spans())[tuple(path)]
    return source.text.rfind("\n", 0, key.start) + 1


def _find(existing: list[dict[str, Any]], op: str, ident: str, gone: set[int]) -> int | None:
    return next((k for k, e in enumerate(existing) if e.get(op) == ident and k not in gone),
                None)


def _append(source: Source, index: int, name: str, ops: list[tuple[Op, str]],
            origin: str) -> Edit:
    """The new overlays after the unit's others on the list, creating the list's key and
    the unit's `overlays:` where they are missing."""
    data = source.data["units"][index]
    overlays = data.get("overlays")
    unit = ("units", index)
    if isinstance(overlays, dict) and isinstance(overlays.get(name), list) and overlays[name]:
        path = (*unit, "overlays", name)
        last = (*path, len(overlays[name]) - 1)
        pad = dash_indent(source, last)
        body = f"{pad}{MARK}{origin}\n" + "".join(entry(op, text, pad) for op, text in ops)
        return (end_of(source, last), end_of(source, last), body)
    if isinstance(overlays, dict) and overlays:
        keys = [k for k in overlays]
        pad = key_indent(source, (*unit, "overlays", keys[0]))
        at = end_of(source, (*unit, "overlays"))
        if name in overlays:  # an empty value: the key replaced, with its entries
            at = end_of(source, (*unit, "overlays", name))
            return (_key_start(source, (*unit, "overlays", name)), at,
                    _listed(pad, name, ops, origin))
        return (at, at, _listed(pad, name, ops, origin))
    keys = list(data)
    pad = key_indent(source, (*unit, keys[0]))
    at = end_of(source, unit)
    if "overlays" in data:  # overlays: with nothing under it
        return (_key_start(source, (*unit, "overlays")), end_of(source, (*unit, "overlays")),
                f"{pad}overlays:\n" + _listed(pad + "  ", name, ops, origin))
    return (at, at, f"{pad}overlays:\n" + _listed(pad + "  ", name, ops, origin))


def _origin(name: str) -> str:
    """The file's name for the comment line: one line whatever the name holds."""
    return "".join(" " if ord(c) < 32 or c in "\x7f\u2028\u2029\x85" else c for c in name)


def _listed(pad: str, name: str, ops: list[tuple[Op, str]], origin: str) -> str:
    inner = pad + "  "
    return (f"{pad}{scalar(name)}:\n{inner}{MARK}{origin}\n"
            + "".join(entry(op, text, inner) for op, text in ops))
