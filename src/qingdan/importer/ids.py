"""The importer's ids: the core's pinyin ids (qingdan/words/ids.py) of a text without the
numbering label it starts with (（一）履行职责 -> lvxing-zhize)."""

from __future__ import annotations

from ..words import ids as core
from .labels import parse_label


def _rest(text: str) -> str:
    label = parse_label(text)
    return label.rest if label is not None else text


def words(text: str, size: int) -> str:
    """The pinyin of the first size Chinese characters after any label."""
    return core.words(_rest(text), size)


class Ids(core.Ids):
    """Ids given out within one imported document."""

    def __init__(self) -> None:
        super().__init__(prepare=_rest)
