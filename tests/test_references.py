"""Numbered references follow the numbering: insert an article and every reference moves."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from docxread import paragraphs

CONFIG = "unit:\n  name: 清河县粮食局\n  short: 局\n  body: 党委\n"

MEASURES = """\
kind: measures
title: 考核实施办法
content:
  - id: mudi
    text: 为做好考核工作，制定本办法。
  - id: fanwei
    text: 本办法适用于局机关各科室。
  - id: neirong
    text: 考核内容如下：
    items:
      - id: zhengzhi
        text: 政治方向坚定。
      - id: zuzhi
        text: 组织领导有力。
  - id: jieguo
    text: 考核结果按{{ ref('neirong') }}所列内容评定，{{ ref('zuzhi') }}不合格的不得评为优秀。
  - id: jieshi
    text: 本办法适用范围见{{ ref('fanwei') }}，由局党委负责解释，自{{ ref('shishi') }}所定日期起施行。
  - id: shishi
    text: 本办法自发布之日起施行。
"""

INSERTED = MEASURES.replace("""  - id: neirong""", """  - id: chengxu
    text: 考核每年组织一次。
  - id: neirong""")


def build(tmp_path: Path, source: str, name: str = "考核实施办法") -> list[str]:
    project = tmp_path / "p"
    project.mkdir(exist_ok=True)
    (project / "qingdan.yaml").write_text(CONFIG, "utf-8")
    (project / "办法.yaml").write_text(source, "utf-8")
    out = tmp_path / "out"
    result = run_cli("build", str(project), "-o", str(out))
    assert result.exit_code == 0, result.output
    return [p.text for p in paragraphs(out / f"{name}.docx") if p.text]


def test_references_render_as_current_labels(tmp_path):
    texts = build(tmp_path, MEASURES)
    assert texts[1:] == [
        "第一条　为做好考核工作，制定本办法。",
        "第二条　本办法适用于局机关各科室。",
        "第三条　考核内容如下：",
        "（一）政治方向坚定。",
        "（二）组织领导有力。",
        "第四条　考核结果按第三条所列内容评定，第三条第（二）项不合格的不得评为优秀。",
        "第五条　本办法适用范围见第二条，由局党委负责解释，自第六条所定日期起施行。",
        "第六条　本办法自发布之日起施行。",
    ]


def test_inserting_an_article_renumbers_every_reference_after_it(tmp_path):
    texts = build(tmp_path, INSERTED)
    assert "第三条　考核每年组织一次。" in texts
    assert "第五条　考核结果按第四条所列内容评定，第四条第（二）项不合格的不得评为优秀。" in texts
    # A reference to an article before the insertion does not move.
    assert "第六条　本办法适用范围见第二条，由局党委负责解释，自第七条所定日期起施行。" in texts


def test_article_labels_are_set_in_heiti(tmp_path):
    import docx
    from docx.oxml.ns import qn

    build(tmp_path, MEASURES)
    document = docx.Document(str(tmp_path / "out" / "考核实施办法.docx"))
    first = next(p for p in document.paragraphs if p.text.startswith("第一条"))
    label, text = first.runs[0], first.runs[1]
    assert label.text == "第一条　"
    assert label._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    assert text._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_chapters_and_outline_numbering(tmp_path):
    chapters = """\
kind: measures
title: 实施细则
content:
  - id: zongze
    chapter: 总则
    items:
      - id: mudi
        text: 为规范工作，制定本细则。
  - id: fuze
    chapter: 附则
    items:
      - id: shishi
        text: 本细则自发布之日起施行，{{ ref('mudi') }}另有规定的除外。
"""
    texts = build(tmp_path, chapters, "实施细则")
    assert texts[1:] == ["第一章　总则", "第一条　为规范工作，制定本细则。", "第二章　附则",
                         "第二条　本细则自发布之日起施行，第一条另有规定的除外。"]
    outline = """\
kind: measures
title: 实施意见
numbering: outline
content:
  - id: sixiang
    heading: 指导思想
    text: 坚持以习近平新时代中国特色社会主义思想为指导。
  - id: cuoshi
    heading: 主要措施
    items:
      - id: xuexi
        heading: 加强学习
        items:
          - id: zhongxinzu
            text: 落实中心组学习制度，见{{ ref('jiandu') }}。
            items:
              - id: meiyue
                text: 每月集中学习一次。
      - id: jiandu
        text: 强化监督检查。
"""
    texts = build(tmp_path, outline, "实施意见")
    assert texts[1:] == ["一、指导思想", "坚持以习近平新时代中国特色社会主义思想为指导。",
                         "二、主要措施", "（一）加强学习", "1.落实中心组学习制度，见（二）。",
                         "（1）每月集中学习一次。", "（二）强化监督检查。"]
