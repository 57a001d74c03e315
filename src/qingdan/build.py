"""The pipeline: load -> check -> resolve -> render -> write.

compile_project and render_project are pure (sources in, model or bytes out); only
write_outputs touches the output folder, and only after every document rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .checks import check_project
from .compile import resolve_project
from .diagnostics import Diagnostic, Failed, errors
from .model import Project
from .project import load_project
from .render.docx import render_list
from .writer import inside, safe_filename, write_atomic


@dataclass(frozen=True)
class Output:
    """One rendered document: its file name inside the output folder and its bytes."""

    name: str
    data: bytes


def compile_project(path: Path) -> tuple[Project, list[Diagnostic]]:
    """Load, check and resolve a project; raises Failed if any error was found."""
    project = load_project(path)
    found = check_project(project)
    if errors(found):
        raise Failed(found)
    return resolve_project(project), found


def render_project(project: Project) -> list[Output]:
    """Render every document of a resolved project; raises Failed with all problems."""
    outputs: list[Output] = []
    problems: list[Diagnostic] = []
    names: set[str] = set()
    for doc in project.lists:
        try:
            data = render_list(doc, project.template)
        except Failed as failed:
            problems.extend(failed.diagnostics)
            continue
        name = unique_name(safe_filename("".join(t.value for t in doc.title)), names)
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
