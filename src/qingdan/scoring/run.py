"""The two scoring commands as stages: make the workbooks; read them back and grade.

`sheets` and `score` load and check the project as `build` does; every file is rendered in
memory first, and written (temporary file + rename) only when the whole run succeeded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..compile import resolve_project
from ..diagnostics import Diagnostic, Failed, Location, errors
from ..load import display_path
from ..model import Measures, Project, RosterUnit, Unit
from ..pipeline import Prepared, apply_settings, merge_units, prepare, unique_name
from ..project import CONFIG_NAME
from ..refs import build_index
from ..render.docx import has_indicators
from ..staging import write_all as staged_write_all
from ..units import unit_project
from ..writer import inside, safe_filename

if TYPE_CHECKING:
    from .grade import Filled, Graded
    from .layout import Form


@dataclass(frozen=True)
class Assessed:
    """A unit to be assessed: a roster unit, or the project's own unit (id "")."""

    id: str
    unit: Unit
    entry: RosterUnit | None


@dataclass
class Written:
    """What a run wrote (or found unchanged) and the warnings it met."""

    files: list[tuple[Path, bool]] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def checked(path: Path) -> tuple[Prepared, list[Diagnostic]]:
    """The project loaded and checked; raises Failed when it has errors."""
    prepared = prepare(path)
    found = merge_units(apply_settings(prepared.found, prepared.project.settings))
    if errors(found):
        raise Failed(found)
    return prepared, found


def assessed_units(project: Project) -> list[Assessed]:
    """Who is assessed: every unit of the roster, or without one the project's own unit."""
    if project.roster:
        return [Assessed(u.id, u.unit, u) for u in project.roster]
    assert project.unit is not None, "a project has a unit or a roster"
    return [Assessed("", project.unit, None)]


def assessments(project: Project) -> list[Measures]:
    """The assessments that have indicators to score; E733 when there is none."""
    found = [m for m in project.measures
             if m.kind == "assessment" and m.scoring is not None and has_indicators(m)]
    if not found:
        where = Location(display_path(project.root / CONFIG_NAME))
        raise Failed([Diagnostic(
            "E733", "项目中没有可评分的考核办法：没有 kind: assessment 且写了分值的源文件",
            where, hint="在考核办法的指标上写 points（分值），并写 scoring")])
    return found


def resolved_for(prepared: Prepared, who: Assessed) -> Project:
    """The project with every text rendered for one assessed unit."""
    project, index = prepared.project, prepared.index
    found: list[Diagnostic] = []
    if who.entry is not None:
        project, found, _ = unit_project(project, who.entry)
        if who.entry.overlays:
            index, problems = build_index(project)
            found += problems
    if errors(found):
        raise Failed(found)
    resolved, _ = resolve_project(project, index)
    return resolved


@dataclass(frozen=True)
class Sheet:
    """One rendered scoring workbook: for whom, its file name, its bytes."""

    unit_id: str
    name: str
    data: bytes


def render_sheets(path: Path) -> tuple[list[Sheet], list[Diagnostic]]:
    """A scoring workbook for every assessed unit and every assessment with indicators,
    and the project's warnings; raises Failed on errors."""
    from .layout import form
    from .workbook import write_workbook

    prepared, warnings = checked(path)
    names = [m.name for m in assessments(prepared.project)]
    sheets: list[Sheet] = []
    problems: list[Diagnostic] = []
    for who in assessed_units(prepared.project):
        try:
            resolved = resolved_for(prepared, who)
        except Failed as failed:
            problems += [_for_unit(d, who) for d in failed.diagnostics]
            continue
        for doc in resolved.measures:
            if doc.name not in names:
                continue
            stem = who.unit.name if len(names) == 1 else f"{who.unit.name}（{doc.name}）"
            sheets.append(Sheet(who.id, f"{safe_filename(stem)}.xlsx",
                                write_workbook(form(doc, who.id, who.unit.name))))
    if errors(problems):
        raise Failed(merge_units(problems))
    return sheets, warnings


def make_sheets(path: Path, out_dir: Path) -> Written:
    """Write the scoring workbooks into out_dir (all of them, or none)."""
    sheets, warnings = render_sheets(path)
    outputs = [(inside(out_dir, s.name), s.data) for s in sheets]
    return Written(files=write_all(out_dir, outputs), warnings=warnings)


def _for_unit(diag: Diagnostic, who: Assessed) -> Diagnostic:
    from dataclasses import replace

    return replace(diag, message=f"{diag.message}（单位：{who.unit.name}）") if who.id else diag


def write_all(out_dir: Path, outputs: list[tuple[Path, bytes]]) -> list[tuple[Path, bool]]:
    """Write every file or none (staging.write_all: locked, swept, cleaned up on failure or
    interruption). Returns (path, changed) for each."""
    changed = staged_write_all(out_dir, outputs)
    return [(target, target in changed) for target, _ in outputs]


@dataclass
class Scored(Written):
    """What `score` found: the units in result order, besides what it wrote."""

    graded: list[Graded] = field(default_factory=list)
    assessment: str = ""


def find_project(paths: list[Path]) -> Path:
    """The project the workbooks belong to: the nearest folder above them that holds a
    qingdan.yaml, else the bundled example."""
    from ..project import DEFAULT_PROJECT

    for path in paths[:1]:
        folder = path.resolve() if path.is_dir() else path.resolve().parent
        for candidate in (folder, *folder.parents):
            if (candidate / CONFIG_NAME).is_file():
                return candidate
    return DEFAULT_PROJECT


def score(paths: list[Path], project_path: Path | None, out_dir: Path) -> Scored:
    """Read every workbook, grade and rank the units, write the results workbook and the
    results notice; raises Failed with every problem of every workbook."""
    from .layout import form
    from .read import check_identity, check_structure, read_cells, read_scores, workbook_files

    files, problems = workbook_files(paths)
    prepared, warnings = checked(project_path or find_project(paths))
    project = prepared.project
    docs = {m.name: m for m in assessments(project)}
    units = assessed_units(project)
    known = {u.id: u.unit.name for u in units}
    shapes = {name: form(doc, "", "") for name, doc in docs.items()}
    chosen: str | None = None
    filled: dict[str, tuple[Filled, Path]] = {}
    for file in files:
        read = read_cells(file)
        if isinstance(read, Diagnostic):
            problems.append(read)
            continue
        meta, inputs, unit_at = read
        found = check_identity(meta, unit_at, known, file)
        name = meta.get("assessment", "")
        if not found and name in shapes and chosen in (None, name):
            chosen = name
        shape = shapes.get(chosen or "") or next(iter(shapes.values()))
        found = found or check_structure(meta, shape, inputs, file)
        if found:
            problems += found
            continue
        unit_id = meta.get("unit", "")
        each, found = read_scores(shape, inputs, file, unit_id, known[unit_id])
        problems += found
        if unit_id in filled:
            other = display_path(filled[unit_id][1])
            problems.append(Diagnostic(
                "E731", f"单位“{known[unit_id]}”有两份评分工作簿（另一份是“{other}”）",
                unit_at, hint="每个单位只保留一份填好的评分工作簿"))
        elif each is not None:
            filled[unit_id] = (each, file)
    chosen = chosen or next(iter(shapes))
    if not errors(problems):
        problems += [_missing(u, project) for u in units if u.id not in filled]
    if errors(problems):
        raise Failed(problems)
    return _write_results(prepared, docs[chosen], shapes[chosen],
                          [filled[u.id][0] for u in units], out_dir, warnings)


def _missing(who: Assessed, project: Project) -> Diagnostic:
    where = (who.entry.location if who.entry is not None
             else Location(display_path(project.root / CONFIG_NAME)))
    return Diagnostic("E732", f"单位“{who.unit.name}”没有评分工作簿", where,
                      hint="把该单位填好的评分工作簿一并给出（qingdan sheets 为每个单位生成一份）")


def _write_results(prepared: Prepared, doc: Measures, shape: Form, filled: list[Filled],
                   out_dir: Path, warnings: list[Diagnostic]) -> Scored:
    from .grade import grade_all
    from .results import grade_lines, render_results_notice, results_title, results_workbook
    from .results import summary as summary_of
    from .source import check_source, render_source, reports_on, results_sources

    project = prepared.project
    scoring = doc.scoring
    assert scoring is not None
    graded = grade_all(scoring, filled)
    order = {g.unit_id: g for g in graded}
    roster_order = [order[f.unit_id] for f in filled]
    outputs = [(inside(out_dir, safe_filename(results_title(doc.name) + "汇总表") + ".xlsx"),
                results_workbook(shape, scoring, graded, roster_order))]
    problems: list[Diagnostic] = []
    chart_missing = False
    taken: set[str] = set()
    every = results_sources(project.root)
    for source in every:
        problems += check_source(source, assessments(project))
    if errors(problems):
        raise Failed(merge_units(apply_settings(problems, project.settings)))
    sources = [s for s in every if reports_on(s, doc.name)]
    for source in sources:
        context: dict[str, object] = {
            "assessment": f"《{_issuer_title(prepared, doc)}》", "count": str(len(graded)),
            "summary": summary_of(scoring, graded)}
        if project.unit is not None:
            context["unit"] = project.unit.variables()
        if project.year is not None:
            context["year"] = project.year
        try:
            notice, attachment = render_source(source, context, grade_lines(scoring, graded))
            data, drawn = render_results_notice(notice, attachment, shape, scoring, graded,
                                                project.templates["notice"])
        except Failed as failed:
            problems += failed.diagnostics
            continue
        chart_missing = chart_missing or not drawn
        title = unique_name(safe_filename("".join(t.value for t in notice.title)), taken)
        outputs.append((inside(out_dir, title + ".docx"), data))
    found = merge_units(apply_settings(problems, project.settings))
    if errors(found):
        raise Failed(found)
    result = Scored(files=write_all(out_dir, outputs), warnings=warnings + found, graded=graded,
                    assessment=doc.name)
    if not sources:
        result.notes.append("项目中没有考核结果通报源文件（kind: results），只生成了结果汇总表。")
    if chart_missing:
        result.notes.append("未找到中文字体（如 fonts-noto-cjk），通报附件中没有得分图。")
    return result


def _issuer_title(prepared: Prepared, doc: Measures) -> str:
    """The assessment's title as the issuing unit's documents print it (its source name
    when the project has no unit of its own)."""
    if prepared.project.unit is None:
        return doc.name
    try:
        resolved, _ = resolve_project(prepared.project, prepared.index)
    except Failed:
        return doc.name
    found = next(m for m in resolved.measures if m.name == doc.name)
    return "".join(t.value for t in found.title)
