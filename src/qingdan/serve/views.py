"""What the preview's templates are given: diagnostics with their source lines, the
document tree, a source file's numbered lines. Plain data; the templates escape it all."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..diagnostics import CODES, Diagnostic, Severity
from ..diff.documents import KIND_NAMES, Change
from .files import relative_to
from .preview import Document, State

ENV = Environment(loader=PackageLoader("qingdan.serve", "templates"),
                  autoescape=select_autoescape(default=True, default_for_string=True),
                  undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
ENV.filters["url"] = lambda value: quote(str(value), safe="/")
ENV.globals["KIND_NAMES"] = KIND_NAMES
ENV.globals["CODES"] = CODES

def page(name: str, **context: object) -> str:
    return ENV.get_template(name).render(**context)


@lru_cache(maxsize=8)
def asset(package: str, name: str) -> bytes:
    """A file shipped with qingdan (stylesheets, the page script)."""
    return (resources.files(package) / name).read_bytes()


@dataclass(frozen=True)
class DiagnosticView:
    """A diagnostic with the line it points at, split around the column."""

    diagnostic: Diagnostic
    file: str | None  # the source's path inside the project, for links
    before: str
    at: str
    after: str
    editor: str  # a vscode:// link to the line, or ""

    @property
    def error(self) -> bool:
        return self.diagnostic.severity is Severity.ERROR


def diagnostic_views(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic],
                     root: Path) -> list[DiagnosticView]:
    lines: dict[str, list[str]] = {}
    views = []
    for diag in diagnostics:
        loc = diag.location
        rel = relative_to(root, loc.path)
        text = ""
        if rel is not None and rel.endswith((".yaml", ".yml")):
            if rel not in lines:
                lines[rel] = _read_lines(root / rel)
            found = lines[rel]
            text = found[loc.line - 1] if 0 < loc.line <= len(found) else ""
        column = max(loc.column - 1, 0)
        before, at, after = text[:column], text[column:column + 1], text[column + 1:]
        editor = ""
        if rel is not None:
            full = (root / rel).resolve().as_posix()
            editor = f"vscode://file{quote(full)}:{loc.line}:{loc.column}"
        views.append(DiagnosticView(diag, rel, before, at or (" " if text else ""), after,
                                    editor))
    return views


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_bytes().decode("utf-8-sig", "replace").splitlines()
    except OSError:
        return []


def by_line(views: list[DiagnosticView], file: str) -> dict[int, list[DiagnosticView]]:
    """The diagnostics of one source file, by line."""
    found: dict[int, list[DiagnosticView]] = defaultdict(list)
    for view in views:
        if view.file == file:
            found[view.diagnostic.location.line].append(view)
    return found


def document_label(doc: Document) -> str:
    return doc.title


def source_files(root: Path, state: State, views: list[DiagnosticView]) -> list[str]:
    """The project's source files, for the side panel."""
    names = {p.name for p in root.iterdir()
             if p.suffix in (".yaml", ".yml") and not p.name.startswith(".")} if root.is_dir() \
        else set()
    names |= {v.file for v in views if v.file and "/" not in v.file}
    return sorted(names, key=lambda n: (n != "qingdan.yaml", n))


def change_cells(change: Change) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The old and the new text of a change as runs: ("", text), ("del", …), ("ins", …)."""
    old: list[tuple[str, str]] = []
    new: list[tuple[str, str]] = []
    for seg in change.segments:
        if seg.kind == "equal":
            old.append(("", seg.text))
            new.append(("", seg.text))
        elif seg.kind == "delete":
            old.append(("del", seg.text))
        else:
            new.append(("ins", seg.text))
    return old, new


ENV.globals["change_cells"] = change_cells
ENV.globals["document_label"] = document_label
