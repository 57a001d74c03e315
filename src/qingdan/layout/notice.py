"""Where a notice's parts fall on its pages, and the line spacing that keeps the signature
with the body (GB/T 9704-2012, 7.3.5).

The front page is the letterhead (organ mark, number and red rule, title), then the flow:
recipients, body (and a work notice's sections: headings, paragraphs, the schedule table),
the attachment note, the signature and the date. A draft's marker line above the organ
mark takes its height off the space above the mark (render/draft.py), so the letterhead
is the same height for a draft. When the body ends on
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
from ..model import Notice, Section
from ..titles import balance_title, cells
from .grid import LINE_CELLS, METRICS, PITCH_TWIPS, Line, Metrics, line_count, paginate

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


def flow_tags(text: NoticeText, metrics: Metrics,
              row_extra: float = ROW_EXTRA_PT[-1]) -> list[str | Line]:
    """What each line of the flow holds (recipients, body, blank, note, signature, date):
    a tag for a line at the flow's pitch, a Line for one of its own height (a table row,
    a heading kept with the next line)."""
    tags: list[str | Line] = []

    def add(tag: str, value: str, first: float, rest: float) -> None:
        tags.extend([tag] * line_count(value, first, rest, metrics))

    add("recipients", text.recipients, LINE_CELLS, LINE_CELLS)
    for paragraph in text.body:
        add("body", paragraph, LINE_CELLS - 2, LINE_CELLS)
    for section in text.sections:
        if section.heading:
            add("body", section.label + section.heading, LINE_CELLS - 2, LINE_CELLS)
            tags[-1] = Line(0.0, "body", keep_next=True)  # a heading; its height is the pitch
        for paragraph in section.paragraphs:
            add("body", paragraph, LINE_CELLS - 2, LINE_CELLS)
        if section.rows:
            tags.extend(schedule_rows(section.rows, metrics, row_extra))
    if text.notes:
        tags.append("blank")
    for n, note in enumerate(text.notes):
        first = NOTE_INDENT - 3 if n == 0 else NOTE_INDENT
        add("note", note, LINE_CELLS - first, LINE_CELLS - NOTE_INDENT)
    tags.extend(["blank"] * text.gap)
    add("signature", text.signature_line, LINE_CELLS, LINE_CELLS)
    add("date", text.date_line, LINE_CELLS, LINE_CELLS)
    return tags


def _letterhead(titles: int, rule: float) -> list[Line]:
    """The letterhead's lines above the flow, for a title of that many lines."""
    blank = Line(LINE_PT, "letterhead")
    return [Line(MARK_BLOCK_PT, "letterhead"), blank, blank, Line(LINE_PT + rule, "letterhead"),
            blank, blank, *[blank] * titles, blank]


@dataclass(frozen=True)
class Placement:
    """The pages of the last body line, the signature and the date under one renderer."""

    body: int
    signature: int
    date: int

    @property
    def together(self) -> bool:
        return self.body == self.signature == self.date


def schedule_rows(rows: Sequence[tuple[str, ...]], metrics: Metrics,
                  extra: float) -> list[str | Line]:
    """The schedule table's rows (its header first) as lines of their own height."""
    cell = SCHEDULE_PT - 0.25  # the table styles' character spacing
    capacity = [(width - 2 * CELL_MARGIN_TWIPS) / 20 / cell for _, width in SCHEDULE_COLUMNS]
    found: list[str | Line] = []
    for row in [tuple(name for name, _ in SCHEDULE_COLUMNS), *rows]:
        lines = max(line_count(value, room, room, metrics)
                    for value, room in zip(row, capacity, strict=True))
        found.append(Line(lines * SCHEDULE_LINE_TWIPS / 20 + extra, "body"))
    return found


def place(letterhead: list[Line], tags: Sequence[str | Line], pitch_twips: int,
          reserve: float = 0.0) -> Placement:
    pitch = pitch_twips / 20
    lines = letterhead + [Line(pitch, tag) if isinstance(tag, str)
                          else Line(tag.height or pitch, tag.tag, tag.keep_next) for tag in tags]
    pages = paginate(lines, reserve=reserve)

    def last(tag: str) -> int:
        return max((p for p, line in zip(pages, lines, strict=True) if line.tag == tag),
                   default=0)

    return Placement(last("body") or last("recipients"), last("signature"), last("date"))


def placements(text: NoticeText, pitch_twips: int = PITCH_TWIPS) -> list[Placement]:
    """The placement under every renderer the notice may meet."""
    return [place(_letterhead(len(text.title_lines), rule), flow_tags(text, m, row),
                  pitch_twips, _reserve(text)) for m in METRICS for rule, row in RENDERERS]


def _reserve(text: NoticeText) -> float:
    """Without attachments the end block shares the signature's page."""
    return 0.0 if text.notes else END_BLOCK_PT


@lru_cache(maxsize=256)
def choose_pitch(text: NoticeText) -> int | None:
    """The flow's line pitch in twips that keeps the signature and date with the body under
    every renderer: PITCH_TWIPS when nothing needs changing, else the nearest pitch between
    24 and 20 lines a page that does it, None when none does. (Remembered: the check and
    the renderer both ask.)"""
    rows = any(section.rows for section in text.sections)  # the only use of row_extra
    flows: dict[tuple[Metrics, float | None], tuple[str | Line, ...]] = {}
    cases = []
    for m in METRICS:
        for rule, row in RENDERERS:
            key = (m, row if rows else None)
            if key not in flows:
                flows[key] = tuple(flow_tags(text, m, row))
            cases.append((rule, flows[key]))
    return _pitch_for(len(text.title_lines), tuple(cases), _reserve(text))


@lru_cache(maxsize=256)
def _pitch_for(titles: int, cases: tuple[tuple[float, tuple[str | Line, ...]], ...],
               reserve: float) -> int | None:
    """choose_pitch for a flow's shape: how many title lines, what each line of the flow
    holds under each renderer. The units of a roster mostly share one shape, whatever
    their names, so the pages are laid out once for all of them."""
    heads = {rule: _letterhead(titles, rule) for rule, _ in cases}
    for pitch in sorted(range(MIN_PITCH, MAX_PITCH + 1), key=lambda p: abs(p - PITCH_TWIPS)):
        if all(place(heads[rule], tags, pitch, reserve).together for rule, tags in cases):
            return pitch
    return None
