"""What the last build recorded (manifest.py) lets the next one skip.

A unit whose key (a digest of everything its documents depend on) is unchanged and whose
files are untouched is not built again. The whole build's digest covers every input (each
source file's bytes, the roster included; the templates; qingdan's code; the options that
change the result): when it is unchanged and every recorded file is untouched, a build
has nothing to do and need not even parse the sources (a no-op).
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..diagnostics import Diagnostic, Failed
from ..load.project import source_files
from ..model import RosterUnit
from ..paths import CONFIG_NAME, display_path
from ..write.files import safe_filename
from .manifest import Manifest, UnitRecord, intact
from .pipeline import Prepared, unique_name


@functools.cache
def code_digest() -> str:
    """A digest of qingdan's own code and schemas: new code means new output."""
    package = Path(__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for file in sorted(package.rglob("*")):
        if file.suffix in (".py", ".json"):
            digest.update(file.relative_to(package).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def _add_file(digest: Any, file: Path) -> None:
    digest.update(display_path(file).encode() + b"\0")
    try:
        data = file.read_bytes()
    except OSError:
        data = b"\0missing"
    digest.update(len(data).to_bytes(8, "little") + data)


def inputs_digest(prepared: Prepared, path: Path) -> str:
    """Everything every unit shares: sources (not the roster), config, templates, code."""
    root, files = source_files(path)
    digest = hashlib.sha256(code_digest().encode())
    digest.update(str(prepared.project.selected).encode())
    roster_files = {u.location.path for u in prepared.project.roster}
    for file in sorted([root / CONFIG_NAME, *files]):
        if display_path(file) not in roster_files:  # each unit's entry is in its key
            _add_file(digest, file)
    for name, template in sorted(prepared.project.templates.items()):
        digest.update(name.encode())
        _add_file(digest, template)
    return digest.hexdigest()


def unit_key(shared: str, unit: RosterUnit | None) -> str:
    """A unit's key: the shared inputs and its own roster entry."""
    return hashlib.sha256(f"{shared}:{unit.fingerprint if unit else 'base'}".encode()
                          ).hexdigest()


def build_digest(path: Path, templates: list[str], options: str) -> str:
    """A digest of every input of a build, read without parsing anything: the source
    files (the roster too), the given templates, qingdan's code, where it runs from (the
    paths its messages show) and the options. Raises Failed as source_files does."""
    root, files = source_files(path)
    digest = hashlib.sha256(code_digest().encode())
    digest.update(f"{path.resolve()}\0{os.getcwd()}\0{options}\0".encode())
    for file in sorted([root / CONFIG_NAME, *files]):
        _add_file(digest, file)
    for template in templates:
        _add_file(digest, Path(template))
    return digest.hexdigest()


def unchanged_build(path: Path, out_dir: Path, manifest: Manifest,
                    options: str) -> list[Diagnostic] | None:
    """The last build's warnings when nothing it depends on has changed and every file it
    wrote is untouched; None when the build has work to do."""
    if not manifest.digest or not manifest.units:
        return None
    try:
        if build_digest(path, manifest.templates, options) != manifest.digest:
            return None
    except Failed:
        return None  # the full run reports it
    for folder, unit in manifest.units.items():
        if not intact(out_dir / folder if folder else out_dir, unit.files):
            return None
    try:
        return manifest.warnings()
    except (KeyError, TypeError, ValueError, AssertionError):
        return None


@dataclass(frozen=True)
class Job:
    folder: str
    key: str
    unit: RosterUnit | None


def plan(prepared: Prepared, path: Path, out_dir: Path | None,
         manifest: dict[str, UnitRecord]) -> tuple[list[Job], list[Job]]:
    """(jobs to build, jobs whose output the last build's manifest shows up to date)."""
    project = prepared.project
    shared = inputs_digest(prepared, path) if out_dir is not None else ""
    jobs: list[Job] = []
    if project.unit is not None:
        jobs.append(Job("", unit_key(shared, None), None))
    folders: set[str] = set()
    for unit in project.roster:
        name = safe_filename(unit.unit.name)
        if name.casefold().endswith(".docx"):  # a folder never takes a document's name
            name = name[:-5] + "_docx"
        jobs.append(Job(unique_name(name, folders), unit_key(shared, unit), unit))
    todo, done = [], []
    for job in jobs:
        record = manifest.get(job.folder)
        unit_dir = (out_dir / job.folder) if (out_dir is not None and job.folder) else out_dir
        if record and record.key == job.key and unit_dir is not None and intact(
                unit_dir, record.files):
            done.append(job)
        else:
            todo.append(job)
    return todo, done
