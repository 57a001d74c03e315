"""The yearly work notice's own checks: the units it lists are in the roster (E655),
someone issues it (E656), its schedule's dates exist and run forwards within the
edition's year, after the notice's date (E651-E654)."""

from __future__ import annotations

import datetime

from ..diagnostics import Diagnostic, did_you_mean
from ..model import Notice, Project, Stage
from ..words.dates import DateError, Span, chinese_day, parse

FORMS = "一天写 2025-12-01，截止日期写 2025-12-10前，时间段写 2025-12-01—2025-12-10"


def check_work(project: Project) -> list[Diagnostic]:
    """Units a work notice lists are in the roster (E655); someone issues it (E656); its
    schedule's dates (E651-E654)."""
    found = check_schedules(project)
    ids = {u.id for u in project.roster}
    for notice in project.notices:
        if notice.kind != "work":
            continue
        if project.unit is None:
            found.append(Diagnostic(
                "E656", f"年度工作通知“{notice.name}”没有发文单位", notice.location,
                hint="在 qingdan.yaml 中写 unit:（发文的本单位），年度工作通知由本单位印发"))
        for unit in notice.assessed:
            if unit.value not in ids:
                found.append(Diagnostic(
                    "E655", f"被考核单位“{unit.value}”不在单位名册中", unit.location,
                    hint=did_you_mean(unit.value, ids)
                    or (f"写名册中的单位编号：{'、'.join(sorted(ids))}" if ids
                        else "项目中没有单位名册；省略 assessed 即为本单位")))
    return found


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
                "E652", f"时间安排“{stage.name.value}”（{chinese_day(span.start)}）早于上一阶段"
                        f"“{previous[0].name.value}”（{chinese_day(previous[1].start)}）", where,
                hint="各阶段按时间先后排列"))
        if year is not None and not (span.start.year == span.end.year == year):
            found.append(Diagnostic(
                "E653", f"时间安排“{stage.name.value}”的日期不在{year}年内", where,
                hint=f"本年度（year: {year}）的工作安排在{year}年1月1日至12月31日之间；"
                     "年度不对时改 qingdan.yaml 的 year"))
        if issued is not None and span.start < issued:
            found.append(Diagnostic(
                "E654", f"时间安排“{stage.name.value}”的日期早于通知的成文日期"
                        f"（{chinese_day(issued)}）", where,
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
