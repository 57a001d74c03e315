"""The rule registry: every code names its basis and strength, `qingdan rules` lists them,
each diagnostic's hint ends with its basis, and the docs' code table is the registry's."""

from __future__ import annotations

import json
import re
import sys

import pytest

from conftest import REPO, run_cli
from qingdan import rules
from qingdan.cli.cmd_rules import markdown_table
from qingdan.diagnostics import CODES, Diagnostic, Location

sys.path.insert(0, str(REPO / "scripts"))
from gen_code_table import BEGIN, END  # noqa: E402

# A basis names a standard with its year, the 条例 (an article), practice, or the tool.
BASIS = re.compile(r"^(GB/T \d+-\d{4}( [\d.、]+)?|《[^》]+》(第[一二三四五六七八九十]+条.*)?"
                   r"|公文实务|qingdan)$")


def test_every_code_has_a_basis_and_a_strength() -> None:
    assert set(rules.RULES) == set(CODES)
    for code, rule in rules.RULES.items():
        assert BASIS.match(rule.basis), (code, rule.basis)
        assert rule.strength in rules.Strength


def test_a_code_without_a_rule_cannot_be_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(CODES, "E999", "试验")
    with pytest.raises(ValueError):
        Diagnostic("E999", "试验", Location("a.yaml"))


def test_rules_lists_every_code_with_its_basis() -> None:
    result = run_cli("rules", "--format", "json")
    assert result.exit_code == 0
    listed = {row["code"]: row for row in json.loads(result.stdout)}
    assert set(listed) == set(CODES)
    assert listed["E601"]["basis"] == "GB/T 9704-2012 7.2.5"
    assert listed["E601"]["strength"] == "必须"
    assert listed["W801"]["strength"] == "建议"
    text = run_cli("rules").output
    assert "E953  错误  一般应  一行超过 28 个字" in text
    assert "依据：GB/T 9704-2012 5.2.3" in text
    assert text.index("E438") < text.index("E461")  # by number, not by the order written


def test_the_hint_line_ends_with_the_basis() -> None:
    project = REPO / "tests" / "cases" / "E601-document-number"
    lines = run_cli("check", str(project)).output.splitlines()
    reported = [i for i, line in enumerate(lines) if "error[E601]" in line]
    assert reported
    for i in reported:
        assert lines[i + 1].startswith("    提示：")
        assert lines[i + 1].endswith("（依据：GB/T 9704-2012 7.2.5）")
    as_json = json.loads(run_cli("check", str(project), "--format", "json").stdout)
    assert {(d["basis"], d["strength"]) for d in as_json if d["code"] == "E601"} == {
        ("GB/T 9704-2012 7.2.5", "必须")}


def test_a_diagnostic_without_a_hint_prints_its_basis_on_its_own_line() -> None:
    printed = Diagnostic("E956", "署名页没有正文", Location("a.pdf", 2, 1)).format()
    assert printed.splitlines()[1] == "    依据：GB/T 9704-2012 7.3.5.5"


def test_the_code_table_in_the_docs_is_the_registry() -> None:
    page = (REPO / "docs" / "检查代码表.md").read_text("utf-8")
    table = page.split(BEGIN, 1)[1].split(END, 1)[0]
    assert table == markdown_table(), "运行 .venv/bin/python scripts/gen_code_table.py"
