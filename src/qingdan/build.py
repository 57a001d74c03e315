"""The pipeline: load -> index -> check -> resolve -> lint -> render -> write.

compile_project and render_project are pure (sources in, model or bytes out); only
write_outputs touches the output folder, and only after every document rendered.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .checks import check_project, check_resolved
from .compile import resolve_project
from .diagnostics import Diagnostic, Failed, Severity, errors
from .model import Project
from .project import load_project
from .refs import build_index
from .render.docx import (
    Attached,
    render_list,
    render_measures,
    render_notice,
    render_sheet,
    sheet_rows,
    sheet_title,
)
from .render.engine import Rendered
from .writer import inside, safe_filename, write_atomic


@dataclass(frozen=True)
class Output:
    """One rendered document: its file name inside the output folder and its bytes."""

    name: str
    data: bytes


def compile_project(path: Path, strict: bool = False) -> tuple[Project, list[Diagnostic]]:
    """Load, check and resolve a project, reporting everything found in one run.

    Returns the resolved project and its warnings; raises Failed if there is any error
    (or, when strict, any warning).
    """
    project, found = load_project(path)
    index, problems = build_index(project)
    found += problems + check_project(project, index)
    resolved = None
    try:
        resolved, warnings = resolve_project(project, index)
        found += warnings + check_resolved(resolved)
    except Failed as failed:
        found += failed.diagnostics
    found = apply_settings(found, project.settings)
    if errors(found) or resolved is None or (strict and found):
        raise Failed(found)
    return resolved, found


def apply_settings(found: list[Diagnostic], settings: dict[str, str]) -> list[Diagnostic]:
    """The project's per-code levels: a warning may be turned off or made an error."""
    out = []
    for diag in found:
        level = settings.get(diag.code)
        if level == "off" and diag.severity is Severity.WARNING:
            continue
        if level in ("error", "warning"):
            diag = dataclasses.replace(diag, severity=Severity(level))
        out.append(diag)
    return out


def render_project(project: Project) -> list[Output]:
    """Render every document of a resolved project; raises Failed with all problems.

    Lists and measures come first; a notice then embeds the documents it issues, and an
    assessment with indicators also gets its scoring sheet.
    """
    problems: list[Diagnostic] = []
    names: set[str] = set()
    outputs: list[Output] = []
    rendered: dict[str, Attached] = {}

    def run(title: str, render: Callable[[], Rendered], source: str) -> Rendered | None:
        try:
            result = render()
        except Failed as failed:
            problems.extend(d for d in failed.diagnostics if d not in problems)
            return None
        if project.selected in (None, source):
            name = f"{unique_name(safe_filename(title), names)}.docx"
            outputs.append(Output(name, result.data))
        return result

    templates = project.templates
    for doc in project.lists:
        title = "".join(t.value for t in doc.title)
        result = run(title, lambda d=doc: render_list(d, templates["list"]), doc.name)
        if result is not None:
            rendered[doc.name] = Attached(title, result, templates["list"])
    for measures in project.measures:
        title = "".join(t.value for t in measures.title)
        result = run(title, lambda d=measures: render_measures(d, templates["measures"]),
                     measures.name)
        if result is not None:
            rendered[measures.name] = Attached(title, result, templates["measures"])
        if sheet_rows(measures):
            run(sheet_title(measures),
                lambda d=measures: render_sheet(d, project.unit, templates), measures.name)
    for notice in project.notices:
        attached = [rendered[a.value] for a in notice.attachments if a.value in rendered]
        if project.selected in (None, notice.name):
            run("".join(t.value for t in notice.title),
                lambda d=notice, a=attached: render_notice(d, a, templates["notice"]),
                notice.name)
    if problems:
        raise Failed(problems)
    return outputs


def unique_name(name: str, taken: set[str]) -> str:
    """name, or name（2）, name（3）… when two documents would share a file."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}（{n}）"
    taken.add(candidate)
    return candidate


def write_outputs(outputs: list[Output], out_dir: Path) -> list[tuple[Path, bool]]:
    """Write each output atomically; returns (path, changed) pairs."""
    return [(path, write_atomic(path, out.data))
            for out in outputs for path in [inside(out_dir, out.name)]]
