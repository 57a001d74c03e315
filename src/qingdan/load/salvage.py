"""What did not make it into the model, kept as text: so later passes can tell a consequence
of an earlier error from a problem of its own.

A file that does not parse, a part the schema cut out, the value of an unknown key: their
source characters are kept (Project.unread), with the ids written in them. A reference to
such an id, a registered document cited only there, an item only they could assess are
unknown, not errors; anything they do not mention is still checked in full.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Failed
from .builders import ids_in
from .schema import Checked
from .source import Source, read_bounded

# `id: zongze`, `- id: "zongze"`, `{id: zongze, …}`: an id as a source defines one.
ID_WRITTEN = re.compile(r"""(?:^|[\s{,])["']?id["']?[ \t]*:[ \t]*["']?([^\s"',}\]#]+)""", re.M)


@dataclass
class Unread:
    """The project's unread source text, the ids written in it, and whether some file
    could not be read at all."""

    texts: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    unreadable: bool = False

    def lost_file(self, text: str | None) -> None:
        """A file that could not be loaded: its text, when it could be read as text."""
        if text is None:
            self.unreadable = True
            return
        self.texts.append(text)
        self.ids.update(ID_WRITTEN.findall(text))

    def lost_data(self, source: Source) -> None:
        """A file that loaded but was left out whole (no kind, or the schema refused it)."""
        self.texts.append(source.text)
        self.ids.update(ids_in(source.data))


def salvage(path: Path) -> str | None:
    """The text of a file that did not load, as far as it can be read (undecodable bytes
    replaced); None when it cannot be read at all (not a regular file, too large)."""
    try:
        return read_bounded(path, path.name).decode("utf-8", "replace")
    except (OSError, Failed):
        return None


def cut_texts(source: Source, checked: Checked) -> list[str]:
    """The source characters of the parts the schema cut out and of unknown keys' values."""
    found = []
    for path in (*checked.cuts, *checked.ignored):
        span = source.span(path)
        if span is not None:
            found.append(source.text[span.start:span.end])
        elif not path:
            found.append(source.text)
    return found
