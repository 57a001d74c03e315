"""The command as a user meets it: help, defaults, exit codes, and no traceback ever."""

from __future__ import annotations

import shutil
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE, REPO, run_cli
from qingdan.diagnostics import CODES


def test_help_is_chinese():
    result = run_cli("--help")
    assert result.exit_code == 0
    assert "把 YAML 源文件编译成" in result.output
    assert "退出码" in result.output
    assert result.output.startswith("用法：qingdan") and "选项:" in result.output
    assert "命令:" in result.output and "显示本帮助并退出" in result.output
    for command in ("check", "build", "fmt", "report", "diff", "proof"):
        help_text = run_cli(command, "--help")
        assert help_text.exit_code == 0
        assert "显示本帮助并退出" in help_text.output and "Show this message" not in help_text.output


def test_bad_revision_date_is_a_usage_error():
    result = run_cli("diff", "a", "b", "--date", "2024-13-01")
    assert result.exit_code == 2
    assert "不是有效日期" in result.output


def test_check_defaults_to_the_bundled_example():
    result = run_cli("check")
    assert result.exit_code == 0, result.output
    assert result.stdout == "检查通过：20 份文档，0 个警告。\n"


def test_build_accepts_a_single_source_file(tmp_path):
    result = run_cli("build", str(EXAMPLE / "意识形态工作责任清单.yaml"), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    # The rest of the folder is loaded (references resolve) but only this file is written.
    assert [p.name for p in tmp_path.glob("*.docx")] == ["清河县粮食局党委意识形态工作责任清单.docx"]
    assert "已生成" in result.stdout
    again = run_cli("build", str(EXAMPLE / "意识形态工作责任清单.yaml"), "-o", str(tmp_path))
    assert "沿用上次生成的文档" in again.stdout


def test_missing_path_is_a_diagnostic(tmp_path):
    result = run_cli("check", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert "error[E401]" in result.stderr


def test_a_failed_build_leaves_earlier_output_untouched(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project)
    out = tmp_path / "out"
    assert run_cli("build", str(project), "-o", str(out)).exit_code == 0

    def snapshot() -> dict[str, tuple[bytes, int]]:
        return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.glob("*.docx")}

    before = snapshot()
    assert len(before) == 4

    source = project / "意识形态工作责任清单.yaml"
    source.write_text(source.read_text("utf-8").replace("{{ unit.superior }}", "{{ unit.sup }}"),
                      "utf-8")
    result = run_cli("build", str(project), "-o", str(out))
    assert result.exit_code == 1
    assert "error[E302]" in result.stderr and "未生成任何文件" in result.stderr
    assert snapshot() == before


def test_sources_are_never_rewritten(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project)
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    run_cli("build", str(project), "-o", str(tmp_path / "out"))
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def test_every_code_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text("utf-8")
    for code, meaning in CODES.items():
        assert f"| {code} | {meaning} |" in readme, code


yaml_ish = st.text(alphabet=string.printable + "：，。“”{}%-[]:&*!|>'\"\t中文清单", max_size=200)


FUZZ = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture]}


@settings(max_examples=150, **FUZZ)
@given(text=yaml_ish)
def test_any_source_text_gives_diagnostics_not_a_traceback(text, tmp_path_factory):
    project = tmp_path_factory.mktemp("fuzz")
    shutil.copy(EXAMPLE / "qingdan.yaml", project / "qingdan.yaml")
    (project / "清单.yaml").write_text("kind: list\n" + text, "utf-8")
    result = run_cli("check", str(project))
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert "error[E" in result.stderr


@settings(max_examples=80, **FUZZ)
@given(text=yaml_ish)
def test_any_roster_text_gives_diagnostics_not_a_traceback(text, tmp_path_factory):
    project = tmp_path_factory.mktemp("fuzz")
    shutil.copy(EXAMPLE / "qingdan.yaml", project / "qingdan.yaml")
    shutil.copy(EXAMPLE / "意识形态工作责任清单.yaml", project / "清单.yaml")
    (project / "名册.yaml").write_text("kind: roster\nunits:\n  - id: a\n    name: 甲\n"
                                      "    body: 党支部\n" + text, "utf-8")
    result = run_cli("check", str(project))
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert "error[E" in result.stderr


@settings(max_examples=60, **FUZZ)
@given(text=st.text(max_size=80))
def test_any_item_text_gives_diagnostics_not_a_traceback(text, tmp_path_factory):
    project = tmp_path_factory.mktemp("fuzz")
    shutil.copy(EXAMPLE / "qingdan.yaml", project / "qingdan.yaml")
    import json

    body = ("kind: list\ntitle: 清单\nroles:\n  committee:\n    items:\n      - id: a\n"
            f"        text: {json.dumps(text, ensure_ascii=False)}\n")
    (project / "清单.yaml").write_text(body, "utf-8")
    result = run_cli("check", str(project))
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert "error[E" in result.stderr
