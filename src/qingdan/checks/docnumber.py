"""Document numbers (发文字号) and dates of cited documents."""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic
from ..model import CitedDocument, Project

# 机关代字 + 〔四位年份〕 + 序号（无前导零）+ 号.
NUMBER = re.compile(r"^(?P<organ>[^〔\[［(（【]+)〔(?P<year>\d{4})〕(?P<serial>[1-9]\d*)号$")
YEAR_BRACKETS = re.compile(r"[\[［(（【〔](\d{2,4})[\]］)）】〕]")


def check_documents(project: Project) -> list[Diagnostic]:
    """Every cited document's number and date, in the registry and in lists' basis."""
    seen: set[int] = set()
    found = []
    docs = [*project.documents, *(d for lst in project.lists for d in lst.basis)]
    for doc in docs:
        if id(doc) in seen:
            continue
        seen.add(id(doc))
        found.extend(check_number(doc))
    return found


def check_number(doc: CitedDocument) -> list[Diagnostic]:
    if doc.number is None:
        return []
    text = doc.number.value.strip()
    match = NUMBER.match(text)
    if match is None:
        return [Diagnostic("E601", f"发文字号“{text}”格式不对", doc.number.location,
                           hint=number_hint(text))]
    if doc.date is not None and doc.date.value[:4] != match["year"]:
        return [Diagnostic(
            "E602", f"发文字号年份 {match['year']} 与成文日期 {doc.date.value} 不符",
            doc.number.locate(match["year"]),
            hint="发文字号中的年份应是成文日期的年份")]
    return []


def number_hint(text: str) -> str:
    """What exactly is wrong with a document number, and the corrected form when clear."""
    fixed = YEAR_BRACKETS.sub(lambda m: f"〔{m.group(1)}〕", text)
    fixed = re.sub(r"〕第", "〕", fixed)
    fixed = re.sub(r"〕0+(\d)", r"〕\1", fixed)
    if not fixed.endswith("号"):
        fixed += "号"
    year = re.search(r"〔(\d+)〕", fixed)
    if year is None or len(year.group(1)) != 4:
        return "格式为“机关代字〔四位年份〕序号号”，例如“本委办发〔2018〕70号”，年份写全四位"
    if NUMBER.match(fixed):
        return (f"应写成“{fixed}”：年份用六角括号〔〕，序号不加“第”、"
                "不编虚位（无前导零），以“号”结尾")
    return "格式为“机关代字〔四位年份〕序号号”，例如“本委办发〔2018〕70号”"
