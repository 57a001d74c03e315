"""qingdan proof: the printed page checked like the source.

Fixtures made to fail are the diagnostics corpus's own cases: a notice whose signature
lands alone on a page (E956), a line overfull with a long Latin word (E953), and a
character dropped by a template that hides it (E951). Each must be reported with its code,
at the source text that produced it, naming the page.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest

from conftest import EXAMPLE, REPO, office_missing, run_cli
from pdfmeasure import lines
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
    # Nothing to warn of either: each notice's text ends on page 9, so its end block
    # stands on page 10, the back of the last sheet (W959 before).
    assert result.stdout.startswith("校对通过：20 份文档，共 92 页，0 个警告。"), result.output


@needs_office
def test_proof_on_the_2025_edition_warns_only_of_its_pending_values():
    """example-2025 is a draft edition: its 待定 number and date are warned of (W641,
    W642) by design; the pages themselves (a work notice whose flow qingdan tightens in
    pitch and character spacing, its end block after a blank page) have nothing."""
    code, found = proof(REPO / "checklists" / "example-2025")
    assert code == 0, found
    assert found and {d["code"] for d in found} <= {"W641", "W642"}, found


def duplex_project(root: Path, sides: str | None) -> Path:
    """The W959 case (a notice of one page, two attachments of one page each) with the
    bundled templates, printed on both sides or, when sides says so, on one."""
    project = root / (sides or "duplex")
    shutil.copytree(CASES / "W959-end-block-odd-page", project)
    config = (project / "qingdan.yaml").read_text("utf-8")
    config = (config.split("templates:")[0] + "printing:\n  fonts: open\n"
              + (f"  sides: {sides}\n" if sides else ""))
    (project / "qingdan.yaml").write_text(config, "utf-8")
    return project


@needs_office
def test_duplex_puts_the_end_block_on_the_back_of_the_last_sheet(tmp_path):
    duplex = duplex_project(tmp_path, None)
    simplex = duplex_project(tmp_path, "simplex")
    for project in (duplex, simplex):
        code, found = proof(project)
        assert code == 0 and not found, found  # no W959 for either
        assert run_cli("build", str(project), "-o", str(project / "out"), "--pdf").exit_code == 0
    [two] = (duplex / "out").glob("关于*.pdf")
    [one] = (simplex / "out").glob("关于*.pdf")
    pages, found = lines(two)
    # Printed on both sides: the text ends on page 3, the end block stands alone on page 4,
    # numbered, as any page after text is.
    assert pages == 4 and {ln.page for ln in found if "日印发" in ln.text.replace(" ", "")} == {4}
    assert any(ln.text.replace(" ", "") == "—4—" for ln in found)
    assert len(docx.Document(str(two.with_suffix(".docx"))).sections) == 2
    pages, found = lines(one)
    # On one side: at the foot of page 3, in the document's one section, as before.
    assert pages == 3 and {ln.page for ln in found if "日印发" in ln.text.replace(" ", "")} == {3}
    assert len(docx.Document(str(one.with_suffix(".docx"))).sections) == 1


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


def test_neither_a_blank_page_nor_the_end_block_after_it_is_numbered():
    """GB/T 9704-2012 7.5: when a blank page comes before the 版记's page, neither carries
    a page number. Pages as pdftotext would give them: text on 1, 2 and 4, none on 3."""
    from qingdan.diagnostics import Location
    from qingdan.proof.checks import Printed, check
    from qingdan.proof.docx import Paragraph
    from qingdan.proof.locate import Locator
    from qingdan.proof.pages import Line

    mm = 72 / 25.4
    left, right = 28 * mm, (210 - 26) * mm

    def number(page: int) -> Line:
        x0 = right - 14 - 40 if page % 2 else left + 14
        return Line(page, f"— {page} —", x0, 760.5, x0 + 40, 774.5)

    def page_of(page: int, numbered: bool) -> list[Line]:
        text = [Line(page, f"正文{page}", left + 32, 113, left + 96, 133)] if page != 3 else []
        return text + ([number(page)] if numbered else [])

    paragraphs = [Paragraph(f"正文{page}", "", False) for page in (1, 2, 4)]

    def found(numbered: set[int]) -> list[str]:
        printed = Printed("通知.pdf", paragraphs, [], [(595.3, 841.9)] * 4,
                          [ln for page in (1, 2, 3, 4) for ln in page_of(page, page in numbered)],
                          Locator(None, Location("通知.yaml")))
        return [d.message for d in check(printed)]

    assert found({1, 2}) == []
    assert found({1, 2, 3, 4}) == ["第 3 页是空白页，却印有页码（通知.pdf）",
                                   "第 4 页（版记页）前是空白页，却印有页码（通知.pdf）"]
    assert found({1}) == ["第 2 页没有页码（通知.pdf）"]
