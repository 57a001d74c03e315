"""Grading as pure functions: totals, the composite, grades, vetoes and ranks.

All arithmetic is exact (Decimal): 89.5 is 89.5, never 89.49999, so a score on a band's
boundary gets the grade the measures say. Rules:
- the indicators' total is the first component's score; the composite is the sum of each
  component's score × weight ÷ 100 (without components, the indicators' total);
- the grade is the band the composite falls in (lower and upper bounds inclusive or not);
- a veto the unit met caps its grade at the veto's grade (the lowest cap wins), or, with
  exclude, leaves it ungraded and unranked (不作为考核对象);
- units are ranked by grade, then by composite, highest first; equal grade and equal
  composite share a rank and the next rank skips (1, 2, 2, 4).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..model import Band, Scoring, Veto
from ..words.assessment import ranked_bands
from .layout import dec

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Filled:
    """One unit's scores as read from its workbook."""

    unit_id: str
    unit_name: str
    file: str
    indicators: dict[str, Decimal]  # by indicator id
    parts: dict[str, Decimal]  # the other components' scores, by component id
    vetoes: tuple[str, ...]  # ids of the veto conditions the unit met


@dataclass(frozen=True)
class Graded:
    """One unit's result."""

    unit_id: str
    unit_name: str
    file: str
    indicators: dict[str, Decimal]
    indicator_total: Decimal
    parts: tuple[Decimal, ...]  # every component's score, in the order of the components
    composite: Decimal
    by_score: str  # the grade the composite alone gives
    grade: str  # after vetoes; "" when excluded or when the measures define no grades
    vetoes: tuple[Veto, ...]  # the veto conditions met
    excluded: bool
    rank: int | None


def band_of(score: Decimal, bands: list[Band]) -> Band | None:
    """The band a score falls in (the checker has made sure there is exactly one)."""
    for band in bands:
        if band.lower is not None:
            low = dec(band.lower)
            if score < low or (score == low and not band.lower_inclusive):
                continue
        if band.upper is not None:
            high = dec(band.upper)
            if score > high or (score == high and not band.upper_inclusive):
                continue
        return band
    return None


def composite(scoring: Scoring, total: Decimal, parts: dict[str, Decimal]) -> tuple[
        tuple[Decimal, ...], Decimal]:
    """Every component's score (the first is the indicators' total) and the composite."""
    if not scoring.components:
        return (), total
    scores = (total, *(parts[c.id] for c in scoring.components[1:]))
    weighted = sum((s * dec(c.weight) for s, c in zip(scores, scoring.components, strict=True)),
                   Decimal(0))
    return scores, weighted / HUNDRED


def grade_one(scoring: Scoring, filled: Filled) -> Graded:
    """One unit's totals, grade and vetoes; its rank is set by rank_all."""
    total = sum(filled.indicators.values(), Decimal(0))
    scores, value = composite(scoring, total, filled.parts)
    bands = ranked_bands(scoring)
    names = [b.name for b in bands]
    band = band_of(value, bands)
    by_score = band.name if band else ""
    met = tuple(v for v in scoring.vetoes if v.id in filled.vetoes)
    excluded = any(v.exclude for v in met)
    grade = "" if excluded else by_score
    for veto in met:
        cap = veto.cap.value if veto.cap is not None else ""
        if grade and cap in names and names.index(cap) > names.index(grade):
            grade = cap
    return Graded(filled.unit_id, filled.unit_name, filled.file, dict(filled.indicators),
                  total, scores, value, by_score, grade, met, excluded, None)


def rank_all(scoring: Scoring, graded: list[Graded]) -> list[Graded]:
    """The units in result order with their ranks; excluded units last, unranked."""
    names = [b.name for b in ranked_bands(scoring)]
    order = {name: i for i, name in enumerate(names)}

    def standing(g: Graded) -> tuple[int, Decimal]:
        return (order.get(g.grade, 0), -g.composite)

    ranked = sorted((g for g in graded if not g.excluded), key=standing)  # stable: roster order
    out: list[Graded] = []
    for position, g in enumerate(ranked, 1):
        tied = out and standing(out[-1]) == standing(g)
        rank = out[-1].rank if tied else position
        out.append(_with_rank(g, rank))
    return out + [g for g in graded if g.excluded]


def _with_rank(g: Graded, rank: int | None) -> Graded:
    from dataclasses import replace

    return replace(g, rank=rank)


def grade_all(scoring: Scoring, filled: list[Filled]) -> list[Graded]:
    """Every unit graded and ranked; filled in roster order keeps ties in roster order."""
    return rank_all(scoring, [grade_one(scoring, f) for f in filled])


def by_grade(scoring: Scoring, graded: list[Graded]) -> list[tuple[str, list[Graded]]]:
    """The graded units under each grade, highest grade first, empty grades left out."""
    groups = [(b.name, [g for g in graded if g.grade == b.name]) for b in ranked_bands(scoring)]
    return [(name, units) for name, units in groups if units]
