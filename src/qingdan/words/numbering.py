"""Numbers as a document writes them: Chinese numerals, the literal labels of official
documents (一、 （二） 3. 第十一条) and plain numbers (60, 7.5)."""

from __future__ import annotations

DIGITS = "零一二三四五六七八九"
UNITS = ((1000, "千"), (100, "百"), (10, "十"))


def chinese(n: int) -> str:
    """Write 1..9999 in Chinese numerals: 十, 十一, 二十, 一百零一, 一千零十."""
    if not 0 < n < 10000:
        raise ValueError(f"cannot write {n} in Chinese numerals here")
    out = ""
    rest = n
    pending_zero = False
    for value, name in UNITS:
        digit, rest = divmod(rest, value)
        if digit:
            if pending_zero:
                out += "零"
                pending_zero = False
            # 十一 rather than 一十一, but 一百一十一 inside a larger number.
            out += ("" if (value == 10 and digit == 1 and not out) else DIGITS[digit]) + name
        elif out:
            pending_zero = True
    if rest:
        if pending_zero:
            out += "零"
        out += DIGITS[rest]
    return out


def section(n: int) -> str:
    """First-level label: 一、"""
    return f"{chinese(n)}、"


def subsection(n: int) -> str:
    """Second-level label: （一）"""
    return f"（{chinese(n)}）"


def item(n: int) -> str:
    """Third-level label: 1."""
    return f"{n}."


def article(n: int) -> str:
    """Article label: 第十一条"""
    return f"第{chinese(n)}条"


def chapter(n: int) -> str:
    """Chapter label: 第二章"""
    return f"第{chinese(n)}章"


def paren(n: int) -> str:
    """Fourth-level label: （1）"""
    return f"（{n}）"


PENDING = "待定"
BLANK = "　　"  # where a value still to be fixed goes: room for two digits a side


def date(text: str) -> str:
    """2019-04-22 -> 2019年4月22日 (Arabic numerals, no leading zeros); ValueError if invalid.

    A date still to be fixed keeps blanks where its values go: 待定 -> 　　年　　月　　日,
    2025-待定 -> 2025年　　月　　日, 2025-3-待定 -> 2025年3月　　日.
    """
    import datetime

    if text.endswith(PENDING):
        known = [int(part) for part in text[:-len(PENDING)].split("-") if part]
        if len(known) > 2 or (known and not 1 <= known[0] <= 9999) or (
                len(known) == 2 and not 1 <= known[1] <= 12):
            raise ValueError(f"not a date: {text}")
        shown = [str(part) for part in known] + [BLANK] * (3 - len(known))
        return f"{shown[0]}年{shown[1]}月{shown[2]}日"
    year, month, day = (int(part) for part in text.split("-"))
    datetime.date(year, month, day)
    return f"{year}年{month}月{day}日"


def number(value: float) -> str:
    """A number as a document writes it: 60.0 -> 60, 7.5 -> 7.5."""
    return f"{value:g}"
