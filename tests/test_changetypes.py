"""What a revision means and whom it touches: 修改类型, the impact list, the 修订对照表's
summary page, and the accept/reject check every redline passes before it is written."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from conftest import REPO, run_cli
from pdfmeasure import to_pdf
from qingdan.diff import render as render_compare
from qingdan.diff.changetypes import TYPES, compare_texts, masked, read
from qingdan.diff.projects import compare
from revisions import settle
from test_pdf_layout import needs_office

FIXTURES = REPO / "tests" / "fixtures" / "change-types"
OLD, NEW = FIXTURES / "2024", FIXTURES / "2025"
EXAMPLE, EXAMPLE_2025 = REPO / "checklists" / "example", REPO / "checklists" / "example-2025"
OWN, JIGUAN, ZHAN = "清河县粮食局", "清河县粮食局机关", "清河县粮食质量监测站"
LIST_TITLE = "清河县粮食局党委意识形态工作责任清单"
MEASURES = "《清河县粮食局意识形态工作责任制考核办法》"


@pytest.fixture(scope="module")
def result():
    return compare(OLD, NEW)


def named(diff) -> dict[str, tuple[str, ...]]:
    return {(c.new or c.old).id: c.type_names for c in diff.changes}


def test_every_change_of_the_fixture_is_classified(result):
    lists, measures = result.lists
    assert named(lists) == {
        "zerenzhi": ("义务减弱",), "yanjiu": ("频次提高",), "taizhang": ("新增负担",),
        "wenhua": ("文字修改",), "zhendi": ("序号变化",), "xiezhu": ("范围缩小",),
        "fenguan": ("范围扩大",)}
    assert named(measures) == {
        "zhuti": ("分值权重",), "fushuji": ("分值权重",), "banzi": ("引用改指",),
        "mubiao": ("分值权重", "引用改指"), "ceping": ("分值权重",), "dengci": ("等次调整",),
        "scoring:weight:mubiao": ("分值权重",), "scoring:weight:ceping": ("分值权重",),
        "scoring:grades": ("等次调整",)}
    found = {t.type for d in result.lists for c in d.changes for t in c.types}
    assert found == {ident for ident, _ in TYPES}  # one change of every type at least
    by_id = {(c.new or c.old).id: c for d in result.lists for c in d.changes}
    assert by_id["zerenzhi"].types[0].detail == "“应当”改为“原则上”"
    assert by_id["taizhang"].types[0].detail == "新增“台账”、“报送”、“每季度末报送一次”"
    assert by_id["zhuti"].types[0].detail == "分值由40分改为50分"
    assert by_id["banzi"].kinds == ("renumbered", "retargeted")
    assert by_id["banzi"].types[0].detail == "考核的条目：增加“主体责任 3.”"
    # The model knows better than the wording: the moved bands print new numbers into
    # 考核等次, but that is not a change of points.
    assert by_id["dengci"].types[0].detail == "所写的等次区间随评分规则改变"


def test_the_text_rules():
    def names(old: str, new: str) -> list[str]:
        return [t.name for t in compare_texts(old, new)]

    assert names("可以定期开展检查。", "必须定期开展检查。") == ["义务加强"]
    assert names("这是重要工作。", "这是主要工作。") == []  # 重要 and 主要 are not 要
    assert names("可能出现的问题。", "可能发生的问题。") == []
    assert names("每年至少两次专题研究。", "每半年至少专题研究一次。")[0] == "时限频次"
    assert compare_texts("每年至少两次专题研究。", "每半年至少专题研究一次。")[0].detail == \
        "每年至少两次改为每半年至少专题研究一次，每年次数不变"
    assert names("每季度至少一次。", "每年至少一次。") == ["频次降低"]
    assert names("15日前上报。", "10日前上报。") == ["时限频次"]
    assert names("抓好工作。", "抓好工作，每月填报进度。") == ["新增负担"]
    assert names("扣5分。", "扣3分。") == ["分值权重"]
    assert names("加强队伍建设。", "加强队伍建设工作。") == []  # plain rewording: diff.py's
    assert read("每季度至少开展一次风险排查").frequencies == [("每季度至少开展一次", 4.0)]
    assert masked("综合成绩90分以上为优秀。", ("90分以上为优秀",)) == "综合成绩\ue000。"


def test_impact_list_names_units_indicators_and_stale_overlays(result):
    rows = {(i.document, i.entry): i for i in result.impacts}
    wenhua = rows[("责任清单", "wenhua")]
    assert wenhua.where == "主体责任 4." and wenhua.types == ("文字修改",)
    assert wenhua.units == [OWN, ZHAN] and wenhua.kept == [JIGUAN]  # 机关 replaced it
    assert wenhua.cited_by == [f"{MEASURES}（一）落实主体责任（考核指标）"]
    taizhang = rows[("责任清单", "taizhang")]
    assert taizhang.units == [OWN, JIGUAN, ZHAN]
    assert taizhang.cited_by == [f"{MEASURES}（三）班子成员落实“一岗双责”（考核指标）",
                                 f"{MEASURES}（一）目标考核"]  # by assesses, by ref()
    xiezhu = rows[("责任清单", "xiezhu")]
    assert xiezhu.units == [OWN, ZHAN]  # 机关 had removed it by its overlay
    assert xiezhu.cited_by == [f"{MEASURES}（三）副书记履行直接责任人职责（考核指标）"]
    assert [(s.unit, s.op, s.where, s.reason) for s in xiezhu.overlays] == [
        (JIGUAN, "删除", "副书记 1.", "所指条目已不在新版本中"),
        (ZHAN, "替换", "副书记 1.", "所指条目已不在新版本中")]
    assert rows[("考核办法", "zhuti")].units == [OWN, JIGUAN, ZHAN]
    assert rows[("考核办法", "scoring:grades")].where == "评分规则：考核等次"
    assert ("责任清单", "zhendi") not in rows  # renumbered only: nothing of substance
    assert result.unit_names == [OWN, JIGUAN, ZHAN]


def test_terminal_and_json_carry_the_types(tmp_path):
    text = run_cli("diff", str(OLD), str(NEW))
    assert text.exit_code == 0, text.output
    assert "  修改类型：义务减弱 1，范围扩大 1，范围缩小 1，新增负担 1，频次提高 1，文字修改 1，" \
           "序号变化 1" in text.stdout
    assert "  [修改] zerenzhi（主体责任 1.）　义务减弱\n" in text.stdout
    assert "      说明：“应当”改为“原则上”" in text.stdout
    assert "影响范围：\n  责任清单 主体责任 1.（义务减弱）" in text.stdout
    assert "  清河县粮食局机关：责任清单 删除“副书记 1.”（xiezhu）：所指条目已不在新版本中" \
        in text.stdout
    data = json.loads(run_cli("diff", str(OLD), str(NEW), "--format", "json").stdout)
    first = data["lists"][0]
    assert first["type_counts"]["义务减弱"] == 1
    assert first["changes"][0]["types"] == [{"type": "obligation", "direction": "weaker",
                                             "name": "义务减弱",
                                             "detail": "“应当”改为“原则上”"}]
    wenhua = next(i for i in data["impacts"] if i["id"] == "wenhua")
    assert wenhua["units"] == [OWN, ZHAN] and wenhua["kept"] == [JIGUAN]
    assert [s["unit"] for s in data["stale_overlays"]] == [JIGUAN, ZHAN]


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("types")
    done = run_cli("diff", str(OLD), str(NEW), "--table", "-o", str(out))
    assert done.exit_code == 0, done.output
    return out / f"《{LIST_TITLE}》修订对照表.docx"


def cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def test_comparison_table_has_types_and_a_summary_page(table):
    document = docx.Document(str(table))
    main, counts, reach = document.tables
    rows = cells(main)
    assert rows[0] == ["序号", "原条文", "修订后条文", "修改类型", "修订说明"]
    assert [(r[0], r[3]) for r in rows[1:]] == [
        ("1", "义务减弱"), ("2", "频次提高"), ("3", "新增负担"), ("4", "文字修改"),
        ("5", "序号变化"), ("6", "范围缩小"), ("7", "范围扩大")]
    assert rows[1][4] == "“应当”改为“原则上”。"
    heading = next(p for p in document.paragraphs if p.text == "修改类型和影响范围")
    assert heading._p.pPr.find(qn("w:pageBreakBefore")) is not None
    assert heading.style.name == "公文标题"
    assert cells(counts) == [["修改类型", "处数"], ["义务减弱", "1"], ["范围扩大", "1"],
                             ["范围缩小", "1"], ["新增负担", "1"], ["频次提高", "1"],
                             ["文字修改", "1"], ["序号变化", "1"]]
    impact = cells(reach)
    assert impact[0] == ["序号", "条目", "修改类型", "涉及单位", "引用它的指标和条文",
                         "不再适用的单位调整"]
    assert impact[1] == ["1", "主体责任 1.", "义务减弱", "全部3个单位",
                         f"{MEASURES}（一）落实主体责任（考核指标）", "无"]
    wenhua = next(r for r in impact if r[1] == "主体责任 4.")
    assert wenhua[3] == f"{OWN}、{ZHAN}（{JIGUAN}以本单位调整后的文字为准，不受影响）"
    xiezhu = next(r for r in impact if r[1] == "副书记 1.")
    assert xiezhu[5] == (f"{JIGUAN}的“删除”调整：所指条目已不在新版本中；"
                         f"{ZHAN}的“替换”调整：所指条目已不在新版本中")


def test_a_units_table_names_that_unit_alone(table):
    own = table.parent / JIGUAN / f"《{JIGUAN}党支部意识形态工作责任清单》修订对照表.docx"
    impact = cells(docx.Document(str(own)).tables[2])
    assert {r[3] for r in impact[1:]} == {JIGUAN}
    assert "主体责任 4." not in {r[1] for r in impact}  # its own text stays: no change


@needs_office
def test_libreoffice_prints_the_summary_after_the_table(table, tmp_path):
    pdf = to_pdf(table, tmp_path)
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")
    first = next(i for i, p in enumerate(pages) if "修改类型和影响范围" in p)
    assert first > 0 and "修订对照表" in pages[0] and "义务减弱" in pages[0]
    assert "修改类型和影响范围" not in "".join(pages[:first])
    assert "修改类型统计" in pages[first] and "影响范围" in pages[first]
    summary = "".join("".join(pages[first:]).split())  # cells wrap; digits get spaces
    assert "全部3个单位" in summary and "不再适用的单位调整" in summary


def count_checks(monkeypatch) -> list[str]:
    """Every redline's check, by the title it was made for."""
    calls: list[str] = []
    real = render_compare.verify

    def counted(data, old, new, title):
        calls.append(title)
        return real(data, old, new, title)

    monkeypatch.setattr(render_compare, "verify", counted)
    return calls


def test_every_redline_of_the_example_is_checked(monkeypatch, tmp_path):
    calls = count_checks(monkeypatch)
    done = run_cli("diff", str(EXAMPLE), str(EXAMPLE_2025), "--redline", "-o", str(tmp_path))
    assert done.exit_code == 0, done.output
    written = sorted(tmp_path.rglob("*（修订稿）.docx"))
    assert len(written) == len(calls) == 10  # the base's two documents and four units'
    for path in written:
        assert settle(path, accept=True) and settle(path, accept=False)


def test_every_redline_of_the_example_as_git_revisions_is_checked(monkeypatch, tmp_path):
    repo = tmp_path / "repo"
    project = repo / "清单项目"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("考核评分"))
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "2024")
    git("tag", "v2024")
    for file in EXAMPLE_2025.iterdir():
        shutil.copy(file, project / file.name)
    git("add", "-A")
    git("commit", "-qm", "2025")
    calls = count_checks(monkeypatch)
    done = run_cli("diff", "v2024", "HEAD", "--project", "清单项目", "--redline", "-o",
                   str(tmp_path / "out"), cwd=repo)
    assert done.exit_code == 0, done.output
    assert len(calls) == len(list((tmp_path / "out").rglob("*.docx"))) == 10


def test_a_broken_redline_is_refused_with_a_located_error(monkeypatch, tmp_path):
    """The redline writer made to drop insertions within paragraphs: accepting all no
    longer gives the new text, so the check names the entry and nothing is written."""
    real = render_compare._Revisions._run

    def dropping(self, segment, face, size):
        return "" if segment.kind == "insert" else real(self, segment, face, size)

    monkeypatch.setattr(render_compare._Revisions, "_run", dropping)
    out = tmp_path / "out"
    done = run_cli("diff", str(EXAMPLE), str(EXAMPLE_2025), "--table", "--redline", "-o",
                   str(out))
    assert done.exit_code == 1
    source = EXAMPLE_2025 / "意识形态工作责任清单.yaml"
    line = next(n for n, text in enumerate(source.read_text("utf-8").splitlines(), 1)
                if "id: lingdaoquan" in text) + 1
    assert (f"checklists/example-2025/意识形态工作责任清单.yaml:{line}:" in done.stderr
            and "error[E671]: 《清河县粮食局党委意识形态工作责任清单》（修订稿）“全部接受修订”后"
                "与新版本不同：第 5 段应为“……论导向。深入开展党纪学习教育，抓好中国特色社会主……”，"
                "实为“……论导向。深入开展学习教育，抓好中国特色社会主义和……”" in done.stderr), done.stderr
    assert not out.exists()  # not the tables either: all or nothing
