"""An assessment's numbers in words: its total, the composite formula, grade bands (and their
order, best first) and vetoes.

The numbers are written once, in the scoring block, and every sentence that states them
is generated here, so the text and the arithmetic cannot disagree.
"""

from __future__ import annotations

from ..model import Band, Scoring, Veto
from .numbering import number


def total(scoring: Scoring) -> float:
    return scoring.total if scoring.total is not None else 100


def formula(scoring: Scoring) -> str:
    """The stated formula, or one generated from the weights."""
    if scoring.formula is not None:
        return scoring.formula.value
    return "+".join(f"{c.name.value}得分×{number(c.weight)}%" for c in scoring.components)


def band_range(band: Band, top: float) -> str:
    """A band's scores in words; 以上/以下 include the number, 不满/超过 exclude it."""
    lower = band.lower if band.lower is not None else 0
    upper = band.upper if band.upper is not None else top
    if upper >= top and band.upper_inclusive:
        return f"{number(lower)}分以上" if band.lower_inclusive else f"超过{number(lower)}分"
    high = f"{number(upper)}分以下" if band.upper_inclusive else f"不满{number(upper)}分"
    if lower <= 0 and band.lower_inclusive:
        return high
    low = f"{number(lower)}分以上" if band.lower_inclusive else f"超过{number(lower)}分"
    return f"{low}、{high}" if band.upper_inclusive else f"{low}{high}"


def grades(scoring: Scoring) -> str:
    """90分以上为“优秀”，80分以上不满90分为“良好”，…"""
    top = total(scoring)
    return "，".join(f"{band_range(b, top)}为“{b.name}”" for b in scoring.bands)


def ranked_bands(scoring: Scoring) -> list[Band]:
    """The grades from the highest to the lowest, whichever order the source lists them in."""
    return sorted(scoring.bands, reverse=True,
                  key=lambda b: (b.lower if b.lower is not None else 0, not b.lower_inclusive))


def veto_effect(veto: Veto, scoring: Scoring) -> str:
    """不得评为“优秀”, 不得评为“优秀”“良好”, or 不作为考核对象."""
    if veto.exclude or veto.cap is None:
        return "不作为考核对象"
    names = [b.name for b in ranked_bands(scoring)]
    above = names[:names.index(veto.cap.value)] if veto.cap.value in names else []
    return "不得评为" + "".join(f"“{name}”" for name in above) if above else ""


def vetoes(scoring: Scoring) -> str:
    """发生……的，不得评为“优秀”；……的，不作为考核对象"""
    return "；".join(f"{v.condition.value}的，{veto_effect(v, scoring)}" for v in scoring.vetoes)
