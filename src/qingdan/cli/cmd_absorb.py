"""qingdan absorb: a list a unit edited and sent back, proposed as overlays (or as changes
to the base list); written only with --write."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..diagnostics import EXIT_OK, Failed
from .common import chosen_project, fail, main, path_argument, print_diagnostics


@main.command()
@click.argument("docx", type=click.Path(path_type=Path))
@path_argument
@click.option("--unit", "unit", default=None, metavar="单位编号",
              help="文件所属的单位（名册中的 id；写空字符串 \"\" 表示本单位的基础清单）。"
                   "默认按 qingdan 生成时写入文件的属性，或按标题确定")
@click.option("--source", "source", default=None, metavar="源文件名",
              help="文件所属的清单（源文件名，不含 .yaml）；默认同上")
@click.option("--write", "write", is_flag=True,
              help="把修改写入名册（或基础清单）；不加时只显示修改")
def absorb(docx: Path, path: str | None, unit: str | None, source: str | None,
           write: bool) -> None:
    """回收各单位修改后寄回的清单（Word 文件），把修改写成该单位在名册中的调整。

    DOCX 是单位寄回的 Word 文件（可含修订和批注：修订按“全部接受”读取，批注逐条列出）。
    逐条与该单位现在生成的清单比对，把改写、新增、删除、移动的条目写成名册中该单位的
    overlays（本单位的文件则直接修改基础清单），以差异显示；加 --write 才写入。
    无法写成调整的修改（改了标题、导语，新增了一节）列出而不写入。
    """
    from ..absorb.run import absorb as run
    from ..absorb.run import write_absorbed

    try:
        result = run(docx, chosen_project(path), unit, source)
    except Failed as failed:
        fail(failed, "text", False)
        return
    who = f"单位“{result.unit}”（{result.unit_id}）" if result.unit_id else \
        f"本单位“{result.unit}”的基础清单"
    click.echo(f"回收：{result.display} → {who}，清单“{result.source}”（按{result.found_by}确定）")
    _section("修改", [_op_line(op) for op in result.ops])
    _section("修订（按全部接受读取）", result.tracked)
    _section("批注", result.comments)
    _section("无法归位（未写入，请手工处理）", result.unplaced)
    _section("说明", result.notes)
    diff = result.diff()
    if diff:
        click.echo("")
        for line in diff:
            click.echo(line)
    print_diagnostics(result.warnings, "text")
    if not diff:
        click.echo("没有可写入的修改。")
    elif write:
        try:
            write_absorbed(result)
        except Failed as failed:
            fail(failed, "text", False)
            return
        click.echo(f"已写入：{result.target and _shown(result.target)}")
    else:
        click.echo("未写入：核对无误后加 --write 写入。")
    sys.exit(EXIT_OK)


def _section(title: str, lines: list[str]) -> None:
    if lines:
        click.echo(f"{title}（{len(lines)} 项）：")
        for line in lines:
            click.echo(f"  {line}")


def _op_line(op) -> str:
    from ..absorb.run import OP_NAMES

    where = f"{op.where}：" if op.where else ""
    if op.op == "remove":
        return f"{where}删除 {op.id}：{_cut(op.old)}"
    place = f"（在 {op.after} 之后）" if op.after else f"（到 {op.to} 一节末尾）" if op.to else ""
    text = f"：{_cut(op.text)}" if op.op in ("replace", "add") else ""
    return f"{where}{OP_NAMES[op.op]} {op.id}{place}{text}"


def _cut(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown(path: Path) -> str:
    from ..paths import display_path

    return display_path(path)
