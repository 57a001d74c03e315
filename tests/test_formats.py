"""Format versions (issue 25): a project written for an older format is told, at each place,
what prints differently now, and `qingdan upgrade` writes the line that keeps the old output
(or only the format, to adopt the new), keeping the files' comments and layout."""

from __future__ import annotations

import errno
import re
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE, REPO, run_cli
from docxread import paragraphs
from qingdan.write import staging

SAMPLES = REPO.parent / "shared" / "samples"
if not SAMPLES.is_dir():
    SAMPLES = Path("/work/shared/samples")
SAMPLE_000 = next(SAMPLES.glob("000_*.txt"))

MEASURES = "意识形态工作责任制考核办法"
FORMAT_LINE = "format: 2                 # 格式版本：按 qingdan 的第 2 版格式书写（见 docs/源文件写法.md“格式版本”）\n"
DIAGNOSTIC = re.compile(r"^(\S+): (?:error|warning)\[(\w+)\]", re.M)


def written_for_format_1(tmp_path: Path) -> Path:
    """The example as a project written before format 2: no format line."""
    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("考核评分"))
    config = project / "qingdan.yaml"
    text = config.read_text("utf-8")
    assert FORMAT_LINE in text
    config.write_text(text.replace(FORMAT_LINE, ""), "utf-8")
    return project


def measures_paragraphs(project: Path, out: Path) -> list[tuple[str, str]]:
    result = run_cli("build", str(project), "-o", str(out))
    assert result.exit_code == 0, result.output
    [docx] = out.glob(f"*{MEASURES}.docx")
    return [(p.style, p.text) for p in paragraphs(docx)]


def test_the_example_written_for_format_1_is_told_where_its_headings_changed(tmp_path: Path):
    project = written_for_format_1(tmp_path)
    result = run_cli("check", ".", cwd=project)
    assert result.exit_code == 0
    assert DIAGNOSTIC.findall(result.stderr) == [(f"{MEASURES}.yaml:38:18", "W905")]
    assert "（本文件 8 处）" in result.stderr
    assert "在本文件中写 headings: {2: line}；要采用新排法，在 qingdan.yaml 中写 format: 2" \
        in result.stderr
    places = re.search(r"也影响：(.*)", result.stderr).group(1).split("、")
    assert places[0] == f"{MEASURES}.yaml:44:18" and len(places) == 7
    # The warning is all that changes: the document prints as format 2 says, run in.
    printed = measures_paragraphs(project, tmp_path / "out")
    assert ("Normal", "（二）书记履行第一责任人职责（20分）。带头抓意识形态工作，及时处置重大问题，"
            "每年向县委专题汇报。") in printed


def test_upgrade_keeps_the_old_output_and_changes_only_its_lines(tmp_path: Path):
    project = written_for_format_1(tmp_path)
    before = {p.name: p.read_text("utf-8") for p in project.glob("*.yaml")}
    result = run_cli("upgrade", ".", cwd=project)
    assert result.exit_code == 0, result.output
    assert "已从格式 1 升级到格式 2" in result.output
    assert f"{MEASURES}.yaml：headings: {{2: line}}" in result.output
    after = {p.name: p.read_text("utf-8") for p in project.glob("*.yaml")}
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"qingdan.yaml", f"{MEASURES}.yaml"}
    for name in changed:  # only lines added: every comment, quote and indent as it was
        old, new = before[name].splitlines(), after[name].splitlines()
        added = [line for line in new if line not in old]
        assert [line for line in new if line not in added] == old
        assert len(added) == 1
    assert after["qingdan.yaml"].splitlines()[2].startswith("format: 2 ")
    assert "\nnumbering: outline\nheadings: {2: line}" in after[f"{MEASURES}.yaml"]
    check = run_cli("check", ".", cwd=project)
    assert check.exit_code == 0 and "W905" not in check.stderr
    printed = measures_paragraphs(project, tmp_path / "out")
    at = printed.index(("二级标题", "（二）书记履行第一责任人职责（20分）"))
    assert printed[at + 1] == ("Normal", "带头抓意识形态工作，及时处置重大问题，每年向县委专题汇报。")
    again = run_cli("upgrade", ".", cwd=project)
    assert again.exit_code == 0 and "项目已是格式 2，无需升级" in again.output


def test_upgrade_adopt_writes_only_the_format(tmp_path: Path):
    project = written_for_format_1(tmp_path)
    measures = (project / f"{MEASURES}.yaml").read_text("utf-8")
    result = run_cli("upgrade", ".", "--adopt", cwd=project)
    assert result.exit_code == 0, result.output
    assert (project / f"{MEASURES}.yaml").read_text("utf-8") == measures
    assert "format: 2" in (project / "qingdan.yaml").read_text("utf-8")
    assert "W905" not in run_cli("check", ".", cwd=project).stderr


@pytest.mark.parametrize("written, expected", [
    ("headings:\n  1: line   # 一级\n", "headings:\n  2: line\n  1: line   # 一级\n"),
    ("headings: {1: line}\n", "headings: {2: line, 1: line}\n"),
    ("headings: {}\n", "headings: {2: line}\n"),
])
def test_upgrade_adds_to_headings_as_they_are_written(tmp_path: Path, written: str,
                                                       expected: str):
    project = tmp_path / "p"
    project.mkdir()
    (project / "qingdan.yaml").write_text("unit: {name: 清河县粮食局, body: 党委}\n", "utf-8")
    source = ("kind: measures\ntitle: 实施意见\nnumbering: outline\n" + written
              + "content:\n  - id: a\n    heading: 总体要求\n    items:\n"
                "      - {id: b, heading: 坚持方向, text: 始终如一。}\n")
    (project / "意见.yaml").write_text(source, "utf-8")
    result = run_cli("upgrade", ".", cwd=project)
    assert result.exit_code == 0, result.output
    assert (project / "意见.yaml").read_text("utf-8") == source.replace(written, expected)
    assert (project / "qingdan.yaml").read_text("utf-8").startswith("format: 2 ")


def test_upgrade_changes_nothing_while_a_source_does_not_load(tmp_path: Path):
    project = written_for_format_1(tmp_path)
    notice = project / "印发通知.yaml"
    notice.write_text(notice.read_text("utf-8") + "bad: [unclosed\n", "utf-8")
    before = {p.name: p.read_bytes() for p in project.glob("*.yaml")}
    result = run_cli("upgrade", ".", cwd=project)
    assert result.exit_code == 1
    assert DIAGNOSTIC.findall(result.stderr) == [("印发通知.yaml:21:6", "E101")]
    assert {p.name: p.read_bytes() for p in project.glob("*.yaml")} == before


def test_upgrade_that_cannot_write_changes_nothing(tmp_path: Path, monkeypatch):
    """A full disk while staging: a located E415, and no source changed."""
    project = written_for_format_1(tmp_path)
    before = {p.name: p.read_bytes() for p in project.glob("*.yaml")}
    real = staging.temporary_beside
    calls = []

    def full(path: Path, data: bytes, *args, **kwargs):
        calls.append(path)
        if len(calls) > 1:  # the first file is staged, the second finds the disk full
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, data, *args, **kwargs)

    monkeypatch.setattr(staging, "temporary_beside", full)
    result = run_cli("upgrade", ".", cwd=project)
    assert result.exit_code == 1
    assert len(calls) == 2
    assert re.search(r"error\[E415\]: 磁盘空间不足", result.stderr)
    assert {p.name: p.read_bytes() for p in project.glob("*.yaml")} == before
    assert not [p for p in project.iterdir() if p.name.endswith(".tmp")]


def test_what_writes_a_project_writes_its_format(tmp_path: Path):
    """import writes the current format; new-year makes the format it assumed explicit."""
    imported = tmp_path / "导入"
    result = run_cli("import", str(SAMPLE_000), "-o", str(imported))
    assert result.exit_code == 0, result.output
    assert (imported / "qingdan.yaml").read_text("utf-8").count("\nformat: 2\n") == 1
    old = written_for_format_1(tmp_path)
    (old / "qingdan.yaml").write_text((old / "qingdan.yaml").read_text("utf-8")
                                      + "year: 2024\n", "utf-8")
    made = run_cli("new-year", "2025", "p", "--copy", cwd=tmp_path)
    assert made.exit_code == 0, made.output
    config = (tmp_path / "p-2025" / "qingdan.yaml").read_text("utf-8")
    assert re.search(r"^format: 1 +# 格式版本", config, re.M)
    assert "W905" in run_cli("check", "p-2025", cwd=tmp_path).stderr  # still told
