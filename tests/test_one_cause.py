"""One cause, one diagnostic (issue 25): what follows from a reported problem is listed in
it, not reported again; what did not load is unknown, not wrong; nothing else is skipped."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

from conftest import EXAMPLE, run_cli
from qingdan.builder.pipeline import merge_units
from qingdan.diagnostics import Diagnostic, Location, render_text

DIAGNOSTIC = re.compile(r"^(\S+): (?:error|warning)\[(\w+)\]", re.M)


def example(tmp_path: Path) -> Path:
    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("考核评分"))
    return project


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text("utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), "utf-8")


def test_a_misspelt_placeholder_every_unit_uses_gives_one_diagnostic(tmp_path: Path):
    """The README's typo, in the list title every unit's notice is titled from: one E302
    for all five units, the notice's title and body listed in it (no E904 on a file the
    user never touched), in the terminal and in JSON."""
    project = example(tmp_path)
    edit(project / "意识形态工作责任清单.yaml", 'title: "{{ unit.name }}', 'title: "{{ unit.nmae }}')
    result = run_cli("check", ".", cwd=project)
    assert result.exit_code == 1
    assert DIAGNOSTIC.findall(result.stderr) == [("意识形态工作责任清单.yaml:5:17", "E302")]
    assert "等 5 个" in result.stderr  # every unit, merged into the one line
    # The notice's attachment entry (its title is made from it) and its {{ attachments }}.
    assert "    也影响：印发通知.yaml:11:45、印发通知.yaml:15:5\n" in result.stderr
    assert "失败：发现 1 个错误" in result.stderr
    as_json = run_cli("check", ".", "--format", "json", cwd=project)
    [entry] = json.loads(as_json.stdout)
    assert entry["code"] == "E302"
    assert entry["also"] == [{"path": "印发通知.yaml", "line": 11, "column": 45},
                             {"path": "印发通知.yaml", "line": 15, "column": 5}]


def test_a_broken_document_number_is_not_also_a_duplicate(tmp_path: Path):
    """Every unit's notice number failed to render: not five notices sharing the number
    "{{ unit.vars.发文字 }}" (E604)."""
    project = example(tmp_path)
    edit(project / "印发通知.yaml", "{{ unit.vars.发文字号 }}", "{{ unit.vars.发文字 }}")
    result = run_cli("check", ".", cwd=project)
    assert [code for _, code in DIAGNOSTIC.findall(result.stderr)] == ["E302"], result.stderr


def test_citations_into_a_config_that_does_not_parse_are_unknown(tmp_path: Path):
    """qingdan.yaml with a syntax error: the keys written in it are not "unregistered"
    (E312) wherever they are cited; a key written nowhere still is."""
    project = example(tmp_path)
    edit(project / "qingdan.yaml", "    number: 清委办〔2016〕15号", "    number: [清委办〔2016〕15号")
    result = run_cli("check", ".", cwd=project)
    # Nor is its format unknown: the format line is read from its text.
    lines = (project / "qingdan.yaml").read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "[清委办" in text)
    assert DIAGNOSTIC.findall(result.stderr) == [(f"qingdan.yaml:{line}:13", "E101")], \
        result.stderr
    edit(project / "意识形态工作责任制考核办法.yaml", "cite('shishi-fangan')", "cite('meiyou')")
    again = run_cli("check", ".", cwd=project)
    assert [code for _, code in DIAGNOSTIC.findall(again.stderr)] == ["E101", "E312"]


def test_texts_are_checked_when_qingdan_yaml_gives_no_unit(tmp_path: Path):
    """qingdan.yaml does not parse and there is no roster: no unit to build for, but the
    texts are resolved all the same (a misspelt name, a dangling ref())."""
    project = tmp_path / "p"
    project.mkdir()
    (project / "qingdan.yaml").write_text("unit:\n  name: [清河县粮食局\n  body: 党委\n", "utf-8")
    (project / "办法.yaml").write_text(
        "kind: measures\ntitle: 办法\ncontent:\n"
        "  - id: a\n    text: 为加强{{ unit.nmae }}的工作，制定本办法。\n"
        "  - id: b\n    text: 按{{ ref('aa') }}执行，报{{ unit.vars.上级 }}备案。\n", "utf-8")
    result = run_cli("check", ".", cwd=project)
    assert DIAGNOSTIC.findall(result.stderr) == [
        ("qingdan.yaml:2:9", "E101"), ("办法.yaml:5:22", "E302"), ("办法.yaml:7:20", "E311")]


def test_references_into_a_file_that_does_not_parse(tmp_path: Path):
    """An id written in the broken file is unknown (no E311); one written nowhere is an
    error, with or without the file naming it."""
    project = example(tmp_path)
    lst = project / "意识形态工作责任清单.yaml"
    lst.write_text(lst.read_text("utf-8") + "bad: [unclosed\n", "utf-8")
    measures = project / "意识形态工作责任制考核办法.yaml"
    edit(measures, "assesses: [wangluo, duiwu]", "assesses: [wangluo, duiwuu]")
    edit(measures, "[意识形态工作责任清单:zhuize]", "[意识形态工作责任清单:zhuizee]")
    result = run_cli("check", ".", cwd=project)
    found = DIAGNOSTIC.findall(result.stderr)
    assert [code for _, code in found] == ["E311", "E311", "E101"], result.stderr
    assert "“意识形态工作责任清单”中没有编号“zhuizee”" in result.stderr
    assert "引用的编号“duiwuu”不存在" in result.stderr


def test_a_sum_is_judged_unless_one_of_its_terms_was_left_out(tmp_path: Path):
    """A child without its id is left out: its parent's sum is not judged (its points are
    unknown), but its grandparent's still is (the parent's own points count there), and
    so are the weights."""
    project = example(tmp_path)
    measures = project / "意识形态工作责任制考核办法.yaml"
    edit(measures, "          - id: zhuanti-yanjiu\n", "          - \n")  # in zhuti (30)
    edit(measures, "            points: 10\n            criteria: 每少一次扣5分。",
         "            points: 15\n            criteria: 每少一次扣5分。")
    edit(measures, "        points: 20\n        criteria: 未专题汇报", "        points: 25\n"
         "        criteria: 未专题汇报")  # shuji: the total is 105 now
    text = measures.read_text("utf-8")
    measures.write_text(text.replace("weight: 10", "weight: 20"), "utf-8")
    result = run_cli("check", ".", cwd=project)
    codes = [code for _, code in DIAGNOSTIC.findall(result.stderr)]
    assert sorted(codes) == ["E203", "E701", "E702"], result.stderr
    assert "“neirong”的分值为 100 分，但下级分值之和为 30＋25＋20＋20＋10＝105 分" in result.stderr
    assert "“zhuti”的分值" not in result.stderr  # its sum has a term left out


def test_what_no_line_of_the_source_holds_is_still_reported(tmp_path: Path):
    """W313 is skipped only for a registered key some unread part mentions."""
    project = example(tmp_path)
    edit(project / "qingdan.yaml", "documents:\n", "documents:\n  weiyong:\n"
         "    title: 从未引用的文件\n")
    notice = project / "印发通知.yaml"
    notice.write_text(notice.read_text("utf-8") + "bad: [unclosed\n", "utf-8")
    result = run_cli("check", ".", cwd=project)
    assert sorted(code for _, code in DIAGNOSTIC.findall(result.stderr)) == ["E101", "W313"]


def test_also_is_data_printed_under_the_hint_kept_by_json_and_the_manifest():
    first = Location("通知.yaml", 12, 3)
    diag = Diagnostic("E302", "占位符中的“x”未定义", Location("清单.yaml", 2, 5), hint="提示",
                      also=(first,)).affecting([Location("通知.yaml", 5, 1), first])
    assert diag.also == (Location("通知.yaml", 5, 1), first)  # once each, in order
    assert render_text([diag]).splitlines() == [
        "清单.yaml:2:5: error[E302]: 占位符中的“x”未定义", "    提示：提示（依据：qingdan）",
        "    也影响：通知.yaml:5:1、通知.yaml:12:3"]
    data = diag.to_json()
    assert data["also"] == [{"path": "通知.yaml", "line": 5, "column": 1},
                            {"path": "通知.yaml", "line": 12, "column": 3}]
    assert Diagnostic.from_record(json.loads(json.dumps(diag.to_record()))) == diag
    many = diag.affecting(Location("甲.yaml", n, 1) for n in range(1, 11))
    assert render_text([many]).endswith("等 12 处")


def test_units_sharing_a_problem_share_its_places():
    base = Location("清单.yaml", 2, 5)
    one = Diagnostic("E302", "未定义", base, also=(Location("通知.yaml", 5, 1),), units=("甲",))
    two = Diagnostic("E302", "未定义", base, also=(Location("乙.yaml", 1, 1),), units=("乙",))
    [merged] = merge_units([one, two])
    assert merged.units == ("甲", "乙")
    assert merged.full_message == "未定义（单位：甲、乙）"
    assert merged.also == (Location("乙.yaml", 1, 1), Location("通知.yaml", 5, 1))


def test_the_unit_is_a_field_printed_after_the_message():
    """A unit travels on the diagnostic, never inside its message: the terminal and JSON
    show it after the message, the manifest keeps it apart, and many are counted."""
    diag = Diagnostic("W642", "发文字号“清粮党发〔2025〕待定号”的序号待定：按草稿生成",
                      Location("通知.yaml", 8, 9), units=("清河县粮食局",))
    assert render_text([diag]) == ("通知.yaml:8:9: warning[W642]: 发文字号“清粮党发〔2025〕待定号”"
                                   "的序号待定：按草稿生成（单位：清河县粮食局）\n"
                                   "    依据：《党政机关公文处理工作条例》第九条（五）")
    assert diag.to_json()["message"] == diag.full_message and "units" not in diag.to_json()
    record = diag.to_record()
    assert (record["message"], record["units"]) == (diag.message, ["清河县粮食局"])
    assert Diagnostic.from_record(json.loads(json.dumps(record))) == diag
    assert "units" not in Diagnostic("W642", "x", Location("a.yaml")).to_record()
    many = merge_units([replace(diag, units=(f"单位{n}",)) for n in range(12)])
    assert [d.full_message for d in many] == [diag.message + "（单位：单位0、单位1、单位2 等 12 个）"]


def test_the_preview_shows_the_one_diagnostic_with_the_places_it_affects(tmp_path: Path):
    """serve's problems view: the E302 alone (no E904 on the notice), with its places."""
    from html import unescape

    from starlette.testclient import TestClient

    from qingdan.serve.app import LOOPBACK, Site, create_app
    from qingdan.serve.pages import PageImages
    from qingdan.serve.preview import Preview

    project = example(tmp_path)
    edit(project / "意识形态工作责任清单.yaml", 'title: "{{ unit.name }}', 'title: "{{ unit.nmae }}')
    preview = Preview(project)
    preview.refresh()
    assert [d.code for d in preview.state.errors] == ["E302"]
    site = Site(preview, out_dir=None, revision=None, images=PageImages(lambda key: None))
    web = TestClient(create_app(site, set(LOOPBACK)), base_url="http://127.0.0.1:8000")
    page = unescape(re.sub(r"<[^>]+>", "", web.get("/").text))
    assert "E302" in page and "E904" not in page
    assert re.search(r"也影响：\S*/印发通知.yaml:11:45、\S*/印发通知.yaml:15:5", page)
