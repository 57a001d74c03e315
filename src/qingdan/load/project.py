"""Find a project's config and sources, load and validate them, and build the raw model."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import CODES, Diagnostic, Failed, Location, did_you_mean
from ..model import (
    CitedDocument,
    Measures,
    Notice,
    Printing,
    Project,
    Repeal,
    ResponsibilityList,
    RosterUnit,
    Unit,
    Wording,
)
from ..paths import CONFIG_NAME, display_path
from . import schema
from .builders import (
    Reader,
    build_list,
    build_measures,
    build_notice,
    build_roster,
    build_unit,
    build_work,
    document,
)
from .formats import OLDEST_FORMAT, format_written, project_format
from .glossary import build_repealed, build_wording
from .salvage import Unread, cut_texts, salvage
from .source import Source, load_file, load_text

# Source kind -> the schema that describes it.
KINDS = {"list": "list", "measures": "measures", "assessment": "measures", "notice": "notice",
         "roster": "roster", "results": "results", "work": "work"}
def _templates_dir() -> Path:
    """The bundled templates: beside the package in a source checkout (pip install -e .),
    else where a regular installation put them (share/qingdan/templates)."""
    checkout = Path(__file__).resolve().parents[3] / "templates"
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
    """What qingdan.yaml says, as far as it is usable."""

    unit: Unit | None
    templates: dict[str, Path]
    documents: tuple[CitedDocument, ...] = ()
    settings: dict[str, str] = field(default_factory=dict)
    present: bool = True  # the file exists
    unit_broken: bool = False  # a unit is written but unusable (already reported)
    year: int | None = None  # the edition's year, when qingdan.yaml says it
    format: int | None = OLDEST_FORMAT  # the format it was written for (None: unknown)
    unread: str = ""  # what of the file is not in the config (it failed to parse, or parts
    # failed the schema): a document key registered there is unknown, not missing
    printing: Printing = field(default_factory=Printing)
    wording: Wording = field(default_factory=Wording)
    repealed: tuple[Repeal, ...] = ()


def edition_year(given: int | None, notices: Iterable[Notice]) -> int | None:
    """qingdan.yaml's year, else the year of the earliest notice date that has one."""
    if given is not None:
        return given
    years = [int(n.date.value[:4]) for n in notices if n.date.value[:4].isdigit()]
    return min(years) if years else None


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


def load_project(path: Path, texts: dict[Path, str] | None = None,
                 ) -> tuple[Project, list[Diagnostic]]:
    """Load every source of a project, with every problem found on the way.

    A file that cannot be read or parsed, or a part of one that fails its schema, is left
    out; everything else is built into the model, so later passes still check it. Raises
    Failed only when there is no project to look at (no such path, no source files).
    texts: file contents to use instead of what is on disk (fmt's corrected text).
    """
    root, files = source_files(path)
    problems: list[Diagnostic] = []
    texts = texts or {}

    def load(file: Path) -> Source:
        if file in texts:
            return load_text(texts[file], file, display_path(file))
        return load_file(file)

    config = _load_config(root, problems, load)
    registry = {d.key: d for d in config.documents if d.key}
    lists: list[ResponsibilityList] = []
    measures: list[Measures] = []
    notices: list[Notice] = []
    roster: list[RosterUnit] = []
    lost: set[str] = set()
    unread = Unread([config.unread] if config.unread else [])
    for file in files:
        try:
            source = load(file)
        except Failed as failed:
            problems.extend(failed.diagnostics)
            lost.add(file.stem)
            unread.lost_file(texts.get(file) if file in texts else salvage(file))
            continue
        built = _build_source(source, registry, problems, unread,
                              lambda key: key in config.unread)
        if built is None:
            lost.add(file.stem)
            unread.lost_data(source)
        if isinstance(built, ResponsibilityList):
            lists.append(built)
        elif isinstance(built, Measures):
            measures.append(built)
        elif isinstance(built, Notice):
            notices.append(built)
        elif isinstance(built, tuple):
            roster.extend(built)
    if config.present and config.unit is None and not config.unit_broken and not roster:
        problems.append(Diagnostic(
            "E203", f"{CONFIG_NAME} 缺少必填字段“unit”", Location(display_path(root / CONFIG_NAME)),
            hint="写明本单位的 unit:，或新建 kind: roster 的单位名册"))
    problems.extend(_duplicate_units(roster))  # the first unit of an id is built
    first: dict[str, RosterUnit] = {}
    for unit in roster:
        first.setdefault(unit.id, unit)
    selected = path.stem if path.is_file() else None
    project = Project(root=root, unit=config.unit, lists=tuple(lists), selected=selected,
                      measures=tuple(measures), notices=tuple(notices),
                      documents=config.documents,
                      templates=config.templates, settings=config.settings,
                      roster=tuple(first.values()), lost=frozenset(lost),
                      year=edition_year(config.year, notices), format=config.format,
                      unread="\n".join(unread.texts), unread_ids=frozenset(unread.ids),
                      unreadable=unread.unreadable, printing=config.printing,
                      wording=config.wording, repealed=config.repealed)
    return project, problems


def _load_config(root: Path, problems: list[Diagnostic],
                 load: Callable[[Path], Source] = load_file) -> Config:
    """qingdan.yaml as far as it is usable; defaults for what is missing or broken."""
    config = root / CONFIG_NAME
    if not config.is_file():
        problems.append(Diagnostic(
            "E401", f"项目文件夹中没有 {CONFIG_NAME}", Location(display_path(config)),
            hint="新建 qingdan.yaml，至少写明 unit: 的 name 和 body"))
        return Config(unit=None, templates=_templates(root, None, None, problems),
                      present=False)
    try:
        source = load(config)
    except Failed as failed:
        problems.extend(failed.diagnostics)
        text = salvage(config)
        return Config(unit=None, templates=_templates(root, None, None, problems),
                      unit_broken=True, unread=text or "", format=format_written(text))
    checked = schema.validate(source, "project")
    problems.extend(checked.diagnostics)
    if checked.dropped(()):
        return Config(unit=None, templates=_templates(root, None, None, problems),
                      unit_broken=True, unread=source.text, format=format_written(source.text))
    reader = Reader(source, checked)
    data = source.data
    unit = build_unit(data["unit"]) if "unit" in data and reader.ok(("unit",)) else None
    documents = tuple(document(reader, key, value, ("documents", key))
                      for key, value in _mapping(data.get("documents")).items()
                      if reader.ok(("documents", key)))
    settings = {code: level for code, level in _mapping(data.get("diagnostics")).items()
                if reader.ok(("diagnostics", code))}
    for code, level in settings.items():
        if code not in CODES:
            problems.append(Diagnostic(
                "E204", f"diagnostics：没有代码为 {code} 的诊断", source.at(("diagnostics", code),
                                                                     key=True),
                hint=did_you_mean(code, CODES) or "诊断代码见 docs/检查代码表.md"))
        elif code.startswith("E") and level != "error":
            problems.append(Diagnostic(
                "E204", f"diagnostics：错误 {code} 不能设为 {level}",
                source.at(("diagnostics", code)), hint="只有 W 开头的警告可以调整或关闭"))
    year = data.get("year") if reader.ok(("year",)) else None
    printing = {key: value for key, value in _mapping(data.get("printing")).items()
                if reader.ok(("printing", key))}
    return Config(unit=unit, templates=_templates(root, source, reader, problems),
                  documents=documents, year=year,
                  printing=Printing(duplex=printing.get("sides", "duplex") == "duplex",
                                    signature_warns=printing.get("signature_alone") == "warning",
                                    open_fonts=printing.get("fonts") == "open"),
                  settings={c: v for c, v in settings.items() if c in CODES},
                  unit_broken="unit" in data and unit is None,
                  format=project_format(source, reader, problems),
                  wording=build_wording(reader), repealed=build_repealed(reader),
                  unread="\n".join(cut_texts(source, checked)))


def _templates(root: Path, source: Source | None, reader: Reader | None,
               problems: list[Diagnostic]) -> dict[str, Path]:
    """The Word template for each kind of document: the project's where it names one."""
    given = source.data.get("templates", {}) if source is not None else {}
    templates = {}
    for kind, default in DEFAULT_TEMPLATES.items():
        own = given.get(kind) if reader is not None and reader.ok(("templates", kind)) else None
        template = (root / own).resolve() if own else TEMPLATES_DIR / default
        if not template.is_file():
            assert source is not None or not own
            where = source.at(("templates", kind)) if own and source else Location(
                display_path(root / CONFIG_NAME))
            problems.append(Diagnostic(
                "E402", f"找不到 Word 模板“{display_path(template)}”", where,
                hint=f"templates: 下的 {kind}: 写相对 qingdan.yaml 的路径"))
        templates[kind] = template
    return templates


def _build_source(source: Source, registry: dict[str, CitedDocument],
                  problems: list[Diagnostic], unread: Unread,
                  unregistered: Callable[[str], bool],
                  ) -> ResponsibilityList | Measures | Notice | tuple[RosterUnit, ...] | None:
    """Dispatch on `kind`, validate against its schema, and build the model of what the
    schema accepted (what it did not is added to unread)."""
    data = source.data
    if not isinstance(data, dict):
        problems.extend(schema.validate(source, "list").diagnostics)
        return None
    kind = data.get("kind")
    if kind is None:
        problems.append(Diagnostic("E203", "文件顶层 缺少必填字段“kind”", source.at(()),
                                   hint="责任清单写 kind: list，实施办法写 kind: measures，"
                                        "考核办法写 kind: assessment"))
        return None
    if not isinstance(kind, str) or kind not in KINDS:
        problems.append(Diagnostic(
            "E204", f"kind：不认识的源文件种类“{kind}”", source.at(("kind",)),
            hint=did_you_mean(str(kind), KINDS) or f"可用的种类：{'、'.join(KINDS)}"))
        return None
    checked = schema.validate(source, KINDS[kind])
    problems.extend(checked.diagnostics)
    if checked.dropped(()):
        return None
    unread.texts.extend(cut_texts(source, checked))
    reader = Reader(source, checked)
    if kind == "list":
        return build_list(reader, registry, problems, unregistered)
    if kind == "notice":
        return build_notice(reader)
    if kind == "roster":
        return build_roster(reader)
    if kind == "results":
        return ()  # 考核结果通报: built by `qingdan score` (scoring/source.py), not by build
    if kind == "work":
        return build_work(reader)  # 年度工作通知 (builders.build_work)
    return build_measures(reader)


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


def _mapping(value: Any) -> dict[Any, Any]:
    """value if it is a mapping, else empty: a part of the wrong type was reported by the
    schema and is skipped here (a traceback otherwise)."""
    return value if isinstance(value, dict) else {}
