"""qingdan new-year: start next year's edition of a project."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..diagnostics import EXIT_OK, Failed
from .common import chosen_project, fail, main, print_diagnostics


@main.command("new-year")
@click.argument("year", type=click.IntRange(1949, 2999))
@click.argument("path", required=False, type=click.Path(path_type=str))
@click.option("--copy", is_flag=True, help="复制到新文件夹，即使项目在 git 仓库中")
@click.option("-o", "--output", "target", default=None,
              type=click.Path(file_okay=False, path_type=Path),
              help="新版本的文件夹（复制时；默认为同级的“文件夹名-年份”）")
def new_year(year: int, path: str | None, copy: bool, target: Path | None) -> None:
    """开始 YEAR 年度的新版本：年度、成文日期、发文字号改为新一年的草稿，条目 id 不变。

    项目在 git 仓库中时，给当前版本加上标签（如 v2024），在原处改写；
    否则（或加 --copy、-o），复制到同级的新文件夹（如 example-2025）再改写。
    新版本记下上一版本，qingdan diff 不带参数即与它比较。
    """
    from ..annual.newyear import new_year as start
    from ..paths import display_path

    try:
        result = start(chosen_project(path), year, copy=copy, target=target)
    except Failed as failed:
        fail(failed, "text", False)
    if result.tag:
        made = "已为当前版本加上" if result.tagged else "当前版本已有"
        click.echo(f"{made} git 标签 {result.tag}。")
        click.echo(f"已在原处改写为 {year} 年度的草稿：")
        for file in sorted(result.advanced.files):
            click.echo(f"  {display_path(file)}")
    else:
        click.echo(f"已生成 {year} 年度的版本：{display_path(result.root)}"
                   f"（上一版本：{result.previous}）")
        if result.left:
            click.echo(f"未复制：{'、'.join(result.left)}")
    changed = result.advanced
    parts = [f"year 改为 {year}"]
    if changed.dates:
        parts.append(f"成文日期、印发日期 {changed.dates} 处改为“待定”")
    if changed.numbers:
        parts.append(f"发文字号 {changed.numbers} 个改为 {year} 年、序号待定")
    if changed.stages:
        parts.append(f"时间安排 {changed.stages} 个阶段的日期顺延")
    click.echo("；".join(parts) + "。")
    print_diagnostics(result.warnings, "text")
    click.echo("下一步：修订清单和办法（条目 id 保持不变），qingdan diff 与上一版本比较，"
               "加 --table 生成修订对照表；定稿后写上成文日期和发文字号，"
               "用 qingdan build --final 检查没有留空。")
    if result.tag:
        click.echo("改动尚未提交：检查后用 git commit 提交。")
    sys.exit(EXIT_OK)
