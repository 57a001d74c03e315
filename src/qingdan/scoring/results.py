"""What `score` writes about the results: their cells, and the 考核结果通报.

The notice goes through the notice template like any other (render.notice.render_notice,
engine.CompiledTemplate): its body lists the units by grade, and its attachment holds
the chart of the scores (a PNG part added to the package) and the table of results.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from ..model import Notice, Scoring
from ..render.engine import CompiledTemplate, Part, Rendered, compiled
from ..render.notice import Attached, render_notice
from ..words.assessment import ranked_bands
from .chart import score_chart
from .grade import Graded, by_grade
from .layout import Form, dec, show

CHART_ID = "rIdQingdanChart1"
CHART_PART = "word/media/qingdan-chart1.png"
EMU_PER_MM = 36000
TABLE_HALF_POINTS = 24  # 小四


def rank_label(g: Graded) -> str:
    return str(g.rank) if g.rank is not None else "—"


def grade_label(g: Graded) -> str:
    return "不作为考核对象" if g.excluded else (g.grade or "—")


def note(g: Graded, scoring: Scoring) -> str:
    """Why a unit's grade is not the one its score gives: the vetoes it met."""
    from ..words.assessment import veto_effect

    parts = [f"{v.condition.value}，{veto_effect(v, scoring)}" for v in g.vetoes]
    if g.vetoes and not g.excluded and g.grade != g.by_score:
        parts.append(f"按得分为“{g.by_score}”")
    return "；".join(parts)


def results_title(assessment: str) -> str:
    """意识形态工作责任制考核办法 -> 意识形态工作责任制考核结果."""
    for ending in ("考核实施办法", "考核实施细则", "考核办法", "考核细则"):
        if assessment.endswith(ending):
            return assessment[: -len(ending)] + "考核结果"
    return f"{assessment}结果"


def columns(form: Form) -> list[str]:
    parts = [p.name for p in form.parts] or ["得分"]
    return ["名次", "单位", *parts, *(["综合得分"] if form.parts else []), "等次", "说明"]


def row_values(g: Graded, form: Form, scoring: Scoring) -> list[object]:
    scores = list(g.parts) if form.parts else [g.indicator_total]
    composite = [g.composite] if form.parts else []
    return [g.rank if g.rank is not None else "—", g.unit_name, *scores, *composite,
            grade_label(g), note(g, scoring)]


# --- the notice ---------------------------------------------------------------------------


def grade_lines(scoring: Scoring, graded: list[Graded]) -> list[str]:
    """优秀（1个）：甲。 … then one sentence for each veto a unit met."""
    lines = [f"{name}（{len(units)}个）：{'、'.join(u.unit_name for u in units)}。"
             for name, units in by_grade(scoring, graded)]
    if not scoring.bands:
        lines = ["、".join(f"{g.unit_name}（{show(g.composite)}分）" for g in graded
                          if not g.excluded) + "。"]
    from ..words.assessment import veto_effect

    for g in graded:
        for veto in g.vetoes:
            lines.append(f"{g.unit_name}存在“{veto.condition.value}”的情形，"
                         f"按规定{veto_effect(veto, scoring)}。")
    return lines


def summary(scoring: Scoring, graded: list[Graded]) -> str:
    """优秀1个、良好2个、不作为考核对象1个."""
    parts = [f"{name}{len(units)}个" for name, units in by_grade(scoring, graded)]
    excluded = sum(1 for g in graded if g.excluded)
    if excluded:
        parts.append(f"不作为考核对象{excluded}个")
    return "、".join(parts)


def render_results_notice(notice: Notice, attachment: str, form: Form, scoring: Scoring,
                          graded: list[Graded], template: Path,
                          duplex: bool = True) -> tuple[bytes, bool]:
    """The 考核结果通报 .docx, and whether its chart could be drawn (a CJK font found);
    duplex as qingdan.yaml's printing says (the 版记 on an even page, or the last)."""
    target = compiled(template)
    top = float(form.total)
    bands = ranked_bands(scoring)
    cuts = [(float(dec(b.lower)), b.name) for b in bands if b.lower is not None and b.lower > 0]
    chart = score_chart(graded, [b.name for b in bands], top, cuts)
    body = _heading(target, attachment)
    parts: list[Part] = []
    if chart is not None:
        png, ratio = chart
        body += picture(CHART_ID, 156, 156 * ratio)
        parts.append(Part(CHART_PART, png, "image/png", CHART_ID))
    body += _table(target, form, scoring, graded)
    attached = [Attached(attachment, Rendered(b"", body), template)]
    return render_notice(notice, attached, template, parts, duplex).data, chart is not None


def run(text: str, face: str, half_points: int = 0) -> str:
    """A run with its face named on every slot, East Asian included (and a size, if given)."""
    fonts = (f'<w:rFonts w:ascii="{face}" w:hAnsi="{face}" w:eastAsia="{face}" w:cs="{face}" '
             'w:hint="eastAsia"/>')
    if half_points:
        fonts += f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
    return f'<w:r><w:rPr>{fonts}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _heading(template: CompiledTemplate, text: str) -> str:
    style = template.style_id("公文标题")
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{run(text, "方正小标宋简体")}</w:p>'



def picture(rel_id: str, width_mm: float, height_mm: float) -> str:
    """A centred inline picture paragraph; auto line spacing so the fixed 28.95 pt lines of
    the body do not clip it."""
    cx, cy = round(width_mm * EMU_PER_MM), round(height_mm * EMU_PER_MM)
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    pic = "http://schemas.openxmlformats.org/drawingml/2006/picture"
    return (
        '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        '<w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="center"/></w:pPr><w:r>'
        f'<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" '
        f'cy="{cy}"/><wp:docPr id="9001" name="考核得分图"/><a:graphic xmlns:a="{a}">'
        f'<a:graphicData uri="{pic}"><pic:pic xmlns:pic="{pic}"><pic:nvPicPr>'
        '<pic:cNvPr id="0" name="qingdan-chart1.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rel_id}"/><a:stretch><a:fillRect/></a:stretch>'
        f'</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/>'
        '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>")


def _table(template: CompiledTemplate, form: Form, scoring: Scoring,
           graded: list[Graded]) -> str:
    """The results as a ruled table in the template's 表头 / 表格文字 styles."""
    heads = [h for h in columns(form) if h != "说明"]
    twips = 156 * 1440 * 10 // 254  # the text block's width
    # 小四 (12 pt, 240 twips a character) rather than the 4号 of 表格文字: the table has a
    # column for each component, and a ten-character unit name should stay on one line.
    fixed = {"名次": 760, "等次": 1250}
    numbers = 900
    unit = twips - sum(fixed.get(h, numbers) for h in heads if h != "单位")
    widths = [fixed.get(h, max(unit, 2000) if h == "单位" else numbers) for h in heads]
    rows = [[*(str(v) if not isinstance(v, Decimal) else show(v)
               for v in row_values(g, form, scoring)[:-1])] for g in graded]
    head_style, cell_style = template.style_id("表头"), template.style_id("表格文字")
    border = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                     for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out = [f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
           f'<w:tblBorders>{border}</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr>'
           f"<w:tblGrid>{grid}</w:tblGrid>"]
    for r, values in enumerate([heads, *rows]):
        style = head_style if r == 0 else cell_style
        face = "黑体" if r == 0 else "仿宋_GB2312"
        header = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if r == 0 else \
            "<w:trPr><w:cantSplit/></w:trPr>"
        cells = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/><w:jc w:val="center"/></w:pPr>'
            f"{run(v, face, TABLE_HALF_POINTS)}</w:p></w:tc>"
            for v, w in zip(values, widths, strict=True))
        out.append(f"<w:tr>{header}{cells}</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)
