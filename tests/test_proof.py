"""qingdan proof: the printed page checked like the source.

Fixtures made to fail are the diagnostics corpus's own cases: a notice whose signature
lands alone on a page (E956), a line overfull with a long Latin word (E953), and a
character dropped by a template that hides it (E951). Each must be reported with its code,
at the source text that produced it, naming the page.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLE, office_missing, run_cli
from test_cases import CASES, materialise

needs_office = pytest.mark.skipif(office_missing() is not None, reason=str(office_missing()))


def proof(project: Path) -> tuple[int, list[dict]]:
    result = run_cli("proof", ".", "--format", "json", cwd=project)
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> dict[str, tuple[int, list[dict]]]:
    root = tmp_path_factory.mktemp("proof")
    names = ["E951-dropped-character", "E953-line-over-28", "E956-signature-alone"]
    return {name.split("-")[0]: proof(materialise(CASES / name, root)) for name in names}


def only(found: list[dict], code: str) -> list[dict]:
    return [d for d in found if d["code"] == code]


@needs_office
def test_proof_on_the_example_passes():
    result = run_cli("proof")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("校对通过：20 份文档")


@needs_office
def test_a_signature_alone_on_its_page(cases):
    code, found = cases["E956"]
    assert code == 1
    [signature] = only(found, "E956")
    assert signature["severity"] == "error"
    assert signature["location"] == {"path": "印发通知.yaml", "line": 11, "column": 12}
    assert "印在第 2 页" in signature["message"] and "没有正文" in signature["message"]


@needs_office
def test_a_line_overfull_with_a_long_latin_word(cases):
    code, found = cases["E953"]
    assert code == 1
    [line] = found
    assert line["code"] == "E953"
    # Located at the first character of the printed line: the word, inside the item's text.
    assert line["location"] == {"path": "清单.yaml", "line": 8, "column": 21}
    assert line["message"].startswith("第 1 页“illiterate")


@needs_office
def test_a_character_hidden_by_the_template(cases):
    code, found = cases["E951"]
    assert code == 1
    labels = only(found, "E951")
    assert [d["location"]["line"] for d in labels] == [8, 10]  # each item's text
    assert ["少印了“1.”" in labels[0]["message"], "少印了“2.”" in labels[1]["message"]] == [True] * 2
    assert all("第 1 页" in d["message"] for d in labels)


@needs_office
def test_proof_writes_nothing(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("qingdan.yaml", "意识形态工作责任清单.yaml"):
        (project / name).write_bytes((EXAMPLE / name).read_bytes())
    before = {p: p.read_bytes() for p in project.iterdir()}
    result = run_cli("proof", str(project))
    assert result.exit_code == 0, result.stderr
    assert "校对通过：1 份文档" in result.stdout
    assert {p: p.read_bytes() for p in project.iterdir()} == before
    assert not (tmp_path / "output").exists() and not (project / "output").exists()


@needs_office
def test_an_organ_mark_that_reads_like_the_signature(tmp_path):
    """The mark at the top of page 1 may be the organ's name, as the signature is: the
    signature is the one the date follows."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("qingdan.yaml", "意识形态工作责任清单.yaml"):
        (project / name).write_bytes((EXAMPLE / name).read_bytes())
    (project / "通知.yaml").write_text(
        "kind: notice\nmark: 中共清河县粮食局委员会\nnumber: 清粮党发〔2024〕3号\n"
        "recipients: 机关各科室党支部\nbody: |\n  现将{{ attachments }}印发给你们，请认真贯彻落实。\n"
        "attachments: [意识形态工作责任清单]\nsignature: 中共清河县粮食局委员会\n"
        "date: 2024-03-15\n", "utf-8")
    code, found = proof(project)
    assert not only(found, "E956"), found
    assert code == 0, found
