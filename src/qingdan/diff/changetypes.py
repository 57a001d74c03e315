"""What a change means to a committee: the 修改类型 of each change between two editions.

A change may carry several types; they are always listed in the order of TYPES, which is
also their precedence: plain rewording (wording) is given only when no other type is.

- obligation: the duty got weaker (应当/必须 → 可以/原则上) or stronger (and back);
- scope: a role or a body was added or removed (an item moved to another role, a role
  that appeared or went, 党委/书记/班子成员 … named or no longer named);
- burden: a recurring burden appeared or went (报送, 台账, 填报, 每季度至少一次 …);
- timing: a deadline or a frequency changed (每年两次 → 每半年一次, 15日前 → 10日前);
- points: an indicator's points, a component's weight, the total or a deduction changed;
- bands: the grade bands (or the vetoes capping them) moved;
- reference: a reference now names another target (ref(), assesses, cite());
- wording: anything else that a reader sees.

The model knows better than the wording where it can: points, weights, bands and
references are compared as model values (a node's points, the scoring block, resolved
reference targets), and the numbers those values print into a text are masked before the
text rules run, so a moved band is "bands", not a changed number in a sentence. The text
rules are data (WORDS): one Aho–Corasick automaton (pyahocorasick) finds every word of a
text in a single leftmost-longest pass, so matching is linear in the text; the frequency
and number readers look at a bounded window around a match.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick  # type: ignore[import-untyped]

TYPES: tuple[tuple[str, str], ...] = (
    ("obligation", "义务强度"), ("scope", "责任范围"), ("burden", "报送负担"),
    ("timing", "时限频次"), ("points", "分值权重"), ("bands", "等次区间"),
    ("reference", "引用改指"), ("wording", "文字修改"))
ORDER = {ident: n for n, (ident, _) in enumerate(TYPES)}

# The name a change type takes in the 修改类型 column, by its direction.
NAMES: dict[tuple[str, str], str] = {
    ("obligation", "weaker"): "义务减弱", ("obligation", "stronger"): "义务加强",
    ("obligation", "changed"): "义务调整",
    ("scope", "wider"): "范围扩大", ("scope", "narrower"): "范围缩小",
    ("scope", "changed"): "范围调整",
    ("burden", "new"): "新增负担", ("burden", "less"): "减少负担",
    ("timing", "more"): "频次提高", ("timing", "less"): "频次降低",
    ("timing", "changed"): "时限频次",
    ("points", "changed"): "分值权重", ("bands", "changed"): "等次调整",
    ("reference", "changed"): "引用改指", ("wording", "changed"): "文字修改"}

# The rule table: each class of word, and its words. "neutral" words are matched only to
# keep their characters from being read as another class (重要 is not 要, 可能 is not 可).
WORDS: dict[str, tuple[str, ...]] = {
    "strong": ("应当", "应", "必须", "须", "务必", "严禁", "不得", "不准", "不可", "一律", "确保",
               "要", "责令"),
    "weak": ("可以", "可", "原则上", "鼓励", "酌情", "视情", "适时", "尽量", "争取", "提倡",
             "倡导", "有条件的", "必要时", "一般应", "视情况"),
    "body": ("党委", "党组", "党总支", "党支部", "党工委", "党小组", "支部", "纪委", "纪检监察",
             "纪检组", "书记", "副书记", "班子成员", "领导班子", "领导干部", "党员干部", "党员",
             "干部", "职工", "科室", "各单位", "下属单位", "局属单位", "各部门", "宣传部",
             "组织部", "中心组", "工会", "团支部", "共青团", "妇联", "主要负责人", "分管领导",
             "办公室", "考核组"),
    "burden": ("报送", "上报", "填报", "报备", "备案", "台账", "报表", "汇报", "报告", "专报",
               "统计", "登记", "提交", "书面报告", "清单化", "档案"),
    "period": ("每年", "每年度", "每半年", "每季度", "每季", "每月", "每周", "每两年", "每三年",
               "每五年", "按季度", "按季", "按月", "按年", "按周", "按半年", "每日", "每天"),
    "deadline": ("日前", "日内", "个工作日内", "工作日内", "个月内", "天内", "月底前", "年底前",
                 "月底", "年底", "年初", "第一时间", "及时", "限期", "立即", "定期", "前完成",
                 "之前", "以内"),
    "points": ("分", "%", "％"),
    "neutral": ("重要", "主要", "要求", "需要", "必要", "要点", "纲要", "摘要", "要素", "要害",
                "首要", "只要", "要件", "相应", "应用", "适应", "响应", "反应", "对应", "应对",
                "供应", "效应", "应急", "应有", "理应", "须知", "可能", "可靠", "许可", "认可",
                "可持续", "可控", "宁可", "可视", "可行", "分管", "部分", "充分", "分工", "分值",
                "分别", "分析", "分类", "分层", "划分", "区分", "分钟", "分子", "百分制", "百分比",
                "得分", "分数", "评分", "扣分", "记分", "积分", "分为", "分成", "分解", "分级",
                "分批", "分期", "分步", "分头", "分享", "分散", "分布", "成分", "处分", "身份",
                "年度报告", "报告会", "统计局", "要紧", "可是", "分开", "分局", "分公司", "分会"),
}

PER_YEAR = {"每年": 1.0, "每年度": 1.0, "每半年": 2.0, "每季度": 4.0, "每季": 4.0, "每月": 12.0,
            "每周": 52.0, "每两年": 0.5, "每三年": 1 / 3, "每五年": 0.2, "按季度": 4.0,
            "按季": 4.0, "按月": 12.0, "按年": 1.0, "按周": 52.0, "按半年": 2.0, "每日": 365.0,
            "每天": 365.0}
NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
            "九": 9, "十": 10, "百": 100}
DIGITS = "0123456789０１２３４５６７８９."
WINDOW = 20  # how far after 每季度 a 次 may stand: 每季度至少开展一次
STOPS = "，。；：！？,;"
MASK = "\ue000"  # stands for a value the model printed into a text


@lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for kind, words in WORDS.items():
        for word in words:
            automaton.add_word(word, (kind, word))
    automaton.make_automaton()
    return automaton


@dataclass
class Reading:
    """What the rules find in one text."""

    classes: Counter[str] = field(default_factory=Counter)  # strong, weak: how many
    modals: Counter[str] = field(default_factory=Counter)  # the words themselves
    bodies: Counter[str] = field(default_factory=Counter)
    burdens: Counter[str] = field(default_factory=Counter)
    frequencies: list[tuple[str, float]] = field(default_factory=list)  # (每年至少两次, 2.0)
    deadlines: Counter[str] = field(default_factory=Counter)
    numbers: Counter[str] = field(default_factory=Counter)  # 扣5分, 10分, 60%


def _number_before(text: str, end: int) -> str:
    """The numeral (Arabic or Chinese) that ends just before text[end], or ""."""
    start = end
    while start > 0 and end - start < 8 and (text[start - 1] in DIGITS
                                               or text[start - 1] in NUMERALS):
        start -= 1
    return text[start:end]


def _value(numeral: str) -> float:
    """一 -> 1, 两 -> 2, 十二 -> 12, 3 -> 3; anything else 1."""
    try:
        return float(numeral)
    except ValueError:
        pass
    if len(numeral) == 1:
        return float(NUMERALS.get(numeral, 1))
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        return float(NUMERALS.get(tens, 1) * 10 + NUMERALS.get(ones, 0))
    return 1.0


def read(text: str) -> Reading:
    """Every rule's findings in text, in one pass of the automaton."""
    found = Reading()
    for end, (kind, word) in _automaton().iter_long(text):
        start = end - len(word) + 1
        if kind in ("strong", "weak"):
            found.classes[kind] += 1
            found.modals[word] += 1
        elif kind == "body":
            found.bodies[word] += 1
        elif kind == "burden":
            found.burdens[word] += 1
        elif kind == "period":
            found.frequencies.append(_frequency(text, start, end + 1, word))
        elif kind == "deadline":
            number = _number_before(text, start)
            if word in ("月底前", "月底") and not number:
                continue  # 每月底前: part of a frequency
            found.deadlines[number + word] += 1
        elif kind == "points":
            number = _number_before(text, start)
            if number and number != "百":
                verb = text[start - len(number) - 1] if start - len(number) > 0 else ""
                found.numbers[(verb if verb in "扣加减得" else "") + number + word] += 1
    return found


def _frequency(text: str, start: int, after: int, period: str) -> tuple[str, float]:
    """每季度至少开展一次 -> ("每季度至少开展一次", 4.0): the period and the count of 次
    within a short window, as written and as times a year."""
    end = after
    while end < len(text) and end - after < WINDOW and text[end] not in STOPS:
        if text[end] == "次":
            numeral = _number_before(text, end)
            count = _value(numeral) if numeral else 1.0
            return text[start:end + 1], PER_YEAR[period] * count
        end += 1
    return period, PER_YEAR[period]


@dataclass(frozen=True)
class Tag:
    """One type of a change: its type, its direction, and a short Chinese account."""

    type: str
    direction: str = "changed"
    detail: str = ""

    @property
    def name(self) -> str:
        return NAMES[(self.type, self.direction)]


def masked(text: str, values: tuple[str, ...]) -> str:
    """text with every value the model printed into it (a weight, the grades) replaced by
    one mark, longest first, so the text rules see only what the clerk wrote."""
    for value in sorted(values, key=len, reverse=True):
        if value:
            text = text.replace(value, MASK)
    return text


def _listed(words) -> str:
    return "、".join(f"“{w}”" for w in words)


def _both_sides(before: Reading, after: Reading) -> list[Tag]:
    """Types found by comparing the rules' findings in an old and a new text."""
    tags: list[Tag] = []
    strong = after.classes["strong"] - before.classes["strong"]
    weak = after.classes["weak"] - before.classes["weak"]
    if strong or weak:
        net = strong - weak
        direction = "weaker" if net < 0 else "stronger" if net > 0 else "changed"
        was = _listed(before.modals - after.modals) or "无"
        now = _listed(after.modals - before.modals) or "无"
        tags.append(Tag("obligation", direction, f"{was}改为{now}"))
    gained = list((after.bodies - before.bodies).keys())
    lost = list((before.bodies - after.bodies).keys())
    if gained or lost:
        direction = "changed" if gained and lost else "wider" if gained else "narrower"
        detail = "，".join(part for part in (
            f"增加{_listed(gained)}" if gained else "", f"不再写{_listed(lost)}" if lost else "")
            if part)
        tags.append(Tag("scope", direction, detail))
    more = after.burdens - before.burdens
    fewer = before.burdens - after.burdens
    new_frequency = not before.frequencies and after.frequencies
    no_frequency = before.frequencies and not after.frequencies
    if more or new_frequency:
        what = [*more, *(f for f, _ in after.frequencies if new_frequency)]
        tags.append(Tag("burden", "new", f"新增{_listed(what)}"))
    elif fewer or no_frequency:
        what = [*fewer, *(f for f, _ in before.frequencies if no_frequency)]
        tags.append(Tag("burden", "less", f"不再要求{_listed(what)}"))
    old_f = [f for f, _ in before.frequencies]
    new_f = [f for f, _ in after.frequencies]
    if (old_f and new_f and old_f != new_f) or before.deadlines != after.deadlines:
        tags.append(_timing(before, after))
    if before.numbers != after.numbers:
        tags.append(Tag("points", "changed", _numbers(before.numbers, after.numbers)))
    return tags


def _timing(before: Reading, after: Reading) -> Tag:
    """A timing tag; its direction from the times a year where both sides give them."""
    old = sum(n for _, n in before.frequencies)
    new = sum(n for _, n in after.frequencies)
    parts = []
    if [f for f, _ in before.frequencies] != [f for f, _ in after.frequencies]:
        was = "、".join(f for f, _ in before.frequencies) or "无"
        now = "、".join(f for f, _ in after.frequencies) or "无"
        parts.append(f"{was}改为{now}")
        if old and new and old == new:
            parts.append("每年次数不变")
    if before.deadlines != after.deadlines:
        was = "、".join(before.deadlines) or "无"
        now = "、".join(after.deadlines) or "无"
        parts.append(f"时限{was}改为{now}")
    direction = "changed"
    if old and new and old != new:
        direction = "more" if new > old else "less"
    return Tag("timing", direction, "，".join(parts))


def _numbers(before: Counter[str], after: Counter[str]) -> str:
    was = "、".join((before - after).keys()) or "无"
    now = "、".join((after - before).keys()) or "无"
    return f"{was}改为{now}"


def one_side(text: str, added: bool) -> list[Tag]:
    """Types of a duty that was added (or removed) whole: the burden it brings (or took
    away), and the points it carries."""
    found = read(text)
    tags: list[Tag] = []
    burdens = [*found.burdens, *(f for f, _ in found.frequencies)]
    if burdens:
        tags.append(Tag("burden", "new" if added else "less",
                        ("新增" if added else "不再要求") + _listed(burdens)))
    return tags


def compare_texts(old: str, new: str) -> list[Tag]:
    """Types found in the wording of a changed text (already masked)."""
    if old == new:
        return []
    return _both_sides(read(old), read(new))


def ordered(tags: list[Tag]) -> tuple[Tag, ...]:
    """Tags in the order of TYPES, one per type (the first found wins); wording only when
    no other type is there."""
    seen: dict[str, Tag] = {}
    for tag in tags:
        seen.setdefault(tag.type, tag)
    if len(seen) > 1:
        seen.pop("wording", None)
    return tuple(sorted(seen.values(), key=lambda t: ORDER[t.type]))
