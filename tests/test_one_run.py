"""One run reports every problem: no check hides behind another."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_cli

CONFIG = """\
untis: 多写的键                     # E201
unit:
  name: 清河县粮食局
  short: 局
  body: 区委                        # any organ type is accepted
documents:
  fangan:
    title: 贯彻落实意识形态工作责任制的实施方案
    number: 清委办[2015]15号        # E601 (brackets) and E602 (2015, dated 2016)
    date: 2016-05-20
diagnostics:
  W999: off                         # E204
"""
LIST = """\
kind: list
title: "{{ unit.name }}{{ unit.body }}意识形态工作责任清单"
basis: [fangan, weidengji]          # E312
roles:
  committee:
    items:
      - id: a
        text: 12345                 # E202: the item is left out, its siblings are checked
      - id: b
        text: 自觉按受监督,带头落实。   # W902 and W901
      - id: b                       # E301
        text: 依照第{{ ref('meiyou') }}条执行。   # E311
      - id: c
        text: 报{{ unit.superior }}备案。          # E302: the unit has no superior
"""
NOTICE = """\
kind: notice
mark: 中共清河县粮食局委员会文件
number: 清粮党发2024年3号              # E601
title: 关于印发《意识形态责任清单》的通知  # E621
recipients: 各党支部
body: 现将{{ attachments }}印发给你们。
attachments: [清单]
signature: 中共清河县粮食局委员会
date: 2024-02-30                     # E603
"""


def test_every_planted_error_appears_in_one_run(tmp_path: Path):
    project = tmp_path / "p"
    project.mkdir()
    (project / "qingdan.yaml").write_text(CONFIG, "utf-8")
    (project / "清单.yaml").write_text(LIST, "utf-8")
    (project / "通知.yaml").write_text(NOTICE, "utf-8")
    result = run_cli("check", str(project))
    assert result.exit_code == 1
    codes = re.findall(r"(?:error|warning)\[(\w+)\]", result.stderr)
    expected = {"E201", "E204", "E601", "E602", "E312", "E202", "W902", "W901", "E301",
                "E311", "E302", "E621", "E603"}
    assert expected <= set(codes), expected - set(codes)
    assert codes.count("E601") == 2  # the registered document's and the notice's
    # Nothing is reported twice, and no message is left in English.
    lines = [line for line in result.stderr.splitlines() if "[" in line]
    assert len(lines) == len(set(lines))
    for line in result.stderr.splitlines():
        message = line.split("]: ", 1)[-1]
        assert re.search(r"[\u4e00-\u9fff]", message), line
        assert not re.search(r"\b(?:expected|found|while|scanning|parsing|could not)\b", message)


def test_a_file_that_does_not_parse_is_reported_once(tmp_path: Path):
    """The example's list with a YAML error: one E101, not also an E311 for every indicator
    that assesses its items, for the notice that attaches it, for each unit's overlays."""
    import shutil

    from conftest import EXAMPLE

    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project)
    source = project / "意识形态工作责任清单.yaml"
    source.write_text(source.read_text("utf-8") + "bad: [unclosed\n", "utf-8")
    result = run_cli("check", str(project))
    assert result.exit_code == 1
    assert re.findall(r"error\[(\w+)\]", result.stderr) == ["E101"]


def test_an_undefined_number_is_not_also_a_malformed_number(tmp_path: Path):
    import shutil

    from conftest import EXAMPLE

    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project)
    config = project / "qingdan.yaml"
    config.write_text("\n".join(line for line in config.read_text("utf-8").splitlines()
                                if "发文字号:" not in line) + "\n", "utf-8")
    result = run_cli("check", str(project))
    assert re.findall(r"error\[(\w+)\]", result.stderr) == ["E302"]


# Ten independent problems across four files (issue 25). Two of them used to hide others:
# the notice's syntax error hid the dangling ref() in the measures, and the missing id in
# one part of the measures hid the points that do not add up in another part.
TEN_CONFIG = """\
format: 2
unit:
  name: 清河县粮食局
  short: 局
  body: 党委
  superior: 县委
documents:
  fangan:
    title: 贯彻落实意识形态工作责任制的实施方案
    number: 清委办〔2016〕015号
"""
TEN_LIST = """\
kind: list
title: "{{ unit.name }}{{ unit.body }}意识形态工作责任清单"
basis: [fangan]
roles:
  committee:
    items:
      - id: lingdao
        text: 牢牢掌握意识形态工作的领导权,管理权。
      - id: lingdao
        text: 每年至少两次专题研究，自觉按受监督。
  secretry:
    items:
      - id: diyi
        text: 书记是第一责任人。
"""
TEN_MEASURES = """\
kind: assessment
title: 意识形态工作责任制考核办法
numbering: outline
preamble: 为加强{{ unit.nmae }}的意识形态工作，制定本办法。
content:
  - id: neirong
    heading: 考核内容
    points: 100
    items:
      - heading: 落实主体责任
        text: 纳入年度考核。
        points: 60
      - id: zuzhi
        heading: 组织建设
        text: 建强队伍。
        points: 40
        assesses: [lingdao]
  - id: chengxu
    heading: 考核程序
    points: 20
    items:
      - id: ziping
        text: 各单位自查。
        points: 5
      - id: choucha
        text: 局党委抽查。
        points: 10
  - id: jieguo
    text: 按{{ ref('chengxuu') }}评定等次。
scoring:
  total: 120
"""
TEN_NOTICE = """\
kind: notice
mark: 中共清河县粮食局委员会文件
number: 清粮党发〔2024〕3号
recipients: 机关各科室党支部：
body: 现将{{ attachments }}印发给你们，请认真贯彻落实。
attachments: [清单, 办法
signature: 中共清河县粮食局委员会
date: 2024-03-15
"""
TEN_EXPECTED = {
    ("qingdan.yaml", 10, 13, "E601"),  # a leading zero in a registered 发文字号
    ("清单.yaml", 8, 29, "W901"),      # the half-width comma
    ("清单.yaml", 9, 13, "E301"),      # the second lingdao
    ("清单.yaml", 10, 28, "W902"),     # 按受
    ("清单.yaml", 11, 3, "E201"),      # secretry: at the key, not at the items under it
    ("办法.yaml", 4, 22, "E302"),      # unit.nmae
    ("办法.yaml", 10, 9, "E203"),      # a node without id (left out) ...
    ("办法.yaml", 18, 9, "E701"),      # ... and 5 + 10 is not 20 in another part
    ("办法.yaml", 29, 20, "E311"),     # ref('chengxuu'), while the notice does not parse
    ("通知.yaml", 6, 14, "E101"),      # at the "[" left open, not on the next line
}


def test_ten_independent_problems_in_four_files_are_all_reported_where_they_are(
        tmp_path: Path):
    project = tmp_path / "p"
    project.mkdir()
    for name, text in [("qingdan.yaml", TEN_CONFIG), ("清单.yaml", TEN_LIST),
                       ("办法.yaml", TEN_MEASURES), ("通知.yaml", TEN_NOTICE)]:
        (project / name).write_text(text, "utf-8")
    result = run_cli("check", ".", cwd=project)
    assert result.exit_code == 1
    found = {(path, int(line), int(column), code) for path, line, column, code in re.findall(
        r"^(\S+):(\d+):(\d+): (?:error|warning)\[(\w+)\]", result.stderr, re.M)}
    assert found == TEN_EXPECTED, result.stderr
    assert len({code for *_, code in found}) == 10
    assert "失败：发现 8 个错误" in result.stderr


def test_each_hidden_problem_is_the_same_when_planted_alone(tmp_path: Path):
    """The two that were hidden are reported alike with or without the problem that hid
    them: a dangling ref with every file sound, points that do not add up with every node
    kept."""
    project = tmp_path / "p"
    project.mkdir()
    (project / "qingdan.yaml").write_text(TEN_CONFIG.replace("015号", "15号"), "utf-8")
    (project / "清单.yaml").write_text(TEN_LIST.replace(",", "，").replace("按受", "接受")
                                       .replace("- id: lingdao\n        text: 每年", "- id: b\n"
                                                "        text: 每年")
                                       .replace("secretry", "secretary"), "utf-8")
    measures = TEN_MEASURES.replace("unit.nmae", "unit.name").replace(
        "      - heading: 落实主体责任", "      - id: zhuti\n        heading: 落实主体责任")
    (project / "办法.yaml").write_text(measures, "utf-8")
    (project / "通知.yaml").write_text(TEN_NOTICE.replace("[清单, 办法", "[清单, 办法]"), "utf-8")
    alone = run_cli("check", ".", cwd=project)
    errors = re.findall(r"^(\S+:\d+:\d+): error\[(\w+)\]", alone.stderr, re.M)
    # The E701 and E311 lines move down by one: the node got its id line.
    assert errors == [("办法.yaml:19:9", "E701"), ("办法.yaml:30:20", "E311")], alone.stderr
