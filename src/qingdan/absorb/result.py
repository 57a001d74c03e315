"""What absorbing one file proposes: the change, the operations, and what it has to say."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic
from ..paths import display_path
from .plan import Op


@dataclass
class Absorbed:
    """What absorbing one file proposes, and what it has to say."""

    display: str  # the file sent back
    unit: str  # the unit's name
    unit_id: str  # its roster id; "" for the project's own unit (the base list)
    source: str  # the list's source name
    found_by: str  # how the file was recognised
    target: Path | None = None  # the source file the change goes into
    old: str = ""
    new: str = ""
    ops: list[Op] = field(default_factory=list)
    tracked: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)

    def diff(self) -> list[str]:
        if self.target is None or self.old == self.new:
            return []
        shown = display_path(self.target)
        return list(difflib.unified_diff(self.old.splitlines(), self.new.splitlines(),
                                         shown, f"{shown}（回收后）", lineterm=""))
