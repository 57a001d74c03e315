"""Break a long title into balanced lines that keep words whole (GB/T 9704-2012, 7.3.3).

A 2号 title holds 20 characters a line. Without a word segmenter, breaks are scored:
free at the joints of a notice title (关于 | 印发 | 《…》 | 的通知), cheap at the edges
of common officialese words, dear inside them, and forbidden before closing marks or
after opening ones. Among the cheapest breaks the most even lines win, a shorter first
line preferred. The lines always make a 梯形 or a 菱形 (7.3.3: "标题排列应当使用梯形或菱
形"): growing (正梯形), shrinking (倒梯形, as a two-line title broken after its issuing
organ often is), or longest in the middle (菱形); never shortest in the middle (an
hourglass), which no reading of the standard allows. A clerk who wants other breaks
writes the title as a list.
"""

from __future__ import annotations

import math
import unicodedata
from bisect import bisect_left, bisect_right
from functools import lru_cache

CAPACITY = 20  # 441 pt text width / (22 pt - 0.25 pt spacing)
OPENING = "《（“‘〔【"
CLOSING = "》）”’〕】，、。；：？！的"
GOOD_AFTER = ("关于", "印发", "》", "）", "、", "，")
GOOD_BEFORE = ("《", "的通知", "的意见", "的决定", "的报告", "的请示", "的批复", "的函", "的通报",
               "的实施")
WORDS = (
    "实施办法", "实施细则", "实施意见", "实施方案", "考核办法", "管理办法", "责任清单", "责任制",
    "工作", "目标", "管理", "考核", "思想政治", "意识形态", "党建", "全面从严治党", "党风廉政建设",
    "主体责任", "监督责任", "落实", "加强", "进一步", "推进", "建设", "委员会", "办公室", "高新区",
    "基层", "党组织", "领导班子", "干部", "评价", "体系", "机制", "制度", "改革", "发展",
)


def cells(text: str) -> float:
    """Width in character cells: Chinese characters and full-width marks 1, others 1/2.
    Marks of ambiguous width (“” ‘’ … — ·) are full-width in Chinese fonts."""
    return sum(map(_cell, text))


@lru_cache(maxsize=16384)  # bounded: a hostile source may hold every character there is
def _cell(char: str) -> float:
    return 1 if unicodedata.east_asian_width(char) in "WFA" else 0.5


def penalty(text: str, i: int) -> float:
    """The cost of breaking between text[i-1] and text[i]."""
    return penalties(text)[i]


def penalties(text: str) -> list[float]:
    """penalty(text, i) for every i from 0 to len(text), in one pass over the words."""
    n = len(text)
    inside = [False] * (n + 1)  # i falls inside a known word
    edge = [False] * (n + 1)  # a known word ends or starts at i
    for word in WORDS:
        start = text.find(word)
        while start >= 0:
            for i in range(start + 1, start + len(word)):
                inside[i] = True
            edge[start] = edge[start + len(word)] = True
            start = text.find(word, start + 1)
    out = [0.0] * (n + 1)
    for i in range(1, n):
        if text[i] in CLOSING or text[i - 1] in OPENING:
            out[i] = 1000
        elif text.endswith(GOOD_AFTER, 0, i) or text.startswith(GOOD_BEFORE, i):
            out[i] = 0
        elif inside[i]:
            out[i] = 50
        elif edge[i]:
            out[i] = 1
        else:
            out[i] = 8
    return out


def balance_title(lines: list[str]) -> list[str]:
    """The title's lines: as given when several, else one line broken where it must be."""
    if len(lines) != 1 or cells(lines[0]) <= CAPACITY:
        return lines
    return list(_balance(lines[0]))


@lru_cache(maxsize=1024)
def _balance(text: str) -> tuple[str, ...]:
    count = math.ceil(cells(text) / CAPACITY)
    while count <= len(text):
        best = _best(text, count)
        if best is not None:
            return tuple(best)
        count += 1
    return (text,)


def _best(text: str, count: int) -> list[str] | None:
    """The cheapest split of text into count lines that each fit and make a 梯形 or 菱形
    (see shaped), or None.

    Dynamic programming over (line, end of line, width of that line, whether the lines
    have begun to shorten). A line holds at most CAPACITY cells, so only starts a line's
    width back are tried, and only ends from which the remaining lines can still hold the
    rest: linear in the title's length for a given count."""
    n = len(text)
    total = cells(text)
    ideal = total / count
    prefix = [0.0]
    for char in text:
        prefix.append(prefix[-1] + _cell(char))
    costs = [penalty * 4 for penalty in penalties(text)]
    costs[0] = costs[n] = 0.0
    State = tuple[int, float, bool]  # end of the line, its width, shortening already
    previous: dict[State, float] = {(0, CAPACITY + 1.0, False): 0.0}
    back: list[dict[State, State]] = [{}]
    for k in range(1, count + 1):
        row: dict[State, float] = {}
        links: dict[State, State] = {}
        low = total - (count - k) * CAPACITY  # the rest must fit on the lines left
        ends = [n] if k == count else range(max(bisect_left(prefix, low), 1),
                                            min(bisect_right(prefix, k * CAPACITY), n))
        by_start: dict[int, list[State]] = {}
        for state in previous:
            by_start.setdefault(state[0], []).append(state)
        starts = sorted(by_start)
        first = 0
        for end in ends:
            while first < len(starts) and prefix[end] - prefix[starts[first]] > CAPACITY:
                first += 1
            for start in starts[first:]:
                if start >= end:
                    break
                width = prefix[end] - prefix[start]
                step = costs[end] + abs(width - ideal) ** 2 * 0.5
                if k == 1 and count > 1:
                    step += 0.5 if width > ideal else 0  # prefer a shorter first line
                for state in by_start[start]:
                    _, last, shortening = state
                    if k == 1:
                        shorter = False
                    elif shortening and width > last:
                        continue  # longer again after shorter: an hourglass
                    else:
                        shorter = shortening or width < last
                    cost = previous[state] + step
                    key = (end, width, shorter)
                    if key not in row or cost < row[key]:
                        row[key], links[key] = cost, state
        previous = row
        back.append(links)
    done = [state for state in previous if state[0] == n]
    if not done:
        return None
    state = min(done, key=lambda s: previous[s])
    cuts = [n]
    for k in range(count, 0, -1):
        state = back[k][state]
        cuts.append(state[0])
    cuts.reverse()
    return [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


def shaped(widths: list[float]) -> bool:
    """Whether lines of these widths make a 梯形 or 菱形 (GB/T 9704-2012 7.3.3): growing,
    shrinking, or growing then shrinking; never a line shorter than one before it and one
    after it (an hourglass)."""
    peak = widths.index(max(widths)) if widths else 0
    rising, falling = widths[:peak + 1], widths[peak:]
    return (all(a <= b for a, b in zip(rising, rising[1:], strict=False))
            and all(a >= b for a, b in zip(falling, falling[1:], strict=False)))
