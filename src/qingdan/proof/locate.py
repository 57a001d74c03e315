"""From a paragraph of the .docx back to the source text that produced it.

The resolved model keeps every piece of text with its place in a source file (Text). A
paragraph is found by its text: the Text holding the most of it, then, where the exact
characters appear in the source as typed, the column of the character in question.
Generated words (labels such as 一、 or 第三条, a date written out, a generated
preamble) point at the nearest text that does come from a source.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from ..diagnostics import Location
from ..model import Text

MIN_HELD = 4  # a shorter paragraph ("20", "合计") is found in too many texts to say
WINDOWS = (12, 8, 5, 3)  # characters of context tried around a character, longest first


def texts_of(value: Any) -> Iterator[Text]:
    """Every Text in a model, depth first, in field order."""
    if isinstance(value, Text):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from texts_of(getattr(value, f.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from texts_of(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts_of(item)


def _squeeze(text: str) -> tuple[str, list[int]]:
    """text without spaces, and each kept character's index in text."""
    kept = [(i, c) for i, c in enumerate(text) if not c.isspace()]
    return "".join(c for _, c in kept), [i for i, _ in kept]


class Locator:
    """Finds the source location of characters of a document's paragraphs."""

    def __init__(self, model: Any, fallback: Location):
        self.fallback = fallback
        seen: set[int] = set()
        self.texts: list[tuple[Text, str]] = []
        for text in texts_of(model):
            if id(text) not in seen and text.value.strip():
                seen.add(id(text))
                self.texts.append((text, _squeeze(text.value)[0]))
        self.cache: dict[str, Text | None] = {}

    def _holder(self, paragraph: str) -> Text | None:
        """The Text that holds most of the paragraph (at least half of its pieces)."""
        if paragraph not in self.cache:
            pieces = _pieces(paragraph) if len(paragraph) >= MIN_HELD else []
            best: tuple[int, Text] | None = None
            for text, squeezed in self.texts:
                held = sum(1 for piece in pieces if piece in squeezed)
                if 2 * held >= len(pieces) > 0 and (best is None or held > best[0]):
                    best = (held, text)
            self.cache[paragraph] = best[1] if best else None
        return self.cache[paragraph]

    def locate(self, paragraph: str, index: int) -> Location | None:
        """Where character index of the paragraph (spaces removed) was written; None when
        no source text holds the paragraph."""
        holder = self._holder(paragraph)
        if holder is None:
            return None
        for size in WINDOWS:
            for start in (index, index - size + 1, index - size // 2):
                start = max(start, 0)
                window = paragraph[start:start + size]
                if len(window) == size and start <= index < start + size:
                    found = _column(holder, window, index - start)
                    if found is not None:
                        return found
        return holder.location


def _pieces(text: str, size: int = 6) -> list[str]:
    """Overlapping pieces of the text, to measure how much of it another text holds."""
    if len(text) <= size:
        return [text] if text else []
    return [text[i:i + size] for i in range(0, len(text) - size + 1, size // 2)]


def _column(text: Text, window: str, offset: int) -> Location | None:
    """The location of window[offset] where window appears in the text as typed."""
    raw_squeezed, positions = _squeeze(text.raw)
    at = raw_squeezed.find(window) if text.raw else -1
    return text.at(positions[at + offset]) if at >= 0 else None
