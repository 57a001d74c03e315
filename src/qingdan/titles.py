"""Break a long title into balanced lines that keep words whole (GB/T 9704-2012, 7.3.3).

A 2号 title holds 20 characters a line. Without a word segmenter, breaks are scored:
free at the joints of a notice title (关于 | 印发 | 《…》 | 的通知), cheap at the edges
of common officialese words, dear inside them, and forbidden before closing marks or
after opening ones. Among the cheapest breaks the most even lines win, a shorter first
line preferred (the trapezoid). A clerk who wants other breaks writes the title as a list.
"""

from __future__ import annotations

import math
import unicodedata
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
    return sum(1 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text)


def penalty(text: str, i: int) -> float:
    """The cost of breaking between text[i-1] and text[i]."""
    if text[i] in CLOSING or text[i - 1] in OPENING:
        return 1000
    head = text[:i]
    if head.endswith(GOOD_AFTER) or text.startswith(GOOD_BEFORE, i):
        return 0
    for word in WORDS:
        start = text.find(word)
        while start >= 0:
            if start < i < start + len(word):
                return 50
            start = text.find(word, start + 1)
    if any(head.endswith(w) or text.startswith(w, i) for w in WORDS):
        return 1
    return 8


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
    """The cheapest split of text into count lines that each fit, or None."""
    ideal = cells(text) / count
    prefix = [0.0]
    for char in text:
        prefix.append(prefix[-1] + cells(char))
    costs = [0.0] + [penalty(text, i) * 4 for i in range(1, len(text))] + [0.0]
    # cost[k][i]: cheapest way to put text[:i] on k lines.
    cost: list[dict[int, tuple[float, list[int]]]] = [{0: (0.0, [])}]
    for k in range(1, count + 1):
        row: dict[int, tuple[float, list[int]]] = {}
        ends = [len(text)] if k == count else range(1, len(text))
        for end in ends:
            for start, (so_far, cuts) in cost[k - 1].items():
                width = prefix[end] - prefix[start]
                if start >= end or width > CAPACITY:
                    continue
                step = costs[end] + abs(width - ideal) ** 2 * 0.5
                if k == 1 and count > 1:
                    step += 0.5 if width > ideal else 0  # prefer a shorter first line
                total = so_far + step
                if end not in row or total < row[end][0]:
                    row[end] = (total, cuts + [end])
        cost.append(row)
    final = cost[count].get(len(text))
    if final is None:
        return None
    cuts = [0, *final[1]]
    return [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]
