"""The qingdan command: parse options, call a stage, print diagnostics, exit once."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .diagnostics import EXIT_INPUT, EXIT_OK, Diagnostic, Failed, Severity, render_json, render_text

path_argument = click.argument("path", required=False, type=click.Path(path_type=str))
strict_option = click.option("--strict", is_flag=True,
                             help="有警告也视为失败（仍会报告全部问题）")
format_option = click.option("--format", "fmt", type=click.Choice(["text", "json"]),
                             default="text", show_default=True,
                             help="诊断信息的格式；json 输出到标准输出，供 CI 等工具读取")


class _Formatter(click.HelpFormatter):
    """Click's help layout with Chinese headings."""

    SECTIONS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法：")

    def section(self, name: str):  # type: ignore[override]
        return super().section(self.SECTIONS.get(name, name))


class _Context(click.Context):
    formatter_class = _Formatter


class _Chinese:
    """Chinese help layout and help-option text for qingdan's commands."""

    context_class: type[click.Context] = _Context

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "显示本帮助并退出"
        return option


class _Command(_Chinese, click.Command):
    pass


class _Group(_Chinese, click.Group):
    command_class = _Command


def _project_path(path: str | None) -> Path:
    from .project import DEFAULT_PROJECT

    return Path(path) if path else DEFAULT_PROJECT


def _report(diagnostics: list[Diagnostic], fmt: str) -> None:
    if fmt == "json":
        click.echo(render_json(diagnostics))
    elif diagnostics:
        click.echo(render_text(diagnostics), err=True)


def _fail(failed: Failed, fmt: str, strict: bool) -> None:
    _report(failed.diagnostics, fmt)
    count = sum(1 for d in failed.diagnostics if d.severity is Severity.ERROR)
    warnings = len(failed.diagnostics) - count
    if count == 0 and strict:
        click.echo(f"失败：--strict 下有 {warnings} 个警告，未生成任何文件。", err=True)
    else:
        click.echo(f"失败：发现 {count} 个错误，未生成任何文件。", err=True)
    sys.exit(EXIT_INPUT)


class _Progress:
    """A progress bar on the error stream, shown only on a terminal and for real work."""

    def __init__(self) -> None:
        self.bar: Any = None

    def start(self, total: int) -> None:
        if total >= 4 and sys.stderr.isatty():
            self.bar = click.progressbar(length=total, label="生成文档", file=sys.stderr)
            self.bar.__enter__()

    def step(self, count: int) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _run(path: str | None, out_dir: Path | None, fmt: str, strict: bool):
    from .build import run_build

    progress = _Progress()
    try:
        return run_build(_project_path(path), out_dir, strict=strict, progress=progress.step,
                         on_plan=progress.start)
    except Failed as failed:
        progress.close()  # before the report, so the two do not interleave
        _fail(failed, fmt, strict)
        raise  # unreachable: _fail exits
    finally:
        progress.close()


@click.group(name="qingdan", cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="qingdan", message="qingdan %(version)s",
                      help="显示版本号并退出")
def main() -> None:
    """qingdan（清单）：把 YAML 源文件编译成符合 GB/T 9704-2012 的 Word 公文。

    PATH 为项目文件夹（含 qingdan.yaml）或其中的一个源文件，省略时为自带示例
    checklists/example。

    退出码：0 成功；1 源文件或模板有错误（不写任何文件），或 --strict 下有警告，
    或 fmt --check 发现需要改正之处；2 命令行用法错误。
    """


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
    from .load import display_path

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


@main.command()
@path_argument
@click.option("-o", "--output", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="同时写入 CSV 文件（UTF-8，Excel 可直接打开）")
def report(path: str | None, csv_path: Path | None) -> None:
    """列出各单位清单与基础清单的差异（替换、新增、删除、移动）。"""
    from .build import deviations
    from .report import table_text, to_csv
    from .writer import write_atomic

    try:
        rows = deviations(_project_path(path))
    except Failed as failed:
        _fail(failed, "text", False)
        return
    click.echo(table_text(rows))
    if csv_path is not None:
        write_atomic(csv_path, to_csv(rows))
        click.echo(f"已写入：{csv_path}")
    sys.exit(EXIT_OK)


@main.command()
@path_argument
@click.option("--check", "check_only", is_flag=True,
              help="只报告需要改正之处，不改动文件；有需要改正之处时退出码为 1")
def fmt(path: str | None, check_only: bool) -> None:
    """把中文中的半角标点改为全角（只改动文字内容，保留注释和排版）。"""
    from .fmt import format_project

    try:
        changes = format_project(_project_path(path), write=not check_only)
    except Failed as failed:
        _fail(failed, "text", False)
        return
    for file, count in changes:
        verb = "需改正" if check_only else "已改正"
        click.echo(f"{verb}：{file}（{count} 处）")
    if not changes:
        click.echo("无需改正。")
    sys.exit(EXIT_INPUT if check_only and changes else EXIT_OK)


@main.command()
@click.argument("old")
@click.argument("new")
@click.option("--project", "project_path", default=None,
              help="OLD、NEW 为 git 版本（如 HEAD~1）时的项目路径，默认为自带示例")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="终端输出的格式")
@click.option("--table", is_flag=True, help="生成修订对照表（.docx，横向）")
@click.option("--redline", is_flag=True,
              help="生成带修订标记的新版本（.docx，Word 中可接受或拒绝）")
@click.option("-o", "--output", "out_dir", default="output/修订", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="--table、--redline 的输出文件夹")
@click.option("--author", default="qingdan", show_default=True, help="修订标记的作者")
@click.option("--date", "when", default=None, callback=lambda ctx, param, value: _date(value),
              help="修订标记的日期，例如 2024-03-15（默认今天）")
def diff(old: str, new: str, project_path: str | None, fmt: str, table: bool, redline: bool,
         out_dir: Path, author: str, when: str | None) -> None:
    """比较清单的两个版本（文件夹、文件或 git 版本），按条目列出新增、删除、修改、移动。

    OLD、NEW 可以是项目文件夹或源文件，也可以是 git 版本：HEAD~1、v2023，或“版本:项目路径”。
    """
    import contextlib
    import datetime
    import json

    from .build import compare
    from .load import display_path
    from .report import diff_text

    stamp = f"{when or datetime.date.today().isoformat()}T00:00:00Z"
    try:
        with contextlib.ExitStack() as stack:
            from .versions import resolve_version

            default = _project_path(project_path)
            result = compare(resolve_version(old, default, stack),
                             resolve_version(new, default, stack))
            written = _write_revisions(result, out_dir, table, redline, author, stamp)
    except Failed as failed:
        _fail(failed, "text", False)
        return
    if fmt == "json":
        from .diff import to_json

        click.echo(json.dumps(to_json(result), ensure_ascii=False, indent=2))
    else:
        click.echo(diff_text(result, color=sys.stdout.isatty()))
    for path in written:
        click.echo(f"已生成：{display_path(path)}", err=fmt == "json")
    sys.exit(EXIT_OK)


def _date(value: str | None) -> str | None:
    """A YYYY-MM-DD that exists, or a usage error."""
    import datetime

    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"“{value}”不是有效日期，请写成 2024-03-15 的形式") from None


def _write_revisions(result, out_dir: Path, table: bool, redline: bool, author: str,
                     stamp: str) -> list[Path]:
    """Comparison tables and redlines for every changed list (each unit's in its folder)."""
    if not (table or redline):
        return []
    from .render.compare import render_comparison, render_redline
    from .writer import inside, safe_filename, write_atomic

    templates = result.templates
    jobs = [("", result.lists, result.pairs)]
    jobs += [(safe_filename(u.unit), u.lists, result.unit_pairs.get(u.unit, {}))
             for u in result.units if u.status == "changed"]
    written = []
    for folder, diffs, pairs in jobs:
        base = out_dir / folder if folder else out_dir
        for each in diffs:
            if not each.changed:
                continue
            old_doc, new_doc = pairs[each.name]
            if table:
                path = inside(base, safe_filename(f"《{each.new_title}》修订对照表") + ".docx")
                write_atomic(path, render_comparison(each, templates["comparison"]).data)
                written.append(path)
            if redline:
                path = inside(base, safe_filename(f"{each.new_title}（修订稿）") + ".docx")
                write_atomic(path, render_redline(old_doc, new_doc, each, templates["list"],
                                                  author, stamp))
                written.append(path)
    return written

