"""qingdan proof: print what build would write and check the pages."""

from __future__ import annotations

import sys

import click

from ..diagnostics import EXIT_INPUT, EXIT_OK, Failed, Severity
from .common import (
    Progress,
    chosen_project,
    format_option,
    main,
    path_argument,
    print_diagnostics,
    strict_option,
)


@main.command()
@path_argument
@click.option("--ofd", "with_ofd", is_flag=True,
              help="同时把每份文档转换为 OFD，按同样的规则检查 OFD 的页面")
@strict_option
@format_option
def proof(path: str | None, with_ofd: bool, strict: bool, fmt: str) -> None:
    """校对页面：把 build 将生成的文档用 LibreOffice 排成 PDF，逐页检查。

    检查每个字都印在页面上（没有丢字、多字），每页不超过 22 行、每行不超过 28 个字，
    文字不超出版心，发文机关署名与正文同页，版记在最后一页的版心底部，页码齐全且单页居右、
    双页居左。问题报告到产生该文字的源文件位置，并注明页码。不写任何文件。
    加 --ofd 时还检查 OFD：包结构符合 GB/T 33190 的模式，页面逐字、逐行按同样的规则检查。
    """
    from ..proof.run import run_proof
    from .cmd_ofd import proof_pages

    progress = Progress("排版校对")
    try:
        result = run_proof(chosen_project(path), strict=strict, progress=progress.step,
                           on_plan=progress.start, ofd=proof_pages if with_ofd else None)
    except Failed as failed:
        progress.close()
        print_diagnostics(failed.diagnostics, fmt)
        count = sum(1 for d in failed.diagnostics if d.severity is Severity.ERROR)
        if count == 0 and strict:
            click.echo(f"失败：--strict 下有 {len(failed.diagnostics)} 个警告。", err=True)
        else:
            click.echo(f"失败：发现 {count} 个错误。", err=True)
        sys.exit(EXIT_INPUT)
    finally:
        progress.close()
    print_diagnostics(result.found, fmt)
    if fmt == "text":
        for note in result.notes:
            click.echo(f"{note}（qingdan.yaml 写明 printing: {{fonts: open}}，接受开源替代字体）",
                       err=True)
        click.echo(f"校对通过：{result.documents} 份文档，共 {result.pages} 页，"
                   f"{len(result.found)} 个警告。")
    sys.exit(EXIT_OK)
