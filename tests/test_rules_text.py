"""The text rules of check/marks.py (W911-W918) and E601's faults: each found where it is,
none on clean text, and what `qingdan fmt` fixes (W911-W913)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from qingdan.check import marks
from qingdan.check.docnumber import number_faults, number_hint
from qingdan.check.text import lint_texts
from qingdan.diagnostics import Location
from qingdan.model import Text

NEW = {f"W91{n}" for n in range(1, 9)}
CASES = REPO / "tests" / "cases"


def text(value: str, line: int = 3) -> Text:
    """A plain YAML value written at column 11 of a line."""
    return Text(value, Location("t.yaml", line, 11), raw=value, offset=100)


def codes(value: str) -> list[str]:
    return [d.code for d in lint_texts([text(value)]) if d.code in NEW]


@pytest.mark.parametrize(("value", "code"), [
    ("每年至少２次专题研究", "W911"),
    ("坚持三会一课...等制度", "W912"),
    ("做到守土有责。。。", "W912"),
    ("对问题突出的…严格问责", "W912"),
    ("学习《章程》、《条例》", "W913"),
    ("落实“三会一课”、“主题党日”", "W913"),
    ("坚持“党管宣传原则", "W914"),
    ("严格追责问责）。", "W914"),
    ("按《办法规定执行", "W914"),
    ("自19年3月起执行", "W915"),
    ("24年度考核结果", "W915"),
    ("至24年底全部完成", "W915"),
    ("2023-2024年度", "W917"),
    ("得分80~89分的为良好", "W917"),
    ("每次研讨3-5个专题", "W917"),
])
def test_each_rule_finds_its_fault(value: str, code: str) -> None:
    assert codes(value) == [code]


@pytest.mark.parametrize("value", [
    "每年至少2次专题研究，做到“一岗双责”……",
    "学习《条例》（2019年修订）、《规定》",  # a 括注 between: 顿号 is right
    "学习《章程》《条例》，落实“三会一课”“主题党日”",
    "工作安排如下：1）学习；2）研讨。",  # sequence labels, not brackets
    "“第一段。\n“第二段，末尾才用后引号。”",  # a quotation of several paragraphs
    "清委办〔2016〕15号（一）（二）【注】",
    "制定5年规划，总结10年来、近10年度的经验，2019年4月起执行，历时10年3个月",
    "电话0000-1234567，依据GB/T 9704-2012，见表2-1，2024-03-15起，9:00-12:00时",
    "2023—2024年、80～89分、版本1.2.3...4",
    "{{ cite('x') }}、{{ cite('y') }}",  # placeholders are not text
    "参阅People’s Daily的评论",  # an apostrophe
    "扎根基层30年初心不改，地址和平路12-3号，联系电话8123-4567转2",  # probe
    "各党支部1）每月开展一次；2）每季度分析一次。",  # labels run into the text
])
def test_clean_text_gives_none(value: str) -> None:
    assert codes(value) == []


def test_the_location_is_the_faults_character() -> None:
    found = lint_texts([text("学习《章程》、《条例》")])
    assert [(d.code, d.location.line, d.location.column) for d in found] == [("W913", 3, 17)]


def test_a_titles_lines_are_matched_as_one_text() -> None:
    lines = (text("关于印发《意识形态工作", 2), text("实施办法》的通知", 3))
    assert [d for d in lint_texts(lines, joined=[lines]) if d.code == "W914"] == []
    assert [d.code for d in lint_texts(lines) if d.code == "W914"] == ["W914", "W914"]


def test_w901_and_fmt_take_a_bracket_pair_together() -> None:
    """The other half of a pair is changed with the half that touches Chinese, so fmt
    never leaves "（…×40)" unpaired (W914)."""
    from qingdan.check.text import fmt_changes

    raw = "得分=(“优秀”票数×100+“较差”票数×40)÷有效票数"
    value = list(raw)
    for index, old, new in fmt_changes(text(raw)):
        assert value[index] == old
        value[index] = new
    assert "".join(value) == "得分=（“优秀”票数×100+“较差”票数×40）÷有效票数"
    assert not [d for d in lint_texts([text("".join(value))]) if d.code == "W914"]


def test_a_mixed_pair_is_named_as_it_is() -> None:
    found = [d for d in lint_texts([text("学习《章程》、“三会一课”")]) if d.code == "W913"]
    assert [d.message for d in found] == ["并列的书名号和引号之间用了顿号：》、“"]


@pytest.mark.parametrize(("raw", "fixed"), [
    ("紧急!!!!!!!", "紧急！！！！！！！"),                  # a chain, in one run
    ("同比增长０.５个百分点，１,２００万元，１２:３０", "同比增长0.5个百分点，1,200万元，12:30"),
    ("０x１F", "０x１F"), ("１.５", "１.５"), ("２０２４", "２０２４"),  # would read as numbers
    ("&blk |-  # 注释:惟一,(甲)\n  正文", "&blk |-  # 注释:惟一,(甲)\n  正文"),  # a header
    ("&a  # 注释:惟一,(甲)\n  正文", "&a  # 注释:惟一,(甲)\n  正文"),  # an anchor's comment
])
def test_fmt_keeps_numbers_and_headers_and_ends_chains(raw: str, fixed: str) -> None:
    """Probe: a decimal point between full-width digits became 。, ０x１F became 31, a
    block header after an anchor was rewritten, and fmt needed a second run for !!!!!!!."""
    from qingdan.check.text import text_fixes

    value = list(raw)
    for fix in text_fixes(text(raw)):  # offsets in the file: the text starts at 100
        assert value[fix.offset - 100] == fix.old
        value[fix.offset - 100] = fix.new
    assert "".join(value) == fixed


def test_hundreds_of_unpaired_marks_are_counted_after_ten() -> None:
    """A pasted text of 200,000 “ printed 200,001 warnings (probe): ten, then a count."""
    from qingdan.diagnostics import render_text

    found = [d for d in lint_texts([text("“" * 25)]) if d.code == "W914"]
    assert len(found) == 25
    printed = render_text(found)
    assert printed.count("没有与之配对") == 10 and "还有 15 处不配对的标点" in printed


def test_fmt_changes() -> None:
    changed = marks.mark_changes(text("研究２次，《甲》、《乙》...丙。。。丁…"))
    value = list("研究２次，《甲》、《乙》...丙。。。丁…")
    for index, old, new in changed:
        assert value[index] == old
        value[index] = new
    assert "".join(value) == "研究2次，《甲》《乙》……丙……丁……"


def test_notice_and_title_rules_in_their_cases() -> None:
    for case, expected in (("W916-chinese-date", ["W916", "W916"]),
                           ("W918-title-end", ["W918"])):
        output = run_cli("check", str(CASES / case)).output
        assert [c for c in NEW if f"warning[{c}]" in output] == expected[:1]
        assert output.count("warning[") == len(expected)
    dates = run_cli("check", str(CASES / "W916-chinese-date")).output
    assert "写成“2024年3月15日”" in dates and "正文中的日期" not in dates


@pytest.mark.parametrize("project", [
    "checklists/example", "checklists/example-2025", "tests/fixtures/sample001",
    "tests/fixtures/signature-alone", "tests/fixtures/structures",
    "tests/fixtures/change-types/2025", "tests/fixtures/revision/2024",
    "tests/fixtures/structures-revision/2025"])
def test_the_bundled_projects_are_clean(project: str) -> None:
    output = run_cli("check", str(REPO / project)).output
    assert not [c for c in NEW if f"[{c}]" in output], output


def test_fmt_fixes_the_marks_in_place(tmp_path: Path) -> None:
    for case in ("W911-full-width-digits", "W912-ellipsis", "W913-serial-comma"):
        project = tmp_path / case
        shutil.copytree(CASES / case, project, ignore=shutil.ignore_patterns("expected.txt"))
        result = run_cli("fmt", str(project))
        assert result.exit_code == 0 and "已改正" in result.output
        assert "（0 处）" not in result.output
        assert run_cli("fmt", "--check", str(project)).output.strip() == "无需改正。"
        output = run_cli("check", str(project)).output
        assert not [c for c in ("W911", "W912", "W913") if c in output], output
    fixed = (tmp_path / "W913-serial-comma" / "清单.yaml").read_text("utf-8")
    assert "《中国共产党章程》《中国共产党纪律处分条例》" in fixed
    assert "《条例》（2019年修订）、《规定》" in fixed


@pytest.mark.parametrize(("number", "faults"), [
    ("清委办[2016]15号", ["年份的括号“[2016]”应为六角括号“〔2016〕”"]),
    ("清委办（2024）3号", ["年份的括号“（2024）”应为六角括号“〔2024〕”"]),
    ("清委办〔2024〕03号", ["序号“03”编了虚位（前导零），应为“3”"]),
    ("清委办〔2024〕第3号", ["序号前多了“第”"]),
    ("清委办〔24〕3号", ["年份“24”应写全四位"]),
    ("清委办〔2024〕3", ["末尾缺少“号”"]),
    ("清委办2024年3号", ["年份“2024年”应写在六角括号中"]),
])
def test_number_faults_name_each_fault(number: str, faults: list[str]) -> None:
    found = number_faults(number)
    assert len(found) == len(faults)
    for fault, expected in zip(found, faults, strict=True):
        assert fault.startswith(expected)


def test_a_number_with_several_faults_names_them_all() -> None:
    hint = number_hint("清委办[2016]第007号")
    assert "六角括号" in hint and "第" in hint and "虚位" in hint
    assert hint.endswith("应写成“清委办〔2016〕7号”")
    assert number_faults("清委办〔2016〕15号") == []


def test_fmt_leaves_a_plain_value_that_would_read_as_a_number() -> None:
    assert marks.mark_changes(text("２０２４")) == []
    assert codes("２０２４") == ["W911"]  # still reported: the clerk decides
    quoted = '"２０２４"'
    assert len(marks.mark_changes(Text(quoted, Location("t.yaml"), raw=quoted, offset=0))) == 4


def test_a_terminal_counts_the_fmt_fixable_marks_after_three(tmp_path: Path) -> None:
    project = tmp_path / "many"
    shutil.copytree(CASES / "W911-full-width-digits", project,
                    ignore=shutil.ignore_patterns("expected.txt"))
    source = project / "清单.yaml"
    source.write_text(source.read_text("utf-8").replace("２", "２次、３次、４次、５"), "utf-8")
    output = run_cli("check", str(project)).output
    assert output.count("warning[W911]: 全角数字") == 3
    assert "还有 2 处全角数字，运行 qingdan fmt 可一次全部改正" in output
