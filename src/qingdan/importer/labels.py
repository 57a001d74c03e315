"""Numbering labels at the start of a paragraph: 第一章, 第一条, 一、, （一）, 1., （1）."""

from __future__ import annotations

import re
from dataclasses import dataclass

CN = "[一二三四五六七八九十百零〇两]+"
# The text after a label is (.*): the spaces before it are stripped from the group, not
# matched by a [\s　]* beside it, which would backtrack against .* over a run of spaces.
PATTERNS = [
    ("chapter", re.compile(rf"^第({CN})章(.*)$")),
    ("article", re.compile(rf"^第({CN})条(?![款项目件])(.*)$")),
    ("h1", re.compile(rf"^({CN})[、，．.](.*)$")),
    ("h2", re.compile(rf"^[（(]({CN})[）)](.*)$")),
    ("h3", re.compile(r"^(\d{1,3})(?:[.．](?!\d)|、)(.*)$")),
    ("h4", re.compile(r"^[（(](\d{1,3})[）)](.*)$")),
]
DEPTH = {"h1": 1, "h2": 2, "h3": 3, "h4": 4}
VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
          "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True)
class Label:
    """A recognised label: its kind, its number, how it was written, and the text after it."""

    kind: str  # chapter, article, h1, h2, h3, h4
    number: int
    raw: str
    rest: str

    @property
    def depth(self) -> int:
        return DEPTH.get(self.kind, 0)


def chinese_value(text: str) -> int | None:
    """一 -> 1, 十一 -> 11, 二十 -> 20, 一百零五 -> 105; None if it is not a numeral."""
    total, current = 0, 0
    for char in text:
        if char in VALUES:
            current = VALUES[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    total += current
    return total or None


def parse_label(text: str) -> Label | None:
    """The label that opens text, or None."""
    for kind, pattern in PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        digits = match.group(1)
        number = int(digits) if digits.isdigit() else chinese_value(digits)
        if not number:
            continue
        rest = match.group(2).strip()
        raw = text[: len(text) - len(match.group(2))].rstrip() if match.group(2) else text
        return Label(kind, number, raw.strip(), rest)
    return None


def missing_separator(text: str, expected: int) -> Label | None:
    """A first-level heading whose 、 was lost in a copy (三支委成员…职责): the expected
    numeral, then a short heading with no sentence in it."""
    from ..words.numbering import chinese

    numeral = chinese(expected) if 0 < expected < 100 else ""
    rest = text[len(numeral):]
    if (numeral and text.startswith(numeral) and 2 <= len(rest) <= 30
            and chinese_value(rest[0]) is None and rest[0] not in "是个项条年次"
            and not re.search(r"[，。；：]", rest)):
        return Label("h1", expected, numeral, rest.strip())
    return None
