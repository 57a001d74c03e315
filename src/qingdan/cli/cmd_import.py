"""qingdan import: turn existing documents into a project."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..diagnostics import EXIT_OK, Failed
from .common import fail, main, unwritable


@main.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", default="导入", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="写入项目的文件夹")
@click.option("--force", is_flag=True,
              help="输出文件夹已有文件时仍写入（同名文件被覆盖，其他文件不动）")
@click.option("--soffice", default=None, metavar="程序",
              help="LibreOffice 程序（读取 .doc、.wps 时使用），默认在 PATH 中找 soffice")
def import_(files: tuple[Path, ...], out_dir: Path, force: bool, soffice: str | None) -> None:
    """把已有的公文（.docx、.doc、.wps、.txt、.html）导入为 qingdan 项目。

    识别责任清单、实施办法和考核办法、印发通知的结构，写出可直接编译的 YAML 源文件，
    并在最后列出导入报告：去除的网页附加内容、改动和无法归位的内容（保留在最近的条目中，
    YAML 中以“# 导入：”注释标出）。
    """
    from ..importer.project import import_files
    from ..paths import display_path

    try:
        result = import_files(list(files), out_dir, force=force, soffice=soffice)
    except Failed as failed:
        fail(failed, "text", False)
    except OSError as exc:
        unwritable(out_dir, exc)
    for doc in result.documents:
        for each in [doc, *doc.attachments]:
            click.echo(f"识别：{_kind(each.kind, each.data)}《{each.title}》（{each.source}起）")
    for target in result.written:
        click.echo(f"已写入：{display_path(target)}")
    lines = result.report.lines()
    if lines:
        click.echo(f"导入报告（{len(lines)} 项）：")
        for line in lines:
            click.echo(f"  {line}")
    click.echo(f"下一步：qingdan check {display_path(out_dir)}")
    sys.exit(EXIT_OK)


def _kind(kind: str, data: dict) -> str:
    if kind == "list":
        return f"责任清单，{len(data['roles'])} 节"
    if kind == "notice":
        return "通知"
    label = "考核办法" if kind == "assessment" else "实施办法"
    return f"{label}，{len(data['content'])} 部分"
