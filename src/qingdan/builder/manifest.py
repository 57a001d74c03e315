"""The build's record (output/.qingdan-manifest.json), typed: for every unit's folder its
key (a digest of everything its documents depend on), the size and time of each file it
wrote, its warnings and its notices' 发文字号; for the whole build the digest of every
input, the templates and the warnings it reported. incremental.py decides from it what
the next build may skip; build --pdf and --ofd read which documents it wrote.

On disk it is compact JSON with sorted keys, `format` 2:
{"build": {"digest", "templates", "warnings"}, "format": 2,
 "units": {folder: {"files": {name: [size, mtime_ns]}, "key", "numbers": [[发文字号, path,
 line, column, owner]], "warnings": [Diagnostic.to_record()]}}}
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ..check.docnumber import NumberUse
from ..diagnostics import Diagnostic, Location
from ..write.files import inside

MANIFEST = ".qingdan-manifest.json"
FORMAT = 2

Stamp = list[int]  # [size, mtime_ns] of a file as written
Record = dict[str, Any]  # a diagnostic as Diagnostic.to_record wrote it


class RecordedNumber(NamedTuple):
    """A notice's 发文字号 as a unit's record keeps it (E604 looks across all units)."""

    number: str
    path: str
    line: int
    column: int
    owner: str

    @classmethod
    def of(cls, use: NumberUse) -> RecordedNumber:
        loc = use.location
        return cls(use.number, loc.path, loc.line, loc.column, use.owner)

    def use(self) -> NumberUse:
        return NumberUse(self.number, Location(self.path, self.line, self.column), self.owner)


@dataclass
class UnitRecord:
    """What the last build recorded for one unit's folder. Warnings stay records until they
    are reported again (a build with nothing to do never reads them)."""

    key: str
    files: dict[str, Stamp] = field(default_factory=dict)  # file name -> stamp
    numbers: list[RecordedNumber] = field(default_factory=list)
    warning_records: list[Record] = field(default_factory=list)

    def warnings(self) -> list[Diagnostic]:
        return [Diagnostic.from_record(d) for d in self.warning_records]

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "files": self.files, "numbers": self.numbers,
                "warnings": self.warning_records}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> UnitRecord:
        files = data.get("files", {})
        if not isinstance(files, dict):
            raise TypeError("files")
        return cls(str(data.get("key", "")), files,
                   [RecordedNumber(*n) for n in data.get("numbers", [])],
                   list(data.get("warnings", [])))


@dataclass
class Manifest:
    """The last build's record: each unit's, and the whole build's digest, templates and
    warnings (empty when there is no usable manifest)."""

    units: dict[str, UnitRecord] = field(default_factory=dict)
    digest: str = ""
    templates: list[str] = field(default_factory=list)
    warning_records: list[Record] = field(default_factory=list)

    def warnings(self) -> list[Diagnostic]:
        return [Diagnostic.from_record(d) for d in self.warning_records]

    def to_bytes(self) -> bytes:
        # Compact: json's C encoder (indent would use the Python one, slower and, for
        # thousands of units, tens of megabytes of pieces at once).
        return json.dumps({"format": FORMAT, "units": {
            folder: unit.to_json() for folder, unit in self.units.items()}, "build": {
            "digest": self.digest, "templates": self.templates,
            "warnings": self.warning_records}},
            ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def load_manifest(out_dir: Path) -> Manifest:
    """The manifest in out_dir; an empty one when there is none or it cannot be read."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text("utf-8"))
        if data.get("format") != FORMAT:
            return Manifest()
        build = data["build"]
        return Manifest({str(folder): UnitRecord.from_json(unit)
                         for folder, unit in dict(data["units"]).items()},
                        str(build["digest"]), [str(t) for t in build["templates"]],
                        list(build["warnings"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Manifest()


def stamp(path: str | Path) -> Stamp:
    stat = os.lstat(path)  # a link put in a document's place is never "intact"
    return [stat.st_size, stat.st_mtime_ns]


def intact(folder: Path, files: dict[str, Stamp]) -> bool:
    """Every file of a unit's last build is there, untouched since (size and time)."""
    try:
        return bool(files) and all(stamp(folder / name) == s for name, s in files.items())
    except (OSError, TypeError, ValueError):
        return False


def recorded_documents(out_dir: Path) -> list[Path]:
    """Every document the manifest in out_dir records, unchanged units' included."""
    return [inside(out_dir / folder if folder else out_dir, name)
            for folder, unit in sorted(load_manifest(out_dir).units.items())
            for name in sorted(unit.files)]
