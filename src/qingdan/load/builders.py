"""Loaded and validated source data -> the raw model, one builder per source kind.

A builder reads only what the schema accepted: an element the schema found broken (see
schema.Checked) is left out and its id remembered, so the rest of the file still goes
through every later pass and nothing is reported twice because of one mistake. A
document with parts left out is marked incomplete; passes whose verdict depends on the
whole document (sums of points, coverage) skip it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from ..diagnostics import Diagnostic, did_you_mean
from ..model import (
    STANDARD_ROLES,
    Band,
    CitedDocument,
    Component,
    Item,
    Measures,
    Node,
    Notice,
    Overlay,
    ResponsibilityList,
    Role,
    RosterUnit,
    Scoring,
    Section,
    Stage,
    Text,
    Unit,
    Veto,
)
from .schema import Checked
from .source import Source

Path_ = tuple[Any, ...]
NOTICE_REQUIRED = ("mark", "recipients", "body", "attachments", "signature", "date")
WORK_REQUIRED = ("mark", "title", "recipients", "body", "sections", "signature", "date")


class Reader:
    """One validated source: its data, what the schema dropped, the ids of dropped parts."""

    def __init__(self, source: Source, checked: Checked):
        self.source = source
        self.checked = checked
        self.dropped_ids: set[str] = set()

    def ok(self, path: Path_) -> bool:
        """Whether the part at path is usable; remembers the ids in one that is not (its
        own and those of every part inside it: a reference to any is a consequence)."""
        if not self.checked.dropped(path):
            return True
        self.dropped_ids.update(ids_in(self.value(path)))
        return False

    def value(self, path: Path_) -> Any:
        data = self.source.data
        for part in path:
            try:
                data = data[part]
            except (KeyError, IndexError, TypeError):
                return None
        return data

    @property
    def incomplete(self) -> bool:
        return bool(self.checked.cuts)

    def t(self, value: str, path: Path_) -> Text:
        """A Text for the value at path, keeping its source characters."""
        source = self.source
        span = source.span(path)
        if span is None:
            return Text(value, source.at(path))
        return Text(value, source.at(path), source.text[span.start:span.end], span.start)

    def text(self, data: dict[str, Any], key: str, path: Path_) -> Text | None:
        if key not in data or not self.ok(path + (key,)):
            return None
        return self.t(data[key], path + (key,))

    def title(self, data: dict[str, Any]) -> tuple[Text, ...]:
        title = data.get("title", ())
        if not self.ok(("title",)):
            return ()
        if isinstance(title, str):
            return (self.t(title, ("title",)),)
        return tuple(self.t(line, ("title", i)) for i, line in enumerate(title)
                     if self.ok(("title", i)))


def ids_in(value: Any) -> set[str]:
    """Every `id` written in a piece of data, at any depth."""
    found: set[str] = set()
    stack = [value]
    while stack:
        part = stack.pop()
        if isinstance(part, dict):
            if isinstance(part.get("id"), str):
                found.add(part["id"])
            stack.extend(part.values())
        elif isinstance(part, list):
            stack.extend(part)
    return found


def document(reader: Reader, key: str | None, raw: dict[str, Any], path: Path_) -> CitedDocument:
    """A cited document, from the registry in qingdan.yaml or written inline as a basis."""
    return CitedDocument(title=reader.t(raw["title"], path + ("title",)),
                         location=reader.source.at(path, key=key is not None and len(path) == 2),
                         key=key, organ=reader.text(raw, "organ", path),
                         number=reader.text(raw, "number", path),
                         date=reader.text(raw, "date", path))


def build_list(reader: Reader, registry: dict[str, CitedDocument],
               problems: list[Diagnostic],
               unknown: Callable[[str], bool] = lambda key: False) -> ResponsibilityList | None:
    """unknown(key): whether a key not in the registry may be registered in a part of
    qingdan.yaml that could not be read."""
    data = reader.source.data
    if not reader.ok(("roles",)):
        return None
    basis = []
    basis_entries = data.get("basis")
    for i, entry in enumerate(basis_entries if isinstance(basis_entries, list) else []):
        if not reader.ok(("basis", i)):
            continue
        if isinstance(entry, dict):
            basis.append(document(reader, entry.get("key"), entry, ("basis", i)))
        elif entry in registry:
            basis.append(registry[entry])
        elif not (isinstance(entry, str) and unknown(entry)):
            problems.append(Diagnostic(
                "E312", f"依据中的文件简称“{entry}”未在 qingdan.yaml 的 documents 中登记",
                reader.source.at(("basis", i)),
                hint=did_you_mean(entry, registry) or "在 qingdan.yaml 的 documents: 下登记该文件"))
    roles = tuple(build_role(reader, role_id, raw) for role_id, raw in data["roles"].items()
                  if reader.ok(("roles", role_id)))
    return ResponsibilityList(
        name=reader.source.path.stem, title=reader.title(data), roles=roles,
        location=reader.source.at(()), basis=tuple(basis),
        topic=data.get("topic", "") if reader.ok(("topic",)) else "",
        preamble=reader.text(data, "preamble", ()),
        recipients=reader.text(data, "recipients", ()),
        incomplete=reader.incomplete, dropped_ids=frozenset(reader.dropped_ids))


def build_role(reader: Reader, role_id: str, raw: dict[str, Any]) -> Role:
    path = ("roles", role_id)
    heading = reader.text(raw, "heading", path)
    if heading is None:  # only standard roles may omit it (the schema says so)
        heading = Text(STANDARD_ROLES[role_id], reader.source.at(path, key=True))
    items = tuple(
        Item(id=item["id"], text=reader.t(item["text"], path + ("items", i, "text")),
             location=reader.source.at(path + ("items", i, "id")), note=item.get("note", ""))
        for i, item in enumerate(raw["items"]) if reader.ok(path + ("items", i)))
    return Role(id=role_id, heading=heading, items=items,
                location=reader.source.at(path, key=True), lead=reader.text(raw, "lead", path))


def build_measures(reader: Reader) -> Measures | None:
    data = reader.source.data
    if not reader.ok(("content",)):
        return None
    content = tuple(build_node(reader, raw, ("content", i))
                    for i, raw in enumerate(data["content"]) if reader.ok(("content", i)))
    scoring = (build_scoring(reader, data["scoring"])
               if "scoring" in data and reader.ok(("scoring",)) else None)
    cut = {name for name, path in (("content", ("content",)),
                                   ("components", ("scoring", "components")),
                                   ("grades", ("scoring", "grades")),
                                   ("vetoes", ("scoring", "vetoes")))
           if any(reader.checked.dropped(path + (i,))
                  for i in range(len(_list(reader.value(path)))))}
    headings = ({int(level): form for level, form in data.get("headings", {}).items()}
                if reader.ok(("headings",)) else {})
    continuous = (frozenset(data.get("continuous", [])) if reader.ok(("continuous",))
                  else frozenset[int]())
    return Measures(name=reader.source.path.stem, kind=data["kind"], title=reader.title(data),
                    numbering=data.get("numbering", "articles"), content=content,
                    location=reader.source.at(()), preamble=reader.text(data, "preamble", ()),
                    scoring=scoring, incomplete=reader.incomplete,
                    dropped_ids=frozenset(reader.dropped_ids), headings=headings,
                    continuous=continuous, cut=frozenset(cut))


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def build_node(reader: Reader, raw: dict[str, Any], path: Path_) -> Node:
    listed = raw.get("items", [])
    children = tuple(build_node(reader, child, path + ("items", i))
                     for i, child in enumerate(listed) if reader.ok(path + ("items", i)))
    chapter = reader.text(raw, "chapter", path)
    plain = "paragraph" in raw
    where = path + ("id",) if "id" in raw else path + ("paragraph",)
    return Node(
        id=raw.get("id", ""), location=reader.source.at(where),
        heading=chapter or reader.text(raw, "heading", path),
        text=reader.text(raw, "paragraph" if plain else "text", path), children=children,
        chapter=chapter is not None, points=raw.get("points"),
        criteria=reader.text(raw, "criteria", path),
        assesses=tuple(reader.t(ref, path + ("assesses", i))
                       for i, ref in enumerate(raw.get("assesses", []))
                       if reader.ok(path + ("assesses", i))),
        plain=plain, run_in=raw.get("run_in"), continues=raw.get("continue", False),
        cut=len(children) < len(listed))


def build_scoring(reader: Reader, raw: dict[str, Any]) -> Scoring:
    path = ("scoring",)
    at = reader.source.at
    components = tuple(
        Component(id=c["id"], name=reader.t(c["name"], path + ("components", i, "name")),
                  weight=c["weight"], location=at(path + ("components", i, "id")),
                  weight_location=at(path + ("components", i, "weight")))
        for i, c in enumerate(raw.get("components", []))
        if reader.ok(path + ("components", i)))
    bands = tuple(
        Band(name=g["name"], location=at(path + ("grades", i, "name")),
             lower=g.get("min", g.get("above")), lower_inclusive="above" not in g,
             upper=g.get("max", g.get("below")), upper_inclusive="below" not in g)
        for i, g in enumerate(raw.get("grades", [])) if reader.ok(path + ("grades", i)))
    vetoes = tuple(
        Veto(id=v["id"], condition=reader.t(v["condition"], path + ("vetoes", i, "condition")),
             location=at(path + ("vetoes", i, "id")),
             cap=reader.text(v, "cap", path + ("vetoes", i)), exclude=v.get("exclude", False))
        for i, v in enumerate(raw.get("vetoes", [])) if reader.ok(path + ("vetoes", i)))
    return Scoring(location=at(path, key=True), total=raw.get("total"),
                   total_location=at(path + ("total",)) if "total" in raw else None,
                   components=components, formula=reader.text(raw, "formula", path),
                   bands=bands, vetoes=vetoes)


def build_notice(reader: Reader) -> Notice | None:
    data = reader.source.data
    if not all(reader.ok((key,)) for key in NOTICE_REQUIRED):
        return None

    def text(key: str) -> Text:
        return reader.t(data[key], (key,))

    return Notice(
        name=reader.source.path.stem, mark=text("mark"), recipients=text("recipients"),
        body=text("body"), signature=text("signature"), date=text("date"),
        attachments=tuple(reader.t(a, ("attachments", i))
                          for i, a in enumerate(data["attachments"])
                          if reader.ok(("attachments", i))),
        location=reader.source.at(()), title=reader.title(data),
        number=reader.text(data, "number", ()), copy_to=reader.text(data, "copy_to", ()),
        printer=reader.text(data, "printer", ()),
        print_date=reader.text(data, "print_date", ()),
        seal=data.get("seal", False) if reader.ok(("seal",)) else False,
        draft=reader.text(data, "draft", ()))


def build_work(reader: Reader) -> Notice | None:
    """The yearly work notice (kind: work): a notice issued once, by the project's own unit,
    to the units it assesses, with numbered sections after its body (one may hold a
    schedule); None when a required part failed the schema."""
    data = reader.source.data
    if not all(reader.ok((key,)) for key in WORK_REQUIRED):
        return None

    def text(key: str) -> Text:
        return reader.t(data[key], (key,))

    sections = tuple(_section(reader, raw, ("sections", i))
                     for i, raw in enumerate(data["sections"]) if reader.ok(("sections", i)))
    return Notice(
        name=reader.source.path.stem, kind="work", mark=text("mark"),
        recipients=text("recipients"), body=text("body"), signature=text("signature"),
        date=text("date"), location=reader.source.at(()), title=reader.title(data),
        attachments=tuple(reader.t(a, ("attachments", i))
                          for i, a in enumerate(data.get("attachments", []))
                          if reader.ok(("attachments", i))),
        number=reader.text(data, "number", ()), copy_to=reader.text(data, "copy_to", ()),
        printer=reader.text(data, "printer", ()), print_date=reader.text(data, "print_date", ()),
        seal=data.get("seal", False) if reader.ok(("seal",)) else False,
        draft=reader.text(data, "draft", ()), sections=sections,
        assessed=tuple(reader.t(a, ("assessed", i)) for i, a in enumerate(data.get("assessed", []))
                       if reader.ok(("assessed", i))))


def _section(reader: Reader, raw: dict[str, Any], path: Path_) -> Section:
    stages = tuple(
        Stage(name=reader.t(s["stage"], path + ("schedule", i, "stage")),
              when=reader.t(str(s["date"]), path + ("schedule", i, "date")),
              task=reader.t(s["task"], path + ("schedule", i, "task")),
              to=reader.text(s, "to", path + ("schedule", i)),
              location=reader.source.at(path + ("schedule", i)))
        for i, s in enumerate(raw.get("schedule", [])) if reader.ok(path + ("schedule", i)))
    return Section(location=reader.source.at(path), heading=reader.text(raw, "heading", path),
                   text=reader.text(raw, "text", path), schedule=stages)


def build_unit(raw: dict[str, Any]) -> Unit:
    return Unit(name=raw["name"], body=raw["body"], short=raw.get("short", ""),
                superior=raw.get("superior", ""), channels=raw.get("channels", ""),
                vars=dict(raw.get("vars", {})), leaders=dict(raw.get("leaders", {})))


def build_roster(reader: Reader) -> tuple[RosterUnit, ...]:
    units = []
    if not reader.ok(("units",)):
        return ()
    for i, raw in enumerate(reader.source.data["units"]):
        path: Path_ = ("units", i)
        if not reader.ok(path):
            continue
        overlays = {
            name: tuple(overlay(reader, op, path + ("overlays", name, j))
                        for j, op in enumerate(ops) if reader.ok(path + ("overlays", name, j)))
            for name, ops in raw.get("overlays", {}).items()
            if reader.ok(path + ("overlays", name))}
        fingerprint = hashlib.sha256(
            json.dumps(raw, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
        units.append(RosterUnit(
            id=raw["id"], unit=build_unit(raw), location=reader.source.at(path + ("id",)),
            overlays=overlays, fingerprint=fingerprint,
            list_locations={name: reader.source.at(path + ("overlays", name), key=True)
                            for name in overlays}))
    return tuple(units)


def overlay(reader: Reader, raw: dict[str, Any], path: Path_) -> Overlay:
    op = next(key for key in ("replace", "add", "remove", "move") if key in raw)
    return Overlay(op=op, target=reader.t(raw[op], path + (op,)),
                   text=reader.text(raw, "text", path), after=reader.text(raw, "after", path),
                   to=reader.text(raw, "to", path), paragraph=raw.get("paragraph", False))
