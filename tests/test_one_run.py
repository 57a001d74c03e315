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
