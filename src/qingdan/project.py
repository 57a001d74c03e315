"""Find a project's config and sources, load and validate them, and build the raw model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import schema
from .diagnostics import Diagnostic, Failed, Location, did_you_mean, errors
from .load import Source, display_path, load_file
from .model import STANDARD_ROLES, Citation, Item, Project, ResponsibilityList, Role, Text, Unit

CONFIG_NAME = "qingdan.yaml"
KINDS = ("list",)
# The bundled templates live beside the package in a source checkout (pip install -e .).
TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
DEFAULT_TEMPLATE = TEMPLATES_DIR / "responsibility-list.docx"
DEFAULT_PROJECT = Path("checklists") / "example"


def source_files(path: Path) -> tuple[Path, list[Path]]:
    """The project folder and the source files to compile, for a folder or one file."""
    display = display_path(path)
    if not path.exists():
        raise Failed([Diagnostic("E401", f"找不到“{display}”", Location(display),
                                 hint="给出项目文件夹（含 qingdan.yaml）或其中的一个源文件")])
    if path.is_file():
        return path.parent, [path]
    found = sorted(p for p in path.iterdir()
                   if p.suffix in (".yaml", ".yml") and p.name != CONFIG_NAME
                   and not p.name.startswith("."))
    if not found:
        raise Failed([Diagnostic("E401", f"“{display}”中没有源文件（*.yaml）",
                                 Location(display), hint="新建一个 kind: list 的 YAML 文件")])
    return path, found


def load_project(path: Path) -> Project:
    """Load every source of a project; raises Failed with all problems found."""
    root, files = source_files(path)
    problems: list[Diagnostic] = []
    unit, template = _load_config(root, problems)
    lists: list[ResponsibilityList] = []
    for file in files:
        try:
            source = load_file(file)
        except Failed as failed:
            problems.extend(failed.diagnostics)
            continue
        built = _build_source(source, problems)
        if built is not None:
            lists.append(built)
    if errors(problems) or unit is None or template is None:
        raise Failed(problems)
    return Project(root=root, unit=unit, template=template, lists=tuple(lists))


def _load_config(root: Path, problems: list[Diagnostic]) -> tuple[Unit | None, Path | None]:
    config = root / CONFIG_NAME
    if not config.is_file():
        problems.append(Diagnostic(
            "E401", f"项目文件夹中没有 {CONFIG_NAME}", Location(display_path(config)),
            hint="新建 qingdan.yaml，至少写明 unit: 的 name 和 body"))
        return None, None
    try:
        source = load_file(config)
    except Failed as failed:
        problems.extend(failed.diagnostics)
        return None, None
    found = schema.validate(source, "project")
    problems.extend(found)
    if found:
        return None, None
    data = source.data
    raw = data["unit"]
    unit = Unit(name=raw["name"], body=raw["body"], short=raw.get("short", ""),
                superior=raw.get("superior", ""), channels=raw.get("channels", ""),
                vars=dict(raw.get("vars", {})))
    template = DEFAULT_TEMPLATE
    if "template" in data:
        template = (root / data["template"]).resolve()
    if not template.is_file():
        where = source.at(("template",)) if "template" in data else Location(source.display)
        problems.append(Diagnostic("E402", f"找不到 Word 模板“{display_path(template)}”", where,
                                   hint="template: 写相对 qingdan.yaml 的路径"))
        return unit, None
    return unit, template


def _build_source(source: Source, problems: list[Diagnostic]) -> ResponsibilityList | None:
    """Dispatch on `kind`, validate against its schema, and build the model."""
    data = source.data
    if not isinstance(data, dict):
        problems.extend(schema.validate(source, "list"))
        return None
    kind = data.get("kind")
    if kind is None:
        problems.append(Diagnostic("E203", "文件顶层 缺少必填字段“kind”", source.at(()),
                                   hint="责任清单写 kind: list"))
        return None
    if kind not in KINDS:
        problems.append(Diagnostic(
            "E204", f"kind：不认识的源文件种类“{kind}”", source.at(("kind",)),
            hint=did_you_mean(str(kind), KINDS) or f"可用的种类：{'、'.join(KINDS)}"))
        return None
    found = schema.validate(source, "list")
    problems.extend(found)
    if found:
        return None
    return _build_list(source)


def _t(source: Source, value: str, path: tuple[Any, ...]) -> Text:
    """A Text for the value at path, keeping its source characters."""
    span = source.span(path)
    raw = source.text[span.start:span.end] if span else ""
    return Text(value, source.at(path), raw)


def _text(source: Source, data: dict[str, Any], key: str, path: tuple[Any, ...]) -> Text | None:
    if key not in data:
        return None
    return _t(source, data[key], path + (key,))


def _build_list(source: Source) -> ResponsibilityList:
    data = source.data
    title = data["title"]
    lines = [title] if isinstance(title, str) else title
    title_path: tuple[Any, ...] = ("title",) if isinstance(title, str) else ()
    titles = tuple(
        _t(source, line, title_path or ("title", i)) for i, line in enumerate(lines))
    basis = tuple(
        Citation(title=_t(source, c["title"], ("basis", i, "title")),
                 organ=_text(source, c, "organ", ("basis", i)),
                 number=_text(source, c, "number", ("basis", i)),
                 key=c.get("key"))
        for i, c in enumerate(data.get("basis", [])))
    roles = tuple(_build_role(source, role_id, raw) for role_id, raw in data["roles"].items())
    return ResponsibilityList(
        name=source.path.stem, title=titles, roles=roles, location=source.at(()),
        basis=basis, topic=data.get("topic", ""), preamble=_text(source, data, "preamble", ()),
        recipients=_text(source, data, "recipients", ()))


def _build_role(source: Source, role_id: str, raw: dict[str, Any]) -> Role:
    path = ("roles", role_id)
    heading = _text(source, raw, "heading", path)
    if heading is None:  # only standard roles may omit it (the schema says so)
        heading = Text(STANDARD_ROLES[role_id], source.at(path, key=True))
    items = tuple(
        Item(id=item["id"], text=_t(source, item["text"], path + ("items", i, "text")),
             location=source.at(path + ("items", i, "id")))
        for i, item in enumerate(raw["items"]))
    return Role(id=role_id, heading=heading, items=items, location=source.at(path, key=True),
                lead=_text(source, raw, "lead", path))
