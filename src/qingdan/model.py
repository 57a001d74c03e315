"""The document model: frozen dataclasses that every later stage reads.

Source text here may still hold placeholders ({{ unit.name }}); compile.py resolves them
into a model of the same shape whose text is final.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Location

# The four standard roles of a responsibility list, in their usual order, with the
# heading used when the source gives none.
STANDARD_ROLES: dict[str, str] = {
    "committee": "{{ unit.short }}{{ unit.body }}{{ topic }}主体责任清单",
    "secretary": "{{ unit.short }}{{ unit.body }}书记{{ topic }}责任清单",
    "deputy": "{{ unit.short }}{{ unit.body }}副书记{{ topic }}责任清单",
    "members": "其他{{ unit.body }}班子成员{{ topic }}责任清单",
}


@dataclass(frozen=True)
class Text:
    """A piece of source text and where it was written, so later errors can point at it."""

    value: str
    location: Location
    # The exact source characters of the value (quotes, line breaks of a block scalar),
    # used to point at a placeholder inside it. Not part of the text's identity.
    raw: str = field(default="", compare=False, repr=False)

    def __str__(self) -> str:
        return self.value

    def paragraphs(self) -> list[str]:
        """The text split into paragraphs, one per non-empty line."""
        return [line.strip() for line in self.value.splitlines() if line.strip()]


@dataclass(frozen=True)
class Unit:
    """The unit a document is made for: the values behind {{ unit.* }}."""

    name: str
    body: str
    short: str = ""
    superior: str = ""
    channels: str = ""
    vars: dict[str, str | int | float] = field(default_factory=dict)

    def variables(self) -> dict[str, object]:
        """What {{ unit.* }} may name, with short falling back to the full name."""
        return {
            "name": self.name, "short": self.short or self.name, "body": self.body,
            "superior": self.superior, "channels": self.channels, "vars": dict(self.vars),
        }


@dataclass(frozen=True)
class Citation:
    """A document cited as the basis: 中共某委办公室《标题》（某委办〔2016〕15号）."""

    title: Text
    organ: Text | None = None
    number: Text | None = None
    key: str | None = None

    def cite(self) -> str:
        """The citation as it is written in running text."""
        organ = self.organ.value if self.organ else ""
        number = f"（{self.number.value}）" if self.number else ""
        return f"{organ}《{self.title.value}》{number}"


@dataclass(frozen=True)
class Item:
    """One numbered duty; its id is stable across renumbering, units and years."""

    id: str
    text: Text
    location: Location


@dataclass(frozen=True)
class Role:
    """One section of a list: the duties of the committee, the secretary, and so on."""

    id: str
    heading: Text
    items: tuple[Item, ...]
    location: Location
    lead: Text | None = None

    @property
    def standard(self) -> bool:
        return self.id in STANDARD_ROLES


@dataclass(frozen=True)
class ResponsibilityList:
    """A responsibility list (责任清单) as written in one source file."""

    name: str  # the source file's stem, used for the output file
    title: tuple[Text, ...]
    roles: tuple[Role, ...]
    location: Location
    basis: tuple[Citation, ...] = ()
    topic: str = ""
    preamble: Text | None = None
    recipients: Text | None = None

    def items(self) -> list[Item]:
        return [item for role in self.roles for item in role.items]


@dataclass(frozen=True)
class Project:
    """A project folder: its unit, its template and the documents it holds."""

    root: Path
    unit: Unit
    template: Path
    lists: tuple[ResponsibilityList, ...]
