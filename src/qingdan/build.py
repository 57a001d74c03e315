"""The pipeline: load -> index -> check -> resolve -> lint -> render -> write.

compile_project and render_project are pure (sources in, model or bytes out); only
write_outputs touches the output folder, and only after every document rendered.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from .checks import check_project
from .checks.text import lint_resolved
from .compile import resolve_project
from .diagnostics import Diagnostic, Failed, Severity, errors
from .model import Project
from .project import load_project
from .refs import build_index
from .render.docx import render_list, render_measures
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
        found += warnings + lint_resolved(resolved)
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
    """Render every document of a resolved project; raises Failed with all problems."""
    jobs = [(doc.title, lambda d=doc: render_list(d, project.templates["list"]))
            for doc in project.lists]
    jobs += [(doc.title, lambda d=doc: render_measures(d, project.templates["measures"]))
             for doc in project.measures]
    outputs: list[Output] = []
    problems: list[Diagnostic] = []
    names: set[str] = set()
    for title, render in jobs:
        try:
            data = render()
        except Failed as failed:
            problems.extend(failed.diagnostics)
            continue
        name = unique_name(safe_filename("".join(t.value for t in title)), names)
        outputs.append(Output(f"{name}.docx", data))
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
