"""Write the code table of docs/检查代码表.md from the rule registry.

    .venv/bin/python scripts/gen_code_table.py

The table sits between the two marker comments; tests/test_rules.py fails when it differs
from what `qingdan rules --format markdown` prints.
"""

from __future__ import annotations

from pathlib import Path

from qingdan.cli.cmd_rules import markdown_table

BEGIN = "<!-- 代码表：由 scripts/gen_code_table.py 从规则登记表生成，请勿手改 -->\n"
END = "<!-- 代码表结束 -->\n"
DOC = Path(__file__).resolve().parent.parent / "docs" / "检查代码表.md"


def spliced(text: str) -> str:
    """The page with the table between the markers replaced by the registry's."""
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return head + BEGIN + markdown_table() + END + tail


if __name__ == "__main__":
    DOC.write_text(spliced(DOC.read_text("utf-8")), "utf-8")
