"""The qingdan command: parse options, call a stage, print diagnostics, exit once."""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any, NoReturn

import click

from ..diagnostics import (
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    Diagnostic,
    Failed,
    Severity,
    render_json,
    render_text,
)
from .chinese import Chinese, chinese

path_argument = click.argument("path", required=False, type=click.Path(path_type=str))
strict_option = click.option("--strict", is_flag=True,
                             help="有警告也视为失败（仍会报告全部问题）")
final_option = click.option("--final", is_flag=True,
                            help="正式发文：日期、发文字号仍为“待定”或标为草稿的，视为错误")
EXIT_TERMINATED = 128 + signal.SIGTERM  # as a shell reports a process ended by SIGTERM
format_option = click.option("--format", "fmt", type=click.Choice(["text", "json"]),
                             default="text", show_default=True,
                             help="诊断信息的格式；json 输出到标准输出，供 CI 等工具读取")


class _Command(Chinese, click.Command):
    pass


class _Group(Chinese, click.Group):
    command_class = _Command

    def invoke(self, ctx: click.Context) -> Any:
        """Every command: Ctrl-C gives one Chinese line and exit 130, SIGTERM the same
        clean-up and exit 143, never a traceback (the stages have removed their
        temporaries by the time either arrives here)."""
        from ..interrupts import Terminated, terminable

        # A compiler's run makes many objects and little cyclic garbage: collecting every
        # 700 allocations (the default) costs more than half the time of loading a long
        # list or roster.
        gc.set_threshold(100_000, 50, 50)
        try:
            with terminable():
                return super().invoke(ctx)
        except click.UsageError as error:  # no such command, and click's own checks
            raise chinese(error, ctx) from None
        except Terminated:
            click.echo("已终止：没有写入未完成的文件。", err=True)
            sys.exit(EXIT_TERMINATED)
        except KeyboardInterrupt:
            lead = "\n" if sys.stderr.isatty() else ""  # after the terminal's ^C
            click.echo(f"{lead}已中断：没有写入未完成的文件。", err=True)
            sys.exit(EXIT_INTERRUPTED)


_LEAVING_QUICKLY = False


def leave_quickly() -> None:
    """Say that this run holds nothing to clean up at exit (no child process, temporary
    folder or thread): the installed command then ends without the interpreter freeing
    the run's objects one by one, which takes a build of thousands of documents 60 ms."""
    global _LEAVING_QUICKLY
    _LEAVING_QUICKLY = True


def run() -> NoReturn:
    """The installed `qingdan` command (and `python -m qingdan`): main, then the exit,
    quick after a run that said leave_quickly (as mypy's hard_exit does). Tests call main
    itself, which exits as usual."""
    code: str | int | None = 0
    try:
        main()
    except SystemExit as done:
        code = done.code
    pool = sys.modules.get("multiprocessing")
    if (_LEAVING_QUICKLY and not isinstance(code, str)
            and threading.active_count() == 1 and not (pool and pool.active_children())):
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            sys.exit(code)
        os._exit(code or 0)
    sys.exit(code)


def _project_path(path: str | None) -> Path:
    """The path given; else the working folder when it is a project; else the example."""
    from ..project import CONFIG_NAME, DEFAULT_PROJECT

    if path:
        return Path(path)
    return Path(".") if Path(CONFIG_NAME).is_file() else DEFAULT_PROJECT


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

    def __init__(self, label: str = "生成文档") -> None:
        self.bar: Any = None
        self.label = label

    def start(self, total: int) -> None:
        if total >= 4 and sys.stderr.isatty():
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()

    def step(self, count: int) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _unwritable(out_dir: Path, exc: OSError) -> NoReturn:
    """An output folder the system will not let us write: a located diagnostic (as the
    stages give), exit 1."""
    from ..staging import os_problem

    _fail(Failed([os_problem(exc, out_dir)]), "text", False)
    sys.exit(EXIT_INPUT)  # unreachable: _fail exits


def _run(path: str | None, out_dir: Path | None, fmt: str, strict: bool,
         final: bool = False):
    from ..build import run_build

    progress = _Progress()
    try:
        return run_build(_project_path(path), out_dir, strict=strict, progress=progress.step,
                         on_plan=progress.start, no_drafts=final)
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

    PATH 为项目文件夹（含 qingdan.yaml）或其中的一个源文件；省略时为当前文件夹（其中有
    qingdan.yaml 时），否则为自带示例 checklists/example。

    退出码：0 成功；1 源文件或模板有错误（不写任何文件），或 --strict 下有警告，或 fmt --check
    发现需要改正之处，或 proof 发现版面错误、无法生成 PDF，或 serve 的端口被占用；2 命令行
    用法错误；130 按 Ctrl-C 中止；143 被终止（kill，SIGTERM）。中止、终止时都不留下写了一半
    的文件。
    """


# Each module registers its commands on `main`.
from . import (  # noqa: E402, F401
    cmd_absorb,
    cmd_build,
    cmd_diff,
    cmd_fmt,
    cmd_import,
    cmd_newyear,
    cmd_proof,
    cmd_report,
    cmd_serve,
    cmd_sheets,
    cmd_upgrade,
)
