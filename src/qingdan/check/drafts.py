"""Drafts as diagnostics: every blank a notice leaves is a warning (W641 a date, W642 a
number; W643 a notice marked with `draft:`), and `--final` turns each into an error
(E641-E643) so that nothing with a blank goes out."""

from __future__ import annotations

import dataclasses

from ..diagnostics import Diagnostic, Severity
from ..model import Notice, Text
from ..words.drafts import PENDING_NUMBER, pending_date

DRAFTED = "：按草稿生成"  # what every W64x message says after naming the blank
FINAL = {"W641": "E641", "W642": "E642", "W643": "E643"}
LATER = "；正式发文前用 build --final 检查有无留空"  # how every W641/W642 hint ends
UNFINISHED = "；尚未定稿时不加 --final，按草稿生成"


def check_notice(notice: Notice) -> list[Diagnostic]:
    """W641 for each pending date of a notice as written, W643 for a `draft:` marker."""
    found = []
    for what, date in (("成文日期", notice.date), ("印发日期", notice.print_date)):
        if date is not None and pending_date(date.value):
            known = date.value.count("-")  # 待定, 2025-待定, 2025-3-待定
            part = ("", "的月、日", "的日")[known]
            found.append(Diagnostic(
                "W641", f"{what}{part}待定{DRAFTED}，日期处留空", date.location,
                hint=f"日期确定后写成 2025-03-15 的形式{LATER}"))
    if notice.draft is not None:
        found.append(Diagnostic(
            "W643", f"通知“{notice.name}”标为“{notice.draft.value}”{DRAFTED}",
            notice.draft.location, hint=f"左上角标注“{notice.draft.value}”；定稿后删去 draft:"))
    return found


def number_blank(number: Text) -> Diagnostic:
    """W642 for a 发文字号 whose serial is still to be fixed."""
    value = number.value.strip()
    match = PENDING_NUMBER.match(value)
    example = (f"{match['organ']}〔{match['year']}〕3号" if match and match["year"]
               else "清粮党发〔2025〕3号")
    where = ("：这个字号取自占位符，在 qingdan.yaml（本单位）或单位名册（各单位）的 vars 中填写"
             if "{" in number.raw else "")
    return Diagnostic(
        "W642", f"发文字号“{value}”的序号待定{DRAFTED}，序号处留空", number.location,
        hint=f"序号确定后写成 {example} 的形式{where}{LATER}")


def refuse_drafts(found: list[Diagnostic]) -> list[Diagnostic]:
    """--final: every blank (and every draft marker) becomes an error at the same place."""
    out = []
    for diag in found:
        code = FINAL.get(diag.code)
        if code is None:
            out.append(diag)
            continue
        head = diag.message.partition(DRAFTED)[0]
        verb = "不能生成草稿" if code == "E643" else "不允许留空"
        hint = ("正式发文时删去 draft:" if code == "E643"
                else (diag.hint or "").replace(LATER, "") + UNFINISHED)
        out.append(dataclasses.replace(diag, code=code, severity=Severity.ERROR,
                                       message=f"{head}，--final {verb}", hint=hint))
    return out
