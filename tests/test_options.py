"""--strict, --format json, per-code levels in qingdan.yaml, and qingdan fmt."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

CONFIG = "unit:\n  name: 清河县粮食局\n  short: 局\n  body: 党委\n"
SOURCE = """\
# 注释要保留
kind: list
title: 责任清单   # 行尾注释也要保留
roles:
  committee:
    items:
      - id: a
        text: 牢牢掌握领导权,管理权(话语权);坚持{{ unit.name }}:正确方向.1.5倍
      - id: b
        text: "双引号中的文字,也要改。"
      - id: c
        text: >-
          折叠的文字,
          第二行(也是)
"""


def project(tmp_path: Path, config: str = CONFIG, source: str = SOURCE) -> Path:
    root = tmp_path / "p"
    root.mkdir()
    (root / "qingdan.yaml").write_text(config, "utf-8")
    (root / "清单.yaml").write_text(source, "utf-8")
    return root


def test_warnings_pass_but_fail_under_strict_after_a_full_run(tmp_path):
    root = project(tmp_path)
    out = tmp_path / "out"
    assert run_cli("build", str(root), "-o", str(out)).exit_code == 0
    [docx] = out.glob("*.docx")
    docx.unlink()
    strict = run_cli("build", str(root), "-o", str(out), "--strict")
    assert strict.exit_code == 1
    assert strict.stderr.count("warning[W901]") == 4  # three, then the count of the rest
    assert "还有 6 处中文中的半角标点" in strict.stderr and "9 个警告" in strict.stderr
    assert "--strict 下有 9 个警告，未生成任何文件" in strict.stderr
    assert not list(out.glob("*.docx"))


def test_json_format_for_tools(tmp_path):
    root = project(tmp_path)
    result = run_cli("check", str(root), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {d["code"] for d in data} == {"W901"}
    first = data[0]
    assert first["severity"] == "warning"
    assert first["location"]["line"] == 8 and first["location"]["path"].endswith("清单.yaml")
    assert first["hint"] == "运行 qingdan fmt 可自动改正"
    broken = run_cli("check", str(tmp_path / "missing"), "--format", "json")
    assert broken.exit_code == 1
    assert json.loads(broken.stdout)[0]["code"] == "E401"


def test_levels_per_code_in_the_project_config(tmp_path):
    off = project(tmp_path, CONFIG + "diagnostics:\n  W901: off\n")
    result = run_cli("check", str(off))
    assert result.exit_code == 0 and "W901" not in result.stderr
    (off / "qingdan.yaml").write_text(CONFIG + "diagnostics:\n  W901: error\n", "utf-8")
    result = run_cli("check", str(off))
    assert result.exit_code == 1 and "error[W901]" in result.stderr
    (off / "qingdan.yaml").write_text(CONFIG + "diagnostics:\n  E301: off\n  W909: off\n",
                                      "utf-8")
    result = run_cli("check", str(off))
    assert result.exit_code == 1
    assert "qingdan.yaml:6:9: error[E204]: diagnostics：错误 E301 不能设为 off" in result.stderr
    assert "qingdan.yaml:7:3: error[E204]: diagnostics：没有代码为 W909 的诊断" in result.stderr


def test_fmt_fixes_punctuation_and_keeps_everything_else(tmp_path):
    root = project(tmp_path)
    check = run_cli("fmt", str(root), "--check")
    assert check.exit_code == 1 and "需改正" in check.stdout and "（9 处）" in check.stdout
    assert (root / "清单.yaml").read_text("utf-8") == SOURCE  # --check changes nothing
    result = run_cli("fmt", str(root))
    assert result.exit_code == 0 and "已改正" in result.stdout
    expected = (SOURCE.replace("领导权,管理权(话语权);坚持{{ unit.name }}:正确方向.1.5倍",
                               "领导权，管理权（话语权）；坚持{{ unit.name }}：正确方向.1.5倍")
                .replace("双引号中的文字,也要改。", "双引号中的文字，也要改。")
                .replace("折叠的文字,\n", "折叠的文字，\n").replace("第二行(也是)", "第二行（也是）"))
    assert (root / "清单.yaml").read_text("utf-8") == expected
    again = run_cli("fmt", str(root), "--check")
    assert again.exit_code == 0 and "无需改正" in again.stdout
    assert run_cli("check", str(root), "--strict").exit_code == 0


def test_fmt_reports_broken_sources_instead_of_touching_them(tmp_path):
    root = project(tmp_path, source=SOURCE.replace("kind: list", "kind: [list"))
    before = (root / "清单.yaml").read_bytes()
    result = run_cli("fmt", str(root))
    assert result.exit_code == 1 and "error[E101]" in result.stderr
    assert (root / "清单.yaml").read_bytes() == before


def test_fmt_fixes_a_half_width_colon_that_breaks_the_yaml(tmp_path):
    """'要求: 每年' reads as a YAML key; check says so in Chinese and fmt writes '：'."""
    source = SOURCE.replace("text: \"双引号中的文字,也要改。\"", "text: 要求: 每年两次,每次一天。")
    root = project(tmp_path, source=source)
    broken = run_cli("check", str(root))
    assert broken.exit_code == 1
    assert "半角冒号“:”应为全角“：”（运行 qingdan fmt 可自动改正）" in broken.stderr
    fixed = run_cli("fmt", str(root))
    assert fixed.exit_code == 0, fixed.output
    text = (root / "清单.yaml").read_text("utf-8")
    assert "text: 要求：每年两次，每次一天。" in text
    assert "# 注释要保留" in text and "# 行尾注释也要保留" in text
    assert run_cli("check", str(root)).exit_code == 0


def test_fmt_keeps_a_comment_after_the_colon_it_fixes(tmp_path):
    """'加强要求: # 注释': the colon goes full-width, the comment stays a comment."""
    source = SOURCE.replace("text: \"双引号中的文字,也要改。\"", "text: 加强要求: # 注释")
    root = project(tmp_path, source=source)
    assert run_cli("fmt", str(root)).exit_code == 0
    assert "text: 加强要求： # 注释" in (root / "清单.yaml").read_text("utf-8")


def test_fmt_on_nesting_past_the_parser_is_a_diagnostic(tmp_path):
    source = SOURCE.replace("text: \"双引号中的文字,也要改。\"",
                            "text: " + "[" * 500 + "]" * 500)
    root = project(tmp_path, source=source)
    result = run_cli("fmt", str(root))
    assert result.exit_code == 1 and "E106" in result.stderr


def test_fmt_leaves_a_key_indented_too_far(tmp_path):
    """A key one space too deep ('       主送: …') also breaks on its ': '; writing '：' would
    join it silently to the value above (probe): check says to look at the indentation,
    fmt changes nothing."""
    config = CONFIG + "vars:\n  发文字号: 清粮党发〔2024〕3号\n   主送: 局属各党支部\n"
    root = project(tmp_path)
    (root / "qingdan.yaml").write_text(config, "utf-8")
    broken = run_cli("check", str(root))
    assert broken.exit_code == 1 and "检查它的缩进" in broken.stderr
    assert run_cli("fmt", str(root)).exit_code == 1
    assert (root / "qingdan.yaml").read_text("utf-8") == config


def test_any_organ_type_is_accepted_and_known_ones_get_headings(tmp_path):
    for body, heading in (("区委", "一、局区委主体责任清单"), ("机关党委", "一、局机关党委主体责任清单")):
        root = tmp_path / body
        root.mkdir()
        (root / "qingdan.yaml").write_text(CONFIG.replace("body: 党委", f"body: {body}"), "utf-8")
        (root / "清单.yaml").write_text(SOURCE.replace(",", "，").replace("(", "（").replace(
            ")", "）").replace(";", "；").replace(":", "：", 0), "utf-8")
        out = tmp_path / f"out-{body}"
        result = run_cli("build", str(root), "-o", str(out))
        assert result.exit_code == 0, result.output
        import docx

        [document] = out.glob("*.docx")
        assert heading in [p.text for p in docx.Document(str(document)).paragraphs]


def test_fmt_finishes_in_one_run_and_drops_the_space_a_full_width_mark_brings(tmp_path):
    """'(测试),' : the ',' touches Chinese text only once ')' is '）'; fmt goes on until
    nothing is left, and a space between a fixed mark and Chinese text goes."""
    source = SOURCE.replace('text: "双引号中的文字,也要改。"',
                            'text: "坚持正确导向(测试), 好; 导向 (二)"')
    root = project(tmp_path, source=source)
    result = run_cli("fmt", str(root))
    assert result.exit_code == 0, result.output
    text = (root / "清单.yaml").read_text("utf-8")
    assert 'text: "坚持正确导向（测试），好；导向（二）"' in text
    again = run_cli("fmt", str(root), "--check")
    assert again.exit_code == 0 and "无需改正" in again.stdout
    assert "W901" not in run_cli("check", str(root)).stderr
