"""The paragraphs of a list a unit sent back, aligned with the list as qingdan built it for
that unit: which sections are which roles, which paragraphs are which items (the same,
reworded, moved, merged into another, new) and which items are gone; and what cannot be
said in terms of items (a title, preamble, heading or lead rewritten, a section added).

Items are matched by their words, not their numbers (a unit rarely renumbers what it
edits): identical text first, then the most similar pairs above MATCH, each item at most
once. A paragraph that holds most of two items' words is the two merged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ..render.docx import ListView
from .read import Paragraph

MATCH = 0.5  # the least similarity of an item reworded (below it: one gone, one new)
MAX_PAIRS = 200_000  # items compared by similarity at most (a hostile file: only by text)
HEADING_MATCH = 0.6
COVERED = 0.8  # the share of an item's words a paragraph must hold to have taken it in
SECTION = re.compile(r"^[一二三四五六七八九十百]+\s*[、．.]\s*")
ITEM = re.compile(r"^\d{1,3}\s*[.．、]\s*")
HEADING_STYLES = ("一级标题", "Heading 1", "heading 1", "标题 1")
TITLE_STYLES = ("公文标题", "Title", "标题")
SPACE = re.compile(r"\s+")


def squeezed(text: str) -> str:
    """text as compared: without spaces (Word and WPS add and drop them)."""
    return SPACE.sub("", text)


def similarity(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, squeezed(a), squeezed(b), autojunk=False)
    if matcher.real_quick_ratio() < MATCH or matcher.quick_ratio() < MATCH:
        return 0.0
    return matcher.ratio()


@dataclass
class Section:
    """A part of the sent list under a heading (一、…)."""

    heading: Paragraph
    text: str  # the heading without its label
    lead: list[Paragraph] = field(default_factory=list)
    items: list[Paragraph] = field(default_factory=list)
    role: str = ""  # the role it was matched to ("" when none)
    unnumbered: list[str] = field(default_factory=list)  # where an item had no number


def body_text(paragraph: Paragraph, pattern: re.Pattern[str]) -> str:
    return pattern.sub("", paragraph.text.strip(), count=1)


def split(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], list[Section]]:
    """(the paragraphs before the first section heading, the sections)."""
    front: list[Paragraph] = []
    sections: list[Section] = []
    for paragraph in paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        if SECTION.match(text) or paragraph.style in HEADING_STYLES and not ITEM.match(text):
            sections.append(Section(paragraph, body_text(paragraph, SECTION)))
        elif not sections:
            front.append(paragraph)
        elif ITEM.match(text):
            sections[-1].items.append(paragraph)
        elif sections[-1].items:
            sections[-1].items.append(paragraph)  # an item typed without its number
            sections[-1].unnumbered.append(paragraph.where)
        else:
            sections[-1].lead.append(paragraph)
    return front, sections


@dataclass(frozen=True)
class Placed:
    """One item of a role as the sent list has it, in its order."""

    id: str  # the item's id; "" for a new one (given one later)
    text: str  # its text as sent
    where: str
    tracked: bool
    old: str = ""  # its text as built ("" for a new one)

    @property
    def changed(self) -> bool:
        return bool(self.id) and squeezed(self.text) != squeezed(self.old)


@dataclass
class Alignment:
    """The sent list in terms of the built one."""

    roles: dict[str, list[Placed]] = field(default_factory=dict)  # role id -> items, in order
    removed: list[tuple[str, str, str]] = field(default_factory=list)  # (id, old text, role)
    unplaced: list[tuple[str, str, str]] = field(default_factory=list)  # (where, what, why)
    merged: list[tuple[str, str, str]] = field(default_factory=list)  # (gone, into, where)
    unnumbered: list[str] = field(default_factory=list)
    capped: bool = False  # too many paragraphs: items matched only by identical text


def align(view: ListView, paragraphs: list[Paragraph]) -> Alignment:
    """The sent paragraphs aligned with the list as built (view)."""
    front, sections = split(paragraphs)
    result = Alignment()
    _front(view, front, result)
    _roles(view, sections, result)
    expected = [(role.id, item.id, item.text) for role in view.roles for item in role.items]
    sent = [(section, paragraph, body_text(paragraph, ITEM)) for section in sections
            for paragraph in section.items]
    pairs = _match([text for _, _, text in expected], [text for _, _, text in sent])
    taken = {s: e for e, s in pairs.items()}
    result.capped = len(expected) * len(sent) > MAX_PAIRS
    for index, (section, paragraph, text) in enumerate(sent):
        e = taken.get(index)
        if e is None and not result.capped:
            merged = [j for j, (_, _, old) in enumerate(expected)
                      if j not in pairs and _covers(text, old)]
            if merged:  # a new paragraph made of items that are gone: the first, reworded
                e = merged[0]
                pairs[e], taken[index] = index, e
        if e is not None and not result.capped:
            for j, (_, ident, old) in enumerate(expected):
                if j not in pairs and j != e and _covers(text, old):
                    pairs[j] = -1  # taken into this paragraph
                    result.merged.append((ident, expected[e][1], paragraph.where))
        placed = Placed(expected[e][1] if e is not None else "", text, paragraph.where,
                        paragraph.tracked, expected[e][2] if e is not None else "")
        if not section.role:
            what = "改写了的条目" if placed.id else "新增的条目"
            result.unplaced.append((paragraph.where, text,
                                    f"{what}在无法对应的一节（“{section.text}”）中，调整不能新增一节"))
            continue
        result.roles.setdefault(section.role, []).append(placed)
    for j, (role, ident, old) in enumerate(expected):
        if pairs.get(j, -1) < 0:  # not sent, or taken into another item's paragraph
            result.removed.append((ident, old, role))
    for section in sections:
        result.unnumbered += section.unnumbered
    return result


def _front(view: ListView, front: list[Paragraph], result: Alignment) -> None:
    """Title, recipients and preamble: compared, and any change listed (no overlay says
    it)."""
    title = [p for p in front if p.style in TITLE_STYLES]
    rest = [p for p in front if p.style not in TITLE_STYLES]
    while not any(p.style in TITLE_STYLES for p in title) and rest:
        # styles lost: the title is the leading paragraphs that spell it
        candidate = squeezed("".join(p.text for p in [*title, rest[0]]))
        if not candidate or not squeezed(view.title).startswith(candidate):
            break
        title.append(rest.pop(0))
    sent_title = "".join(p.text for p in title)
    if squeezed(sent_title) != squeezed(view.title):
        where = title[0].where if title else front[0].where if front else "第1段"
        result.unplaced.append((where, sent_title or "（标题被删去）",
                                f"标题改为此（原为“{view.title}”）：调整不能改标题"))
    wanted = ([view.recipients] if view.recipients else []) + list(view.preamble)
    got = [p.text for p in rest]
    if [squeezed(t) for t in got] != [squeezed(t) for t in wanted]:
        where = rest[0].where if rest else title[-1].where if title else "第1段"
        result.unplaced.append((where, "\n".join(got) or "（导语被删去）",
                                "主送或导语改为此（原为“" + "\n".join(wanted)
                                + "”）：调整不能改导语"))


def _roles(view: ListView, sections: list[Section], result: Alignment) -> None:
    """Each section matched to the role whose heading it has (or had: a rewritten heading
    in the place of a role not otherwise sent keeps that role, and is listed)."""
    free = {role.id: role for role in view.roles}
    for section in sections:
        exact = next((r for r in free.values() if squeezed(r.heading) == squeezed(section.text)),
                     None)
        if exact is not None:
            section.role = exact.id
            del free[exact.id]
    for section in sections:
        if section.role:
            continue
        best = max(free.values(), key=lambda r: similarity(r.heading, section.text), default=None)
        if best is not None and similarity(best.heading, section.text) >= HEADING_MATCH:
            section.role = best.id
            del free[best.id]
            result.unplaced.append((section.heading.where, section.text,
                                    f"标题改为此（原为“{best.heading}”）：调整不能改标题，"
                                    "本节各条仍按原来的一节处理"))
    order = [r.id for r in view.roles]
    for n, section in enumerate(sections):
        if section.role:
            continue
        before = next((s.role for s in reversed(sections[:n]) if s.role), None)
        start = order.index(before) + 1 if before else 0
        candidate = next((r for r in order[start:] if r in free), None)
        after = next((s.role for s in sections[n + 1:] if s.role), None)
        if candidate is not None and (after is None or order.index(candidate) < order.index(after)):
            section.role = candidate
            del free[candidate]
            was = _heading(view, candidate)
            result.unplaced.append((section.heading.where, section.text,
                                    f"标题改为此（原为“{was}”）：调整不能改标题，"
                                    "本节各条仍按原来的一节处理"))
        else:
            result.unplaced.append((section.heading.where, section.text,
                                    "新增的一节：调整不能新增一节，本节各条未能归位"))
    for section in sections:
        if not section.role:
            continue
        lead = next(r.lead for r in view.roles if r.id == section.role)
        got = "".join(p.text for p in section.lead)
        if squeezed(got) != squeezed(lead):
            where = section.lead[0].where if section.lead else section.heading.where
            result.unplaced.append((where, got or "（导语被删去）",
                                    f"本节导语改为此（原为“{lead}”）：调整不能改导语"
                                    if lead else "本节新增了导语：调整不能新增导语"))


def _heading(view: ListView, role: str) -> str:
    return next(r.heading for r in view.roles if r.id == role)


def _match(expected: list[str], sent: list[str]) -> dict[int, int]:
    """expected index -> sent index: identical text first (nearest in order), then the
    most similar pairs at or above MATCH."""
    pairs: dict[int, int] = {}
    by_text: dict[str, list[int]] = {}
    for s, text in enumerate(sent):
        by_text.setdefault(squeezed(text), []).append(s)
    used: set[int] = set()
    for e, text in enumerate(expected):
        candidates = [s for s in by_text.get(squeezed(text), []) if s not in used]
        if candidates:
            s = min(candidates, key=lambda s: abs(s - e))
            pairs[e] = s
            used.add(s)
    left = [e for e in range(len(expected)) if e not in pairs]
    right = [s for s in range(len(sent)) if s not in used]
    if len(left) * len(right) > MAX_PAIRS:
        return pairs
    scored = sorted(((similarity(expected[e], sent[s]), e, s) for e in left for s in right),
                    reverse=True)
    for score, e, s in scored:
        if score < MATCH:
            break
        if e in pairs or s in used:
            continue
        pairs[e] = s
        used.add(s)
    return pairs


def _covers(text: str, old: str) -> bool:
    """Whether text holds most of old's words (old merged into it)."""
    old = squeezed(old)
    if len(old) < 8:
        return False
    text = squeezed(text)
    if old in text:
        return True
    blocks = SequenceMatcher(None, old, text, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks if b.size >= 4) >= COVERED * len(old)
