"""W933: a document cites one no longer in force on its own date.

The registry below holds documents offices still cite after they were replaced, each with
the date its replacement took effect, checked against the replacing text's own article or
the standard's cover: the 条例 of 2012 (第四十二条: in force from 2012-07-01, the 1996
and 2000 rules stopped), GB/T 9704-2012 (in force 2012-07-01, replacing GB/T 9704-1999),
GB/T 15834-2011 (2012-06-01, replacing GB/T 15834-1995), the 问责条例 of 2019
(2019-09-01), the 纪律处分条例 of 2015 (2016-01-01), 2018 (2018-10-01) and 2023
(2024-01-01), the 廉洁自律准则 (2016-01-01). A project adds its own in qingdan.yaml's
`repealed`. A replaced edition that kept its title is only recognised where the citation
names its year (《中国共产党问责条例》（2016年）, 2016年印发的《…》) or a registered
document's date or number does: a title alone names the edition in force.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Location
from ..model import CitedDocument, Notice, Project, Repeal, Text
from .prose import prose as _prose
from .text import texts_of_list, texts_of_measures, texts_of_notice

REGULATION_2012 = "《党政机关公文处理工作条例》（中办发〔2012〕14号）"
DISCIPLINE_2023 = "2023年修订的《中国共产党纪律处分条例》"

BUILTIN: tuple[Repeal, ...] = (
    Repeal("中国共产党机关公文处理条例", "2012-07-01", REGULATION_2012),
    Repeal("国家行政机关公文处理办法", "2012-07-01", REGULATION_2012),
    Repeal("国家行政机关公文格式", "2012-07-01", "GB/T 9704-2012《党政机关公文格式》",
           number="GB/T 9704-1999"),
    Repeal("标点符号用法", "2012-06-01", "GB/T 15834-2011《标点符号用法》",
           edition="1995", number="GB/T 15834-1995"),
    Repeal("中国共产党问责条例", "2019-09-01", "2019年修订的《中国共产党问责条例》",
           edition="2016"),
    Repeal("中国共产党纪律处分条例", "2016-01-01", DISCIPLINE_2023, edition="2003"),
    Repeal("中国共产党纪律处分条例", "2018-10-01", DISCIPLINE_2023, edition="2015"),
    Repeal("中国共产党纪律处分条例", "2024-01-01", DISCIPLINE_2023, edition="2018"),
    Repeal("中国共产党党员领导干部廉洁从政若干准则", "2016-01-01",
           "《中国共产党廉洁自律准则》"),
)


@dataclass(frozen=True)
class Citation:
    """Where a repealed document is named, and the dates of the documents naming it."""

    repeal: Repeal
    location: Location


def _number_pattern(number: str) -> re.Pattern[str]:
    """GB/T 9704-1999 as written in many ways: GB/T9704—1999, GB／T 9704－1999."""
    parts = [p for p in re.split(r"[\s/／\-—–－]+", number) if p]
    if not parts:
        return re.compile(r"(?!)")  # a number of separators alone names nothing
    return re.compile(r"[\s/／\-—–－]*".join(map(re.escape, parts)))


def _edition_named(prose: str, start: int, end: int, edition: str) -> bool:
    """Whether the year of an edition is written with the title at prose[start:end]:
    （2016年） or （2016年修订） after it, 2016年（印发、修订、版）的 before it."""
    after = re.match(rf"\s*[（(]\s*{edition}\s*年?[^（）()]{{0,6}}[）)]", prose[end:])
    before = re.search(rf"{edition}\s*年(?:版|修订|修订版|印发|发布|颁布|制定)?的?\s*$",
                       prose[max(0, start - 12):start])
    return bool(after or before)


@functools.lru_cache(maxsize=16)
def _compiled(registry: tuple[Repeal, ...]) -> tuple[
        tuple[Repeal, str, re.Pattern[str] | None, str], ...]:
    """Per repealed document: its title in 《》, its number's pattern, and the longest run
    of digits in its number (a text without it cannot name the number): built once per
    registry, not once per text (a 10,000-item list has 10,000 texts)."""
    return tuple(
        (repeal, f"《{repeal.title}》",
         _number_pattern(repeal.number) if repeal.number else None,
         max(re.findall(r"\d+", repeal.number or ""), key=len, default=""))
        for repeal in registry)


def cited_in(text: Text, registry: tuple[Repeal, ...]) -> Iterator[tuple[Repeal, int, str]]:
    """(repealed document, offset in raw, what names it) for each one text names."""
    return _cited(text, _compiled(registry))


def _cited(text: Text, compiled: tuple[tuple[Repeal, str, re.Pattern[str] | None, str], ...]
           ) -> Iterator[tuple[Repeal, int, str]]:
    raw = text.raw
    if not raw:
        return
    prose = None
    for repeal, title, number, digits in compiled:
        if title in raw:
            prose = prose or _prose(raw)
            at = prose.find(title)
            while at >= 0:
                end = at + len(title)
                if not repeal.edition or _edition_named(prose, at, end, repeal.edition):
                    yield repeal, at, _shown(repeal)
                at = prose.find(title, end)
        if number is not None and digits in raw:
            prose = prose or _prose(raw)
            for match in number.finditer(prose):
                yield repeal, match.start(), f"{repeal.number}《{repeal.title}》"


def _shown(repeal: Repeal) -> str:
    return f"《{repeal.title}》" + (f"（{repeal.edition}年）" if repeal.edition else "")


def _registered(doc: CitedDocument, registry: tuple[Repeal, ...]) -> Repeal | None:
    """The repealed document a registered (or basis) document is, if any."""
    title = doc.title.value.strip().strip("《》")
    for repeal in registry:
        if repeal.number and doc.number and _number_pattern(repeal.number).search(
                doc.number.value):
            return repeal
        if title != repeal.title:
            continue
        if not repeal.edition:
            return repeal
        written = " ".join(t.value for t in (doc.date, doc.number) if t is not None)
        if repeal.edition in written:
            return repeal
    return None


def _notice_day(notice: Notice, year: int | None) -> str | None:
    """A notice's date as YYYY-MM-DD (a pending one as the first day of its year)."""
    value = notice.date.value.strip()
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value):
        y, m, d = value.split("-")
        return f"{y}-{int(m):02d}-{int(d):02d}"
    if value[:4].isdigit():
        return f"{value[:4]}-01-01"
    return f"{year}-01-01" if year else None


def _document_days(project: Project) -> dict[str, list[str]]:
    """The dates of each issuable document: those of the notices that issue it."""
    days: dict[str, list[str]] = {}
    for notice in project.notices:
        day = _notice_day(notice, project.year)
        if day is None:
            continue
        names = ([d.name for d in project.issuable()] if notice.kind == "work"
                 else [a.value for a in notice.attachments])
        days.setdefault(f"notice:{notice.name}", []).append(day)
        for name in names:
            days.setdefault(name, []).append(day)
    return days


def _documents(project: Project) -> Iterator[tuple[str, list[Text], tuple[CitedDocument, ...]]]:
    """(key for its dates, its texts, its basis) for each document the project writes."""
    for lst in project.lists:
        yield lst.name, list(texts_of_list(lst)), lst.basis
    for doc in project.measures:
        yield doc.name, list(texts_of_measures(doc)), ()
    for notice in project.notices:
        yield f"notice:{notice.name}", list(texts_of_notice(notice)), ()


def check_citations(project: Project) -> list[Diagnostic]:
    """W933 for each repealed document a document names, written or cited, when the date
    it is issued on is on or after the day the document stopped being in force."""
    found: dict[tuple[str, int, int], Diagnostic] = {}
    own = []
    for repeal in project.repealed:
        try:
            datetime.date.fromisoformat(repeal.date)
            own.append(repeal)
        except ValueError:
            where = repeal.location or Location("qingdan.yaml")
            found[(where.path, where.line, where.column)] = Diagnostic(
                "E603", f"已废止文件《{repeal.title}》的废止日期“{repeal.date}”不存在", where,
                hint="date 写成 2020-01-01 的形式，检查月份和日期")
    registry = BUILTIN + tuple(own)
    compiled = _compiled(registry)
    days = _document_days(project)
    registered = {d.key: d for d in project.documents if d.key}

    # A document no notice issues is dated by the project's year, or else by today: it
    # is being written now.
    undated = f"{project.year}-01-01" if project.year else datetime.date.today().isoformat()

    def report(repeal: Repeal, where: Location, day: str, when: str, shown: str = "") -> None:
        if day < repeal.date:
            return
        shown = shown or _shown(repeal)
        instead = f"，现行的是{repeal.replacement}" if repeal.replacement else ""
        found.setdefault((where.path, where.line, where.column), Diagnostic(
            "W933", f"{shown}已于 {repeal.date} 起不再施行{instead}", where,
            hint=f"{when}；请改为引用现行文件"
            + ("（已废止文件见 qingdan.yaml 的 repealed）" if repeal.location else "")))

    for key, texts, basis in _documents(project):
        dated = days.get(key)
        day = max(dated) if dated else undated
        when = (f"本文件的成文日期是 {day}" if dated
                else f"本文件没有印发通知给出的成文日期，按 {day} 核对")
        for text in texts:
            for repeal, offset, shown in _cited(text, compiled):
                report(repeal, text.at(offset), day, when, shown)
            for cite in re.finditer(r"cite\(\s*['\"]([^'\"]+)['\"]", text.raw or ""):
                doc = registered.get(cite.group(1))
                named = _registered(doc, registry) if doc is not None else None
                if named is not None:
                    report(named, text.at(cite.start()), day, when)
        for doc in basis:
            named = _registered(doc, registry)
            if named is not None:
                report(named, doc.title.location, day, when)
    return list(found.values())
