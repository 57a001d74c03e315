"""The chart of the results notice: each unit's composite score as a bar, by rank.

Drawn with matplotlib's Agg canvas (no pyplot, no global state) in a CJK font found
through matplotlib's font manager among the fonts installed (fonts-noto-cjk on Debian);
nothing is downloaded. The PNG carries no software or time stamp, so equal results give
equal bytes.
"""

from __future__ import annotations

import io
import itertools
import math
from functools import cache
from typing import Any

from .grade import Graded
from .layout import show

# Preferred faces, all with Simplified Chinese glyphs; any installed one will do. Never a
# face of another region (Noto CJK JP, KR, TC, HK: office/fonts.py's REJECTED), whose
# glyph forms differ.
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "黑体", "SimHei",
                "FandolHei", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei",
                "Noto Serif CJK SC", "FandolSong")
COLOURS = ("#C00000", "#ED7D31", "#2F5597", "#7030A0", "#548235", "#7F6000")  # by grade
WIDTH_IN = 156 / 25.4  # the text block's width
MAX_HEIGHT_IN = 165 / 25.4  # leaves room above it on the attachment's first page
BAR_LIMIT = 40  # units; past this a bar each is too thin to read
EXCLUDED = "#BFBFBF"


@cache
def cjk_family() -> str | None:
    """The name of an installed CJK font family, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((family for family in CJK_FAMILIES if family in installed), None)


def score_chart(graded: list[Graded], grades: list[str], total: float,
                cuts: list[tuple[float, str]]) -> tuple[bytes, float] | None:
    """The composite scores as a picture: a bar per unit, highest first and coloured by
    grade, for up to BAR_LIMIT units; beyond that (bars too thin to read) how many units
    scored how much, by grade. (PNG bytes, height / width), or None when no CJK font is
    installed."""
    family = cjk_family()
    if family is None or not graded:
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    count = len(graded)
    height = min(MAX_HEIGHT_IN, 1.5 + 0.3 * count) if count <= BAR_LIMIT else 3.8
    figure = Figure(figsize=(WIDTH_IN, height), dpi=200, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    colour = {name: COLOURS[i % len(COLOURS)] for i, name in enumerate(grades)}
    size = 9 if count <= 15 else 7
    if count <= BAR_LIMIT:
        _bars(axes, graded, colour, family, size, total)
    else:
        _histogram(axes, graded, colour, grades, family, size, total)
    for value, _ in cuts:
        axes.axvline(value, color="#7F7F7F", linestyle="--", linewidth=0.8)
        axes.text(value, 1.0, f"{value:g}", ha="center", va="bottom", color="#595959",
                  transform=axes.get_xaxis_transform(), fontfamily=family, fontsize=size - 1)
    axes.set_xlabel("综合得分", fontfamily=family, fontsize=size)
    axes.spines[["top", "right"]].set_visible(False)
    legend = [Patch(color=colour[name], label=name) for name in grades
              if any(g.grade == name for g in graded)]
    if any(g.excluded for g in graded):
        legend.append(Patch(color=EXCLUDED, label="不作为考核对象"))
    if legend:
        figure.legend(handles=legend, loc="outside lower center", ncols=len(legend),
                      prop={"family": family, "size": size}, frameon=False)
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue(), height / WIDTH_IN


def _bars(axes: Any, graded: list[Graded], colour: dict[str, str], family: str, size: float,
          total: float) -> None:
    """One horizontal bar per unit, the first on top, its score and grade at its end."""
    count = len(graded)
    shown = graded[::-1]
    bars = axes.barh(range(count), [float(g.composite) for g in shown], height=0.6,
                     color=[colour.get(g.grade, EXCLUDED) for g in shown])
    axes.set_yticks(range(count), [g.unit_name for g in shown], fontfamily=family,
                    fontsize=size)
    for bar, g in zip(bars, shown, strict=True):
        label = show(g.composite) + (f"（{g.grade}）" if g.grade else "")
        axes.text(bar.get_width() + total * 0.01, bar.get_y() + bar.get_height() / 2, label,
                  va="center", fontfamily=family, fontsize=size)
    axes.set_xlim(0, total * 1.16)
    axes.set_ylim(-0.6, count - 0.4)


def _histogram(axes: Any, graded: list[Graded], colour: dict[str, str], grades: list[str],
               family: str, size: float, total: float) -> None:
    """How many units scored in each interval of total/50 points, stacked by grade."""
    step = total / 50
    low = min(float(g.composite) for g in graded)
    start = step * math.floor(low / step)
    edges = [start + step * i for i in range(int(round((total - start) / step)) + 2)]
    groups = [(name, colour[name]) for name in grades] + [("", EXCLUDED)]
    bottom = [0] * (len(edges) - 1)
    for name, fill in groups:
        values = [float(g.composite) for g in graded if (g.grade or "") == name]
        if not values:
            continue
        heights = [sum(1 for v in values if a <= v < b) for a, b in itertools.pairwise(edges)]
        axes.bar(edges[:-1], heights, width=step, align="edge", bottom=bottom, color=fill,
                 edgecolor="white", linewidth=0.3)
        bottom = [x + y for x, y in zip(bottom, heights, strict=True)]
    axes.set_xlim(start, total + step)
    axes.set_ylabel("单位数", fontfamily=family, fontsize=size)
    axes.yaxis.get_major_locator().set_params(integer=True)
