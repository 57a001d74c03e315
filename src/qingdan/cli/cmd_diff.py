"""qingdan diff: compare two versions of the lists."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..diagnostics import EXIT_OK, Failed
from .common import chosen_project, fail, main


@main.command()
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option("--project", "project_path", default=None, metavar="项目",
              help="项目路径：OLD、NEW 为 git 版本（如 HEAD~1）或省略时用，默认为当前文件夹"
                   "（含 qingdan.yaml 时）或自带示例")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="终端输出的格式")
@click.option("--table", is_flag=True, help="生成修订对照表（.docx，横向）")
@click.option("--redline", is_flag=True,
              help="生成带修订标记的新版本（.docx，Word 中可接受或拒绝）")
@click.option("-o", "--output", "out_dir", default="output/修订", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="--table、--redline 的输出文件夹")
@click.option("--author", default="qingdan", show_default=True, metavar="作者",
              help="修订标记的作者",
              callback=lambda ctx, param, value: _author(value))
@click.option("--date", "when", default=None, metavar="日期",
              callback=lambda ctx, param, value: _date(value),
              help="修订标记的日期，例如 2024-03-15（默认今天）")
def diff(old: str | None, new: str | None, project_path: str | None, fmt: str, table: bool,
         redline: bool, out_dir: Path, author: str, when: str | None) -> None:
    """比较清单的两个版本（文件夹、文件或 git 版本），按条目列出新增、删除、修改、移动。

    OLD、NEW 可以是项目文件夹或源文件，也可以是 git 版本：HEAD~1、v2023，或“版本:项目路径”。
    省略 NEW 时，与项目（--project）现在的文件比较；
    两个都省略时，OLD 为 qingdan.yaml 中 previous 记下的上一版本（qingdan new-year 写入）。
    """
    import contextlib
    import datetime
    import json

    from ..diff.outputs import write_revisions
    from ..diff.projects import compare
    from ..diff.report import diff_text
    from ..diff.versions import previous_version, resolve_version
    from ..paths import display_path

    stamp = f"{when or datetime.date.today().isoformat()}T00:00:00Z"
    try:
        with contextlib.ExitStack() as stack:
            default = chosen_project(project_path)
            if old is None:
                before = previous_version(default, stack)
            else:
                before = resolve_version(old, default, stack)
            after = default if new is None else resolve_version(new, default, stack)
            result = compare(before, after)
            written = write_revisions(result, out_dir, table, redline, author, stamp)
    except Failed as failed:
        fail(failed, "text", False)
    if fmt == "json":
        from ..diff.data import to_json

        click.echo(json.dumps(to_json(result), ensure_ascii=False, indent=2))
    else:
        click.echo(diff_text(result, color=sys.stdout.isatty()))
    for path in written:
        click.echo(f"已生成：{display_path(path)}", err=fmt == "json")
    sys.exit(EXIT_OK)


def _author(value: str) -> str:
    """An author name Word can store: no control characters, not empty, not too long."""
    from ..load.source import NOT_XML

    if not value.strip() or NOT_XML.search(value) or len(value) > 255:
        raise click.BadParameter("作者须是 1～255 个字符的文字，不能含控制字符")
    return value


def _date(value: str | None) -> str | None:
    """A YYYY-MM-DD that exists, or a usage error."""
    import datetime

    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"“{value}”不是有效日期，请写成 2024-03-15 的形式") from None
