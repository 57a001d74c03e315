"""Source features beyond the example: custom roles, title lines, recipients, preamble."""

from __future__ import annotations

from pathlib import Path

from conftest import EXAMPLE, run_cli
from docxread import paragraphs

SOURCE = """\
kind: list
title:
  - 中共清河县粮食局党组
  - 关于落实全面从严治党主体责任的清单
recipients: "机关各科（室）、粮食质量监测站:"
topic: 全面从严治党
preamble: |
  为落实{{ unit.superior }}部署，结合工作实际，制定如下责任清单。
  各科（室）要认真对照执行。
roles:
  members:
    items:
      - id: a
        text: 班子成员抓好分管范围的工作。
  jijian:
    heading: 纪检委员监督责任清单
    lead: 纪检委员协助{{ unit.body }}履行监督责任。
    items:
      - id: b
        text: 每季度开展一次监督检查。
      - id: c
        text: "联系方式：{{ unit.vars.phone }}"
"""

CONFIG = """\
unit:
  name: 清河县粮食局
  body: 党组
  superior: 县委
  vars:
    phone: 0000-1234567
"""


def build(tmp_path: Path) -> list:
    project = tmp_path / "p"
    project.mkdir()
    (project / "qingdan.yaml").write_text(CONFIG, "utf-8")
    (project / "清单.yaml").write_text(SOURCE, "utf-8")
    result = run_cli("build", str(project), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    [docx] = (tmp_path / "out").glob("*.docx")
    assert docx.name == "中共清河县粮食局党组关于落实全面从严治党主体责任的清单.docx"
    return paragraphs(docx)


def test_custom_roles_title_lines_recipients_and_preamble(tmp_path):
    paras = build(tmp_path)
    texts = [p.text for p in paras]
    assert texts[:2] == ["中共清河县粮食局党组", "关于落实全面从严治党主体责任的清单"]
    assert paras[0].style == paras[1].style == "公文标题"
    assert texts[2] == ""
    # Recipients end in a full-width colon and sit flush left.
    assert texts[3] == "机关各科（室）、粮食质量监测站："
    assert texts[4:6] == [
        "为落实县委部署，结合工作实际，制定如下责任清单。", "各科（室）要认真对照执行。"]
    assert texts[6:] == [
        "一、其他党组班子成员全面从严治党责任清单",
        "1.班子成员抓好分管范围的工作。",
        "二、纪检委员监督责任清单",
        "纪检委员协助党组履行监督责任。",
        "1.每季度开展一次监督检查。",
        "2.联系方式：0000-1234567",
    ]


def test_the_example_config_is_valid_for_its_schema():
    # Editors validate with the same schema; the example must carry the modeline.
    head = (EXAMPLE / "意识形态工作责任清单.yaml").read_text("utf-8").splitlines()[0]
    assert head.startswith("# yaml-language-server: $schema=")
