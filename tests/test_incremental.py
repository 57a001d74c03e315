"""The work a build or a check can skip: the whole build when nothing changed, a unit
whose inputs did not change, every unit's rendering in a check, a second compile of a
template. Each test shows what a user sees and that the skipped work really was skipped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE, REPO, run_cli

EDITION = REPO / "checklists" / "example-2025"


def reported(output: str) -> list[str]:
    return sorted(line for line in output.splitlines() if "warning[" in line or "error[" in line)


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    """The 2025 edition: a draft, so a build reports warnings (W641, W642)."""
    project = tmp_path / "p"
    shutil.copytree(EDITION, project)
    return project


def test_a_no_op_build_parses_nothing_and_reports_the_same(edition, tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = run_cli("build", str(edition), "-o", str(out))
    assert first.exit_code == 0, first.output
    assert reported(first.output) and "W642" in first.output

    import qingdan.builder.run as build

    def refuse(path):
        raise AssertionError("a no-op build parsed the sources")

    monkeypatch.setattr(build, "prepare", refuse)
    again = run_cli("build", str(edition), "-o", str(out))
    assert again.exit_code == 0, again.output
    assert reported(again.output) == reported(first.output)
    assert "5 个单位的输入没有变化，沿用上次生成的文档。" in again.output
    strict = run_cli("build", str(edition), "-o", str(out), "--strict")
    assert strict.exit_code == 1 and reported(strict.output) == reported(first.output)


@pytest.mark.parametrize("change", ["source", "config", "template", "final", "output"])
def test_anything_a_build_depends_on_makes_it_run(edition, tmp_path, monkeypatch, change):
    out = tmp_path / "out"
    assert run_cli("build", str(edition), "-o", str(out)).exit_code == 0
    import qingdan.builder.run as build

    calls = []
    real = build.prepare
    monkeypatch.setattr(build, "prepare", lambda path: calls.append(path) or real(path))
    args = ["build", str(edition), "-o", str(out)]
    if change == "source":
        source = edition / "意识形态工作责任清单.yaml"
        source.write_text(source.read_text("utf-8") + "\n# 一行注释\n", "utf-8")
    elif change == "config":
        config = edition / "qingdan.yaml"
        config.write_text(config.read_text("utf-8") + "\n# 一行注释\n", "utf-8")
    elif change == "template":
        template = tmp_path / "list.docx"
        shutil.copy(REPO / "templates" / "responsibility-list.docx", template)
        config = edition / "qingdan.yaml"
        config.write_text(config.read_text("utf-8") + f"\ntemplates:\n  list: {template}\n",
                          "utf-8")
        assert run_cli(*args).exit_code == 0
        calls.clear()
        template.write_bytes(template.read_bytes())  # the same bytes, a new time: no change
        assert run_cli(*args).exit_code == 0 and not calls
        with open(template, "ab") as handle:
            handle.write(b"\0")  # trailing bytes after a zip's end: still a .docx
    elif change == "final":
        args.append("--final")
    else:
        next((out / "清河县储备粮库").glob("*.docx")).write_bytes(b"edited")
    result = run_cli(*args)
    assert calls, f"{change}: the build did not run"
    assert result.exit_code == (1 if change == "final" else 0), result.output


def test_the_manifest_forgets_units_no_longer_in_the_roster(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project)
    out = tmp_path / "out"
    assert run_cli("build", str(project), "-o", str(out)).exit_code == 0
    roster = project / "单位名册.yaml"
    text = roster.read_text("utf-8")
    start = text.index("  - id: chubei")
    roster.write_text(text[:start], "utf-8")
    assert run_cli("build", str(project), "-o", str(out)).exit_code == 0
    manifest = json.loads((out / ".qingdan-manifest.json").read_text("utf-8"))
    assert "清河县储备粮库" not in manifest["units"] and len(manifest["units"]) == 4


def test_a_check_renders_one_unit_and_counts_every_document(tmp_path, monkeypatch):
    import qingdan.builder.pipeline as pipeline

    rendered = []
    real = pipeline.render_project
    monkeypatch.setattr(pipeline, "render_project",
                        lambda project: rendered.append(project.unit.name) or real(project))
    result = run_cli("check", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert rendered == ["清河县粮食局"]  # the project's own unit, for the templates
    assert "检查通过：20 份文档" in result.output  # what build writes: 4 for each of 5 units
    out = tmp_path / "out"
    assert run_cli("build", str(EXAMPLE), "-o", str(out)).exit_code == 0
    assert len(list(out.rglob("*.docx"))) == 20


def test_a_check_still_finds_a_template_error_once(tmp_path):
    """Every unit fills the list template; a check renders one and reports the error once."""
    import docx

    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project)
    document = docx.Document()
    document.add_paragraph("{{ title }}")
    document.add_paragraph("{{ subtitle }}")
    document.save(str(project / "list.docx"))
    config = project / "qingdan.yaml"
    config.write_text(config.read_text("utf-8") + "\ntemplates:\n  list: list.docx\n", "utf-8")
    result = run_cli("check", str(project))
    assert result.exit_code == 1
    assert result.output.count("error[E502]") == 1
    assert "list.docx:1:1: error[E502]: Word 模板中的“subtitle”未定义" in result.output
    assert "提示：清单模板可用 title" in result.output


def test_a_check_tests_the_templates_on_a_unit_without_errors_of_its_own(tmp_path):
    """The project's own unit (rendered first) lacks a variable the notice needs; a roster
    unit renders instead, and the template error is still found."""
    import docx

    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project)
    document = docx.Document()
    document.add_paragraph("{{ subtitle }}")
    document.save(str(project / "list.docx"))
    config = project / "qingdan.yaml"
    text = config.read_text("utf-8").replace("    抄送: 县委宣传部，县委组织部\n", "")
    config.write_text(text + "\ntemplates:\n  list: list.docx\n", "utf-8")
    result = run_cli("check", str(project))
    assert result.exit_code == 1
    assert "error[E302]: 占位符中的“unit.vars.抄送”未定义（单位：清河县粮食局）" in result.output
    assert result.output.count("error[E502]") == 1


def test_each_template_is_compiled_once(tmp_path, monkeypatch):
    import qingdan.render.engine as engine

    made = []
    real = engine.CompiledTemplate.__init__

    def counting(self, path):
        made.append(path)
        real(self, path)

    monkeypatch.setattr(engine.CompiledTemplate, "__init__", counting)
    engine._CACHE.clear()
    out = tmp_path / "out"
    assert run_cli("build", str(EXAMPLE), "-o", str(out)).exit_code == 0
    assert made and len(made) == len(set(made))
