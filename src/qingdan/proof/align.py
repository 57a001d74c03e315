"""Match the characters a .docx asks for with those printed on its pages.

Both sides lose their spaces (a PDF's spacing is layout, not text) and are compared
character by character after NFKC, which folds the compatibility forms a font's
ToUnicode table may give (a Kangxi radical for 一) into the ordinary ones. Reading order
can differ where the page has columns (a table is read column by column): text found in
both places is matched again as moved, first whole runs, then single characters, so only
what is really missing or added is left over.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Char:
    """A character and where it is: its text (a paragraph or a line) and its index there,
    counting only characters that are not spaces."""

    key: str
    owner: int
    index: int


@dataclass
class Alignment:
    """Which printed character each expected one became, and what is left over."""

    expected: list[Char]
    printed: list[Char]
    printed_of: dict[int, int] = field(default_factory=dict)  # expected -> printed
    expected_of: dict[int, int] = field(default_factory=dict)  # printed -> expected
    missing: list[int] = field(default_factory=list)  # expected, in order
    extra: list[int] = field(default_factory=list)  # printed, in order


def chars(texts: list[str]) -> list[Char]:
    """Every non-space character of the texts, with its owner (the text's index)."""
    found = []
    for owner, text in enumerate(texts):
        kept = [c for c in text if not c.isspace()]
        found += [Char(unicodedata.normalize("NFKC", c), owner, i) for i, c in enumerate(kept)]
    return found


def align(expected: list[Char], printed: list[Char]) -> Alignment:
    result = Alignment(expected, printed)
    matcher = difflib.SequenceMatcher(None, [c.key for c in expected],
                                      [c.key for c in printed], autojunk=False)
    gone: list[tuple[int, int]] = []  # runs [start, end) of expected not matched
    added: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                result.printed_of[i1 + k] = j1 + k
                result.expected_of[j1 + k] = i1 + k
            continue
        if i2 > i1:
            gone.append((i1, i2))
        if j2 > j1:
            added.append((j1, j2))
    _moved_runs(result, gone, added)
    _moved_chars(result, gone, added)
    result.missing = sorted(i for a, b in gone for i in range(a, b)
                            if i not in result.printed_of)
    result.extra = sorted(j for a, b in added for j in range(a, b)
                          if j not in result.expected_of)
    return result


def _pair(result: Alignment, i: int, j: int) -> None:
    result.printed_of[i] = j
    result.expected_of[j] = i


def _moved_runs(result: Alignment, gone: list[tuple[int, int]],
                added: list[tuple[int, int]]) -> None:
    """Match runs printed in another order: align what is left again, until no run of two
    or more characters matches."""
    while True:
        free_e = [i for a, b in gone for i in range(a, b) if i not in result.printed_of]
        free_p = [j for c, d in added for j in range(c, d) if j not in result.expected_of]
        if len(free_e) < 2 or len(free_p) < 2:
            return
        matcher = difflib.SequenceMatcher(None, [result.expected[i].key for i in free_e],
                                          [result.printed[j].key for j in free_p],
                                          autojunk=False)
        blocks = [b for b in matcher.get_matching_blocks() if b.size >= 2]
        if not blocks:
            return
        for block in blocks:
            for k in range(block.size):
                _pair(result, free_e[block.a + k], free_p[block.b + k])


def _moved_chars(result: Alignment, gone: list[tuple[int, int]],
                 added: list[tuple[int, int]]) -> None:
    """Pair single leftover characters of the same kind, those from long runs first (a
    moved block), so an isolated drop inside matched text stays reported."""
    pool: dict[str, list[int]] = defaultdict(list)
    for c, d in added:
        pool_run = [j for j in range(c, d) if j not in result.expected_of]
        for j in pool_run:
            pool[result.printed[j].key].append(j)
    for a, b in sorted(gone, key=lambda r: r[0] - r[1]):
        if b - a < 2:
            continue  # a lone missing character is a drop, not a move
        for i in range(a, b):
            if i in result.printed_of:
                continue
            candidates = pool.get(result.expected[i].key)
            if candidates:
                _pair(result, i, candidates.pop(0))
