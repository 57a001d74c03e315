"""The numbers of an assessment as the text states them -> its scoring block.

Weights (目标考核得分占综合成绩的60%), the composite formula (…=目标考核得分×60%+…), grade
bands (90分以上为“优秀”，80—89分为“良好”…) and vetoes (…的，不作为考核对象) are taken as
written, errors included, so `qingdan check` reports the document's own arithmetic. A
statement is replaced by its placeholder only where qingdan prints exactly the same words
({{ weight('id') }}, {{ formula }}, {{ grades }}, {{ vetoes }}); otherwise the words stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Location
from ..model import Band, Component, Scoring, Text, Veto
from ..words import assessment
from .ids import Ids
from .tree import Node

# Every pattern here runs on untrusted text, so none may backtrack over a run of it: a
# number starts only where a run of digits starts (searching `\d+分` through 100,000
# digits otherwise tries every one of them as a start, each to the end of the run), and
# the formula is found by a scan, not a pattern (issue 23). Unbounded repeats are all
# followed by something they cannot match; see tests/test_import_robust.py.
NUMBER = r"(?<!\d)(\d+(?:\.\d+)?)"
WEIGHT = re.compile(rf"(?P<name>[\u4e00-\u9fff“”]{{2,10}}?)(?:得分|成绩|分数)?(?:占|按)"
                    rf"[\u4e00-\u9fff]{{0,12}}?(?:综合|总)[\u4e00-\u9fff]{{0,6}}?的?"
                    rf"(?P<weight>{NUMBER})%")
CLAUSE_END = re.compile(r"[，。；]")
TERM = re.compile(rf"(?P<name>[\u4e00-\u9fff]{{2,10}}?)(?:得分|成绩)?[×xX*]{NUMBER}%")
GRADE_NAME = re.compile(r"“([^”]{1,6})”|(?:为|评定为|评为|定为)([\u4e00-\u9fff]{2,3})")
DASH = r"[—–\-－~～至到]"
RANGE = re.compile(rf"{NUMBER}{DASH}{NUMBER}分")  # 80—89分
AT_LEAST = re.compile(rf"{NUMBER}分(?:以上|及以上)")
UNDER = re.compile(rf"(?:不满|不足|低于|未满){NUMBER}分")
BELOW_AFTER = re.compile(rf"{NUMBER}分以下")
ABOVE = re.compile(rf"(?:超过|高于){NUMBER}分")
AT_MOST = re.compile(rf"{NUMBER}分(?:以下|及以下)")
QUOTED = re.compile(r"“([^“”]+)”")


@dataclass
class Found:
    """What the text says about scoring, and the data for the YAML."""

    components: list[dict[str, Any]] = field(default_factory=list)
    formula: str | None = None
    grades: list[dict[str, Any]] = field(default_factory=list)
    vetoes: list[dict[str, Any]] = field(default_factory=list)
    total: float | None = None
    notes: list[str] = field(default_factory=list)

    def data(self) -> dict[str, Any] | None:
        if not (self.components or self.grades):
            return None
        out: dict[str, Any] = {"total": self.total or 100}
        if self.components:
            out["components"] = self.components
        if self.formula:
            out["formula"] = self.formula
        if self.grades:
            out["grades"] = self.grades
        if self.vetoes:
            out["vetoes"] = self.vetoes
        return out


def _texts(nodes: list[Node]) -> list[tuple[Node, int]]:
    return [(n, i) for top in nodes for n in top.walk() for i in range(len(n.texts))]


def find(nodes: list[Node], preamble: list[str]) -> Found:
    """Scan every text of the document; placeholders go in where the words would not
    change."""
    found = Found()
    ids = Ids()
    places = _texts(nodes)
    everything = "".join(preamble) + "".join(n.texts[i] for n, i in places)
    if "百分制" in everything:
        found.total = 100
    named: set[str] = set()
    for node, i in places:
        text = node.texts[i]
        pieces, done = [], 0
        for match in WEIGHT.finditer(text):
            name = _clean_name(match.group("name"))
            if not name or name in named:
                continue
            key = ids.make(name)
            named.add(name)
            found.components.append({"id": key, "name": name,
                                     "weight": _num(match.group("weight"))})
            start, end = match.span("weight")
            pieces += [text[done:start], f"{{{{ weight('{key}') }}}}"]
            done = end + 1  # the % too: weight() prints it
        if pieces:
            node.texts[i] = "".join(pieces) + text[done:]
    _formula(found, places, ids)
    _grades(found, places)
    if found.components or found.grades:
        _vetoes(found, places, ids)
    return found


def _clean_name(name: str) -> str:
    """The component's name from the words before 占: the last clause, no 其中/的."""
    name = re.split(r"[，。；：、]", name)[-1]
    for prefix in ("其中", "对", "将", "按"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return name.strip("“”")


def _num(text: str) -> float | int:
    value = float(text)
    return int(value) if value.is_integer() else value


def formulas(text: str) -> list[tuple[int, int]]:
    """Spans of the statements of a formula in text (…=…×…%), in one pass.

    What the pattern [^，。；：:]*?[=＝][^，。；]*?×[^，。；]*% would find, without its
    backtracking: within a clause (up to ，。；) a formula starts where the part holding
    the clause's first = starts (after a colon, or at the clause's start), needs a ×
    after that = and a % after the ×, and ends at the clause's last %."""
    spans = []
    start = 0
    for end_mark in [*CLAUSE_END.finditer(text), None]:
        end = end_mark.start() if end_mark else len(text)
        percent = text.rfind("%", start, end)
        equals = min((at for at in (text.find("=", start, end), text.find("＝", start, end))
                      if at >= 0), default=-1)
        if percent >= 0 and 0 <= equals < percent:
            times = text.find("×", equals + 1, percent)
            if times >= 0:
                colon = max(text.rfind("：", start, equals), text.rfind(":", start, equals))
                spans.append((colon + 1 if colon >= 0 else start, percent + 1))
        start = end + 1
    return spans


def _formula(found: Found, places: list[tuple[Node, int]], ids: Ids) -> None:
    names = {c["name"] for c in found.components}
    best: tuple[float, Node, int, tuple[int, int]] | None = None
    for node, i in places:
        for span in formulas(node.texts[i]):
            statement = node.texts[i][span[0]:span[1]]
            rhs = re.split(r"[=＝]", statement)[-1]
            terms = [t.group("name") for t in TERM.finditer(rhs)]
            score = sum(1 for t in terms if any(n in t for n in names)) * 2 + (
                "综合" in statement) + len(terms) / 10
            if len(terms) >= 2 and (best is None or score > best[0]):
                best = (score, node, i, span)
    if best is None:
        return
    _, node, i, (start, end) = best
    text = node.texts[i]
    formula = text[start:end].strip()
    found.formula = formula
    for term in TERM.finditer(re.split(r"[=＝]", formula)[-1]):
        name = _clean_name(term.group("name"))
        if not any(c["name"] in term.group(0) for c in found.components):
            found.components.append({"id": ids.make(name), "name": name,
                                     "weight": _num(term.group(2))})
    node.texts[i] = text[:start] + text[start:end].replace(formula, "{{ formula }}") + \
        text[end:]


def _bands(clause: str) -> dict[str, Any] | None:
    """One clause of a grading sentence: 80—89分的评定为“良好” -> a band."""
    name_match = GRADE_NAME.search(clause)
    if name_match is None:
        return None
    name = name_match.group(1) or name_match.group(2)
    band: dict[str, Any] = {"name": name}
    if m := RANGE.search(clause):
        band["min"], band["max"] = _num(m.group(1)), _num(m.group(2))
    elif m := AT_LEAST.search(clause):
        band["min"] = _num(m.group(1))
        if m2 := UNDER.search(clause, m.end()):
            band["below"] = _num(m2.group(1))
        elif m2 := BELOW_AFTER.search(clause, m.end()):
            band["max"] = _num(m2.group(1))
    elif m := ABOVE.search(clause):
        band["above"] = _num(m.group(1))
    elif m := UNDER.search(clause):
        band["below"] = _num(m.group(1))
    elif m := AT_MOST.search(clause):
        band["max"] = _num(m.group(1))
    else:
        return None
    return band


def _grades(found: Found, places: list[tuple[Node, int]]) -> None:
    for node, i in places:
        for sentence in re.split(r"(?<=。)", node.texts[i]):
            clauses = re.split(r"[，；]", sentence)
            bands = [b for b in map(_bands, clauses) if b is not None]
            if len(bands) >= 2 and len({b["name"] for b in bands}) == len(bands):
                found.grades = bands
                generated = assessment.grades(_model(found))
                if generated in node.texts[i]:
                    node.texts[i] = node.texts[i].replace(generated, "{{ grades }}", 1)
                else:
                    found.notes.append("等次的分数段照原文写出；scoring.grades 按原文记录。"
                                       "改用 {{ grades }} 可由 qingdan 生成等次说明")
                return


VETO = re.compile(r"^(?P<cond>.+?)的，(?P<effect>不作为考核对象"
                  r"|(?:不得|不能)评为(?P<grades>(?:“[^”]+”)+))$")


def _vetoes(found: Found, places: list[tuple[Node, int]], ids: Ids) -> None:
    names = [g["name"] for g in found.grades]
    for node, i in places:
        for clause in re.split(r"[；。]", node.texts[i]):
            match = VETO.match(clause.strip())
            if match is None:
                continue
            veto: dict[str, Any] = {"id": ids.make(match.group("cond")),
                                    "condition": match.group("cond")}
            if match.group("grades"):
                barred = QUOTED.findall(match.group("grades"))
                below = [n for n in names if n not in barred]
                if not below or barred[-1] not in names[:-1]:
                    continue
                veto["cap"] = names[names.index(barred[-1]) + 1]
            else:
                veto["exclude"] = True
            found.vetoes.append(veto)
    if found.vetoes:
        generated = assessment.vetoes(_model(found))
        for node, i in places:
            if generated and generated in node.texts[i]:
                node.texts[i] = node.texts[i].replace(generated, "{{ vetoes }}", 1)


def _model(found: Found) -> Scoring:
    """The found numbers as qingdan's model, to print them the way qingdan would."""
    here = Location("")
    bands = tuple(Band(g["name"], here, lower=g.get("min", g.get("above")),
                       lower_inclusive="above" not in g, upper=g.get("max", g.get("below")),
                       upper_inclusive="below" not in g) for g in found.grades)
    vetoes = tuple(Veto(v["id"], Text(v["condition"], here), here,
                        cap=Text(v["cap"], here) if "cap" in v else None,
                        exclude=bool(v.get("exclude"))) for v in found.vetoes)
    components = tuple(Component(c["id"], Text(c["name"], here), c["weight"], here, here)
                       for c in found.components)
    return Scoring(here, total=found.total, components=components, bands=bands, vetoes=vetoes)
