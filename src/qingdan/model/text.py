"""Source text that remembers where it was written, and the model's fast copy (evolve)."""

from __future__ import annotations

import dataclasses
import functools
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TypeVar

from ..diagnostics import Location

T = TypeVar("T")


def evolve(obj: T, **changes: object) -> T:
    """dataclasses.replace for the model's classes, four times faster: they are plain frozen
    dataclasses (no __post_init__, no slots, no cached properties; a test holds them to
    it), so the copy of the instance's fields with the changes is what replace would make.
    Resolving a roster's units makes tens of these per unit."""
    unknown = changes.keys() - type(obj).__dataclass_fields__.keys()  # type: ignore[attr-defined]
    if unknown:
        raise TypeError(f"{type(obj).__name__} has no field {', '.join(sorted(unknown))}")
    new = object.__new__(type(obj))
    fields = new.__dict__
    fields.update(obj.__dict__)
    fields.update(changes)
    return new


def _line_starts(raw: str) -> tuple[int, ...]:
    """Where each line of raw begins: 0, then every index just after a line break."""
    starts = [0]
    at = raw.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = raw.find("\n", at + 1)
    return tuple(starts)


# Built once per text, however many places in it are located: a check that reports a
# thousand hits in one long text looks each up by bisection instead of counting lines
# from the start again (issue 23: 60,000 numbered lines took 18 s).
line_starts = functools.lru_cache(maxsize=256)(_line_starts)


@dataclass(frozen=True)
class Text:
    """A piece of source text and where it was written, so later errors can point at it."""

    value: str
    location: Location
    # The exact source characters of the value (quotes, line breaks of a block scalar),
    # used to point at a placeholder inside it. Not part of the text's identity.
    raw: str = field(default="", compare=False, repr=False)
    offset: int = field(default=-1, compare=False, repr=False)  # where raw starts in the file
    # Set on a resolved text whose placeholders could not be rendered (already reported):
    # later checks leave it alone rather than report its leftovers.
    broken: bool = field(default=False, compare=False, repr=False)

    def __str__(self) -> str:
        return self.value

    def locate(self, needle: str, start: int = 0) -> Location:
        """Where needle sits inside this value in the file, counting quotes and line breaks."""
        index = self.raw.find(needle, start) if self.raw and needle else -1
        return self.at(index)

    def at(self, index: int) -> Location:
        """The location of the character at index in raw (the value's start if unknown)."""
        if index < 0 or not self.raw:
            return self.location
        starts = line_starts(self.raw)
        line = bisect_right(starts, index) - 1
        if line == 0:
            return dataclasses.replace(self.location, column=self.location.column + index)
        return dataclasses.replace(self.location, line=self.location.line + line,
                                   column=index - starts[line] + 1)

    def paragraphs(self) -> list[str]:
        """The text split into paragraphs, one per non-empty line."""
        return [line.strip() for line in self.value.splitlines() if line.strip()]
