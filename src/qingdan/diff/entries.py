"""A document as the diff sees it: entries in order, each with the model facts a change
is classified by (points, what it assesses, what its references name, which scoring
values its text prints).

A responsibility list's entries are its items under their roles; a measures document's
are its nodes under their parents, then (for an assessment) its scoring block: the total,
each component's weight, the grade bands and each veto, which the printed text shows only
through placeholders ({{ weight('mubiao') }}, {{ grades }}).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..diagnostics import Location
from ..model import ROLE_NAMES, Measures, Node, ResponsibilityList, Text
from ..resolve.refs import measures_targets
from ..words import assessment
from ..words.numbering import number

SCORING = "评分规则"  # the role of a scoring block's entries
CALL = re.compile(r"\b(ref|cite|weight|points)\(\s*['\"]([^'\"]{0,200})['\"]\s*\)")
NAME = re.compile(r"\b(grades|formula|total|vetoes)\b")
Resolver = Callable[[str, str], str]  # (key as written, current document) -> "doc:id"


@dataclass(frozen=True)
class Entry:
    """One item as it stands in one version."""

    id: str
    role: str  # the role (list) or the parent node's id (measures)
    role_name: str
    number: int  # 1-based within its role
    text: str
    note: str = ""
    mark: str = ""  # the printed label, where it is not "N." (第三条, （一）; "" unnumbered)
    points: float | None = None  # an indicator's points
    assesses: tuple[str, ...] = ()  # the list items an indicator assesses, as "doc:id"
    refs: tuple[str, ...] = ()  # what its ref() and cite() name: "doc:id", "cite:key"
    uses: frozenset[str] = frozenset()  # scoring values its text prints: grades, weight:x
    values: tuple[str, ...] = ()  # those values as printed, masked before the text rules
    location: Location | None = field(default=None, compare=False)
    name: str = ""  # how a reader knows an entry that has no label (a scoring rule)

    @property
    def label(self) -> str:
        return self.mark if self.mark or not self.number else f"{self.number}."

    @property
    def ordinal(self) -> str:
        """The label as a sentence names it: 4, 第三条, （一）."""
        return self.label.rstrip("．.、　") or "（不编号）"

    @property
    def where(self) -> str:
        """How a reader finds it: 主体责任 4., 二、考核内容和分值 （五）, 评分规则：总分."""
        if self.name:
            return self.name
        return f"{self.role_name} {self.label}".strip() if self.label else self.role_name


def placeholders(raw: str) -> list[str]:
    """The expressions between {{ and }} in a source text, found in one pass."""
    found, at = [], 0
    while (start := raw.find("{{", at)) >= 0:
        end = raw.find("}}", start + 2)
        if end < 0:
            break
        found.append(raw[start + 2:end])
        at = end + 2
    return found


def uses_of(texts: tuple[Text | None, ...], doc: str,
            resolve: Resolver | None) -> tuple[tuple[str, ...], frozenset[str]]:
    """What the placeholders of texts name: references (resolved) and scoring values."""
    refs: list[str] = []
    uses: set[str] = set()
    for text in texts:
        if text is None:
            continue
        for expression in placeholders(text.raw or text.value):
            for call, key in CALL.findall(expression):
                if call == "ref":
                    refs.append(resolve(key, doc) if resolve else key)
                elif call == "cite":
                    refs.append(f"cite:{key}")
                else:
                    uses.add(f"{call}:{key}")
            uses.update(NAME.findall(expression))
    return tuple(sorted(set(refs))), frozenset(uses)


def entries(doc: ResponsibilityList, resolve: Resolver | None = None) -> list[Entry]:
    out = []
    for role in doc.roles:
        name = ROLE_NAMES.get(role.id, role.heading.value)
        for n, item in enumerate(role.items, 1):
            refs, _ = uses_of((item.text,), doc.name, resolve)
            out.append(Entry(item.id, role.id, name, n, item.text.value, item.note, refs=refs,
                             location=item.text.location))
    return out


def measures_entries(doc: Measures, resolve: Resolver | None = None) -> list[Entry]:
    """A measures document node by node: its label, its heading and text as printed, under
    its parent; an unnumbered paragraph without an id is keyed by its place. Then its
    scoring block, when it has one."""
    labels = {t.id: t.label for t in measures_targets(doc)[0]}
    printed = scoring_values(doc)
    out: list[Entry] = []

    def walk(nodes: tuple[Node, ...], parent: str, parent_name: str) -> None:
        position = 0
        for i, node in enumerate(nodes, 1):
            position += 0 if node.plain else 1
            label = labels.get(node.id, "") if node.id else ""
            ident = node.id or f"{parent}#{i}"
            refs, uses = uses_of((node.heading, node.text, node.criteria), doc.name, resolve)
            assesses = tuple(sorted({resolve(t.value, "") if resolve else t.value
                                     for t in node.assesses}))
            out.append(Entry(ident, parent, parent_name, 0 if node.plain else position,
                             node_text(node), mark=label, points=node.points,
                             assesses=assesses, refs=refs, uses=uses,
                             values=tuple(printed.get(u, "") for u in sorted(uses)),
                             location=node.location))
            heading = node.heading.value if node.heading else ""
            walk(node.children, ident, f"{label}{heading}" or label or parent_name)

    walk(doc.content, "", "正文")
    return out + scoring_entries(doc)


def node_text(node: Node) -> str:
    """A node's words as a reader sees them after its label: heading, text, points, and
    the 评分标准 the scoring sheet prints for it."""
    parts = [node.heading.value] if node.heading else []
    parts += node.text.paragraphs() if node.text else []
    text = "　".join(parts)
    text = text if node.points is None else f"{text}（{number(node.points)}分）"
    return f"{text}　评分标准：{node.criteria.value}" if node.criteria else text


def scoring_values(doc: Measures) -> dict[str, str]:
    """Every scoring value a text may print, by the name it is used with: grades, formula,
    total, vetoes, weight:<component>, points:<node>."""
    scoring = doc.scoring
    if scoring is None:
        return {}
    found = {"grades": assessment.grades(scoring), "formula": assessment.formula(scoring),
             "total": f"{number(assessment.total(scoring))}分",
             "vetoes": assessment.vetoes(scoring)}
    found |= {f"weight:{c.id}": f"{number(c.weight)}%" for c in scoring.components}
    found |= {f"points:{n.id}": f"{number(n.points)}分" for n in doc.nodes()
              if n.points is not None}
    return found


def scoring_entries(doc: Measures) -> list[Entry]:
    """An assessment's scoring block as entries: what the printed text shows only through
    placeholders, compared as model values."""
    scoring = doc.scoring
    if scoring is None:
        return []
    top = number(assessment.total(scoring))
    out = [Entry("scoring:total", "scoring", SCORING, 0, f"总分：{top}分",
                 uses=frozenset({"total"}), values=(f"{top}分",),
                 location=scoring.total_location or scoring.location)]
    out += [Entry(f"scoring:weight:{c.id}", "scoring", SCORING, 0,
                  f"综合成绩构成：{c.name.value}占{number(c.weight)}%",
                  uses=frozenset({f"weight:{c.id}"}), values=(f"{number(c.weight)}%",),
                  name=f"{SCORING}：{c.name.value}权重",
                  location=c.weight_location)
            for c in scoring.components]
    if scoring.formula is not None:
        out.append(Entry("scoring:formula", "scoring", SCORING, 0,
                         f"计算公式：{scoring.formula.value}", uses=frozenset({"formula"}),
                         values=(scoring.formula.value,), name=f"{SCORING}：计算公式",
                         location=scoring.formula.location))
    if scoring.bands:
        grades = assessment.grades(scoring)
        out.append(Entry("scoring:grades", "scoring", SCORING, 0, f"考核等次：{grades}",
                         uses=frozenset({"grades"}), values=(grades,), name=f"{SCORING}：考核等次",
                         location=scoring.bands[0].location))
    for veto in scoring.vetoes:
        effect = assessment.veto_effect(veto, scoring)
        out.append(Entry(f"scoring:veto:{veto.id}", "scoring", SCORING, 0,
                         f"一票否决：{veto.condition.value}的，{effect}",
                         uses=frozenset({"vetoes"}), values=(effect,), location=veto.location,
                         name=f"{SCORING}：一票否决"))
    return out


def changed_values(old: Measures, new: Measures) -> frozenset[str]:
    """The scoring names whose printed value differs between the versions (a component or
    node only one side has counts as changed)."""
    before, after = scoring_values(old), scoring_values(new)
    return frozenset(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def reader_names(docs: tuple[ResponsibilityList | Measures, ...]) -> dict[str, str]:
    """How a reader knows each target, by "doc:id": 其他班子成员 6., （五）阵地建设和网络管理."""
    names: dict[str, str] = {}
    for doc in docs:
        if isinstance(doc, ResponsibilityList):
            for role in doc.roles:
                role_name = ROLE_NAMES.get(role.id, role.heading.value)
                for n, item in enumerate(role.items, 1):
                    names[f"{doc.name}:{item.id}"] = f"{role_name} {n}."
            continue
        headings = {n.id: n.heading.value for n in doc.nodes() if n.id and n.heading}
        for entry in measures_entries(doc):
            if entry.id in headings:
                names[f"{doc.name}:{entry.id}"] = entry.label + headings[entry.id]
            else:
                names[f"{doc.name}:{entry.id}"] = entry.where
    return names
