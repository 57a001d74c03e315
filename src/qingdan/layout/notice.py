"""Where a notice's parts fall on its pages, and the line spacing that keeps the signature
with the body (GB/T 9704-2012, 7.3.5).

The front page is the letterhead (organ mark, number and red rule, title), then the flow:
recipients, body, the attachment note, the signature and the date. When the body ends on
one page and the signature would start the next, the standard asks for the line or
character spacing to be adjusted so that the page carrying the signature also carries body
text. `choose_pitch` tries the spacings between 24 and 20 lines a page, nearest to 22 first,
and keeps the first under which every renderer (see grid.METRICS) puts the last body line,
the signature and the date on one page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .. import numbering
from ..model import Notice
from ..titles import balance_title, cells
from .grid import LINE_CELLS, METRICS, PITCH_TWIPS, Line, Metrics, break_lines, paginate

# Heights of the letterhead in points, from the notice template's styles: the organ mark's
# paragraph (35 mm spacing before less its own leading, an exact 42 pt line), the number's
# line and its red rule (5 pt gap and the 1.5 pt rule in Word and WPS; LibreOffice leaves
# about 4 pt more, measured), the blank lines between them, the 2号 title lines.
MARK_BLOCK_PT = (1784 + 840) / 20
RULE_EXTRA_PT = (6.5, 10.5)
LINE_PT = PITCH_TWIPS / 20
# The pitches qingdan may choose, in twips: from 24 lines in the 225 mm block to 20.
MIN_PITCH, MAX_PITCH = 530, 637
NOTE_INDENT = 5  # 附件说明: the names stand five characters in, the first line at two


@dataclass(frozen=True)
class NoticeText:
    """The rendered strings of a notice's front part, as the template lays them out."""

    title_lines: tuple[str, ...]
    recipients: str
    body: tuple[str, ...]
    notes: tuple[str, ...]
    signature_line: str
    date_line: str
    gap: int  # blank lines between the note (or body) and the signature


def recipients_line(value: str) -> str:
    """主送 ends with a full-width colon, whatever the source wrote."""
    return value.rstrip().rstrip(":：") + "："


def attachment_notes(titles: Sequence[str]) -> tuple[str, ...]:
    """附件说明: "附件：名称" for one, "附件：1.名称" then "2.名称" … for several."""
    if len(titles) == 1:
        return (f"附件：{titles[0]}",)
    return tuple(f"附件：{n}.{t}" if n == 1 else f"{n}.{t}" for n, t in enumerate(titles, 1))


def notice_text(doc: Notice, attached_titles: Sequence[str]) -> NoticeText:
    """A resolved notice's front part as its template lays it out."""
    date = numbering.date(doc.date.value)
    signature, day = signature_lines(doc.signature.value, date, seal=doc.seal)
    return NoticeText(
        title_lines=tuple(balance_title([t.value for t in doc.title])),
        recipients=recipients_line(doc.recipients.value), body=tuple(doc.body.paragraphs()),
        notes=attachment_notes(attached_titles), signature_line=signature, date_line=day,
        gap=2 if doc.seal else 1)


def pad(start: float) -> str:
    """Leading space that puts the next character start cells in from the margin."""
    whole = int(start)
    return "　" * whole + (" " if start - whole >= 0.5 else "")


def signature_lines(signature: str, date: str, seal: bool = False,
                    width: int = LINE_CELLS) -> tuple[str, str]:
    """The signature and date lines with their leading space (GB/T 9704-2012, 7.3.5).

    Without a seal the signature stands two characters in from the right and the date
    under it two characters further in; when the date would then run past that, the date
    sits two in from the right and the signature moves left with it. With a seal the date
    stands four characters in from the right and the signature is centred over it.
    """
    sign, day = cells(signature), cells(date)
    if seal:
        start = width - 4 - day
        return pad(max(start + (day - sign) / 2, 0)) + signature, pad(start) + date
    if day + 2 <= sign:
        start = width - 2 - sign
        return pad(start) + signature, pad(start + 2) + date
    start = width - 2 - day
    return pad(max(start - 2, 0)) + signature, pad(start) + date


def flow_tags(text: NoticeText, metrics: Metrics) -> list[str]:
    """What each line of the flow holds (recipients, body, blank, note, signature, date)."""
    tags: list[str] = []

    def add(tag: str, value: str, first: float, rest: float) -> None:
        tags.extend([tag] * len(break_lines(value, first, rest, metrics)))

    add("recipients", text.recipients, LINE_CELLS, LINE_CELLS)
    for paragraph in text.body:
        add("body", paragraph, LINE_CELLS - 2, LINE_CELLS)
    tags.append("blank")
    for n, note in enumerate(text.notes):
        first = NOTE_INDENT - 3 if n == 0 else NOTE_INDENT
        add("note", note, LINE_CELLS - first, LINE_CELLS - NOTE_INDENT)
    tags.extend(["blank"] * text.gap)
    add("signature", text.signature_line, LINE_CELLS, LINE_CELLS)
    add("date", text.date_line, LINE_CELLS, LINE_CELLS)
    return tags


def _letterhead(text: NoticeText, rule: float) -> list[Line]:
    blank = Line(LINE_PT, "letterhead")
    return [Line(MARK_BLOCK_PT, "letterhead"), blank, blank, Line(LINE_PT + rule, "letterhead"),
            blank, blank, *(Line(LINE_PT, "letterhead") for _ in text.title_lines), blank]


@dataclass(frozen=True)
class Placement:
    """The pages of the last body line, the signature and the date under one renderer."""

    body: int
    signature: int
    date: int

    @property
    def together(self) -> bool:
        return self.body == self.signature == self.date


def place(letterhead: list[Line], tags: list[str], pitch_twips: int) -> Placement:
    lines = letterhead + [Line(pitch_twips / 20, tag) for tag in tags]
    pages = paginate(lines)

    def last(tag: str) -> int:
        return max((p for p, line in zip(pages, lines, strict=True) if line.tag == tag),
                   default=0)

    return Placement(last("body") or last("recipients"), last("signature"), last("date"))


def placements(text: NoticeText, pitch_twips: int = PITCH_TWIPS) -> list[Placement]:
    """The placement under every renderer the notice may meet."""
    return [place(_letterhead(text, rule), flow_tags(text, m), pitch_twips)
            for m in METRICS for rule in RULE_EXTRA_PT]


@lru_cache(maxsize=256)
def choose_pitch(text: NoticeText) -> int | None:
    """The flow's line pitch in twips that keeps the signature and date with the body under
    every renderer: PITCH_TWIPS when nothing needs changing, else the nearest pitch between
    24 and 20 lines a page that does it, None when none does. (Remembered: the check and
    the renderer both ask, and every unit of a roster often has the same notice.)"""
    tags = [flow_tags(text, m) for m in METRICS]
    cases = [(_letterhead(text, rule), each) for each in tags for rule in RULE_EXTRA_PT]
    for pitch in sorted(range(MIN_PITCH, MAX_PITCH + 1), key=lambda p: abs(p - PITCH_TWIPS)):
        if all(place(head, tags, pitch).together for head, tags in cases):
            return pitch
    return None
