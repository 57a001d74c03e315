"""The names a text may use besides the unit's, ref() and cite(): an assessment's numbers in
words (weight('id'), points('id'), total, formula, grades, vetoes), a work notice's units
and count, the titles a notice issues (attachments)."""

from __future__ import annotations

from typing import Any

from ..diagnostics import did_you_mean
from ..model import Measures, Notice, Project
from ..words.assessment import formula, grades, total, vetoes
from ..words.numbering import number
from .refs import RefError


def assessment_names(doc: Measures) -> dict[str, Any]:
    """The names an assessment's text may use."""
    scoring = doc.scoring
    assert scoring is not None
    weights = {c.id: c.weight for c in scoring.components}
    points = {n.id: n.points for n in doc.nodes() if n.points is not None}

    def weight(key: str) -> str:
        if key not in weights:
            raise RefError("E311", f"scoring.components 中没有编号“{key}”", str(key),
                           did_you_mean(str(key), weights))
        return f"{number(weights[key])}%"

    def points_of(key: str) -> str:
        if key not in points:
            raise RefError("E311", f"没有编号为“{key}”且写了分值的条目", str(key),
                           did_you_mean(str(key), points))
        return f"{number(points[key])}分"

    return {"weight": weight, "points": points_of, "total": f"{number(total(scoring))}分",
            "formula": formula(scoring), "grades": grades(scoring), "vetoes": vetoes(scoring)}


def assessed_names(project: Project, notice: Notice) -> list[str]:
    """Who a work notice assesses: the units it lists, else the whole roster, else the
    project's own unit."""
    by_id = {u.id: u.unit.name for u in project.roster}
    if notice.assessed:
        return [by_id[a.value] for a in notice.assessed if a.value in by_id]
    if by_id:
        return list(by_id.values())
    return [project.unit.name] if project.unit is not None else []


def work_names(project: Project, notice: Notice) -> dict[str, object]:
    """What a work notice's text may name besides the usual: {{ units }} and {{ count }}."""
    if notice.kind != "work":
        return {}
    names = assessed_names(project, notice)
    return {"units": "、".join(names), "count": len(names)}


def issued_titles(notice: Notice, titles: dict[str, str]) -> str:
    """《甲》, 《甲》和《乙》, 《甲》《乙》和《丙》: the documents a notice issues (titles in
    书名号 in a series take no 顿号, GB/T 15834-2011 4.5.3.5; W913)."""
    names = [f"《{titles[a.value]}》" for a in notice.attachments if a.value in titles]
    if len(names) <= 1:
        return "".join(names)
    return "".join(names[:-1]) + "和" + names[-1]
