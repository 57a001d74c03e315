"""qingdan check and qingdan build."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..diagnostics import EXIT_INPUT, EXIT_OK, Failed
from .common import (
    Progress,
    build_or_exit,
    chosen_project,
    fail,
    final_option,
    format_option,
    leave_quickly,
    main,
    path_argument,
    print_diagnostics,
    strict_option,
    unwritable,
)

if TYPE_CHECKING:
    from ..office import Office
    from ..pdf.build import PdfResult


@main.command()
@path_argument
@strict_option
@final_option
@format_option
def check(path: str | None, strict: bool, final: bool, fmt: str) -> None:
    """检查源文件，报告全部问题，不生成文件。"""
    result = build_or_exit(path, None, fmt, strict, final)
    print_diagnostics(result.warnings, fmt)
    if fmt == "text":
        click.echo(f"检查通过：{result.documents} 份文档，{len(result.warnings)} 个警告。")
    leave_quickly()
    sys.exit(EXIT_OK)


@main.command()
@path_argument
@click.option("-o", "--output", "out_dir", default="output", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="输出文件夹")
@click.option("--pdf", "make_pdf", is_flag=True,
              help="同时在每份 Word 文档旁生成 PDF（用 LibreOffice 转换）")
@click.option("--ofd", "make_ofd", is_flag=True,
              help="同时在每份 Word 文档旁生成 OFD 版式文件（GB/T 33190，页面与 PDF 相同）")
@strict_option
@final_option
@format_option
def build(path: str | None, out_dir: Path, make_pdf: bool, make_ofd: bool, strict: bool,
          final: bool, fmt: str) -> None:
    """检查并生成 Word 文档；有任何错误时不改动输出文件夹。

    有单位名册时，每个单位的文档生成在“输出文件夹/单位名称/”下；输入没有变化的单位不会
    重新生成。
    加 --pdf 时再用 LibreOffice 把每份文档转换为同名 PDF，文档没有变化的不再转换。
    加 --ofd 时再生成同名 OFD 版式文件（与 PDF 同样的页面，文字可检索），同样只重做有变化的。
    成文日期或发文字号写“待定”的通知按草稿生成（留空、左上角标注“草稿”），加 --final 时则视为错误。
    """
    office = _office(path, fmt, strict) if make_pdf or make_ofd else None
    try:
        result = build_or_exit(path, out_dir, fmt, strict, final)
    except OSError as exc:
        unwritable(out_dir, exc)
    print_diagnostics(result.warnings, fmt)
    if fmt == "text":
        _list(result.written, "文档")
        if result.skipped:
            click.echo(f"{result.skipped} 个单位的输入没有变化，沿用上次生成的文档。")
    if office is not None and make_pdf:
        try:
            pdfs = _pdfs(path, out_dir, office, fmt)
        except OSError as exc:
            unwritable(out_dir, exc)
        if fmt == "text":
            _list(pdfs.written, "PDF")
    if office is not None and make_ofd:
        from .cmd_ofd import ofds

        try:
            written = ofds(path, out_dir, office, fmt, make_pdf)
        except OSError as exc:
            unwritable(out_dir, exc)
        if fmt == "text":
            _list(written, "OFD")
    if office is None:
        leave_quickly()
    sys.exit(EXIT_OK)


def _list(written: Sequence[tuple[str | Path, bool]], what: str) -> None:
    """Each file and whether it was written or found unchanged; past 20, the counts."""
    from ..paths import display_path

    if len(written) <= 20:
        for target, new in written:
            click.echo(f"{'已生成' if new else '未变化'}：{display_path(Path(target))}")
    else:
        click.echo(counted(sum(1 for _, new in written if new), len(written), what))


def counted(changed: int, total: int, what: str) -> str:
    """The line for many files (what: 文档, PDF); a count of none is not said."""
    chinese = "\u4e00" <= what[0] <= "\u9fff"
    noun = what if chinese else f" {what}"  # a space between Chinese and Latin words
    if changed == 0:
        return f"{total} 份{noun}{'' if chinese else ' '}都没有变化。"
    if changed == total:
        return f"已生成 {total} 份{noun}。"
    return f"已生成 {changed} 份{noun}，{total - changed} 份未变化。"


def _office(path: str | None, fmt: str, strict: bool) -> Office:
    """LibreOffice, found before anything is written; a missing one fails the build."""
    from ..office import require_office
    from ..paths import config_location

    try:
        return require_office(config_location(chosen_project(path)))
    except Failed as failed:
        fail(failed, fmt, strict)


def _pdfs(path: str | None, out_dir: Path, office: Office, fmt: str) -> PdfResult:
    from ..paths import config_location
    from ..pdf.build import build_pdfs
    progress = Progress("转换 PDF")
    try:
        return build_pdfs(out_dir, office, config_location(chosen_project(path)),
                          progress=progress.step, on_plan=progress.start)
    except Failed as failed:
        progress.close()
        print_diagnostics(failed.diagnostics, fmt)
        click.echo(f"失败：发现 {len(failed.diagnostics)} 个错误，没有改动任何 PDF。", err=True)
        sys.exit(EXIT_INPUT)
    finally:
        progress.close()
