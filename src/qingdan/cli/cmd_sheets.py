"""qingdan sheets and qingdan score: the scoring workbooks out, the scores back in."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..diagnostics import EXIT_OK, Failed
from .common import chosen_project, fail, main, path_argument, print_diagnostics, unwritable


def _written(files: list[tuple[Path, bool]]) -> None:
    from ..paths import display_path

    for target, new in files:
        click.echo(f"{'已生成' if new else '未变化'}：{display_path(target)}")


@main.command()
@path_argument
@click.option("-o", "--output", "out_dir", default="output/考核评分", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="评分工作簿的输出文件夹")
def sheets(path: str | None, out_dir: Path) -> None:
    """为每个被考核单位生成考核评分工作簿（.xlsx），供填写得分。

    有单位名册时为名册中的每个单位各生成一份，否则为本单位生成一份。只有黄色单元格可以
    填写：各项得分（0 至该项分值，以 0.5 分为单位）、备注、民主测评等其他部分的得分，以及
    一票否决事项（填“是”或“否”）。
    """
    from ..scoring.run import make_sheets

    try:
        result = make_sheets(chosen_project(path), out_dir)
    except Failed as failed:
        fail(failed, "text", False)
    except OSError as exc:
        unwritable(out_dir, exc)
    print_diagnostics(result.warnings, "text")
    _written(result.files)
    sys.exit(EXIT_OK)


@main.command()
@click.argument("workbooks", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--project", "project_path", default=None, type=click.Path(path_type=Path),
              metavar="项目",
              help="项目文件夹；省略时依次在评分工作簿所在文件夹及其上级、当前文件夹及其上级中"
                   "找含 qingdan.yaml 且有该考核办法的项目")
@click.option("-o", "--output", "out_dir", default="output/考核结果", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="结果汇总表和考核结果通报的输出文件夹")
def score(workbooks: tuple[Path, ...], project_path: Path | None, out_dir: Path) -> None:
    """读取填好的评分工作簿，计算得分、等次和名次，生成结果汇总表和考核结果通报。

    WORKBOOKS 为评分工作簿（.xlsx）或存放它们的文件夹，可以写多个。任何一份工作簿有问题
    （缺分、超过分值、填了文字、单位不在名册中、来自另一版本的考核办法……）都会全部报告
    到“文件.xlsx!工作表!单元格”，不生成任何文件。
    """
    from ..scoring.run import score as run_score

    try:
        result = run_score(list(workbooks), project_path, out_dir,
                           announce=lambda line: click.echo(line, err=True))
    except Failed as failed:
        fail(failed, "text", False)
    except OSError as exc:
        unwritable(out_dir, exc)
    print_diagnostics(result.warnings, "text")
    from ..layout.titles import cells
    from ..scoring.layout import show
    from ..scoring.results import grade_label, rank_label

    width = max((cells(g.unit_name) for g in result.graded), default=0)
    click.echo(f"名次  {'单位' + '　' * int(width - 2)}  综合得分  等次")
    for g in result.graded:
        pad = "　" * int(width - cells(g.unit_name)) + " " * int(2 * (width % 1))
        click.echo(f"{rank_label(g):>4}  {g.unit_name}{pad}  {show(g.composite):>8}  "
                   f"{grade_label(g)}")
    for line in result.notes:
        click.echo(f"注意：{line}", err=True)
    _written(result.files)
    sys.exit(EXIT_OK)
