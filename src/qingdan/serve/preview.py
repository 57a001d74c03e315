"""The preview's state: the project checked and rendered in memory, the last good pages.

Each refresh runs the build's own stages (pipeline.prepare, pipeline.build_unit) without writing
anything, and renders each document twice: the .docx bytes (for LibreOffice page images
and downloads) and HTML from the resolved model. A unit whose inputs did not change since
the last refresh is taken from the cache, and a document keeps its version number unless
its pages changed, so the browser reloads only what an edit touched. When a check finds
errors the pages stay those of the last good check, with the errors shown over them.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..builder.incremental import inputs_digest, unit_key
from ..builder.pipeline import Prepared, apply_settings, build_unit, merge_units, prepare
from ..builder.pipeline import unique_name as _unique
from ..diagnostics import Diagnostic, Failed, Location, Severity, errors
from ..model import RosterUnit
from ..paths import display_path
from ..render.html import HtmlDocument, project_html
from ..resolve.units import resolve_for_unit
from ..write.files import safe_filename

OWN_UNIT = "-"  # the project's own unit in a document id; a roster id cannot start with "-"


@dataclass(frozen=True)
class Document:
    """One document as the preview shows it."""

    id: str  # unit/source or unit/source/sheet
    unit: str
    source: str
    part: str  # "sheet" for a scoring sheet, else ""
    html: HtmlDocument
    docx: bytes | None
    version: int

    @property
    def title(self) -> str:
        return self.html.title


@dataclass(frozen=True)
class UnitPages:
    """One unit's documents: the project's own unit (id "-") or a roster unit."""

    id: str
    name: str
    documents: tuple[Document, ...]


@dataclass(frozen=True)
class State:
    """What the browser is shown: the last good pages and the last check's problems."""

    generation: int = 0
    units: tuple[UnitPages, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    failed: bool = False  # the last check found errors; the pages are older than it
    checked: str = ""  # when the last check ran, HH:MM:SS

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def documents(self) -> Iterator[Document]:
        for unit in self.units:
            yield from unit.documents

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents() if d.id == doc_id), None)


@dataclass(frozen=True)
class Update:
    """What one refresh changed, as the browser is told."""

    generation: int
    changed: list[str]  # ids of documents whose pages changed, appeared or went away
    failed: bool
    errors: int
    warnings: int
    seconds: float


@dataclass
class _Built:
    """One unit's check and rendering, kept while its inputs stay the same."""

    key: str
    found: list[Diagnostic]
    pages: list[tuple[str, str, HtmlDocument, bytes | None]] = field(default_factory=list)


class Preview:
    """The project at path, checked and rendered on demand; safe to read from any thread."""

    def __init__(self, path: Path):
        self.path = path
        self.root = (path if path.is_dir() else path.parent).resolve()
        self.state = State()
        self._lock = threading.Lock()
        self._cache: dict[str, _Built] = {}
        self._versions: dict[str, tuple[str, int]] = {}  # id -> (digest, version)
        self._templates: list[Path] = []

    def templates(self) -> list[Path]:
        """The Word templates the last loaded project names."""
        return list(self._templates)

    def refresh(self) -> Update:
        """Check and render again; publish new pages only if the check passed."""
        with self._lock:
            started = time.monotonic()
            previous = self.state
            try:
                found, units = self._check()
            except Failed as failed:
                found, units = list(failed.diagnostics), None
            except OSError as exc:  # a file went away between two reads: the next save
                found, units = [_unreadable(exc, self.path)], None  # will bring it back
            failed_now = bool(errors(found)) or units is None
            pages = previous.units if failed_now or units is None else self._publish(units)
            changed = _changed(previous.units, pages)
            self.state = State(
                generation=previous.generation + 1, units=pages,
                diagnostics=tuple(sorted(found, key=Diagnostic.sort_key)), failed=failed_now,
                checked=time.strftime("%H:%M:%S"))
            return Update(self.state.generation, changed, failed_now, len(self.state.errors),
                          len(self.state.warnings), time.monotonic() - started)

    def _check(self) -> tuple[list[Diagnostic], list[tuple[str, str, _Built]]]:
        prepared = prepare(self.path)
        project = prepared.project
        self._templates = list(project.templates.values())
        shared = inputs_digest(prepared, self.path)
        wanted: list[tuple[str, str, RosterUnit | None]] = []
        if project.unit is not None:
            wanted.append((OWN_UNIT, project.unit.name, None))
        wanted += [(u.id, u.unit.name, u) for u in project.roster]
        found = list(prepared.found)
        units: list[tuple[str, str, _Built]] = []
        for unit_id, name, unit in wanted:
            key = unit_key(shared, unit)
            built = self._cache.get(unit_id)
            if built is None or built.key != key:
                built = _build(prepared, unit, key)
                self._cache[unit_id] = built
            found += built.found
            units.append((unit_id, name, built))
        for gone in set(self._cache) - {u for u, _, _ in units}:
            del self._cache[gone]
        return merge_units(apply_settings(found, project.settings)), units

    def _publish(self, units: list[tuple[str, str, _Built]]) -> tuple[UnitPages, ...]:
        """The new pages, each document's version bumped only when its content changed."""
        out = []
        for unit_id, name, built in units:
            documents = []
            for source, part, html, docx in built.pages:
                doc_id = "/".join(p for p in (unit_id, source, part) if p)
                digest = hashlib.sha256(html.markup.encode() + (docx or b"")).hexdigest()
                old, version = self._versions.get(doc_id, ("", 0))
                if old != digest:
                    version += 1
                    self._versions[doc_id] = (digest, version)
                documents.append(Document(doc_id, unit_id, source, part, html, docx, version))
            out.append(UnitPages(unit_id, name, tuple(documents)))
        return tuple(out)


def _unreadable(exc: OSError, path: Path) -> Diagnostic:
    where = display_path(Path(exc.filename)) if exc.filename else display_path(path)
    return Diagnostic("E103", f"无法读取文件：{exc.strerror or exc}", Location(where))


def _changed(before: tuple[UnitPages, ...], after: tuple[UnitPages, ...]) -> list[str]:
    old = {d.id: d.version for u in before for d in u.documents}
    new = {d.id: d.version for u in after for d in u.documents}
    return sorted(i for i in old.keys() | new.keys() if old.get(i) != new.get(i))


def _build(prepared: Prepared, unit: RosterUnit | None, key: str) -> _Built:
    """One unit through the build's stages, plus the HTML of its resolved documents."""
    result = build_unit(prepared, unit)
    built = _Built(key, result.found)
    if errors(result.found) or not result.outputs:
        return built
    resolved = resolve_for_unit(prepared.project, prepared.index, unit)
    docx = {o.name: o.data for o in result.outputs}
    names: set[str] = set()
    for source, part, html in project_html(resolved):
        # The file name build.render_project gives the same document, in the same order.
        name = f"{_unique(safe_filename(html.title), names)}.docx"
        built.pages.append((source, part, html, docx.get(name)))
    return built
