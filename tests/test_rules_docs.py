"""Issue 28's checks from the structured sources: W931 规范表述, W932 署名与标志, W933 已废止
的文件, W934 印发日期, W935 the project's wording, W936 附件与正文. Each rule is shown on a
case that has the fault and on a clean control; the bundled examples and fixtures give
none of these codes."""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE, REPO, run_cli
from qingdan.check.citations import BUILTIN, cited_in
from qingdan.check.consistency import check_issued, mark_organs, same_organ
from qingdan.check.wording import USAGES
from qingdan.diagnostics import Location
from qingdan.model import Text

OURS = ("W931", "W932", "W933", "W934", "W935", "W936")
CONFIG = "unit:\n  name: 清河县粮食局\n  short: 局\n  body: 党委\n"
LIST = """kind: list
title: 意识形态工作责任清单
roles:
  committee:
    items:
      - id: a
        text: {text}
"""
MEASURES = "kind: measures\ntitle: 考核办法\ncontent:\n  - id: a\n    text: 本办法自印发之日起施行。\n"
NOTICE = """kind: notice
mark: {mark}
number: 清粮党发〔2024〕3号
recipients: 各党支部：
body: {body}
attachments: [清单, 办法]
signature: {signature}
date: {date}
"""


def project(tmp_path: Path, text: str = "牢牢掌握意识形态工作的领导权。", config: str = "",
            notice: dict[str, str] | None = None) -> Path:
    """A project of a list, a measures document and the notice issuing both."""
    folder = tmp_path / "p"
    folder.mkdir(exist_ok=True)
    (folder / "qingdan.yaml").write_text(CONFIG + config, "utf-8")
    (folder / "清单.yaml").write_text(LIST.format(text=text), "utf-8")
    (folder / "办法.yaml").write_text(MEASURES, "utf-8")
    fields = {"mark": "中共清河县粮食局委员会文件", "signature": "中共清河县粮食局委员会",
              "body": "现将{{ attachments }}印发给你们，请认真贯彻落实。", "date": "2024-03-15"}
    fields.update(notice or {})
    extra = fields.pop("extra", "")
    (folder / "通知.yaml").write_text(NOTICE.format(**fields) + extra, "utf-8")
    return folder


def codes(folder: Path) -> list[str]:
    """The codes of this issue that check reports, in order of place."""
    output = run_cli("check", str(folder)).output
    return [c for c in re.findall(r"warning\[(W\d+)\]", output) if c in OURS]


def messages(folder: Path) -> str:
    return run_cli("check", str(folder)).output


# --- clean controls ---------------------------------------------------------------------


@pytest.mark.parametrize("folder", [
    EXAMPLE, REPO / "checklists" / "example-2025",
    *sorted(p.parent for p in (REPO / "tests" / "fixtures").rglob("qingdan.yaml"))],
    ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_bundled_projects_give_none_of_these_codes(folder: Path):
    assert codes(folder) == []


def test_a_plain_project_gives_none(tmp_path: Path):
    assert codes(project(tmp_path)) == []


# --- W931 ---------------------------------------------------------------------------------


def test_w931_names_the_form_to_write_and_its_source(tmp_path: Path):
    folder = project(tmp_path, "截止目前，做为惟一的阵地，其它渠道停用，帮助群众度过难关。")
    output = messages(folder)
    assert codes(folder) == ["W931"] * 5
    assert "“截止”应写作“截至”" in output and "“惟一”应写作“唯一”" in output
    assert "《第一批异形词整理表》" in output and "公文实务" in output


@pytest.mark.parametrize("text", [
    "截止日期为年底。",                   # 截止 with no time after it is right
    "本身分工明确，按装备标准配齐。",       # 本身 + 分工, 按 + 装备
    "学习《关于其它事项的通知》。",          # another document's title, quoted as it is
    "多做为民办实事的好事。",               # 做 + 为民
    "截至目前，作为唯一的阵地，其他渠道停用。"])
def test_w931_leaves_right_and_other_words_alone(tmp_path: Path, text: str):
    assert codes(project(tmp_path, text)) == []


def test_w931_moved_out_of_w902(tmp_path: Path):
    output = messages(project(tmp_path, "截止目前做为表率。"))
    assert "W902" not in output and output.count("W931") == 2


def test_every_usage_names_a_source_and_differs():
    for usage in USAGES:
        assert usage.source and usage.wrong != usage.right
        assert usage.pattern.search(usage.wrong + ("目前" if usage.after else ""))


def test_fmt_fixes_the_unambiguous_usages_only(tmp_path: Path):
    folder = project(tmp_path, "截止目前，做为惟一的阵地，其它渠道停用，明确身分，按装设备。")
    result = run_cli("fmt", str(folder))
    assert result.exit_code == 0, result.output
    text = (folder / "清单.yaml").read_text("utf-8")
    assert "截至目前，作为唯一的阵地，其他渠道停用，明确身分，按装设备。" in text
    assert codes(folder) == ["W931", "W931"]  # 身分 and 按装 are left to the clerk


# --- W935 ---------------------------------------------------------------------------------

WORDING = """wording:
  required:
    清河县粮食局: [粮食局, 我局]
  forbidden:
    县委宣传部: 中共清河县委宣传部
    两学一做:
"""


def test_w935_flags_the_glossary_forms(tmp_path: Path):
    folder = project(tmp_path, "我局向县委宣传部报告，清河县粮食局落实两学一做。", WORDING)
    output = messages(folder)
    assert codes(folder) == ["W935"] * 3
    assert "本项目不用“我局”，应写作“清河县粮食局”" in output
    assert "本项目不用“两学一做”" in output


def test_w935_clean_control(tmp_path: Path):
    text = "清河县粮食局向中共清河县委宣传部报告。"
    assert codes(project(tmp_path, text, WORDING)) == []


def test_w935_a_list_of_forbidden_forms(tmp_path: Path):
    config = "wording:\n  forbidden: [两学一做]\n"
    assert codes(project(tmp_path, "落实两学一做。", config)) == ["W935"]


def test_fmt_replaces_glossary_forms_with_a_replacement(tmp_path: Path):
    folder = project(tmp_path, "我局向县委宣传部报告，落实两学一做。", WORDING)
    assert run_cli("fmt", str(folder)).exit_code == 0
    text = (folder / "清单.yaml").read_text("utf-8")
    assert "清河县粮食局向中共清河县委宣传部报告，落实两学一做。" in text
    assert codes(folder) == ["W935"]  # 两学一做 has no replacement
    assert run_cli("fmt", str(folder)).output.count("已改正") == 0  # nothing more to do


def test_fmt_never_replaces_a_form_that_may_end_a_longer_name(tmp_path: Path):
    """清河县委宣传部 is a part of the full name, 市粮食局 another level's organ: fmt
    replaced inside them (清河中共清河县委宣传部, 市清河县粮食局; review)."""
    text = "报中共清河县委宣传部和清河县委宣传部备案，及时向市粮食局、省粮食局报告，县粮食局牵头。"
    folder = project(tmp_path, text, WORDING)
    output = messages(folder)
    assert codes(folder) == ["W935", "W935"]  # 清河县委宣传部 and 县粮食局, not 市/省粮食局
    assert output.count("qingdan fmt 不替换") == 2
    assert run_cli("fmt", str(folder)).exit_code == 0
    assert text in (folder / "清单.yaml").read_text("utf-8")  # unchanged


def test_fmt_sees_the_character_before_a_line_fold(tmp_path: Path):
    """中共清河⏎县委宣传部 prints 中共清河县委宣传部: no replacement inside it (probe)."""
    text = ">-\n          各单位要及时向中共清河\n          县委宣传部报告。"
    config = "wording:\n  forbidden:\n    县委宣传部: 中共清河县委宣传部\n"
    folder = project(tmp_path, text, config)
    assert "qingdan fmt 可自动替换" not in messages(folder)
    before = (folder / "清单.yaml").read_text("utf-8")
    assert run_cli("fmt", str(folder)).exit_code == 0
    assert (folder / "清单.yaml").read_text("utf-8") == before


@pytest.mark.parametrize("text", [
    '"各单位要及时向中共清河\\\n          县委宣传部报告。"',   # an escaped line break
    "各单位要及时向中共清河　\n          县委宣传部报告。",     # a full-width space, a fold
    "各单位要及时向中共清㵲县委宣传部报告。",                 # an Extension A character
])
def test_fmt_sees_the_character_before_every_kind_of_break(tmp_path: Path, text: str):
    """Re-probe: 中共清河 backslash ⏎ 县委宣传部 in double quotes took the full name twice."""
    config = "wording:\n  forbidden:\n    县委宣传部: 中共清河县委宣传部\n"
    folder = project(tmp_path, text, config)
    before = (folder / "清单.yaml").read_text("utf-8")
    assert run_cli("fmt", str(folder)).exit_code == 0
    assert (folder / "清单.yaml").read_text("utf-8") == before


@pytest.mark.parametrize("config, text", [
    ('wording:\n  forbidden:\n    零点五: "0.5"\n', "零点五"),       # would read as a number
    ('wording:\n  forbidden:\n    无: "null"\n', "无"),
    ('wording:\n  forbidden:\n    县宣: "县委宣传部 "\n', "县宣#负责。"),  # a trailing space
    ('wording:\n  forbidden:\n    县宣: "- 县委"\n', "向县宣报告。"),
])
def test_fmt_writes_no_replacement_that_reads_otherwise(tmp_path: Path, config: str,
                                                         text: str):
    folder = project(tmp_path, text, config)
    before = (folder / "清单.yaml").read_text("utf-8")
    assert run_cli("fmt", str(folder)).exit_code == 0
    assert (folder / "清单.yaml").read_text("utf-8") == before


@pytest.mark.parametrize("config", [
    'wording:\n  forbidden:\n    简甲: "全甲 #注"\n',      # would start a comment
    'wording:\n  forbidden:\n    简甲: "全甲,附注"\n',      # would end a flow scalar
    'wording:\n  forbidden:\n    简甲: "全甲: 称"\n',       # would make a key
    "wording:\n  forbidden:\n    简甲: 全乙\n    全乙: 简甲\n",  # would flip every run
    "wording:\n  forbidden:\n    唯一: 惟一\n",            # against W931's 惟一 -> 唯一
])
def test_fmt_writes_no_replacement_that_would_change_the_data_or_flip(tmp_path: Path,
                                                                        config: str):
    folder = project(tmp_path, "向简甲报告，全乙是唯一的，惟一。", config)
    before = (folder / "清单.yaml").read_text("utf-8")
    assert run_cli("fmt", str(folder)).exit_code == 0
    after = (folder / "清单.yaml").read_text("utf-8")
    assert "#" not in after and "附注" not in after and "全甲:" not in after
    assert run_cli("fmt", str(folder)).exit_code == 0  # settled: a second run changes nothing
    assert (folder / "清单.yaml").read_text("utf-8") == after
    if "全乙" in config:
        assert "向简甲报告，全乙是" in after
    if "唯一: 惟一" in config:
        assert after == before


def test_wording_schema_errors_are_reported(tmp_path: Path):
    folder = project(tmp_path, config="wording:\n  forbidden: 两学一做\n")
    output = messages(folder)
    assert "E202" in output and "wording" in output


# --- W932 ---------------------------------------------------------------------------------


def test_w932_another_organ_signs(tmp_path: Path):
    folder = project(tmp_path, notice={"mark": "中共清河县委组织部文件",
                                       "signature": "中共清河县委宣传部"})
    assert codes(folder) == ["W932"]


@pytest.mark.parametrize("signature, warned", [
    ("中共清河县粮食局委员会 清河县粮食局", False),   # joint, printed on one line
    ("中共清河县粮食局委员会\n清河县粮食局", False),
    ("中共清河县粮食局委员会办公室", True),           # the committee's office
    ("中共清河县委", True)])
def test_w932_joint_signatures_and_near_misses(tmp_path: Path, signature: str, warned: bool):
    folder = project(tmp_path, notice={"mark": "中共清河县粮食局委员会文件",
                                       "signature": signature})
    assert ("W932" in codes(folder)) is warned


@pytest.mark.parametrize("signature", ["中共清河县粮食局委员会　二〇二四年三月十五日",
                                       "中共清河县粮食局委员会2024年3月15日"])
def test_w932_a_date_typed_into_the_signature_is_no_second_organ(tmp_path: Path,
                                                                  signature: str):
    """The date is W916's (or nothing, in Arabic numerals); one cause, one diagnostic."""
    folder = project(tmp_path, notice={"mark": "中共清河县粮食局委员会文件",
                                       "signature": signature})
    assert "W932" not in codes(folder)


@pytest.mark.parametrize("mark, signature", [
    ("中共清河县粮食局委员会文件", "中共清河县粮食局委员会"),
    ("中国共产党清河县委员会文件", "中共清河县委"),                    # 规范化简称
    ("中共清河县委组织部文件", "中共清河县委组织部 清河县人力资源和社会保障局"),  # joint
    ("中共清河县委组织部 清河县人力资源和社会保障局文件",
     "中共清河县委组织部 清河县人力资源和社会保障局"),
    ("清河县人民政府文件", "清河县政府"),
    ("本溪高新区党政综合办公室", "本溪高新区党政综合办公室"),
    ("中共清河县粮食局机关支部委员会文件", "清河县粮食局机关党支部"),
    ("清河县粮食局党委文件", "中共清河县粮食局委员会")])
def test_w932_same_organ(mark: str, signature: str):
    assert all(any(same_organ(m, s) for s in signature.split()) for m in mark_organs(mark)) \
        or same_organ("".join(mark_organs(mark)), signature.replace(" ", ""))


@pytest.mark.parametrize("mark, signature", [
    ("中共清河县委组织部文件", "中共清河县委宣传部"),
    ("中共清河县委组织部文件", "中共清河县委"),        # the 县委 is not its department
    ("清河县粮食局文件", "中共清河县粮食局委员会"),
    # A shorter name whose characters occur in the longer one is another organ (review).
    ("中共清河县粮食局委员会文件", "中共清河县委员会"),
    ("中共清河县粮食局委员会文件", "中共清河县委"),
    ("中共清河县粮食局委员会文件", "中共清河县粮食局机关支部委员会"),
    ("中共清河县粮食局机关支部委员会文件", "中共清河县粮食局委员会")])
def test_w932_other_organ(mark: str, signature: str):
    assert not any(same_organ(m, signature) for m in mark_organs(mark))


# --- W933 ---------------------------------------------------------------------------------


def test_generated_titles_take_no_serial_comma_between_titles():
    """《甲》《乙》和《丙》: what qingdan writes itself keeps GB/T 15834-2011 4.5.3.5 (W913)."""
    from types import SimpleNamespace

    from qingdan.resolve.context import issued_titles

    titles = {"a": "甲", "b": "乙", "c": "丙"}
    notice = SimpleNamespace(attachments=[SimpleNamespace(value=k) for k in "abc"])
    assert issued_titles(notice, titles) == "《甲》《乙》和《丙》"  # type: ignore[arg-type]
    notice.attachments = notice.attachments[:2]
    assert issued_titles(notice, titles) == "《甲》和《乙》"  # type: ignore[arg-type]


def test_a_title_ending_in_a_full_stop_inside_the_brackets_ends_no_sentence(tmp_path: Path):
    """关于印发《…。》的通知: the 。 is the title's (W918), the issuing sentence goes on to
    the last 《》; no W936 beside it (review)."""
    folder = project(tmp_path)
    source = folder / "清单.yaml"
    source.write_text(source.read_text("utf-8").replace(
        "title: 意识形态工作责任清单", "title: 意识形态工作责任清单。"), "utf-8")
    output = run_cli("check", str(folder)).output
    assert "W918" in output and "W936" not in output


def test_w933_a_repealed_document_cited_after_its_date(tmp_path: Path):
    folder = project(tmp_path, "按《中国共产党机关公文处理条例》和《中国共产党问责条例》"
                               "（2016年）执行，格式按GB/T 9704—1999。")
    output = messages(folder)
    assert codes(folder) == ["W933"] * 3
    assert "现行的是《党政机关公文处理工作条例》" in output
    assert "已于 2019-09-01 起不再施行" in output


def test_w933_not_before_the_date_nor_the_current_edition(tmp_path: Path):
    text = "按《中国共产党问责条例》（2016年）和《中国共产党纪律处分条例》执行。"
    assert codes(project(tmp_path, text, notice={"date": "2018-03-15"})) == []
    assert codes(project(tmp_path, "按《中国共产党问责条例》执行。")) == []


@pytest.mark.parametrize("config, day", [("year: 2024\n", "2024-01-01"), ("", None)])
def test_w933_a_document_no_notice_issues_is_dated_by_the_year_or_today(
        tmp_path: Path, config: str, day: str | None):
    """A list no notice attaches was skipped (review): it is dated by the project's year,
    or by today when the project names none."""
    folder = project(tmp_path, "按《中国共产党机关公文处理条例》执行。", config)
    (folder / "通知.yaml").unlink()
    output = messages(folder)
    assert codes(folder) == ["W933"]
    assert f"按 {day or datetime.date.today().isoformat()} 核对" in output


def test_w933_registered_documents_and_the_projects_own_registry(tmp_path: Path):
    config = """documents:
  wenze:
    title: 中国共产党问责条例
    date: 2016-07-08
repealed:
  - title: 清河县粮食局公文处理办法
    date: 2023-01-01
    replacement: 《清河县粮食局公文处理细则》
"""
    text = "按{{ cite('wenze') }}和《清河县粮食局公文处理办法》执行。"
    folder = project(tmp_path, f'"{text}"', config)
    output = messages(folder)
    assert codes(folder) == ["W933", "W933"]
    assert "现行的是《清河县粮食局公文处理细则》" in output
    assert codes(project(tmp_path, f'"{text}"', config, notice={"date": "2022-12-31"})) == [
        "W933"]  # the 2016 问责条例 was replaced in 2019 all the same


def test_w933_edition_written_before_the_title():
    text = Text("按2018年修订的《中国共产党纪律处分条例》执行", Location("a.yaml"),
                raw="按2018年修订的《中国共产党纪律处分条例》执行", offset=0)
    found = [(r.edition, at) for r, at, _ in cited_in(text, BUILTIN)]
    assert found == [("2018", 9)]


# --- W934 ---------------------------------------------------------------------------------


def test_w934_print_date_before_the_date(tmp_path: Path):
    extra = "printer: 中共清河县粮食局委员会办公室\nprint_date: 2024-03-12\n"
    folder = project(tmp_path, notice={"extra": extra})
    assert codes(folder) == ["W934"]
    assert "印发日期 2024-03-12 早于成文日期 2024-03-15" in messages(folder)


@pytest.mark.parametrize("print_date", ["2024-03-15", "2024-03-18", "待定"])
def test_w934_clean_control(tmp_path: Path, print_date: str):
    extra = f"printer: 中共清河县粮食局委员会办公室\nprint_date: {print_date}\n"
    assert "W934" not in codes(project(tmp_path, notice={"extra": extra}))


# --- W936 ---------------------------------------------------------------------------------

ATTACHED = ["意识形态工作责任清单", "考核办法"]


def notice_body(body: str, title: tuple[str, ...] = ()):
    from qingdan.model import Notice

    where = Location("通知.yaml", 5, 7)
    text = Text(body, where, raw=body, offset=0)
    return Notice(name="通知", mark=text, recipients=text, body=text, attachments=(),
                  signature=text, date=text, location=where,
                  title=tuple(Text(t, where, raw=t, offset=0) for t in title))


@pytest.mark.parametrize("body, title, expected", [
    ("现将《考核办法》《意识形态工作责任清单》印发给你们。", (), "顺序"),
    ("现将《意识形态工作责任清单》印发给你们。", (), "正文列出 1 份"),
    ("现将文件印发给你们。\n附件：1.意识形态工作责任清单\n2.考核办法\n3.评分表", (), "数量"),
    ("现将文件印发给你们。\n附件：1.考核办法\n2.意识形态工作责任清单", (), "顺序"),
    ("现将文件印发给你们。", ("关于印发《考核办法》的通知",), "标题列出 1 份")])
def test_w936_positive(body: str, title: tuple[str, ...], expected: str):
    found = check_issued(notice_body(body, title), ATTACHED)
    assert [d.code for d in found] == ["W936"]
    assert expected in found[0].message


@pytest.mark.parametrize("body, title", [
    ("现将《意识形态工作责任清单》《考核办法》印发给你们。", ()),
    ("现将《意识形态工作责任清单》等文件印发给你们。", ()),
    ("请对照《意识形态工作责任清单》逐项落实。", ()),  # not the sentence that issues them
    ("现将文件印发。\n附件：1.《意识形态工作责任清单》\n2.《考核办法》", ()),
    ("现将文件印发给你们。", ("关于印发《意识形态工作责任清单》等文件的通知",))])
def test_w936_clean_control(body: str, title: tuple[str, ...]):
    assert check_issued(notice_body(body, title), ATTACHED) == []


def test_w936_in_a_project(tmp_path: Path):
    body = "现将《考核办法》《意识形态工作责任清单》印发给你们。"
    assert codes(project(tmp_path, notice={"body": body})) == ["W936"]


def test_the_cases_of_this_issue_exist():
    cases = {p.name.split("-")[0] for p in (REPO / "tests" / "cases").iterdir()}
    assert set(OURS) <= cases


def test_w936_a_later_sentence_naming_one_is_no_list():
    body = "现将文件印发给你们。《考核办法》印发后，各支部要抓好落实。"
    assert check_issued(notice_body(body), ATTACHED) == []


def test_a_repealed_date_that_does_not_exist_is_e603(tmp_path: Path):
    config = "repealed:\n  - title: 某办法\n    date: 2020-13-45\n  - title: ' '\n    date: 2020-1-1\n"
    output = messages(project(tmp_path, "按《某办法》执行。", config))
    assert "error[E603]: 已废止文件《某办法》的废止日期“2020-13-45”不存在" in output
    assert "W933" not in output


def test_a_units_overlay_is_checked_and_fixed(tmp_path: Path):
    """A unit's overlay text is the unit's own writing: W931 there, and fmt fixes it (its
    half-width marks too, which fmt used to leave)."""
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    roster = folder / "单位名册.yaml"
    text = roster.read_text("utf-8")
    roster.write_text(text.replace("检测数据和质量", "检测数据,和其它质量"), "utf-8")
    assert codes(folder) == ["W931"]
    assert run_cli("fmt", str(folder)).exit_code == 0
    assert "检测数据，和其他质量" in roster.read_text("utf-8")
    assert codes(folder) == [] and "W901" not in messages(folder)


def test_the_results_notice_is_checked_too(tmp_path: Path):
    """A results notice (kind: results, read by score) gets W931, W932 and W934 as well."""
    from qingdan.load.results import results_sources
    from qingdan.scoring.source import check_source

    folder = tmp_path / "ex"
    shutil.copytree(REPO / "checklists" / "example-2025", folder)
    source = folder / "考核结果通报.yaml"
    text = source.read_text("utf-8")
    assert [d.code for r in results_sources(folder) for d in check_source(r, [])
            if d.code in OURS] == []
    text = text.replace("signature: 中共清河县粮食局委员会", "signature: 中共清河县委组织部")
    text = text.replace("date: 待定", "date: 2025-12-31\nprint_date: 2025-12-01")
    source.write_text(text.replace("局属各单位", "局属其它单位"), "utf-8")
    (found,) = results_sources(folder)
    assert sorted(d.code for d in check_source(found, []) if d.code in OURS) == [
        "W931", "W932", "W934"]


def test_fmt_fixes_the_results_notice(tmp_path: Path):
    folder = tmp_path / "ex"
    shutil.copytree(REPO / "checklists" / "example-2025", folder)
    source = folder / "考核结果通报.yaml"
    source.write_text(source.read_text("utf-8").replace("局属各单位", "局属其它单位"), "utf-8")
    assert run_cli("fmt", str(folder)).exit_code == 0
    assert "局属其他单位" in source.read_text("utf-8")


def test_w936_a_title_in_lines_is_one_title():
    title = ("关于印发《意识形态工作责任清单》", "《考核办法》的通知")
    assert check_issued(notice_body("现将文件印发给你们。", title), ATTACHED) == []
    title = ("关于印发《考核办法》", "《意识形态工作责任清单》的通知")
    (found,) = check_issued(notice_body("现将文件印发给你们。", title), ATTACHED)
    assert found.message == "所列文件的顺序与附件顺序不同"
