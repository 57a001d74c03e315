"""What the last build recorded, and what it lets the next one skip.

The manifest (output/.qingdan-manifest.json) records, for every unit's folder, a key
(a digest of everything its documents depend on) and the size and time of each file it
wrote. A unit whose key is unchanged and whose files are untouched is not built again.

It also records the whole build: a digest of every input (each source file's bytes, the
roster included; the templates; qingdan's code; the options that change the result) and
the warnings the build reported. When that digest is unchanged and every recorded file is
untouched, a build has nothing to do and need not even parse the sources (a no-op).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict, cast

from .. import __version__
from ..diagnostics import Diagnostic, Failed
from ..load.project import source_files
from ..model import RosterUnit
from ..paths import CONFIG_NAME, display_path
from ..write.files import inside, safe_filename
from .pipeline import Prepared, unique_name

MANIFEST = ".qingdan-manifest.json"
FORMAT = 2


class ManifestEntry(TypedDict):
    """What the last build recorded for one unit's folder."""

    key: str
    files: dict[str, list[int]]  # name -> [size, mtime_ns]
    warnings: list[dict[str, Any]]
    numbers: list[list[Any]]  # [发文字号, path, line, column, owner] of its notices


@dataclass
class Manifest:
    """The last build's record: each unit's entry, and the whole build's digest, templates
    and warnings (empty when there is no usable manifest)."""

    units: dict[str, ManifestEntry] = field(default_factory=dict)
    digest: str = ""
    templates: list[str] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def to_bytes(self) -> bytes:
        # Compact: json's C encoder (indent would use the Python one, slower and, for
        # thousands of units, tens of megabytes of pieces at once).
        return json.dumps({"format": FORMAT, "units": self.units, "build": {
            "digest": self.digest, "templates": self.templates, "warnings": self.warnings}},
            ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def load_manifest(out_dir: Path) -> Manifest:
    try:
        data = json.loads((out_dir / MANIFEST).read_text("utf-8"))
        if data.get("format") != FORMAT:
            return Manifest()
        build = data["build"]
        return Manifest(cast(dict[str, ManifestEntry], dict(data["units"])), str(build["digest"]),
                        [str(t) for t in build["templates"]], list(build["warnings"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Manifest()


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
    for folder, entry in manifest.units.items():
        if not intact(out_dir / folder if folder else out_dir, entry.get("files", {})):
            return None
    try:
        return [Diagnostic.from_record(d) for d in manifest.warnings]
    except (KeyError, TypeError, ValueError, AssertionError):
        return None


@dataclass(frozen=True)
class Job:
    folder: str
    key: str
    unit: RosterUnit | None


def plan(prepared: Prepared, path: Path, out_dir: Path | None,
         manifest: dict[str, ManifestEntry]) -> tuple[list[Job], list[Job]]:
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
        entry = manifest.get(job.folder)
        unit_dir = (out_dir / job.folder) if (out_dir is not None and job.folder) else out_dir
        if entry and entry.get("key") == job.key and unit_dir is not None and intact(
                unit_dir, entry.get("files", {})):
            done.append(job)
        else:
            todo.append(job)
    return todo, done


def stamp(path: str | Path) -> list[int]:
    stat = os.lstat(path)  # a link put in a document's place is never "intact"
    return [stat.st_size, stat.st_mtime_ns]


def intact(folder: Path, files: dict[str, list[int]]) -> bool:
    """Every file of a unit's last build is there, untouched since (size and time)."""
    try:
        return bool(files) and all(stamp(folder / name) == s for name, s in files.items())
    except (OSError, TypeError, ValueError):
        return False


def recorded_documents(out_dir: Path) -> list[Path]:
    """Every document the manifest in out_dir records, unchanged units' included."""
    return [inside(out_dir / folder if folder else out_dir, name)
            for folder, entry in sorted(load_manifest(out_dir).units.items())
            for name in sorted(entry.get("files", {}))]
