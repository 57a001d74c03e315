"""qingdan check and qingdan build."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..diagnostics import EXIT_INPUT, EXIT_OK
from . import _report, _run, format_option, main, path_argument, strict_option


@main.command()
@path_argument
@strict_option
@format_option
def check(path: str | None, strict: bool, fmt: str) -> None:
    """检查源文件，报告全部问题，不生成文件。"""
    result = _run(path, None, fmt, strict)
    _report(result.warnings, fmt)
    if fmt == "text":
        click.echo(f"检查通过：{result.documents} 份文档，{len(result.warnings)} 个警告。")
    sys.exit(EXIT_OK)


@main.command()
@path_argument
@click.option("-o", "--output", "out_dir", default="output", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="输出文件夹")
@strict_option
@format_option
def build(path: str | None, out_dir: Path, strict: bool, fmt: str) -> None:
    """检查并生成 Word 文档；有任何错误时不改动输出文件夹。

    有单位名册时，每个单位的文档生成在“输出文件夹/单位名称/”下；输入没有变化的单位不会
    重新生成。
    """
    from ..load import display_path

    try:
        result = _run(path, out_dir, fmt, strict)
    except OSError as exc:
        click.echo(f"失败：无法写入输出文件夹“{out_dir}”：{exc.strerror or exc}", err=True)
        sys.exit(EXIT_INPUT)
    _report(result.warnings, fmt)
    if fmt == "text":
        changed = [target for target, new in result.written if new]
        if len(result.written) <= 20:
            for target, new in result.written:
                click.echo(f"{'已生成' if new else '未变化'}：{display_path(target)}")
        else:
            same = len(result.written) - len(changed)
            click.echo(f"已生成 {len(changed)} 份文档，{same} 份未变化。")
        if result.skipped:
            click.echo(f"{result.skipped} 个单位的输入没有变化，沿用上次生成的文档。")
    sys.exit(EXIT_OK)
