"""The per-unit deviation report as a terminal table and as CSV (Chinese headers)."""

from __future__ import annotations

import csv
import io

from ..layout.titles import cells
from ..resolve.overlays import Deviation
from .documents import ListDiff, ProjectDiff

HEADERS = ("单位", "清单", "条目", "变化", "内容")


def _width(text: str) -> int:
    """Terminal columns: a Chinese character takes two."""
    return int(cells(text) * 2)


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


# A spreadsheet opening a CSV takes a field starting with one of these for a formula (or,
# for tab and carriage return, strips them and then does): OWASP's "CSV injection".
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(field: str) -> str:
    """A CSV field a spreadsheet reads as text: "=1+1" becomes "'=1+1" (the apostrophe
    Excel, WPS and LibreOffice themselves use to mark a cell as text)."""
    return "'" + field if field.startswith(FORMULA_START) else field


def to_csv(rows: list[Deviation]) -> bytes:
    """CSV with a byte-order mark, so Excel opens the Chinese text correctly; no field
    can become a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(HEADERS)
    writer.writerows(tuple(neutral(c) for c in _cells(r)) for r in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _styled(segments, color: bool) -> str:
    import click

    out = []
    for segment in segments:
        if segment.kind == "equal":
            out.append(segment.text)
        elif segment.kind == "delete":
            out.append(click.style(segment.text, fg="red", strikethrough=True) if color
                       else f"[-{segment.text}-]")
        else:
            out.append(click.style(segment.text, fg="green", underline=True) if color
                       else f"{{+{segment.text}+}}")
    return "".join(out)


def list_diff_text(diff: ListDiff, color: bool) -> list[str]:
    """One list's changes: counts per role, then each change with its characters marked."""
    from .documents import KIND_NAMES, char_diff

    lines = [f"《{diff.new_title}》（{diff.name}）"]
    if diff.old_title != diff.new_title:
        lines.append(f"  标题：{_styled(char_diff(diff.old_title, diff.new_title), color)}")
    if not diff.changes:
        lines.append("  条目没有变化。")
        return lines
    for role, row in diff.counts().items():
        counts = "，".join(f"{KIND_NAMES[k]} {n}" for k, n in row.items() if n)
        lines.append(f"  {role}：{counts}")
    types = "，".join(f"{name} {n}" for name, n in diff.type_counts().items())
    if types:
        lines.append(f"  修改类型：{types}")
    for change in diff.changes:
        kinds = "、".join(KIND_NAMES[k] for k in change.kinds)
        where = change.old.where if change.old else ""
        if change.new and change.new.where != where:
            where += (" → " if where else "") + change.new.where
        ident = change.new.id if change.new else change.old.id  # type: ignore[union-attr]
        named = f"　{'、'.join(t.name for t in change.types)}" if change.types else ""
        lines.append(f"  [{kinds}] {ident}（{where}）{named}")
        lines.append(f"      {_styled(change.segments, color)}")
        details = [t.detail for t in change.types if t.detail]
        if details:
            lines.append(f"      说明：{'；'.join(details)}")
    return lines


def impact_text(result: ProjectDiff) -> list[str]:
    """The impact list: each changed duty or indicator, the units it reaches, who cites it,
    and last year's overlays that no longer apply."""
    if not result.impacts and not result.stale_overlays:
        return []
    lines = ["", "影响范围："]
    for found in result.impacts:
        lines.append(f"  {found.document} {found.where}（{'、'.join(found.types)}）")
        lines.append(f"      涉及单位：{'、'.join(found.units) or '无'}")
        if found.kept:
            lines.append(f"      以本单位调整后的文字为准、不受影响：{'、'.join(found.kept)}")
        if found.cited_by:
            lines.append(f"      引用它的指标和条文：{'；'.join(found.cited_by)}")
    if result.stale_overlays:
        lines.append("不再适用的单位调整（上一版本名册中的调整，用于新版本的基础清单时）：")
        lines += [f"  {s.unit}：{s.document} {s.op}“{s.where or s.target}”（{s.target}）："
                  f"{s.reason}" for s in result.stale_overlays]
    return lines


def diff_text(result: ProjectDiff, color: bool) -> str:
    """The terminal summary of `qingdan diff`."""
    lines: list[str] = []
    for diff in result.lists:
        lines += list_diff_text(diff, color)
    lines += [f"新增清单：{name}" for name in result.added_lists]
    lines += [f"删除清单：{name}" for name in result.removed_lists]
    if result.units:
        status = {"changed": "有变化", "same": "无变化", "added": "新增单位", "removed": "删除单位"}
        lines.append("")
        lines.append("各单位：")
        for unit in result.units:
            count = sum(len(d.changes) for d in unit.lists)
            extra = f"（{count} 处）" if unit.status == "changed" else ""
            lines.append(f"  {unit.unit}：{status[unit.status]}{extra}")
        changed = [u for u in result.units if u.status == "changed"]
        lines.append(f"共 {len(result.units)} 个单位，{len(changed)} 个有变化。")
        for unit in changed:
            lines.append("")
            lines.append(f"【{unit.unit}】")
            for diff in unit.lists:
                lines += list_diff_text(diff, color)
    lines += impact_text(result)
    return "\n".join(lines) if lines else "两个版本的清单相同。"
