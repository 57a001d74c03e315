"""Document numbers (发文字号) and dates of cited documents."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Location
from ..model import CitedDocument, Project, Text
from ..words import drafts, numbering
from .drafts import check_notice, number_blank

# 机关代字 + 〔四位年份〕 + 序号（无前导零）+ 号.
NUMBER = re.compile(r"^(?P<organ>[^〔\[［(（【]+)〔(?P<year>\d{4})〕(?P<serial>[1-9]\d*)号$")
YEAR_BRACKETS = re.compile(r"[\[［(（【〔](\d{2,4})[\]］)）】〕]")
WRITTEN_YEAR = re.compile(r"[\[［(（【〔]?(?<!\d)(\d{4})年[\]］)）】〕]?")


def check_documents(project: Project) -> list[Diagnostic]:
    """Numbers and dates of every cited document and every notice."""
    seen: set[int] = set()
    found = []
    docs: list[CitedDocument] = [*project.documents,
                                 *(d for lst in project.lists for d in lst.basis)]
    for doc in docs:
        if id(doc) in seen:
            continue
        seen.add(id(doc))
        found.extend(check_date(doc.date))
        found.extend(check_number(doc.number, doc.date))
    for notice in project.notices:
        found.extend(check_date(notice.date) + check_date(notice.print_date))
        found.extend(check_notice(notice))
        if notice.number is None or "{" not in notice.number.value:
            found.extend(check_number(notice.number, notice.date, pending=True))
    return found


def check_resolved_numbers(project: Project) -> list[Diagnostic]:
    """Notice numbers written with placeholders ({{ unit.vars.代字 }}〔2024〕3号), once filled.

    Rendering replaced the value; the source characters (raw) still show the placeholder.
    """
    return [d for notice in project.notices
            if notice.number is not None and "{" in notice.number.raw
            and not notice.number.broken
            for d in check_number(notice.number, notice.date, pending=True)]


@dataclass(frozen=True)
class NumberUse:
    """A 发文字号 as one document carries it: a unit's notice, or a registered document."""

    number: str
    location: Location
    owner: str  # 单位“…”的通知“…”, or 登记的文件“…”


def notice_numbers(resolved: Project, unit_name: str) -> list[NumberUse]:
    """The numbers a resolved project's notices carry, for the build-wide check."""
    return [NumberUse(n.number.value.strip(), n.number.location,
                      f"单位“{unit_name}”的通知“{n.name}”")
            for n in resolved.notices if n.number is not None and n.number.value.strip()
            and not n.number.broken  # its placeholder failed: reported there
            and not drafts.pending_number(n.number.value)]  # a blank is no number yet


def registered_numbers(project: Project) -> list[NumberUse]:
    docs = {id(d): d for d in [*project.documents, *(c for lst in project.lists
                                                     for c in lst.basis)]}
    return [NumberUse(d.number.value.strip(), d.number.location, f"登记的文件《{d.title.value}》")
            for d in docs.values() if d.number is not None]


def check_unique_numbers(uses: list[NumberUse]) -> list[Diagnostic]:
    """E604 for a number two documents carry: registries check every 发文字号 once."""
    by_number: dict[str, list[NumberUse]] = {}
    for use in uses:
        by_number.setdefault(use.number, []).append(use)
    found = []
    for number, group in by_number.items():
        owners = list(dict.fromkeys(u.owner for u in group))
        if len(owners) < 2:
            continue
        places = list(dict.fromkeys(str(u.location) for u in group))
        shown = "、".join(owners[:3]) + (f" 等 {len(owners)} 份" if len(owners) > 3 else "")
        found.append(Diagnostic(
            "E604", f"发文字号“{number}”重复：{shown}都用了这个字号", group[-1].location,
            hint=("同一字号还写在 " + "、".join(places[:-1]) + "；" if len(places) > 1 else "")
            + "每份公文的发文字号必须唯一。有单位名册时，在各单位的 vars 中写各自的字号，"
              "通知中写 number: \"{{ unit.vars.发文字号 }}\""))
    return found


def check_date(date: Text | None) -> list[Diagnostic]:
    if date is None:
        return []
    try:
        numbering.date(date.value)
    except ValueError:
        return [Diagnostic("E603", f"日期“{date.value}”不存在", date.location,
                           hint="检查月份和日期，例如 2 月没有 30 日")]
    return []


def check_number(number: Text | None, date: Text | None,
                 pending: bool = False) -> list[Diagnostic]:
    """发文字号: 机关代字〔四位年份〕序号号, its year that of the date when one is given.
    pending: the project's own documents may leave the serial 待定 (a draft, W642)."""
    if number is None:
        return []
    text = number.value.strip()
    found = []
    match = NUMBER.match(text)
    if pending and drafts.pending_number(text):
        found.append(number_blank(number))
    elif match is None:
        found.append(Diagnostic("E601", f"发文字号“{text}”格式不对", number.location,
                                hint=number_hint(text)))
    # The year is checked even in a malformed number: fixing the brackets must not
    # reveal a wrong year only on the next run.
    written = YEAR_BRACKETS.search(text)
    year = match["year"] if match else (written.group(1) if written else None)
    if (date is not None and year is not None and len(year) == 4
            and date.value[:4].isdigit() and date.value[:4] != year):
        found.append(Diagnostic(
            "E602", f"发文字号年份 {year} 与成文日期 {date.value} 不符",
            number.locate(year), hint="发文字号中的年份应是成文日期的年份"))
    return found


def number_faults(text: str) -> list[str]:
    """Each fault of a 发文字号, naming the characters where it is: the year's brackets,
    a year not in full, 第 before the serial, a leading zero (虚位), no 号, spaces."""
    faults = []
    bracket = YEAR_BRACKETS.search(text)
    if bracket is None:
        with_year = re.search(r"[\[［(（【〔](\d{2,4})年[\]］)）】〕]", text)
        bare = re.search(r"(?<!\d)(\d{4})年", text)
        if with_year:
            faults.append(f"括号中的年份不写“年”字：“{with_year.group(0)}”应为"
                          f"“〔{with_year.group(1)}〕”")
        elif bare:
            faults.append(f"年份“{bare.group(0)}”应写在六角括号中：“〔{bare.group(1)}〕”")
        else:
            faults.append("没有写在六角括号〔〕中的年份")
        return faults
    written, year = bracket.group(0), bracket.group(1)
    if written[0] != "〔" or written[-1] != "〕":
        faults.append(f"年份的括号“{written}”应为六角括号“〔{year}〕”（不用方括号、圆括号或"
                      "方头括号）")
    if len(year) != 4:
        faults.append(f"年份“{year}”应写全四位")
    if not text[:bracket.start()].strip():
        faults.append("年份前缺少机关代字")
    after = text[bracket.end():]
    if after.lstrip().startswith("第"):
        faults.append(f"序号前多了“第”：“{written}{after[:after.find('第') + 1]}”")
    serial = re.match(r"\s*第?\s*(\d+)", after)
    if serial and len(serial.group(1)) > 1 and serial.group(1).startswith("0"):
        faults.append(f"序号“{serial.group(1)}”编了虚位（前导零），应为“{int(serial.group(1))}”")
    if " " in text or "\u3000" in text:
        faults.append("字号中有空格")
    if not text.endswith("号"):
        faults.append("末尾缺少“号”")
    return faults


def number_hint(text: str) -> str:
    """What exactly is wrong with a document number, and the corrected form when clear."""
    faults = number_faults(text)
    found = ("；".join(faults) + "。") if faults else ""
    fixed = YEAR_BRACKETS.sub(lambda m: f"〔{m.group(1)}〕", re.sub(r"[ \u3000]", "", text))
    if not YEAR_BRACKETS.search(fixed):  # 2024年 or 〔2024年〕 for the year
        fixed = WRITTEN_YEAR.sub(lambda m: f"〔{m.group(1)}〕", fixed, count=1)
    fixed = re.sub(r"〕第", "〕", fixed)
    fixed = re.sub(r"〕0+(\d)", r"〕\1", fixed)
    if not fixed.endswith("号"):
        fixed += "号"
    year = re.search(r"〔(\d+)〕", fixed)
    if year is None or len(year.group(1)) != 4:
        return found + "格式为“机关代字〔四位年份〕序号号”，例如“本委办发〔2018〕70号”"
    if NUMBER.match(fixed):
        return found + f"应写成“{fixed}”"
    return found + "格式为“机关代字〔四位年份〕序号号”，例如“本委办发〔2018〕70号”"
