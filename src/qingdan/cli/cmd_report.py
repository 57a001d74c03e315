"""qingdan report: each unit's departures from the base lists."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..diagnostics import EXIT_OK, Failed
from .common import chosen_project, fail, main, path_argument


@main.command()
@path_argument
@click.option("-o", "--output", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="同时写入 CSV 文件（UTF-8，Excel 可直接打开）")
def report(path: str | None, csv_path: Path | None) -> None:
    """列出各单位清单与基础清单的差异（替换、新增、删除、移动）。"""
    from ..diff.projects import deviations
    from ..diff.report import table_text, to_csv

    try:
        rows = deviations(chosen_project(path))
    except Failed as failed:
        fail(failed, "text", False)
    click.echo(table_text(rows))
    if csv_path is not None:
        from ..write.staging import write_all

        try:  # a link, a full disk, no permission, another run at work: a diagnostic
            write_all(csv_path.parent, [(csv_path, to_csv(rows))])
        except Failed as failed:
            fail(failed, "text", False)
        click.echo(f"已写入：{csv_path}")
    sys.exit(EXIT_OK)
