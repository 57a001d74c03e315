"""The per-unit deviation report as a terminal table and as CSV (Chinese headers)."""

from __future__ import annotations

import csv
import io
import unicodedata

from .units import Deviation

HEADERS = ("单位", "清单", "条目", "变化", "内容")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cells(row: Deviation) -> tuple[str, ...]:
    return (row.unit, row.document, row.item, row.change, row.detail)


def table_text(rows: list[Deviation], limit: int = 40) -> str:
    """A table aligned for a terminal, Chinese characters counted double; long text cut."""
    if not rows:
        return "各单位的清单与基础清单一致。"
    lines = [HEADERS, *(_cells(r) for r in rows)]
    lines = [tuple(c if _width(c) <= limit else c[: limit // 2] + "…" for c in line)
             for line in lines]
    widths = [max(_width(line[i]) for line in lines) for i in range(len(HEADERS))]
    out = []
    for n, line in enumerate(lines):
        out.append("  ".join(c + " " * (w - _width(c)) for c, w in zip(line, widths, strict=True))
                   .rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    units = len({r.unit for r in rows})
    out.append(f"共 {units} 个单位、{len(rows)} 处与基础清单不同。")
    return "\n".join(out)


def to_csv(rows: list[Deviation]) -> bytes:
    """CSV with a byte-order mark, so Excel opens the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(_cells(r) for r in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
