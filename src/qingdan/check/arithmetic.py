"""Assessment arithmetic: points add up, weights make 100%, the formula agrees, bands tile."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Location, did_you_mean
from ..model import Band, Measures, Node, Scoring
from ..resolve.substitution import blank_templates, template_spans
from ..words.assessment import band_range, ranked_bands, total
from ..words.numbering import number

EPSILON = 1e-9
PERCENT = re.compile(r"(?<!\d)(\d+(?:\.\d+)?)\s*[%％﹪]")  # from a run's start: linear
TERMS = re.compile(r"[+＋]")


def check_scoring(doc: Measures) -> list[Diagnostic]:
    """Every arithmetic problem of one measures document whose verdict is sound.

    Parts that failed the schema were left out. A sum is still checked when nothing left
    out could be one of its terms: a node's points against its children's unless a child
    (or a grandchild counted through a child without points) was left out; the total
    unless a top-level node (or one counted through it) was. Weights and the formula need
    every component, bands and vetoes' caps every grade; W315 needs every text.
    """
    found = check_points(doc)
    scoring = doc.scoring
    if scoring is None:
        return found
    if "components" not in doc.cut:
        found += check_weights(scoring)
        found += check_formula(scoring)
    if "grades" not in doc.cut:
        found += check_bands(scoring)
    if "content" not in doc.cut and not any(n.cut for n in doc.nodes()):
        found += check_stated(doc, scoring)
    found += check_vetoes(scoring, grades_whole="grades" not in doc.cut)
    return found


WEIGHT_CALL = re.compile(r"weight\(\s*['\"]([^'\"]+)['\"]\s*\)")


def check_stated(doc: Measures, scoring: Scoring) -> list[Diagnostic]:
    """Weights and grades defined in scoring are meant to be read: warn when no text of the
    document states them, through weight('id'), formula or grades, or in so many words (an
    imported document states its numbers as text: 占综合成绩的60%, 90分以上为优秀)."""
    texts = [t for n in doc.nodes() for t in (n.heading, n.text) if t is not None]
    if doc.preamble is not None:
        texts.append(doc.preamble)
    code = " ".join(t.value[start + 2:end - 2] for t in texts
                    for start, end in template_spans(t.value, ("{{",)))
    prose = [blank_templates(p, "", ("{{",)) for t in texts for p in t.value.splitlines()]
    found = []
    if "formula" not in code:
        named = set(WEIGHT_CALL.findall(code))
        found += [Diagnostic(
            "W315", f"文中没有写出“{c.name.value}”的权重", c.location,
            hint=f"在相应条文中写 {{{{ weight('{c.id}') }}}}，或用 {{{{ formula }}}} 写出计算公式")
            for c in scoring.components if c.id not in named and not any(
                c.name.value in p and f"{number(c.weight)}%" in p for p in prose)]
    literal = any(all(b.name in p for b in scoring.bands) and re.search(r"\d+\s*分", p)
                  for p in prose)
    if scoring.bands and "grades" not in code and not literal:
        found.append(Diagnostic("W315", "文中没有写出考核等次的分数段", scoring.bands[0].location,
                                hint="在写等次的条文中用 {{ grades }}"))
    return found


def _pointed(nodes: tuple[Node, ...], cut: bool = False) -> tuple[list[Node], bool]:
    """The highest nodes that carry points: a node's own, or its descendants' if it has
    none; and whether that list is whole (cut: nodes beside these were left out; so were
    children of a node passed through when it says so)."""
    out: list[Node] = []
    whole = not cut
    for node in nodes:
        if node.points is not None:
            out.append(node)
            continue
        parts, complete = _pointed(node.children, node.cut)
        out.extend(parts)
        whole = whole and complete
    return out, whole


def check_points(doc: Measures) -> list[Diagnostic]:
    """Children's points add up to their parent's; the top indicators add up to the total.
    A sum with a term that may have been left out (see check_scoring) is not judged."""
    found = []
    for node in doc.nodes():
        if node.points is None:
            continue
        parts, whole = _pointed(node.children, node.cut)
        if parts and whole and abs(sum(p.points or 0 for p in parts) - node.points) > EPSILON:
            listed = "＋".join(number(p.points or 0) for p in parts)
            found.append(Diagnostic(
                "E701", f"“{node.id}”的分值为 {number(node.points)} 分，但下级分值之和为 "
                        f"{listed}＝{number(sum(p.points or 0 for p in parts))} 分",
                node.location, hint="调整本项或下级条目的 points"))
    scoring = doc.scoring
    top, whole = _pointed(doc.content, "content" in doc.cut)
    if scoring is not None and scoring.total is not None and top and whole:
        got = sum(p.points or 0 for p in top)
        if abs(got - scoring.total) > EPSILON:
            found.append(Diagnostic(
                "E701", f"各指标分值之和为 {number(got)} 分，与满分 {number(scoring.total)} 分不符",
                scoring.total_location or scoring.location,
                hint="各项分值：" + "、".join(f"{p.id} {number(p.points or 0)}" for p in top)))
    return found


def check_weights(scoring: Scoring) -> list[Diagnostic]:
    if not scoring.components:
        return []
    got = sum(c.weight for c in scoring.components)
    if abs(got - 100) <= EPSILON:
        return []
    listed = "＋".join(f"{c.name.value}{number(c.weight)}%" for c in scoring.components)
    return [Diagnostic("E702", f"各部分权重之和为 {number(got)}%，不是 100%：{listed}",
                       scoring.components[0].location,
                       hint="检查各部分的 weight，与文件中“占综合成绩的××%”逐一核对")]


def check_formula(scoring: Scoring) -> list[Diagnostic]:
    """A stated formula names every component once, each with its stated weight."""
    text = scoring.formula
    if text is None or not scoring.components:
        return []
    found = []
    named: set[str] = set()
    rhs = re.split(r"[=＝]", text.value)[-1]
    offset = text.value.rfind(rhs)
    for term in TERMS.split(rhs):
        percent = PERCENT.search(term)
        if percent is None:
            continue
        component = next((c for c in scoring.components if c.name.value in term), None)
        where = text.locate(term.strip(), offset) if term.strip() else text.location
        if component is None:
            found.append(Diagnostic(
                "E703", f"公式中的“{term.strip()}”不对应 components 中的任何部分", where,
                hint="components 中的名称：" + "、".join(c.name.value for c in scoring.components)))
            continue
        named.add(component.id)
        stated = float(percent.group(1))
        if abs(stated - component.weight) > EPSILON:
            found.append(Diagnostic(
                "E703", f"公式中“{component.name.value}”的权重为 {number(stated)}%，"
                        f"而 components 中为 {number(component.weight)}%",
                text.locate(percent.group(0), offset),
                hint=f"两处应一致；components 中的权重在 {component.weight_location}"))
    for component in scoring.components:
        if component.id not in named:
            found.append(Diagnostic(
                "E703", f"公式中没有“{component.name.value}”", text.location,
                hint=f"按权重应有“{component.name.value}得分×{number(component.weight)}%”"))
    return found


@dataclass(frozen=True)
class Interval:
    band: Band
    low: float
    low_in: bool
    high: float
    high_in: bool

    def describe(self, top: float) -> str:
        return f"“{self.band.name}”（{band_range(self.band, top)}）"


def check_bands(scoring: Scoring) -> list[Diagnostic]:
    """Bands are listed in order and cover 0..total: no gap, no overlap, fractions included."""
    if not scoring.bands:
        return []
    top = total(scoring)
    found: list[Diagnostic] = []
    spans = [Interval(b, b.lower if b.lower is not None else 0, b.lower_inclusive,
                      b.upper if b.upper is not None else top, b.upper_inclusive)
             for b in scoring.bands]
    for s in spans:
        if s.low > s.high or (s.low == s.high and not (s.low_in and s.high_in)):
            found.append(Diagnostic("E706", f"等次“{s.band.name}”的下限高于上限",
                                    s.band.location, hint="检查 min/above 与 max/below"))
    if found:
        return found
    ordered = sorted(spans, key=lambda s: (s.low, not s.low_in))
    if spans not in (ordered, ordered[::-1]):
        found.append(Diagnostic("E706", "等次没有按分数从高到低（或从低到高）排列",
                                spans[0].band.location,
                                hint="按“优秀、良好、一般、较差”的顺序排列"))
    first, last = ordered[0], ordered[-1]
    if first.low > 0 or (first.low == 0 and not first.low_in):
        found.append(_edge(first, f"0 分至 {number(first.low)} 分不属于任何等次", top))
    if last.high < top or (last.high == top and not last.high_in):
        found.append(_edge(last, f"{number(last.high)} 分至满分 {number(top)} 分不属于任何等次",
                           top))
    for lower, upper in zip(ordered, ordered[1:], strict=False):
        found.extend(_between(lower, upper, top))
    return found


def _edge(span: Interval, message: str, top: float) -> Diagnostic:
    return Diagnostic("E706", f"{message}（{span.describe(top)}）", span.band.location,
                      hint="最低一档写到 0 分（省略 min），最高一档写到满分（省略 max）")


def _between(lower: Interval, upper: Interval, top: float) -> list[Diagnostic]:
    a, b = lower.high, upper.low
    where: Location = lower.band.location
    if a < b or (a == b and not lower.high_in and not upper.low_in):
        example = number((a + b) / 2) if a < b else number(a)
        return [Diagnostic(
            "E704", f"{lower.describe(top)}与{upper.describe(top)}之间有空档："
                    f"{example} 分不属于任何等次", where,
            hint=f"把“{lower.band.name}”的上限写成 below: {number(b)}（不满{number(b)}分），"
                 f"与上一档的下限 {number(b)} 分相接")]
    if a > b or (a == b and lower.high_in and upper.low_in):
        return [Diagnostic(
            "E705", f"{lower.describe(top)}与{upper.describe(top)}重叠："
                    f"{number(b)} 分同属两个等次", where,
            hint=f"把“{lower.band.name}”的上限写成 below: {number(b)}")]
    return []


def check_vetoes(scoring: Scoring, grades_whole: bool = True) -> list[Diagnostic]:
    """Each veto's cap names a grade of the bands, and one that keeps some grade from the
    unit (a cap at the highest grade would change nothing); veto ids are unique. Caps are
    not judged when grades were left out (grades_whole False)."""
    names = [b.name for b in scoring.bands]
    best = ranked_bands(scoring)[0] if scoring.bands else None
    found = []
    seen: dict[str, Location] = {}
    for veto in scoring.vetoes:
        if veto.id in seen:
            found.append(Diagnostic("E301", f"一票否决事项的编号“{veto.id}”重复", veto.location,
                                    hint=f"另一处在 {seen[veto.id]}"))
        seen.setdefault(veto.id, veto.location)
        cap = veto.cap
        if cap is None or not grades_whole:
            continue
        if cap.value not in names:
            listed = "、".join(names) if names else "（grades 中没有写等次）"
            found.append(Diagnostic(
                "E734", f"一票否决事项“{veto.id}”的 cap 为“{cap.value}”，但没有这个等次",
                cap.location, hint=did_you_mean(cap.value, names) or f"可用的等次：{listed}"))
        elif best is not None and cap.value == best.name:
            found.append(Diagnostic(
                "E734", f"一票否决事项“{veto.id}”的 cap 为最高等次“{cap.value}”，不起限制作用",
                cap.location, hint="cap 写发生该情形时最高可评的等次：“不得评为优秀”写下一等次"))
    return found

