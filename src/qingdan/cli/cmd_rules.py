"""qingdan rules: the rule registry — every code with its meaning, basis and strength."""

from __future__ import annotations

import json
import sys

import click

from ..diagnostics import CODES, EXIT_OK
from ..rules import RULES
from .common import main


def rows() -> list[dict[str, str]]:
    """Every code by its number (E431 before E461, W911 after E904): code, severity (as
    `check --format json` spells it), strength, basis, meaning."""
    return [{"code": code, "severity": "warning" if code.startswith("W") else "error",
             "strength": RULES[code].strength.value, "basis": RULES[code].basis,
             "meaning": meaning}
            for code, meaning in sorted(CODES.items(), key=lambda item: (item[0][1:], item[0]))]


def markdown_table() -> str:
    """The code table of docs/检查代码表.md (scripts/gen_code_table.py puts it there)."""
    lines = ["| 代码 | 含义 | 强度 | 依据 |", "| --- | --- | --- | --- |"]
    lines += [f"| {r['code']} | {r['meaning']} | {r['strength']} | {r['basis']} |"
              for r in rows()]
    return "\n".join(lines) + "\n"


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]),
              default="text", show_default=True,
              help="输出格式：text 供阅读，json 供其他工具读取，markdown 为文档中的代码表")
def rules(fmt: str) -> None:
    """列出全部检查规则：代码、含义、强度（必须、一般应、建议）和依据（标准条款、条例条文、
    公文实务或 qingdan 自身的要求）。"""
    if fmt == "json":
        click.echo(json.dumps(rows(), ensure_ascii=False, indent=2))
    elif fmt == "markdown":
        click.echo(markdown_table(), nl=False)
    else:
        for r in rows():  # strengths padded to three characters with ideographic spaces
            strength = r["strength"].ljust(3, "\u3000")
            level = "警告" if r["severity"] == "warning" else "错误"
            click.echo(f"{r['code']}  {level}  {strength}  {r['meaning']}\n"
                       f"      依据：{r['basis']}")
    sys.exit(EXIT_OK)
