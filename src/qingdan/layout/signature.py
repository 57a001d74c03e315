"""The signature on a page with body text (GB/T 9704-2012 7.3.5), and how little that shows.

When the body ends on one page and the signature and date would start the next, the
standard allows the line and the character spacing to be adjusted so that the page carrying
the signature also carries body text ("此页无正文" is not allowed). Three remedies are tried,
each under every renderer a notice may meet (grid.METRICS x the letterhead's renderers):

- the flow's line pitch, between 24 and 20 lines a page: tighter, so that the signature
  comes back to the body's page, or looser, so that the body's last lines go on with it;
- the body's character spacing, one character more or fewer a line (29 or 27, see
  notice.CHAR_SPACING), alone or with a pitch;
- a page break before the body's last lines (at the start of a paragraph, or inside one
  at the start of a line, the rest of the paragraph going on flush left), so that they
  travel to the next page with the signature: the flow loosened at one place, the foot
  of a page.

Visibility is how far the front part's pages depart from the standard's full 22 x 28 grid,
as a share of it, summed over what changes: |lines a page - 22| / 22 for the pitch,
|characters a line - 28| / 28 for the spacing, and the whole lines left empty at the foot
of the pages before the signature's (a page break's hole) / 22, half a line more where a
renderer would have gone on with the line the break cuts (a paragraph with digits or
Latin breaks its lines at other places in other fonts). So 21 lines a page cost 4.5 %,
29 characters a line 3.6 %, a break that leaves two lines empty 9.1 %. The least visible
remedy wins; on a tie, the pitch before the spacing before a break. Nothing is changed
for a notice that needs nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .grid import BLOCK_HEIGHT_PT, EPSILON, LINE_CELLS, METRICS, PITCH_TWIPS, Line, paginate
from .notice import (
    CHAR_SPACING,
    END_BLOCK_PT,
    LINE_PT,
    MAX_PITCH,
    MIN_PITCH,
    RENDERERS,
    FlowLine,
    NoticeText,
    body_units,
    flow_lines,
    letterhead,
    line_starts,
)

LINES = round(BLOCK_HEIGHT_PT / LINE_PT)  # 22
Case = tuple[float, tuple[FlowLine, ...]]  # one renderer: its rule's extra height, the flow


@dataclass(frozen=True)
class Remedy:
    """How the front part is set: the flow's pitch (twips), the characters a body line
    holds, the body unit and character before which a page is broken, and how visible
    that is (see the module docstring)."""

    pitch: int = PITCH_TWIPS
    chars: int = LINE_CELLS
    split: tuple[int, int] | None = None  # (body unit, its character): a new page there
    visibility: float = 0.0

    @property
    def changed(self) -> bool:
        return (self.pitch, self.chars, self.split) != (PITCH_TWIPS, LINE_CELLS, None)


NONE = Remedy()


@dataclass(frozen=True)
class Layout:
    """The flow under one renderer: the pages of the last body line, the signature and the
    date, the whole lines left empty at the foot of the pages before the signature's, the
    points free under the date on its page, and how many pages the front part takes."""

    body: int
    signature: int
    date: int
    hole: int
    free: float
    pages: int

    @property
    def together(self) -> bool:
        return self.body == self.signature == self.date


def lay_out(titles: int, case: Case, remedy: Remedy, reserve: float = 0.0) -> Layout:
    """The flow of one renderer set as remedy says (its split already in the flow), on
    pages (reserve: points the last page keeps free at its foot, for the end block)."""
    rule, flow = case
    pitch = remedy.pitch / 20
    head = letterhead(titles, rule)
    lines = head + [Line(pitch if f.height is None else f.height, f.tag, f.keep_next,
                         f.break_before) for f in flow]
    pages = paginate(lines, reserve=reserve)
    used: dict[int, float] = {}
    for page, line in zip(pages, lines, strict=True):
        used[page] = used.get(page, 0.0) + line.height

    def last(*tags: str) -> int:
        return max((p for p, line in zip(pages, lines, strict=True) if line.tag in tags),
                   default=0)

    body = last("body") or last("recipients")
    signature, date = last("signature"), last("date")
    hole = sum(int((BLOCK_HEIGHT_PT - used.get(page, 0.0)) / LINE_PT + EPSILON)
               for page in range(pages[len(head)], signature))
    return Layout(body, signature, date, hole, BLOCK_HEIGHT_PT - used.get(date, 0.0),
                  pages[-1])


def visibility(pitch: int, chars: int, hole: float = 0) -> float:
    """The share of the standard grid a remedy changes (see the module docstring)."""
    per_page = BLOCK_HEIGHT_PT / (pitch / 20) - BLOCK_HEIGHT_PT / LINE_PT  # lines more
    return abs(per_page) / LINES + abs(chars - LINE_CELLS) / LINE_CELLS + hole / LINES


@lru_cache(maxsize=256)
def cases(text: NoticeText, chars: int = LINE_CELLS,
          split: tuple[int, int] | None = None) -> tuple[Case, ...]:
    """The flow under every renderer, body lines holding chars characters, a page broken
    where split says."""
    rows = any(section.rows for section in text.sections)  # the only use of row_extra
    flows: dict[tuple[object, float | None], tuple[FlowLine, ...]] = {}
    found = []
    for metrics in METRICS:
        for rule, row in RENDERERS:
            key = (metrics, row if rows else None)
            if key not in flows:
                flows[key] = tuple(flow_lines(text, metrics, row, chars, split))
            found.append((rule, flows[key]))
    return tuple(found)


def splits(text: NoticeText) -> list[tuple[tuple[int, int], bool]]:
    """Where a page may be broken in the body, last first, and whether every font model
    starts a line there: before any body unit but the first (and but one right after a
    heading), and before a later line of a paragraph under some font model."""
    found = []
    units = body_units(text)
    for unit in range(len(units) - 1, -1, -1):
        kind, value = units[unit]
        if kind == "para":
            starts = [set(line_starts(value, LINE_CELLS - 2, LINE_CELLS, m)) for m in METRICS]
            for at in sorted(set.union(*starts) - {0}, reverse=True):
                found.append(((unit, at), all(at in each for each in starts)))
        if unit and units[unit - 1][0] != "heading":
            found.append(((unit, 0), True))
    return found


def reserve_for(text: NoticeText, duplex: bool) -> float:
    """Room the signature's page keeps for the end block: printed on one side, a notice
    without attachments ends with it under the date. On both sides it goes where the page
    count lets it (endblock.py), never pushing the flow."""
    return 0.0 if duplex or text.notes else END_BLOCK_PT


@lru_cache(maxsize=256)
def choose(text: NoticeText, duplex: bool = True) -> Remedy | None:
    """The least visible remedy that puts the last body line, the signature and the date
    on one page under every renderer: NONE when nothing needs changing, None when nothing
    the standard allows does it. (Remembered: the check and the renderer both ask.)"""
    titles, reserve = len(text.title_lines), reserve_for(text, duplex)
    plain = cases(text)
    if _fits(titles, plain, reserve):
        return NONE  # most notices: nothing else laid out
    flows = {chars: plain if chars == LINE_CELLS else cases(text, chars)
             for chars in CHAR_SPACING}
    found = _uniform(titles, tuple(sorted(flows.items())), reserve)
    for (split, agreed) in splits(text):
        layouts = [lay_out(titles, case, NONE, reserve) for case in cases(text, split=split)]
        if all(layout.together for layout in layouts):
            hole = max(layout.hole for layout in layouts) + (0 if agreed else 0.5)
            cost = visibility(PITCH_TWIPS, LINE_CELLS, hole)
            if found is None or cost < found.visibility:
                found = Remedy(split=split, visibility=cost)
            break  # the latest break that works moves the fewest lines
    return found


@lru_cache(maxsize=256)
def _fits(titles: int, flows: tuple[Case, ...], reserve: float) -> bool:
    """Whether a flow's shape needs nothing changed (remembered: a roster's units mostly
    share one)."""
    return all(lay_out(titles, case, NONE, reserve).together for case in flows)


@lru_cache(maxsize=256)
def _uniform(titles: int, flows: tuple[tuple[int, tuple[Case, ...]], ...],
             reserve: float) -> Remedy | None:
    """The least visible pitch and spacing for a flow's shape that needs a remedy: the
    units of a roster mostly share one, whatever their names, so their pages are laid out
    once for all of them."""
    by_chars = dict(flows)

    def works(remedy: Remedy) -> list[Layout] | None:
        layouts = [lay_out(titles, case, remedy, reserve) for case in by_chars[remedy.chars]]
        return layouts if all(layout.together for layout in layouts) else None

    found: list[tuple[float, int, Remedy]] = []
    uniform = sorted((visibility(pitch, chars), _order(pitch, chars), pitch, chars)
                     for chars in by_chars for pitch in range(MIN_PITCH, MAX_PITCH + 1))
    for base, order, pitch, chars in uniform:
        if found and base > found[0][0]:
            break
        layouts = works(Remedy(pitch, chars))
        if layouts is not None:
            cost = visibility(pitch, chars, max(layout.hole for layout in layouts))
            found.append((cost, order, Remedy(pitch, chars, None, cost)))
            found.sort(key=lambda entry: entry[:2])
    return found[0][2] if found else None


def _order(pitch: int, chars: int) -> int:
    """On a tie, the pitch before the spacing before both."""
    return 1 + (chars != LINE_CELLS) + (pitch != PITCH_TWIPS and chars != LINE_CELLS)


def layouts(text: NoticeText, remedy: Remedy, duplex: bool = True) -> list[Layout]:
    """The flow under every renderer, set as remedy says."""
    reserve = reserve_for(text, duplex)
    return [lay_out(len(text.title_lines), case, remedy, reserve)
            for case in cases(text, remedy.chars, remedy.split)]


@dataclass(frozen=True)
class Shortfall:
    """What would let the signature share a page with the body as the text stands: so
    many lines fewer in the body and attachment note, or so many more in the body (None:
    no such number up to a page)."""

    cut: int | None
    add: int | None
    page: int  # where the signature lands now


def shortfall(text: NoticeText, duplex: bool = True) -> Shortfall:
    """For a notice no remedy helps (choose gives None): how much to change its text."""
    titles, reserve = len(text.title_lines), reserve_for(text, duplex)
    flows = cases(text)

    def together(edit: int) -> bool:
        return all(lay_out(titles, (rule, _edited(flow, edit)), NONE, reserve).together
                   for rule, flow in flows)

    room = LINES + 1
    cut = next((k for k in range(1, room) if _removable(flows[0][1]) >= k and together(-k)),
               None)
    add = next((k for k in range(1, room) if together(k)), None)
    page = max(lay_out(titles, case, NONE, reserve).signature for case in flows)
    return Shortfall(cut, add, page)


def _removable(flow: Sequence[FlowLine]) -> int:
    """Lines of the body and the attachment note that may go: all but one body line."""
    return sum(f.tag in ("body", "note") for f in flow) - 1


def _edited(flow: tuple[FlowLine, ...], edit: int) -> tuple[FlowLine, ...]:
    """The flow with edit lines more body text after its last body line, or -edit lines
    fewer of the note and the body, from the end."""
    lines = list(flow)
    last = max(i for i, f in enumerate(lines) if f.tag in ("body", "recipients"))
    if edit > 0:
        return tuple(lines[:last + 1] + [FlowLine("body")] * edit + lines[last + 1:])
    for _ in range(-edit):
        drop = max(i for i, f in enumerate(lines) if f.tag in ("body", "note"))
        del lines[drop]
    return tuple(lines)
