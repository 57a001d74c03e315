"""The qingdan command: parse options, call a stage, print diagnostics, exit once."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .diagnostics import EXIT_INPUT, EXIT_OK, Diagnostic, Failed, render_text

PATH_HELP = "项目文件夹（含 qingdan.yaml）或其中的一个源文件，默认为自带示例 checklists/example"


def _report(diagnostics: list[Diagnostic]) -> None:
    if diagnostics:
        click.echo(render_text(diagnostics), err=True)


def _fail(failed: Failed) -> None:
    _report(failed.diagnostics)
    count = sum(1 for d in failed.diagnostics if d.severity.value == "error")
    click.echo(f"失败：发现 {count} 个错误，未生成任何文件。", err=True)
    sys.exit(EXIT_INPUT)


def _project_path(path: str | None) -> Path:
    from .project import DEFAULT_PROJECT

    return Path(path) if path else DEFAULT_PROJECT


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="qingdan", message="qingdan %(version)s")
def main() -> None:
    """qingdan（清单）：把 YAML 源文件编译成符合 GB/T 9704-2012 的 Word 公文。

    退出码：0 成功；1 源文件或模板有错误（不写任何文件）；2 命令行用法错误。
    """


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=str))
def check(path: str | None) -> None:
    """检查源文件，报告全部问题，不生成文件。"""
    from .build import compile_project, render_project

    try:
        project, warnings = compile_project(_project_path(path))
        outputs = render_project(project)
    except Failed as failed:
        _fail(failed)
        return
    _report(warnings)
    click.echo(f"检查通过：{len(outputs)} 份文档，{len(warnings)} 个警告。")
    sys.exit(EXIT_OK)


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=str))
@click.option("-o", "--output", "out_dir", default="output", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="输出文件夹")
def build(path: str | None, out_dir: Path) -> None:
    """检查并生成 Word 文档；有任何错误时不改动输出文件夹。"""
    from .build import compile_project, render_project, write_outputs
    from .load import display_path

    try:
        project, warnings = compile_project(_project_path(path))
        outputs = render_project(project)
    except Failed as failed:
        _fail(failed)
        return
    _report(warnings)
    try:
        written = write_outputs(outputs, out_dir)
    except OSError as exc:
        click.echo(f"失败：无法写入输出文件夹“{out_dir}”：{exc.strerror or exc}", err=True)
        sys.exit(EXIT_INPUT)
    for target, changed in written:
        click.echo(f"{'已生成' if changed else '未变化'}：{display_path(target)}")
    sys.exit(EXIT_OK)
