"""Stable, readable ids from the text they name: the pinyin of its first words.

履行职责 -> lvxing-zhize, 牢牢掌握意识形态… -> laolao-zhangwo. The same text always gives
the same id; a second text whose words give a taken id gets -2, -3 in order. Used where
qingdan writes sources for the user: import (a whole project) and absorb (a unit's new
items).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

CJK = re.compile(r"[\u4e00-\u9fff]")
ASCII_WORD = re.compile(r"[A-Za-z0-9]+")


def _pinyin(chars: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(chars, style=Style.NORMAL, errors="ignore")


def words(text: str, size: int) -> str:
    """The pinyin of the first size Chinese characters, two syllables a word."""
    chars = "".join(CJK.findall(text))[:size]
    if not chars:
        latin = ASCII_WORD.findall(text)
        return "-".join(w.lower() for w in latin[:3])[:40]
    syllables = [s for s in _pinyin(chars) if s]
    pairs = ["".join(syllables[i:i + 2]) for i in range(0, len(syllables), 2)]
    return "-".join(pairs)


class Ids:
    """Ids given out within one document, kept unique (and apart from those taken)."""

    def __init__(self, taken: Iterable[str] = (),
                 prepare: Callable[[str], str] = lambda text: text) -> None:
        self.taken: set[str] = set(taken)
        self.prepare = prepare
        # The last suffix given to each base: the next id for it is looked for from there,
        # not from -2 again (10,000 items of the same words would be quadratic).
        self.suffix: dict[str, int] = {}

    def make(self, text: str, size: int = 4, fallback: str = "tiao") -> str:
        base = words(self.prepare(text), size) or fallback
        if not base[0].isalnum():
            base = fallback
        n = self.suffix.get(base, 1)
        candidate = base if n == 1 else f"{base}-{n}"
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.suffix[base] = n
        self.taken.add(candidate)
        return candidate
