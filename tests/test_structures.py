"""The structures real documents use, built and read back paragraph by paragraph.

tests/fixtures/structures holds an outline 实施意见 (a line heading, run-in headings, 1.–4.
numbered across （一）（二）（三）, a closing paragraph, a part without a heading, a node
that chooses its own form) and an article-numbered 实施细则 (款 as paragraphs of an
article, 项 under a 款, references to both). expected/ has the text a reader sees, with
each paragraph's style, written out by hand and reviewed.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from conftest import REPO, run_cli

FIXTURE = REPO / "tests" / "fixtures" / "structures"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("structures")
    result = run_cli("build", str(FIXTURE), "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("title", ["关于加强意识形态工作的实施意见", "意识形态工作责任制实施细则"])
def test_paragraphs_match_the_expected_text(built: Path, title: str):
    document = docx.Document(str(built / f"{title}.docx"))
    got = [f"{p.style.name} | {p.text}" for p in document.paragraphs if p.text]
    expected = (FIXTURE / "expected" / f"{title}.txt").read_text("utf-8").splitlines()
    assert got == expected


def test_a_run_in_heading_keeps_its_face_and_its_full_stop(built: Path):
    document = docx.Document(str(built / "关于加强意识形态工作的实施意见.docx"))
    para = next(p for p in document.paragraphs if p.text.startswith("（一）坚持正确方向"))
    faces = [(r.text, r._r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:eastAsia")))
             for r in para.runs if r.text]
    assert faces == [("（一）坚持正确方向。", "楷体_GB2312"),
                     ("始终把政治建设摆在首位，一是强化理论武装，二是严明政治纪律。", "仿宋_GB2312")]


def test_unnumbered_paragraphs_and_clauses_are_addressable(tmp_path: Path):
    """A closing paragraph's id can be cited by overlays and diff, but it has no number for
    ref(); a 款 has one."""
    from qingdan.builder.pipeline import prepare

    prepared = prepare(FIXTURE)
    opinion = prepared.index.by_doc["实施意见"]
    assert opinion["jiexu"].label == "" and opinion["jiexu"].ref == ""
    assert opinion["choucha"].label == "4."  # numbered on across （二） and （三）
    rules = prepared.index.by_doc["实施细则"]
    assert rules["shuji"].ref == "第三条第二款"
    assert rules["chuzhi"].ref == "第三条第二款第（二）项"
    assert rules["baogao"].ref == "第三条第（二）项"


def test_ref_to_an_unnumbered_paragraph_is_an_error(tmp_path: Path):
    import shutil

    project = tmp_path / "p"
    shutil.copytree(FIXTURE, project)
    source = project / "实施意见.yaml"
    source.write_text(source.read_text("utf-8").replace("ref('choucha')", "ref('jiexu')"),
                      "utf-8")
    result = run_cli("check", str(project))
    assert result.exit_code == 1
    assert "error[E311]: “jiexu”是不编序号的段，没有序号可引用" in result.stderr


REVISION = REPO / "tests" / "fixtures" / "structures-revision"
OPINION = "关于加强意识形态工作的实施意见"


def test_measures_are_compared_node_by_node(tmp_path: Path):
    """2025 adds an item under （二）, rewords （三）, and moves the closing paragraph to the
    end of the document: the move is a move, the numbers after the new item renumber."""
    import json

    from revisions import settle

    result = run_cli("diff", str(REVISION / "2024"), str(REVISION / "2025"), "--format", "json",
                     "--table", "--redline", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    [opinion] = data["lists"]
    kinds = {c["new"]["id"] if c["new"] else c["old"]["id"]: c["kinds"]
             for c in opinion["changes"]}
    assert kinds == {"fushuji": ["added"], "jiancha": ["reworded"], "ziping": ["renumbered"],
                     "choucha": ["renumbered"], "renwu": ["reworded"], "jiexu": ["moved"]}
    notes = {c["new"]["id"]: c["note"] for c in opinion["changes"] if c["new"]}
    assert notes["jiexu"] == "由“一、总体要求”移至“正文”。"
    assert notes["choucha"] == "序号由4调整为5。"
    table = docx.Document(str(tmp_path / "out" / f"《{OPINION}》修订对照表.docx")).tables[0]
    assert len(table.rows) == 1 + 6
    redline = tmp_path / "out" / f"{OPINION}（修订稿）.docx"

    def built(version: str) -> list[str]:
        out = tmp_path / version
        assert run_cli("build", str(REVISION / version), "-o", str(out)).exit_code == 0
        return [p.text for p in docx.Document(str(out / f"{OPINION}.docx")).paragraphs if p.text]

    assert settle(redline, accept=True) == built("2025")
    assert settle(redline, accept=False) == built("2024")


def test_units_adjust_measures_by_node_id(tmp_path: Path):
    """A unit's overlays on a measures document: replace, add (a numbered item and an
    unnumbered paragraph), move a closing paragraph to the top level, remove; numbers and
    references follow; a missing id is E811."""
    import shutil

    project = tmp_path / "p"
    shutil.copytree(FIXTURE, project)
    (project / "名册.yaml").write_text("""\
kind: roster
units:
  - id: ku
    name: 清河县储备粮库
    short: 库
    body: 党总支
    superior: 局党委
    overlays:
      实施意见:
        - replace: fangxiang
          text: 始终把政治建设摆在首位。
        - add: peixun
          to: zongti
          text: 加强业务培训。
        - remove: ziping
        - move: jiexu
          to: 正文
        - add: shuoming
          after: baozhang
          paragraph: true
          text: 本意见由库党总支负责解释。
""", "utf-8")
    out = tmp_path / "out"
    result = run_cli("build", str(project), "-o", str(out))
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out / "清河县储备粮库" / "关于加强意识形态工作的实施意见.docx"))
    texts = [p.text for p in document.paragraphs if p.text]
    assert "（一）坚持正确方向。始终把政治建设摆在首位。" in texts
    assert "（四）加强业务培训。" in texts
    assert "3.局党委抽查。" in texts  # 各单位自查 removed: numbering closes up
    assert "二、各单位按照（一）和3的要求，抓好落实。" in texts  # references follow
    # The closing paragraph went to the end first; the new one went after 三、.
    assert texts[-2:] == ["本意见由库党总支负责解释。", "对落实不力的单位，取消当年评先资格。"]
    roster = project / "名册.yaml"
    roster.write_text(roster.read_text("utf-8").replace("remove: ziping", "remove: zipin"),
                      "utf-8")
    broken = run_cli("check", str(project))
    assert "error[E811]: 单位“清河县储备粮库”的调整：“实施意见”没有编号“zipin”" in broken.stderr
