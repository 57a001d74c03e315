"""What a scoring workbook asks for, and where: shared by the writer and the reader.

A workbook has one visible sheet, 评分表, and a very hidden one, qingdan, holding what
the reader needs to trust it: the format, the assessment (source name), the unit (roster
id) and the structure (indicator ids and maxima, component ids, veto ids) it was made
for. Every input cell of 评分表 carries its key in the hidden column H, so the reader finds
the inputs by key, not by position, and points at the cell a clerk typed into.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..model import Measures
from ..render.docx import sheet_rows, sheet_title
from ..words.assessment import formula, veto_effect

SHEET = "评分表"
META = "qingdan"
FORMAT = "1"
# Columns of 评分表 (1-based): 序号, 考核项目, 考核内容, 评分标准, 分值, 得分, 备注, key.
NO, GROUP, CONTENT, CRITERIA, POINTS, SCORE, REMARKS, KEY = range(1, 9)
WIDTHS = {NO: 6, GROUP: 18, CONTENT: 43, CRITERIA: 43, POINTS: 8, SCORE: 10, REMARKS: 18,
          KEY: 12}
HEADER = ("序号", "考核项目", "考核内容", "评分标准", "分值", "得分", "备注")
UNIT_CELL = (2, NO)  # 被考核单位：……
YES, NO_ = "是", "否"


def dec(value: float | int) -> Decimal:
    """A source number as an exact decimal: 89.5 stays 89.5."""
    return Decimal(str(value))


def show(value: Decimal) -> str:
    """89.50 -> 89.5, 90.0 -> 90: a decimal as a clerk writes it."""
    text = format(value.normalize(), "f")
    return text


@dataclass(frozen=True)
class Indicator:
    """One row of the scoring table."""

    id: str
    no: str
    group: str
    content: str
    criteria: str
    points: Decimal


@dataclass(frozen=True)
class Part:
    """A component of the composite score; the first is the indicators' total."""

    id: str
    name: str
    weight: Decimal


@dataclass(frozen=True)
class VetoItem:
    """A veto condition as the workbook asks it: 是否发生……."""

    id: str
    condition: str
    effect: str


@dataclass(frozen=True)
class Form:
    """One unit's scoring workbook, before it is written or as it should read back."""

    assessment: str
    title: str
    unit_id: str
    unit_name: str
    total: Decimal
    indicators: tuple[Indicator, ...]
    parts: tuple[Part, ...]
    formula: str
    vetoes: tuple[VetoItem, ...]

    def structure(self) -> str:
        """The inputs a workbook must have, in order: what makes two versions differ."""
        return structure_of(self.indicators, self.parts, self.vetoes)


def structure_of(indicators: tuple[Indicator, ...], parts: tuple[Part, ...],
                 vetoes: tuple[VetoItem, ...]) -> str:
    rows = [f"i:{i.id}={show(i.points)}" for i in indicators]
    rows += [f"c:{p.id}={show(p.weight)}" for p in parts]
    rows += [f"v:{v.id}" for v in vetoes]
    return ";".join(rows)


def form(doc: Measures, unit_id: str, unit_name: str) -> Form:
    """The workbook of one assessment for one unit (doc resolved for that unit, or raw
    when only its structure matters)."""
    scoring = doc.scoring
    assert scoring is not None, "only an assessment has a scoring workbook"
    indicators = tuple(
        Indicator(r.id, r.no, r.group, r.content, r.criteria, Decimal(r.points))
        for r in sheet_rows(doc))
    total = dec(scoring.total) if scoring.total is not None else sum(
        (i.points for i in indicators), Decimal(0))
    parts = tuple(Part(c.id, c.name.value, dec(c.weight)) for c in scoring.components)
    vetoes = tuple(VetoItem(v.id, v.condition.value, veto_effect(v, scoring))
                   for v in scoring.vetoes)
    return Form(assessment=doc.name, title=sheet_title(doc), unit_id=unit_id,
                unit_name=unit_name, total=total, indicators=indicators, parts=parts,
                formula=formula(scoring) if parts else "", vetoes=vetoes)


def key(kind: str, ident: str) -> str:
    """The hidden key of an input cell: indicator:zhuti, component:ceping, veto:shijian."""
    return f"{kind}:{ident}"
