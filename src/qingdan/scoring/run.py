"""The two scoring commands as stages: make the workbooks; read them back and grade.

`sheets` and `score` load and check the project as `build` does; every file is rendered in
memory first, and written (temporary file + rename) only when the whole run succeeded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..builder.pipeline import Prepared, apply_settings, merge_units, prepare, unique_name
from ..diagnostics import Diagnostic, Failed, Location, errors
from ..model import Measures, Project, RosterUnit, Unit
from ..paths import CONFIG_NAME, display_path
from ..render.docx import has_indicators
from ..resolve.units import resolve_for_unit
from ..write.files import inside, safe_filename
from ..write.staging import write_all as staged_write_all

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
            resolved = resolve_for_unit(prepared.project, prepared.index, who.entry)
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

    return replace(diag, units=(who.unit.name,)) if who.id else diag


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
    project: str = ""  # 项目：… and how it was found


def score(paths: list[Path], project_path: Path | None, out_dir: Path,
          announce: Callable[[str], None] = lambda line: None) -> Scored:
    """Read every workbook, grade and rank the units, write the results workbook and the
    results notice; raises Failed with every problem of every workbook. announce hears
    which project is used (locate.py) before anything is graded."""
    from .layout import form
    from .locate import locate
    from .read import check_identity, check_structure, read_cells, read_scores, workbook_files

    files, problems = workbook_files(paths)
    reads = [(file, read_cells(file)) for file in files]
    ours = [(file, r) for file, r in reads if not isinstance(r, Diagnostic)]
    located = locate(project_path, paths, [r[0].get("assessment", "") for _, r in ours])
    announce(located.line())
    prepared, warnings = checked(located.root)
    project = prepared.project
    docs = {m.name: m for m in assessments(project)}
    units = assessed_units(project)
    known = {u.id: u.unit.name for u in units}
    shapes = {name: form(doc, "", "") for name, doc in docs.items()}
    chosen = next((r[0]["assessment"] for file, r in ours if r[0].get("assessment") in shapes
                   and not check_identity(r[0], r[2], known, file)), next(iter(shapes)))
    texts, found = unit_docs(prepared, units, chosen)
    if errors(found):
        raise Failed(merge_units(found))
    forms = {u.id: form(texts[u.id], u.id, u.unit.name) for u in units}
    filled: dict[str, tuple[Filled, Path]] = {}
    for file, read in reads:
        if isinstance(read, Diagnostic):
            problems.append(read)
            continue
        meta, inputs, unit_at = read
        found = check_identity(meta, unit_at, known, file) or check_structure(
            meta, shapes[chosen], inputs, file)
        if found:
            problems += found
            continue
        unit_id = meta.get("unit", "")
        each, found = read_scores(forms[unit_id], inputs, file, unit_id, known[unit_id])
        problems += found
        if unit_id in filled:
            other = display_path(filled[unit_id][1])
            problems.append(Diagnostic(
                "E731", f"单位“{known[unit_id]}”有两份评分工作簿（另一份是“{other}”）",
                unit_at, hint="每个单位只保留一份填好的评分工作簿"))
        elif each is not None:
            filled[unit_id] = (each, file)
    if not errors(problems):
        problems += [_missing(u, project) for u in units if u.id not in filled]
    if errors(problems):
        raise Failed(problems)
    result = _write_results(prepared, docs[chosen], texts, forms,
                            [filled[u.id][0] for u in units], out_dir, warnings)
    result.project = located.line()
    return result


OFFICE = "\0office"  # the key of the office's own text: no roster id holds a NUL


def unit_docs(prepared: Prepared, units: list[Assessed], name: str,
              ) -> tuple[dict[str, Measures], list[Diagnostic]]:
    """The assessment named, resolved as each unit's workbook shows it (by unit id), and
    as the office itself reads it (key OFFICE: the project's own unit, or without one the
    first unit's text); every problem of resolving it."""
    texts: dict[str, Measures] = {}
    problems: list[Diagnostic] = []
    for who in units:
        try:
            resolved = resolve_for_unit(prepared.project, prepared.index, who.entry)
        except Failed as failed:
            problems += [_for_unit(d, who) for d in failed.diagnostics]
            continue
        texts[who.id] = next(m for m in resolved.measures if m.name == name)
    own = _office_doc(prepared, name)
    if own is not None:
        texts[OFFICE] = own
    elif units and units[0].id in texts:
        texts[OFFICE] = texts[units[0].id]
    return texts, problems


def _office_doc(prepared: Prepared, name: str) -> Measures | None:
    """The assessment as the issuing unit's documents print it (None without a unit of its
    own, or when it cannot be resolved)."""
    if prepared.project.unit is None:
        return None
    try:
        resolved = resolve_for_unit(prepared.project, prepared.index, None)
    except Failed:
        return None
    return next((m for m in resolved.measures if m.name == name), None)


def _missing(who: Assessed, project: Project) -> Diagnostic:
    where = (who.entry.location if who.entry is not None
             else Location(display_path(project.root / CONFIG_NAME)))
    return Diagnostic("E732", f"单位“{who.unit.name}”没有评分工作簿", where,
                      hint="把该单位填好的评分工作簿一并给出（qingdan sheets 为每个单位生成一份）")


def _with_texts(g: Graded, doc: Measures) -> Graded:
    """A unit's result with the veto conditions it met as its own workbook words them."""
    from dataclasses import replace

    assert doc.scoring is not None
    own = {v.id: v for v in doc.scoring.vetoes}
    return replace(g, vetoes=tuple(own.get(v.id, v) for v in g.vetoes))


def _write_results(prepared: Prepared, doc: Measures, texts: dict[str, Measures],
                   forms: dict[str, Form], filled: list[Filled], out_dir: Path,
                   warnings: list[Diagnostic]) -> Scored:
    from ..load.results import results_sources
    from .grade import grade_all
    from .layout import form
    from .results import grade_lines, render_results_notice, results_title
    from .results import summary as summary_of
    from .source import check_source, render_source, reports_on
    from .summarybook import results_workbook

    project = prepared.project
    scoring = doc.scoring
    assert scoring is not None
    graded = [_with_texts(g, texts[g.unit_id]) for g in grade_all(scoring, filled)]
    order = {g.unit_id: g for g in graded}
    roster_order = [order[f.unit_id] for f in filled]
    office_doc = texts.get(OFFICE, doc)
    office = form(office_doc, "", project.unit.name if project.unit else "")
    outputs = [(inside(out_dir, safe_filename(results_title(doc.name) + "汇总表") + ".xlsx"),
                results_workbook(office, scoring, graded, roster_order, forms))]
    problems: list[Diagnostic] = []
    chart_missing = False
    taken: set[str] = set()
    every = results_sources(project.root)
    for source in every:
        problems += check_source(source, assessments(project))
    if errors(problems):
        raise Failed(merge_units(apply_settings(problems, project.settings)))
    sources = [s for s in every if reports_on(s, doc.name)]
    title = "".join(t.value for t in office_doc.title) if OFFICE in texts else doc.name
    for source in sources:
        context: dict[str, object] = {
            "assessment": f"《{title}》", "count": str(len(graded)),
            "summary": summary_of(scoring, graded)}
        if project.unit is not None:
            context["unit"] = project.unit.variables()
        if project.year is not None:
            context["year"] = project.year
        try:
            notice, attachment = render_source(source, context, grade_lines(scoring, graded))
            data, drawn = render_results_notice(notice, attachment, office, scoring, graded,
                                                project.templates["notice"],
                                                duplex=project.printing.duplex)
        except Failed as failed:
            problems += failed.diagnostics
            continue
        chart_missing = chart_missing or not drawn
        name = unique_name(safe_filename("".join(t.value for t in notice.title)), taken)
        outputs.append((inside(out_dir, name + ".docx"), data))
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
