"""A work notice's 时间安排: each stage's date or date range, read and written out.

A stage's `date` is one day (2025-12-01), a deadline (2025-12-10前) or a range
(2025-12-01—2025-12-10; the end may leave out the year, or the year and month:
2025-12-01—12-10, 2025-12-01—10; —, ～, ~ and 至 all separate; check/work.py checks them).
They print in Chinese, without the year when it is the edition's (the table's column
stays narrow; the title names the year): 12月1日—12月10日, 12月10日前;
2025年12月20日—2026年1月5日 otherwise.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

SEPARATORS = re.compile(r"(?<!\s)\s*(?:—+|－|～|~|至)\s*")  # from a run's start: linear
DAY = re.compile(r"^(?:(?:(?P<year>\d{4})-)?(?P<month>\d{1,2})-)?(?P<day>\d{1,2})$")


@dataclass(frozen=True)
class Span:
    """A stage's dates: first and last day (the same for one day), and whether the date
    is a deadline (……前)."""

    start: datetime.date
    end: datetime.date
    before: bool = False


class DateError(ValueError):
    """A stage date that cannot be read; its message is Chinese."""


def parse(value: str) -> Span:
    """A stage's date as written; raises DateError with what is wrong."""
    text = value.strip()
    before = text.endswith("前")
    if before:
        text = text[:-1].rstrip()
    parts = SEPARATORS.split(text)
    if len(parts) > 2 or not all(parts) or (before and len(parts) == 2):
        raise DateError(f"无法识别“{value}”")
    start = _day(parts[0], None)
    end = _day(parts[1], start) if len(parts) == 2 else start
    return Span(start, end, before)


def _day(text: str, after: datetime.date | None) -> datetime.date:
    """One day; the end of a range may take its year (and month) from the start."""
    match = DAY.match(text)
    if match is None or (after is None and match["year"] is None):
        raise DateError(f"无法识别“{text}”")
    year = int(match["year"]) if match["year"] else after.year  # type: ignore[union-attr]
    month = int(match["month"]) if match["month"] else after.month  # type: ignore[union-attr]
    try:
        return datetime.date(year, month, int(match["day"]))
    except ValueError:
        raise DateError(f"日期“{text}”不存在") from None


def chinese_day(day: datetime.date, year: bool = True) -> str:
    return (f"{day.year}年" if year else "") + f"{day.month}月{day.day}日"


def display(value: str, year: int | None = None) -> str:
    """The Chinese form of a stage's date: 12月1日—12月10日 in the given year, else
    2025年12月1日—12月10日; as written when it cannot be read (the check says so)."""
    try:
        span = parse(value)
    except DateError:
        return value
    first = chinese_day(span.start, span.start.year != year)
    if span.before:
        return first + "前"
    if span.start == span.end:
        return first
    return f"{first}—{chinese_day(span.end, span.end.year != span.start.year)}"
