"""The import report: everything the importer changed, guessed or could not place, with
where it was in the source and why. Printed at the end of `qingdan import`; the same
notes are written as `# 导入：` comments beside the YAML they concern."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Note:
    """One line of the import report."""

    where: str  # 001.txt 第12行
    what: str  # the text concerned (shortened)
    why: str  # what was done and why


def short(text: str, limit: int = 24) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Report:
    """Notes in the order they were made, and counts of the routine changes."""

    notes: list[Note] = field(default_factory=list)
    punctuation: int = 0  # half-width marks made full-width
    typos: list[Note] = field(default_factory=list)

    def add(self, where: str, what: str, why: str) -> Note:
        note = Note(where, short(what), why)
        self.notes.append(note)
        return note

    def lines(self) -> list[str]:
        """The notes in source order (file, then line), typos last, then the counts."""
        ordered = sorted(self.notes, key=_place)
        out = [f"{n.where}：“{n.what}”——{n.why}" for n in ordered]
        out += [f"{n.where}：“{n.what}”——{n.why}" for n in self.typos]
        if self.punctuation:
            out.append(f"中文中的半角标点已改为全角，共 {self.punctuation} 处"
                       "（与 qingdan fmt 相同）")
        return out


def _place(note: Note) -> tuple[str, int]:
    file, _, rest = note.where.partition(" ")
    digits = re.search(r"\d+", rest)
    return file, int(digits.group()) if digits else 0
