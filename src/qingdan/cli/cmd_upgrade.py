"""qingdan upgrade: write the lines the format warnings (W905) name, only when asked."""

from __future__ import annotations

import click

from ..diagnostics import Failed
from .common import chosen_project, fail, main, path_argument


@main.command()
@path_argument
@click.option("--adopt", is_flag=True,
              help="采用新版本的排法：只在 qingdan.yaml 中写 format，不写保持原排法的行")
def upgrade(path: str | None, adopt: bool) -> None:
    """把项目升级到当前的格式版本（见 check 的 W905 警告）。

    默认保持原排法：在受影响的源文件中写上一行（如 headings: {2: line}），并写 format。

    加 --adopt 则只在 qingdan.yaml 中写 format，采用新排法。

    只改动这几行，注释和排版保持原样；有源文件读不出时不改动任何文件。
    """
    from ..load.formats import CURRENT_FORMAT
    from ..rewrite.upgrade import upgrade_project, write

    try:
        result = upgrade_project(chosen_project(path), adopt)
        write(result)
    except Failed as failed:
        fail(failed, "text", False)
    if not result.files:
        click.echo(f"项目已是格式 {result.was}，无需升级。")
        return
    click.echo(f"已从格式 {result.was} 升级到格式 {CURRENT_FORMAT}：")
    for note in result.notes:
        click.echo(f"  {note}")
    for places, what in result.unkept:
        click.echo(f"  未能保持原排法（{'、'.join(map(str, places))}）：{what}")
    if adopt:
        click.echo("  已采用新排法：生成的文档与按旧格式生成的不同，请核对。")
