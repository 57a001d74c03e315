"""A project: its unit, its documents, its roster of units and their overlays, how it
prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Location
from .documents import CitedDocument, Measures, Notice, ResponsibilityList, Unit
from .text import Text


@dataclass(frozen=True)
class Overlay:
    """One unit's change to a base list, by item id: replace, add, remove or move."""

    op: str  # "replace", "add", "remove", "move"
    target: Text  # the item id (for add, the new item's id)
    text: Text | None = None
    after: Text | None = None
    to: Text | None = None
    paragraph: bool = False  # add an unnumbered paragraph (measures only)


@dataclass(frozen=True)
class RosterUnit:
    """A unit of the roster: its variables, its overlays by list, and its source data."""

    id: str
    unit: Unit
    location: Location
    overlays: dict[str, tuple[Overlay, ...]] = field(default_factory=dict)
    list_locations: dict[str, Location] = field(default_factory=dict)
    fingerprint: str = ""  # a digest of the unit's entry, for incremental builds


@dataclass(frozen=True)
class Printing:
    """How the office prints (qingdan.yaml's printing): on both sides of the sheet, so the
    版记 goes on an even page, or on one; and whether a signature that no spacing keeps
    with the body only warns (W631) instead of failing the build (E631); and whether the
    open faces of the font profile are accepted in the PDFs (proof then notes each
    substitution instead of warning, W960)."""

    duplex: bool = True
    signature_warns: bool = False
    open_fonts: bool = False


@dataclass(frozen=True)
class WordingRule:
    """One form a project does not use (qingdan.yaml's wording): the form, what to write
    instead (None: only flagged), and where the rule is written."""

    wrong: str
    right: str | None
    location: Location


@dataclass(frozen=True)
class Wording:
    """A project's glossary (qingdan.yaml's wording): `required` forms with the variants
    they replace, and `forbidden` forms with their replacement; both become rules."""

    rules: tuple[WordingRule, ...] = ()
    required: tuple[str, ...] = ()


@dataclass(frozen=True)
class Repeal:
    """A document no longer in force (qingdan's registry or qingdan.yaml's repealed): its
    title, the edition (year) or number that tells it from a later one of the same title,
    the date from which it is no longer in force, and what replaces it."""

    title: str
    date: str  # YYYY-MM-DD: the first day it is no longer in force
    replacement: str | None = None
    edition: str | None = None  # the year of the repealed edition ("2016")
    number: str | None = None  # its 发文字号 or standard number ("GB/T 9704-1999")
    location: Location | None = None  # where a project registered it; None: built in


@dataclass(frozen=True)
class Project:
    """A project folder: its unit, its template and the documents it holds."""

    root: Path
    unit: Unit | None
    lists: tuple[ResponsibilityList, ...]
    measures: tuple[Measures, ...] = ()
    notices: tuple[Notice, ...] = ()
    documents: tuple[CitedDocument, ...] = ()
    templates: dict[str, Path] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)  # diagnostic code -> level
    selected: str | None = None  # build only this source's documents (a file was given)
    roster: tuple[RosterUnit, ...] = ()
    lost: frozenset[str] = frozenset()  # names of sources that could not be loaded at all
    year: int | None = None  # the edition's year ({{ year }}): qingdan.yaml's, or the notices'
    # The source characters left out of the model (whole files that could not be loaded,
    # parts the schema cut, values of unknown keys), and the ids written in them: what
    # they hold is unknown, so a reference to it or a mention of it is no error.
    unread: str = ""
    unread_ids: frozenset[str] = frozenset()
    unreadable: bool = False  # a file could not even be read as text: anything may be in it
    # The format its sources were written for (qingdan.yaml's `format:`, 1 when it has
    # none); None when qingdan.yaml could not be read to say.
    format: int | None = 1
    printing: Printing = Printing()
    wording: Wording = Wording()
    repealed: tuple[Repeal, ...] = ()

    def issuable(self) -> list[ResponsibilityList | Measures]:
        """The documents a notice can attach: lists and measures."""
        return [*self.lists, *self.measures]

    def unread_mentions(self, word: str) -> bool:
        """Whether word may be written in a part that could not be read (so its use, or
        its absence, cannot be judged)."""
        return self.unreadable or (bool(self.unread) and word in self.unread)
