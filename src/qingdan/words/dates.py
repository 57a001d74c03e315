"""A work notice's 时间安排: each stage's date or date range, read, checked and written out.

A stage's `date` is one day (2025-12-01), a deadline (2025-12-10前) or a range
(2025-12-01—2025-12-10; the end may leave out the year, or the year and month:
2025-12-01—12-10, 2025-12-01—10; —, ～, ~ and 至 all separate). Dates must exist (E651),
run forwards within a stage and from stage to stage (E652), fall in the edition's year
(E653) and not before the notice's own date (E654). They print in Chinese, without the
year when it is the edition's (the table's column stays narrow; the title names the
year): 12月1日—12月10日, 12月10日前; 2025年12月20日—2026年1月5日 otherwise.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from ..diagnostics import Diagnostic
from ..model import Notice, Project, Stage

SEPARATORS = re.compile(r"(?<!\s)\s*(?:—+|－|～|~|至)\s*")  # from a run's start: linear
DAY = re.compile(r"^(?:(?:(?P<year>\d{4})-)?(?P<month>\d{1,2})-)?(?P<day>\d{1,2})$")
FORMS = "一天写 2025-12-01，截止日期写 2025-12-10前，时间段写 2025-12-01—2025-12-10"


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


def _chinese(day: datetime.date, year: bool = True) -> str:
    return (f"{day.year}年" if year else "") + f"{day.month}月{day.day}日"


def display(value: str, year: int | None = None) -> str:
    """The Chinese form of a stage's date: 12月1日—12月10日 in the given year, else
    2025年12月1日—12月10日; as written when it cannot be read (the check says so)."""
    try:
        span = parse(value)
    except DateError:
        return value
    first = _chinese(span.start, span.start.year != year)
    if span.before:
        return first + "前"
    if span.start == span.end:
        return first
    return f"{first}—{_chinese(span.end, span.end.year != span.start.year)}"


def check_schedule(notice: Notice, year: int | None) -> list[Diagnostic]:
    """E651-E654 for every stage of a work notice's schedules."""
    found: list[Diagnostic] = []
    issued = _issued(notice)
    previous: tuple[Stage, Span] | None = None
    for stage in (s for section in notice.sections for s in section.schedule):
        where = stage.when.location
        try:
            span = parse(stage.when.value)
        except DateError as exc:
            found.append(Diagnostic("E651", f"时间安排“{stage.name.value}”的日期：{exc}", where,
                                    hint=FORMS))
            continue
        if span.end < span.start:
            found.append(Diagnostic(
                "E652", f"时间安排“{stage.name.value}”的结束日期早于开始日期", where,
                hint="时间段先写开始日期，再写结束日期"))
        elif previous is not None and span.start < previous[1].start:
            found.append(Diagnostic(
                "E652", f"时间安排“{stage.name.value}”（{_chinese(span.start)}）早于上一阶段"
                        f"“{previous[0].name.value}”（{_chinese(previous[1].start)}）", where,
                hint="各阶段按时间先后排列"))
        if year is not None and not (span.start.year == span.end.year == year):
            found.append(Diagnostic(
                "E653", f"时间安排“{stage.name.value}”的日期不在{year}年内", where,
                hint=f"本年度（year: {year}）的工作安排在{year}年1月1日至12月31日之间；"
                     "年度不对时改 qingdan.yaml 的 year"))
        if issued is not None and span.start < issued:
            found.append(Diagnostic(
                "E654", f"时间安排“{stage.name.value}”的日期早于通知的成文日期"
                        f"（{_chinese(issued)}）", where,
                hint="工作安排在通知印发之后；检查日期或通知的 date"))
        previous = (stage, span)
    return found


def _issued(notice: Notice) -> datetime.date | None:
    """The notice's date when it is written out (not 待定) and exists."""
    try:
        return datetime.date.fromisoformat(_padded(notice.date.value))
    except ValueError:
        return None


def _padded(value: str) -> str:
    parts = value.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return value
    return f"{int(parts[0]):04d}-{int(parts[1]):02d}-{int(parts[2]):02d}"


def check_schedules(project: Project) -> list[Diagnostic]:
    """The schedule of every work notice of a project."""
    return [d for notice in project.notices if notice.kind == "work"
            for d in check_schedule(notice, project.year)]
