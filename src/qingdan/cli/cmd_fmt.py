"""qingdan fmt: fix half-width punctuation, full-width digits, ellipses and the 顿号
between titles or quotations in the sources, only when asked."""

from __future__ import annotations

import sys

import click

from ..diagnostics import EXIT_INPUT, EXIT_OK, Failed
from .common import chosen_project, fail, main, path_argument


@main.command()
@path_argument
@click.option("--check", "check_only", is_flag=True,
              help="只报告需要改正之处，不改动文件；有需要改正之处时退出码为 1")
def fmt(path: str | None, check_only: bool) -> None:
    """把中文中的半角标点改为全角，全角数字改为半角，省略号改为“……”，删去并列书名号、引号之间的顿号（只改动文字内容，保留注释和排版）。"""
    from ..rewrite.fmt import format_project

    try:
        changes = format_project(chosen_project(path), write=not check_only)
    except Failed as failed:
        fail(failed, "text", False)
    for file, count in changes:
        verb = "需改正" if check_only else "已改正"
        click.echo(f"{verb}：{file}（{count} 处）")
    if not changes:
        click.echo("无需改正。")
    sys.exit(EXIT_INPUT if check_only and changes else EXIT_OK)
