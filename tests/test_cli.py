"""The command as a user meets it: help, defaults, exit codes, and no traceback ever."""

from __future__ import annotations

import re
import shutil
import string

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE, REPO, run_cli
from qingdan.diagnostics import CODES


def test_help_is_chinese():
    result = run_cli("--help")
    assert result.exit_code == 0
    assert "把 YAML 源文件编译成" in result.output
    assert "退出码" in result.output
    assert result.output.startswith("用法：qingdan") and "选项：" in result.output
    assert "命令：" in result.output and "显示本帮助并退出" in result.output
    for command in ("check", "build", "fmt", "report", "diff", "proof"):
        help_text = run_cli(command, "--help")
        assert help_text.exit_code == 0
        assert "显示本帮助并退出" in help_text.output and "Show this message" not in help_text.output


# click's own English: its messages, headings and type names (click/*.py, the _() texts).
CLICK_WORDS = {
    "Usage", "Options", "Commands", "Arguments", "Positional", "Show", "message", "version",
    "Error", "Try", "help", "No", "such", "option", "command", "Missing", "argument",
    "parameter", "Invalid", "value", "does", "not", "exist", "directory", "file", "Got",
    "unexpected", "extra", "requires", "take", "Did", "you", "mean", "one", "valid",
    "integer", "range", "default", "required", "env", "var", "Aborted", "Choose", "from",
    "readable", "writable", "dynamic", "deprecated", "File", "Directory", "Path", "Option",
    "TEXT", "INTEGER", "RANGE", "DIRECTORY", "FILE", "FILENAME", "FLOAT", "BOOLEAN", "OPTIONS",
    "COMMAND", "ARGS", "was", "were", "given", "values",
}
HAN = "\u4e00-\u9fff"
MARKS = "，。；：、？！（）《》“”‘’〔〕【】…"
STRAY_SPACE = re.compile(rf"[{HAN}] [{HAN}]|[{MARKS}] | [{MARKS}]")


def commands() -> list[str]:
    from qingdan.cli import main

    return sorted(main.commands)


def english(output: str) -> set[str]:
    """click's English words in output, option names (--help) aside."""
    text = re.sub(r"(?<![\w-])--?[\w-]+", " ", output)
    return set(re.findall(r"[A-Za-z]+", text)) & CLICK_WORDS


def stray_spaces(output: str) -> list[str]:
    """Spaces between Chinese characters or beside Chinese punctuation, within a column
    (a run of two or more spaces is layout: indents and the gap between columns)."""
    return [piece for line in output.splitlines() for piece in re.split(r" {2,}", line)
            if STRAY_SPACE.search(piece)]


@pytest.mark.parametrize("command", ["", *commands()])
def test_help_is_chinese_and_without_stray_spaces(command):
    result = run_cli(*filter(None, [command, "--help"]))
    assert result.exit_code == 0
    assert english(result.output) == set(), result.output
    assert stray_spaces(result.output) == [], result.output
    assert result.output.startswith(f"用法：qingdan {command}".rstrip())
    assert "选项：" in result.output and "显示本帮助并退出" in result.output


@pytest.mark.parametrize("command", ["", *commands()])
def test_usage_errors_are_chinese(command):
    """A wrong option, a missing argument, a wrong value, an extra argument: each said in
    Chinese with the usage line and where to find help, exit code 2."""
    from qingdan.cli import main

    params = {p.name: p for p in main.commands[command].params} if command else {}
    cases = [["--no-such-option"], ["--strct"] if "strict" in params else ["--no-such"]]
    if command == "":
        cases += [["bulid"]]
    needed = [p for p in params.values() if isinstance(p, click.Argument) and p.required]
    if needed:
        cases.append([])  # a missing argument
    optional = [p for p in params.values() if isinstance(p, click.Argument) and p.nargs == 1]
    if optional and not needed:
        cases.append(["a", "b", "c"])  # one too many
    for param in params.values():
        if isinstance(param, click.Option) and not param.is_flag:
            cases.append([param.opts[-1]])  # no value after it
            if isinstance(param.type, (click.Choice, click.IntRange)):
                cases.append([param.opts[-1], "xml"])
        elif isinstance(param, click.Option) and param.is_flag:
            cases.append([f"{param.opts[-1]}=1"])
    if command == "new-year":
        cases += [["1900"], ["abc"]]
    for args in cases:
        result = run_cli(*filter(None, [command, *args]))
        assert result.exit_code == 2, (args, result.output)
        assert english(result.output) == set(), (args, result.output)
        lines = result.stderr.splitlines()
        assert lines[0].startswith("用法：qingdan"), (args, result.stderr)
        assert lines[1] == f"查看帮助：qingdan{' ' + command if command else ''} --help"
        assert lines[-1].startswith("错误：") and "Error" not in result.stderr, result.stderr


def test_usage_error_messages_read_well():
    cases = {
        ("bulid",): "错误：没有命令 bulid。是不是要写 build？",
        ("build", "--strct"): "错误：没有选项 --strct。是不是要写 --strict？",
        ("new-year",): "错误：缺少参数 YEAR。",
        ("new-year", "1900"): "错误：YEAR 的值不对：1900 不在 1949～2999 的范围内。",
        ("check", "--format", "xml"): "错误：--format 的值不对：“xml”不是可选的值（可选：text、json）。",
        ("serve", "--port"): "错误：选项 --port 后面要写一个值。",
        ("diff", "--table=1"): "错误：选项 --table 不带值。",
        ("build", "a", "b"): "错误：多余的参数：b。",
        ("score",): "错误：缺少参数 WORKBOOKS。",
        ("report", "-o", "/"): "错误：-o / --output 的值不对：“/”是文件夹，这里要写文件。",
    }
    for args, said in cases.items():
        result = run_cli(*args)
        assert result.exit_code == 2 and result.stderr.splitlines()[-1] == said, result.stderr


def test_many_files_are_counted_without_a_count_of_none():
    from qingdan.cli.cmd_build import counted

    assert counted(0, 30, "PDF") == "30 份 PDF 都没有变化。"
    assert counted(30, 30, "PDF") == "已生成 30 份 PDF。"
    assert counted(3, 30, "文档") == "已生成 3 份文档，27 份未变化。"


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


def test_every_code_is_documented_in_the_code_table():
    """The user guide's code table (linked from the README) has a row for every code."""
    table = (REPO / "docs" / "检查代码表.md").read_text("utf-8")
    for code, meaning in CODES.items():
        assert f"| {code} | {meaning} |" in table, code


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
