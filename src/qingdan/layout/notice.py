"""A notice's front part as its template lays it out: the strings, and the lines they take.

The front page is the letterhead (organ mark, number and red rule, title), then the flow:
recipients, body (and a work notice's sections: headings, paragraphs, the schedule table),
the attachment note, the signature and the date. A draft's marker line above the organ
mark takes its height off the space above the mark (render/draft.py), so the letterhead
is the same height for a draft. Where these lines fall on the pages, and what is changed
so that the signature shares its page with body text, is signature.py's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..model import Notice, Section
from ..words import numbering
from .grid import LINE_CELLS, PITCH_TWIPS, Line, Metrics, break_lines, line_count, spaced
from .titles import balance_title, cells

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
# A work notice's schedule table (the notice template draws it with these widths, in
# twips): 小四 text in exact 18 pt lines, rows that never break across pages. A row is as
# tall as its tallest cell plus its border: 0.5 pt in LibreOffice 7.4 (measured), taken
# as 0 (Word, WPS) to 1 pt.
SCHEDULE_COLUMNS = (("序号", 720), ("阶段", 1400), ("时间", 2700), ("工作内容", 2725),
                    ("报送对象", 1300))
SCHEDULE_PT = 12
SCHEDULE_LINE_TWIPS = 360
CELL_MARGIN_TWIPS = 108  # left and right, Word's default
ROW_EXTRA_PT = (0.0, 1.0)
# The end block's text box (three 28.95 pt lines and three 2 pt rules) floats at the
# bottom of the page that holds its anchor: after the last attachment, or, when there is
# none, after the date, so that page keeps this much free under the signature.
END_BLOCK_PT = (3 * PITCH_TWIPS + 3 * 40) / 20
RENDERERS = tuple(zip(RULE_EXTRA_PT, ROW_EXTRA_PT, strict=True))  # Word and WPS; LibreOffice


@dataclass(frozen=True)
class SectionText:
    """A work notice's section as printed: 一、heading, paragraphs, the schedule's rows."""

    label: str  # 一、 (empty for a section without a heading)
    heading: str
    paragraphs: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # 序号, 阶段, 时间, 工作内容, 报送对象


def section_texts(sections: Sequence[Section]) -> tuple[SectionText, ...]:
    """Sections numbered 一、二、… (those with a heading), stages numbered 1, 2, …"""
    found = []
    headed = 0
    for section in sections:
        label = heading = ""
        if section.heading is not None:
            headed += 1
            label, heading = numbering.section(headed), section.heading.value
        rows = tuple((str(n), s.name.value, s.when.value, s.task.value, s.to.value if s.to else "")
                     for n, s in enumerate(section.schedule, 1))
        found.append(SectionText(label, heading, tuple(section.text.paragraphs()) if section.text
                                 else (), rows))
    return tuple(found)


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
    sections: tuple[SectionText, ...] = ()  # a work notice's, after the body


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
        gap=2 if doc.seal else 1, sections=section_texts(doc.sections))


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


# Characters a body line may hold and the character spacing (twips) that gives them: 28 is
# the standard's; 29 and 27 are the adjustment GB/T 9704-2012 7.3.5 allows, one character
# either way (a full-width character 15.2 or 16.35 pt instead of 15.75 in the 442.25 pt
# line, so 29 x 15.2 = 440.8 and 27 x 16.35 = 441.5 pt, with room to spare for rounding).
CHAR_SPACING = {LINE_CELLS: -5, LINE_CELLS + 1: -16, LINE_CELLS - 1: 7}
BODY_PT = 16


def indent_twips(chars: int) -> int:
    """The first-line indent of two characters at the spacing that gives chars a line."""
    return 2 * (BODY_PT * 20 + CHAR_SPACING[chars])


@dataclass(frozen=True)
class FlowLine:
    """One line of the flow: what it holds (recipients, body, blank, note, signature, date),
    its own height in points (None: the flow's pitch), whether it keeps with the next line
    (a heading's) and whether a page break comes before it. Text aside, so that notices of
    one shape share their layout."""

    tag: str
    height: float | None = None
    keep_next: bool = False
    break_before: bool = False


def body_units(text: NoticeText) -> tuple[tuple[str, str], ...]:
    """The body's paragraphs in order, each ("para" or "heading", its text): the body's,
    then each section's heading and paragraphs. A page may be broken before any of them,
    and inside a paragraph (not a heading) at the start of a line."""
    units = [("para", paragraph) for paragraph in text.body]
    for section in text.sections:
        if section.heading:
            units.append(("heading", section.label + section.heading))
        units.extend(("para", paragraph) for paragraph in section.paragraphs)
    return tuple(units)


@lru_cache(maxsize=16384)
def line_starts(value: str, first: float, rest: float, metrics: Metrics) -> tuple[int, ...]:
    """The character each of break_lines' lines begins with."""
    starts, at = [], 0
    for line in break_lines(value, first, rest, metrics):
        starts.append(at)
        at += len(line)
    return tuple(starts)


def flow_lines(text: NoticeText, metrics: Metrics, row_extra: float = ROW_EXTRA_PT[-1],
               chars: int = LINE_CELLS, split: tuple[int, int] | None = None) -> list[FlowLine]:
    """The flow's lines under one font model, body paragraphs holding chars a line; split:
    the body unit (see body_units) and its character before which a page is broken (the
    rest of the paragraph starts the next page flush left, as a continuation)."""
    found: list[FlowLine] = []
    wide = spaced(metrics, BODY_PT, CHAR_SPACING[chars] / 20)

    def add(tag: str, value: str, first: float, rest: float) -> None:
        found.extend([FlowLine(tag)] * line_count(value, first, rest, metrics))

    add("recipients", text.recipients, LINE_CELLS, LINE_CELLS)
    units = iter(range(len(body_units(text))))

    def body(value: str, heading: bool = False) -> None:
        unit = next(units)
        at = split[1] if split is not None and split[0] == unit else None
        if at:  # the paragraph in two: its head, then its tail on a new page
            head = line_count(value[:at], chars - 2, chars, wide)
            tail = line_count(value[at:], chars, chars, wide)
            found.extend([FlowLine("body")] * head + [FlowLine("body", break_before=True)]
                         + [FlowLine("body")] * (tail - 1))
            return
        count = line_count(value, chars - 2, chars, wide)
        found.extend([FlowLine("body", break_before=at == 0)] + [FlowLine("body")] * (count - 1))
        if heading:  # kept with the next line; its height is the pitch
            found[-1] = FlowLine("body", None, True, found[-1].break_before)

    for paragraph in text.body:
        body(paragraph)
    for section in text.sections:
        if section.heading:
            body(section.label + section.heading, heading=True)
        for paragraph in section.paragraphs:
            body(paragraph)
        if section.rows:
            found.extend(FlowLine("body", line.height) for line in
                         schedule_rows(section.rows, metrics, row_extra))
    if text.notes:
        found.append(FlowLine("blank"))
    for n, note in enumerate(text.notes):
        first = NOTE_INDENT - 3 if n == 0 else NOTE_INDENT
        add("note", note, LINE_CELLS - first, LINE_CELLS - NOTE_INDENT)
    found.extend([FlowLine("blank")] * text.gap)
    add("signature", text.signature_line, LINE_CELLS, LINE_CELLS)
    add("date", text.date_line, LINE_CELLS, LINE_CELLS)
    return found


def letterhead(titles: int, rule: float) -> list[Line]:
    """The letterhead's lines above the flow, for a title of that many lines."""
    blank = Line(LINE_PT, "letterhead")
    return [Line(MARK_BLOCK_PT, "letterhead"), blank, blank, Line(LINE_PT + rule, "letterhead"),
            blank, blank, *[blank] * titles, blank]


def schedule_rows(rows: Sequence[tuple[str, ...]], metrics: Metrics,
                  extra: float) -> list[Line]:
    """The schedule table's rows (its header first) as lines of their own height."""
    cell = SCHEDULE_PT - 0.25  # the table styles' character spacing
    capacity = [(width - 2 * CELL_MARGIN_TWIPS) / 20 / cell for _, width in SCHEDULE_COLUMNS]
    found: list[Line] = []
    for row in [tuple(name for name, _ in SCHEDULE_COLUMNS), *rows]:
        lines = max(line_count(value, room, room, metrics)
                    for value, room in zip(row, capacity, strict=True))
        found.append(Line(lines * SCHEDULE_LINE_TWIPS / 20 + extra, "body"))
    return found
