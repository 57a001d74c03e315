"""Find a project's config and sources, load and validate them, and build the raw model."""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import schema
from .diagnostics import CODES, Diagnostic, Failed, Location, did_you_mean, errors
from .load import Source, display_path, load_file
from .model import (
    STANDARD_ROLES,
    Band,
    CitedDocument,
    Component,
    Item,
    Measures,
    Node,
    Notice,
    Overlay,
    Project,
    ResponsibilityList,
    Role,
    RosterUnit,
    Scoring,
    Text,
    Unit,
)

CONFIG_NAME = "qingdan.yaml"
# Source kind -> the schema that describes it.
KINDS = {"list": "list", "measures": "measures", "assessment": "measures", "notice": "notice",
         "roster": "roster"}
def _templates_dir() -> Path:
    """The bundled templates: beside the package in a source checkout (pip install -e .),
    else where a regular installation put them (share/qingdan/templates)."""
    checkout = Path(__file__).resolve().parents[2] / "templates"
    installed = Path(sys.prefix) / "share" / "qingdan" / "templates"
    return checkout if checkout.is_dir() or not installed.is_dir() else installed


TEMPLATES_DIR = _templates_dir()
DEFAULT_TEMPLATES = {"list": "responsibility-list.docx", "measures": "measures.docx",
                     "notice": "notice.docx", "sheet": "scoring-sheet.docx",
                     "sheet-landscape": "scoring-sheet-landscape.docx",
                     "comparison": "comparison.docx"}
DEFAULT_PROJECT = Path("checklists") / "example"

Path_ = tuple[Any, ...]


@dataclass
class Config:
    """What qingdan.yaml says, once validated."""

    unit: Unit | None
    templates: dict[str, Path]
    documents: tuple[CitedDocument, ...] = ()
    settings: dict[str, str] = field(default_factory=dict)


def source_files(path: Path) -> tuple[Path, list[Path]]:
    """The project folder and its source files, for a folder or one file in it.

    Given one file, the whole folder is still loaded, so that references, citations and a
    notice's attachments resolve; only that file's documents are written (Project.selected).
    """
    display = display_path(path)
    if not path.exists():
        raise Failed([Diagnostic("E401", f"找不到“{display}”", Location(display),
                                 hint="给出项目文件夹（含 qingdan.yaml）或其中的一个源文件")])
    folder = path.parent if path.is_file() else path
    found = sorted(p for p in folder.iterdir()
                   if p.suffix in (".yaml", ".yml") and p.name != CONFIG_NAME
                   and not p.name.startswith("."))
    if path.is_file() and path not in found:
        found.append(path)  # a source outside the usual naming, asked for by name
    if not found:
        raise Failed([Diagnostic("E401", f"“{display}”中没有源文件（*.yaml）",
                                 Location(display), hint="新建一个 kind: list 的 YAML 文件")])
    return folder, found


def load_project(path: Path) -> tuple[Project, list[Diagnostic]]:
    """Load every source of a project, with the problems that did not stop the model.

    Raises Failed when a file cannot be read, parsed or validated, since no model can be
    built from it; reports the rest (an unregistered basis key, say) alongside the model.
    """
    root, files = source_files(path)
    problems: list[Diagnostic] = []
    config = _load_config(root, problems)
    registry = {d.key: d for d in config.documents if d.key} if config else {}
    lists: list[ResponsibilityList] = []
    measures: list[Measures] = []
    notices: list[Notice] = []
    roster: list[RosterUnit] = []
    later: list[Diagnostic] = []
    for file in files:
        try:
            source = load_file(file)
        except Failed as failed:
            problems.extend(failed.diagnostics)
            continue
        built = _build_source(source, registry, problems, later)
        if isinstance(built, ResponsibilityList):
            lists.append(built)
        elif isinstance(built, Measures):
            measures.append(built)
        elif isinstance(built, Notice):
            notices.append(built)
        elif isinstance(built, tuple):
            roster.extend(built)
    if config is not None and config.unit is None and not roster and not errors(problems):
        problems.append(Diagnostic(
            "E203", f"{CONFIG_NAME} 缺少必填字段“unit”", Location(display_path(root / CONFIG_NAME)),
            hint="写明本单位的 unit:，或新建 kind: roster 的单位名册"))
    duplicates = _duplicate_units(roster)
    later.extend(duplicates)  # reported with the rest; the first unit of an id is built
    first: dict[str, RosterUnit] = {}
    for unit in roster:
        first.setdefault(unit.id, unit)
    roster = list(first.values())
    if errors(problems) or config is None:
        raise Failed(problems + later)
    selected = path.stem if path.is_file() else None
    project = Project(root=root, unit=config.unit, lists=tuple(lists), selected=selected,
                      measures=tuple(measures), notices=tuple(notices),
                      documents=config.documents,
                      templates=config.templates, settings=config.settings,
                      roster=tuple(roster))
    return project, problems + later


def _load_config(root: Path, problems: list[Diagnostic]) -> Config | None:
    config = root / CONFIG_NAME
    if not config.is_file():
        problems.append(Diagnostic(
            "E401", f"项目文件夹中没有 {CONFIG_NAME}", Location(display_path(config)),
            hint="新建 qingdan.yaml，至少写明 unit: 的 name 和 body"))
        return None
    try:
        source = load_file(config)
    except Failed as failed:
        problems.extend(failed.diagnostics)
        return None
    found = schema.validate(source, "project")
    problems.extend(found)
    if found:
        return None
    data = source.data
    unit = _unit(data["unit"]) if "unit" in data else None
    templates = {}
    for kind, default in DEFAULT_TEMPLATES.items():
        given = data.get("templates", {}).get(kind)
        template = (root / given).resolve() if given else TEMPLATES_DIR / default
        if not template.is_file():
            where = (source.at(("templates", kind)) if given else Location(source.display))
            problems.append(Diagnostic(
                "E402", f"找不到 Word 模板“{display_path(template)}”", where,
                hint=f"templates: 下的 {kind}: 写相对 qingdan.yaml 的路径"))
        templates[kind] = template
    documents = tuple(_document(source, key, value, ("documents", key))
                      for key, value in data.get("documents", {}).items())
    settings = dict(data.get("diagnostics", {}))
    for code, level in settings.items():
        if code not in CODES:
            problems.append(Diagnostic(
                "E204", f"diagnostics：没有代码为 {code} 的诊断", source.at(("diagnostics", code),
                                                                     key=True),
                hint=did_you_mean(code, CODES) or "诊断代码见 README 的“诊断代码”一节"))
        elif code.startswith("E") and level != "error":
            problems.append(Diagnostic(
                "E204", f"diagnostics：错误 {code} 不能设为 {level}",
                source.at(("diagnostics", code)), hint="只有 W 开头的警告可以调整或关闭"))
    return Config(unit=unit, templates=templates, documents=documents, settings=settings)


def _document(source: Source, key: str | None, raw: dict[str, Any], path: Path_) -> CitedDocument:
    return CitedDocument(title=_t(source, raw["title"], path + ("title",)),
                         location=source.at(path, key=key is not None and len(path) == 2),
                         key=key, organ=_text(source, raw, "organ", path),
                         number=_text(source, raw, "number", path),
                         date=_text(source, raw, "date", path))


def _build_source(source: Source, registry: dict[str, CitedDocument],
                  problems: list[Diagnostic],
                  later: list[Diagnostic],
                  ) -> ResponsibilityList | Measures | Notice | tuple[RosterUnit, ...] | None:
    """Dispatch on `kind`, validate against its schema, and build the model."""
    data = source.data
    if not isinstance(data, dict):
        problems.extend(schema.validate(source, "list"))
        return None
    kind = data.get("kind")
    if kind is None:
        problems.append(Diagnostic("E203", "文件顶层 缺少必填字段“kind”", source.at(()),
                                   hint="责任清单写 kind: list，实施办法写 kind: measures，"
                                        "考核办法写 kind: assessment"))
        return None
    if not isinstance(kind, str):
        problems.append(Diagnostic("E202", "kind：应为文字（如 list），不能是列表或映射",
                                   source.at(("kind",)), hint=f"可用的种类：{'、'.join(KINDS)}"))
        return None
    if kind not in KINDS:
        problems.append(Diagnostic(
            "E204", f"kind：不认识的源文件种类“{kind}”", source.at(("kind",)),
            hint=did_you_mean(str(kind), KINDS) or f"可用的种类：{'、'.join(KINDS)}"))
        return None
    found = schema.validate(source, KINDS[kind])
    problems.extend(found)
    if found:
        return None
    if kind == "list":
        return _build_list(source, registry, later)
    if kind == "notice":
        return _build_notice(source)
    if kind == "roster":
        return _build_roster(source)
    return _build_measures(source)


def _t(source: Source, value: str, path: Path_) -> Text:
    """A Text for the value at path, keeping its source characters."""
    span = source.span(path)
    if span is None:
        return Text(value, source.at(path))
    return Text(value, source.at(path), source.text[span.start:span.end], span.start)


def _text(source: Source, data: dict[str, Any], key: str, path: Path_) -> Text | None:
    if key not in data:
        return None
    return _t(source, data[key], path + (key,))


def _title(source: Source, data: dict[str, Any]) -> tuple[Text, ...]:
    title = data.get("title", ())
    if isinstance(title, str):
        return (_t(source, title, ("title",)),)
    return tuple(_t(source, line, ("title", i)) for i, line in enumerate(title))


def _build_list(source: Source, registry: dict[str, CitedDocument],
                problems: list[Diagnostic]) -> ResponsibilityList:
    data = source.data
    basis = []
    for i, entry in enumerate(data.get("basis", [])):
        if isinstance(entry, dict):
            basis.append(_document(source, entry.get("key"), entry, ("basis", i)))
        elif entry in registry:
            basis.append(registry[entry])
        else:
            problems.append(Diagnostic(
                "E312", f"依据中的文件简称“{entry}”未在 qingdan.yaml 的 documents 中登记",
                source.at(("basis", i)),
                hint=did_you_mean(entry, registry) or "在 qingdan.yaml 的 documents: 下登记该文件"))
    roles = tuple(_build_role(source, role_id, raw) for role_id, raw in data["roles"].items())
    return ResponsibilityList(
        name=source.path.stem, title=_title(source, data), roles=roles, location=source.at(()),
        basis=tuple(basis), topic=data.get("topic", ""),
        preamble=_text(source, data, "preamble", ()),
        recipients=_text(source, data, "recipients", ()))


def _build_role(source: Source, role_id: str, raw: dict[str, Any]) -> Role:
    path = ("roles", role_id)
    heading = _text(source, raw, "heading", path)
    if heading is None:  # only standard roles may omit it (the schema says so)
        heading = Text(STANDARD_ROLES[role_id], source.at(path, key=True))
    items = tuple(
        Item(id=item["id"], text=_t(source, item["text"], path + ("items", i, "text")),
             location=source.at(path + ("items", i, "id")), note=item.get("note", ""))
        for i, item in enumerate(raw["items"]))
    return Role(id=role_id, heading=heading, items=items, location=source.at(path, key=True),
                lead=_text(source, raw, "lead", path))


def _build_measures(source: Source) -> Measures:
    data = source.data
    content = tuple(_build_node(source, raw, ("content", i))
                    for i, raw in enumerate(data["content"]))
    scoring = _build_scoring(source, data["scoring"]) if "scoring" in data else None
    return Measures(name=source.path.stem, kind=data["kind"], title=_title(source, data),
                    numbering=data.get("numbering", "articles"), content=content,
                    location=source.at(()), preamble=_text(source, data, "preamble", ()),
                    scoring=scoring)


def _build_node(source: Source, raw: dict[str, Any], path: Path_) -> Node:
    children = tuple(_build_node(source, child, path + ("items", i))
                     for i, child in enumerate(raw.get("items", [])))
    chapter = _text(source, raw, "chapter", path)
    return Node(
        id=raw["id"], location=source.at(path + ("id",)),
        heading=chapter or _text(source, raw, "heading", path),
        text=_text(source, raw, "text", path), children=children, chapter=chapter is not None,
        points=raw.get("points"), criteria=_text(source, raw, "criteria", path),
        assesses=tuple(_t(source, ref, path + ("assesses", i))
                       for i, ref in enumerate(raw.get("assesses", []))))


def _build_scoring(source: Source, raw: dict[str, Any]) -> Scoring:
    path = ("scoring",)
    components = tuple(
        Component(id=c["id"], name=_t(source, c["name"], path + ("components", i, "name")),
                  weight=c["weight"], location=source.at(path + ("components", i, "id")),
                  weight_location=source.at(path + ("components", i, "weight")))
        for i, c in enumerate(raw.get("components", [])))
    bands = tuple(
        Band(name=g["name"], location=source.at(path + ("grades", i, "name")),
             lower=g.get("min", g.get("above")), lower_inclusive="above" not in g,
             upper=g.get("max", g.get("below")), upper_inclusive="below" not in g)
        for i, g in enumerate(raw.get("grades", [])))
    return Scoring(location=source.at(path, key=True), total=raw.get("total"),
                   total_location=source.at(path + ("total",)) if "total" in raw else None,
                   components=components, formula=_text(source, raw, "formula", path),
                   bands=bands)


def _build_notice(source: Source) -> Notice:
    data = source.data

    def text(key: str) -> Text:
        return _t(source, data[key], (key,))

    return Notice(
        name=source.path.stem, mark=text("mark"), recipients=text("recipients"),
        body=text("body"), signature=text("signature"), date=text("date"),
        attachments=tuple(_t(source, a, ("attachments", i))
                          for i, a in enumerate(data["attachments"])),
        location=source.at(()), title=_title(source, data),
        number=_text(source, data, "number", ()), copy_to=_text(source, data, "copy_to", ()),
        printer=_text(source, data, "printer", ()),
        print_date=_text(source, data, "print_date", ()), seal=data.get("seal", False))


def _unit(raw: dict[str, Any]) -> Unit:
    return Unit(name=raw["name"], body=raw["body"], short=raw.get("short", ""),
                superior=raw.get("superior", ""), channels=raw.get("channels", ""),
                vars=dict(raw.get("vars", {})), leaders=dict(raw.get("leaders", {})))


def _build_roster(source: Source) -> tuple[RosterUnit, ...]:
    units = []
    for i, raw in enumerate(source.data["units"]):
        path: Path_ = ("units", i)
        overlays = {
            name: tuple(_overlay(source, op, path + ("overlays", name, j))
                        for j, op in enumerate(ops))
            for name, ops in raw.get("overlays", {}).items()}
        fingerprint = hashlib.sha256(
            json.dumps(raw, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
        units.append(RosterUnit(
            id=raw["id"], unit=_unit(raw), location=source.at(path + ("id",)),
            overlays=overlays, fingerprint=fingerprint,
            list_locations={name: source.at(path + ("overlays", name), key=True)
                            for name in overlays}))
    return tuple(units)


def _overlay(source: Source, raw: dict[str, Any], path: Path_) -> Overlay:
    op = next(key for key in ("replace", "add", "remove", "move") if key in raw)
    return Overlay(op=op, target=_t(source, raw[op], path + (op,)),
                   text=_text(source, raw, "text", path), after=_text(source, raw, "after", path),
                   to=_text(source, raw, "to", path))


def _duplicate_units(roster: list[RosterUnit]) -> list[Diagnostic]:
    seen: dict[str, RosterUnit] = {}
    found = []
    for unit in roster:
        if unit.id in seen:
            found.append(Diagnostic("E301", f"单位编号“{unit.id}”重复", unit.location,
                                    hint=f"另一处在 {seen[unit.id].location}；单位编号必须唯一"))
        else:
            seen[unit.id] = unit
    return found
