"""Values still to be fixed: a notice whose 成文日期 or 发文字号 is 待定 builds as a draft.

A date is pending when written 待定, or with only its year (and month) known: 2025-待定,
2025-3-待定. A document number is pending when its serial is 待定 or left out:
清粮党发〔2025〕待定号, 清粮党发〔2025〕号, or the whole number 待定. A draft prints blanks
where the values go (清粮党发〔2025〕　　号, 2025年　　月　　日) and a marker, 草稿 (or what
the notice's `draft:` says, such as 征求意见稿), at the top left of the first page, where
GB/T 9704-2012 puts 份号, 密级 and 紧急程度 (7.2.2-7.2.4): 3号黑体, flush left, first line.

Every blank is a warning, and an error under --final: check/drafts.py.
"""

from __future__ import annotations

import re

from ..model import Notice
from .numbering import BLANK, PENDING

PENDING_DATE = re.compile(rf"^(?:{PENDING}|\d{{4}}(?:-\d{{1,2}})?-{PENDING})$")
PENDING_NUMBER = re.compile(
    rf"^(?:{PENDING}|(?P<organ>[^〔\[［(（【]+)〔(?P<year>\d{{4}})〕(?:{PENDING})?号?)$")
DRAFT = "草稿"


def pending_date(value: str) -> bool:
    return PENDING_DATE.match(value.strip()) is not None


def pending_number(value: str) -> bool:
    return PENDING_NUMBER.match(value.strip()) is not None


def number_line(value: str) -> str:
    """The 发文字号 as printed: a pending serial becomes a blank before 号."""
    match = PENDING_NUMBER.match(value.strip())
    if match is None:
        return value
    if match["year"] is None:
        return f"{BLANK * 2}〔{BLANK * 2}〕{BLANK}号"
    return f"{match['organ']}〔{match['year']}〕{BLANK}号"


def is_draft(notice: Notice) -> bool:
    """Whether a resolved notice has a blank to print or is marked a draft."""
    dates = [d for d in (notice.date, notice.print_date) if d is not None]
    return (notice.draft is not None or any(pending_date(d.value) for d in dates)
            or (notice.number is not None and pending_number(notice.number.value)))


def marker(notice: Notice) -> str:
    """The word at the top left of a draft's first page; empty for a final document."""
    if notice.draft is not None:
        return notice.draft.value
    return DRAFT if is_draft(notice) else ""
