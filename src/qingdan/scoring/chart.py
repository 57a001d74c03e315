"""The chart of the results notice: each unit's composite score as a bar, by rank.

Drawn with matplotlib's Agg canvas (no pyplot, no global state) in a CJK font found
through matplotlib's font manager among the fonts installed (fonts-noto-cjk on Debian);
nothing is downloaded. The PNG carries no software or time stamp, so equal results give
equal bytes.
"""

from __future__ import annotations

import io
from functools import cache

from .grade import Graded
from .layout import show

# Preferred faces, Simplified Chinese first; any installed one will do.
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Zen Hei",
                "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "Noto Serif CJK SC",
                "Noto Sans CJK JP", "Noto Sans CJK TC")
COLOURS = ("#C00000", "#ED7D31", "#2F5597", "#7F7F7F", "#548235", "#7030A0")  # by grade
WIDTH_IN = 156 / 25.4  # the text block's width


@cache
def cjk_family() -> str | None:
    """The name of an installed CJK font family, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    return next((name for name in sorted(installed) if "CJK" in name), None)


def score_chart(graded: list[Graded], grades: list[str], total: float,
                cuts: list[tuple[float, str]]) -> tuple[bytes, float] | None:
    """A horizontal bar per unit, highest first, coloured by grade, with the grade lines;
    (PNG bytes, height / width), or None when no CJK font is installed."""
    family = cjk_family()
    if family is None or not graded:
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    count = len(graded)
    height = min(8.5, 1.4 + 0.38 * count)
    size = 9 if count <= 30 else max(4.0, 9 * 30 / count)
    figure = Figure(figsize=(WIDTH_IN, height), dpi=200)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    colour = {name: COLOURS[i % len(COLOURS)] for i, name in enumerate(grades)}
    names = [g.unit_name for g in graded][::-1]
    values = [float(g.composite) for g in graded][::-1]
    fills = [colour.get(g.grade, "#BFBFBF") for g in graded][::-1]
    bars = axes.barh(range(count), values, color=fills, height=0.6)
    axes.set_yticks(range(count), names, fontfamily=family, fontsize=size)
    for bar, g in zip(bars, graded[::-1], strict=True):
        label = show(g.composite) + (f"（{g.grade}）" if g.grade else "（不定等次）")
        axes.text(bar.get_width() + total * 0.01, bar.get_y() + bar.get_height() / 2, label,
                  va="center", fontfamily=family, fontsize=size)
    for value, _ in cuts:
        axes.axvline(value, color="#7F7F7F", linestyle="--", linewidth=0.8)
        axes.text(value, count - 0.45, f"{value:g}", ha="center", va="bottom",
                  fontfamily=family, fontsize=size - 1, color="#595959")
    axes.set_xlim(0, total * 1.16)
    axes.set_ylim(-0.6, count + 0.2)
    axes.set_xlabel("综合得分", fontfamily=family, fontsize=size)
    axes.spines[["top", "right"]].set_visible(False)
    legend = [Patch(color=colour[name], label=name) for name in grades
              if any(g.grade == name for g in graded)]
    if legend:
        axes.legend(handles=legend, loc="lower right", prop={"family": family, "size": size},
                    frameon=False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue(), height / WIDTH_IN
