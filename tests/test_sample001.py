"""Sample 001's first assessment measures, transcribed as published and then fixed."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, run_cli

FIXTURE = REPO / "tests" / "fixtures" / "sample001"
SOURCE = "乡党建工作责任制考核办法.yaml"


def test_as_published_the_weight_mismatch_and_band_gaps_are_reported(tmp_path):
    project = tmp_path / "sample001"
    shutil.copytree(FIXTURE, project)
    result = run_cli("check", ".", cwd=project)
    assert result.exit_code == 1
    lines = [ln for ln in result.stderr.splitlines() if "error[" in ln]
    text = (project / SOURCE).read_text("utf-8").splitlines()
    found = {}
    for line in lines:
        where, rest = line.split(": error[", 1)
        file, row, _col = where.rsplit(":", 2)
        assert file == SOURCE
        found.setdefault(rest[:4], []).append(text[int(row) - 1].strip())
    assert found["E702"] == ["- id: mubiao"]  # the weights: 60 + 30 + 20 = 110
    assert "110%" in result.stderr
    # The formula line, where 述职评议 is given 10% against the 20% of the measures.
    assert found["E703"] == [next(t.strip() for t in text if t.strip().startswith("formula:"))]
    assert "公式中“述职评议”的权重为 10%，而 components 中为 20%" in result.stderr
    assert found["E704"] == ["- name: 良好", "- name: 一般", "- name: 较差"]
    assert "89.5 分不属于任何等次" in result.stderr


def fixed(project: Path) -> None:
    path = project / SOURCE
    text = path.read_text("utf-8")
    text = text.replace("      weight: 20\n", "      weight: 10\n")
    text = text.replace("      max: 89\n", "      below: 90\n").replace(
        "      max: 79\n", "      below: 80\n").replace("      max: 69\n", "      below: 70\n")
    path.write_text(text, "utf-8")


def test_fixed_it_passes_and_states_the_numbers_once(tmp_path):
    project = tmp_path / "sample001"
    shutil.copytree(FIXTURE, project)
    fixed(project)
    result = run_cli("build", ".", "-o", "out", cwd=project)
    assert result.exit_code == 0, result.output
    from docxread import paragraphs

    texts = [p.text for p in paragraphs(project / "out" / "乡党建工作责任制考核办法.docx")]
    body = "\n".join(texts)
    assert "述职评议得分占考核综合成绩的10%。" in body
    assert "目标考核得分×60%+民主测评得分×30%+述职评议得分×10%" in body
    assert ("考核得分90分以上为“优秀”，80分以上不满90分为“良好”，70分以上不满80分为“一般”，"
            "不满70分为“较差”。") in body
