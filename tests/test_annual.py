"""The annual cycle: new-year on a git project and on a plain folder, the previous edition
as diff's default, drafts (blanks, the marker, --final), the yearly work notice and its
schedule, and how LibreOffice lays out a draft and a work notice."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import docx
import pytest

from conftest import EXAMPLE, REPO, run_cli
from docxread import paragraphs, printed_text
from pdfmeasure import BOTTOM, LEFT, RIGHT, TOP, lines, to_pdfs
from qingdan.layout.grid import Line, paginate
from qingdan.layout.notice import END_BLOCK_PT
from qingdan.load.source import load_file
from qingdan.words import dates
from qingdan.words.numbering import date as chinese_date
from test_page_fidelity import FIRST, LONG, THREE, notice_project, pdf_text, tightened
from test_pdf_layout import needs_office

EDITION = REPO / "checklists" / "example-2025"
# What was written by hand after `qingdan new-year 2025 checklists/example --copy`.
HAND_EDITED = {"意识形态工作责任清单.yaml", "意识形态工作责任制考核办法.yaml", "年度考核工作通知.yaml"}
BLANK_DATE = "　　年　　月　　日"
GIT = ["git", "-c", "user.name=qingdan", "-c", "user.email=qingdan@invalid"]


def git(repo: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True,
                          text=True).stdout


def ids(folder: Path) -> dict[str, list[str]]:
    """Every id in every source of a folder, in order."""
    found = {}
    for file in sorted(folder.glob("*.yaml")):
        found[file.name] = re.findall(r"^\s*-?\s*id: (\S+)", file.read_text("utf-8"), re.M)
    return found


def test_new_year_on_a_folder_makes_the_committed_2025_edition(tmp_path: Path):
    """The bundled 2025 edition is new-year's copy of the 2024 one plus the hand edits."""
    shutil.copytree(EXAMPLE, tmp_path / "example")
    result = run_cli("new-year", "2025", "example", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    made = tmp_path / "example-2025"
    assert "已生成 2025 年度的版本：example-2025（上一版本：../example）" in result.output
    assert "未复制：考核评分/" in result.output
    assert sorted(p.name for p in made.iterdir()) == sorted(
        p.name for p in EDITION.iterdir() if p.name != "年度考核工作通知.yaml")
    for file in made.iterdir():
        if file.name not in HAND_EDITED:
            assert file.read_bytes() == (EDITION / file.name).read_bytes(), file.name
    config = (made / "qingdan.yaml").read_text("utf-8")
    assert "year: 2025" in config and "previous: ../example" in config
    assert "# 所引文件登记表" in config  # comments and layout stay
    assert "清粮党发〔2025〕待定号" in config and "清委办〔2016〕15号" in config  # cited: as was
    assert ids(made) == ids(tmp_path / "example")
    assert "date: 待定" in (made / "印发通知.yaml").read_text("utf-8")
    results = load_file(made / "考核结果通报.yaml").data
    assert (results["number"], results["date"]) == ("清粮党发〔2026〕待定号", "待定")
    again = run_cli("new-year", "2025", "example", cwd=tmp_path)
    assert again.exit_code == 1 and "E645" in again.output


def test_the_2025_edition_is_a_draft_and_final_refuses_it(tmp_path: Path):
    check = run_cli("check", str(EDITION))
    assert check.exit_code == 0
    assert check.output.count("warning[W642]") == 5  # the unit's and four roster units'
    assert check.output.count("warning[W641]") == 1
    out = tmp_path / "out"
    final = run_cli("build", str(EDITION), "--final", "-o", str(out))
    assert final.exit_code == 1 and not out.exists()
    assert "印发通知.yaml:18:7: error[E641]: 成文日期待定，--final 不允许留空" in final.output
    assert final.output.count("error[E642]") == 5
    assert "W64" not in final.output


def test_diff_without_versions_compares_with_the_previous_folder(tmp_path: Path):
    named = run_cli("diff", str(EXAMPLE), str(EDITION), "--table", "-o", str(tmp_path / "a"))
    recorded = run_cli("diff", "--table", "-o", str(tmp_path / "b"), cwd=EDITION)
    assert named.exit_code == recorded.exit_code == 0, recorded.output
    assert "[新增] yuqing" in named.output and "[删除] qita" in named.output
    assert named.output.replace(str(tmp_path / "a"), "") == recorded.output.replace(
        str(tmp_path / "b"), "")
    tables = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.docx"))
    # the list and the assessment measures (zhendi's criterion changed), for the base
    # and each of the four roster units
    assert len(tables) == 10
    assert sum("考核办法》修订对照表" in t.name for t in tables) == 5
    for table in tables:
        assert printed_text(tmp_path / "a" / table) == printed_text(tmp_path / "b" / table)


def test_new_year_in_git_tags_and_advances_in_place(tmp_path: Path):
    """In a repository: v2024 tagged, the sources advanced where they are; after the edits
    are committed, `qingdan diff` alone writes what `qingdan diff v2024 HEAD` writes."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo / "清河", ignore=shutil.ignore_patterns("考核评分"))
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "2024年版")
    first = git(repo, "rev-parse", "HEAD").strip()
    result = run_cli("new-year", "2025", "清河", cwd=repo)
    assert result.exit_code == 0, result.output
    assert "已为当前版本加上 git 标签 v2024。" in result.output
    assert git(repo, "rev-parse", "v2024^{commit}").strip() == first
    project = repo / "清河"
    config = (project / "qingdan.yaml").read_text("utf-8")
    assert "year: 2025" in config and "previous: v2024" in config
    assert ids(project) == ids(EXAMPLE)
    for name in HAND_EDITED:  # the year's revisions, as in the bundled 2025 edition
        shutil.copy(EDITION / name, project / name)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "2025年版")
    plain = run_cli("diff", "--project", "清河", "--table", "-o", "甲", cwd=repo)
    named = run_cli("diff", "v2024", "HEAD", "--project", "清河", "--table", "-o", "乙",
                    cwd=repo)
    assert plain.exit_code == named.exit_code == 0, plain.output
    assert "[新增] yuqing" in plain.output
    assert plain.output.replace("甲", "乙") == named.output
    written = sorted(p.relative_to(repo / "甲") for p in (repo / "甲").rglob("*.docx"))
    assert written and written == sorted(
        p.relative_to(repo / "乙") for p in (repo / "乙").rglob("*.docx"))
    for table in written:
        assert (repo / "甲" / table).read_bytes() == (repo / "乙" / table).read_bytes()
    with (project / "qingdan.yaml").open("a", encoding="utf-8") as config_file:
        config_file.write("# 尚未提交的改动\n")
    dirty = run_cli("new-year", "2026", "清河", cwd=repo)
    assert dirty.exit_code == 1 and "error[E646]" in dirty.output
    assert "v2025" not in git(repo, "tag")  # a failed run changes nothing
    git(repo, "checkout", "-q", "--", "清河")
    again = run_cli("new-year", "2026", "清河", cwd=repo)
    assert again.exit_code == 0 and "已为当前版本加上 git 标签 v2025。" in again.output


def test_year_placeholders_and_their_default(tmp_path: Path):
    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("考核评分", "单位名册.yaml"))
    notice = project / "印发通知.yaml"
    notice.write_text(notice.read_text("utf-8").replace(
        "请结合实际认真贯彻落实。", "请结合实际认真贯彻落实，{{ year - 1 }}年度的清单同时废止。"), "utf-8")
    out = tmp_path / "out"
    assert run_cli("build", str(project), "-o", str(out)).exit_code == 0
    [built] = out.glob("关于印发*.docx")
    assert "2023年度的清单同时废止" in printed_text(built)  # the year of the notice's date
    config = project / "qingdan.yaml"
    config.write_text("year: 2030\n" + config.read_text("utf-8"), "utf-8")
    assert run_cli("build", str(project), "-o", str(out)).exit_code == 0
    assert "2029年度的清单同时废止" in printed_text(built)


def test_pages_keep_headings_with_the_next_line_and_room_for_the_end_block():
    assert paginate([Line(28.95)] * 20) == [1] * 20
    assert paginate([Line(28.95)] * 20, reserve=END_BLOCK_PT) == [1] * 18 + [2] * 2
    heading = Line(28.95, keep_next=True)
    assert paginate([Line(28.95)] * 21 + [heading, Line(28.95)]) == [1] * 21 + [2, 2]


def test_pending_values_print_as_blanks():
    assert chinese_date("待定") == BLANK_DATE
    assert chinese_date("2025-待定") == "2025年　　月　　日"
    assert chinese_date("2025-3-待定") == "2025年3月　　日"
    with pytest.raises(ValueError):
        chinese_date("2025-13-待定")


def test_schedule_dates_read_and_print_in_chinese():
    assert dates.display("2025-12-01—2025-12-10", 2025) == "12月1日—12月10日"
    assert dates.display("2025-12-01—12-10") == "2025年12月1日—12月10日"
    assert dates.display("2025-3-1至15", 2024) == "2025年3月1日—3月15日"
    assert dates.display("2025-12-10前", 2025) == "12月10日前"
    assert dates.display("2025-12-20～2026-01-05", 2025) == "12月20日—2026年1月5日"
    for wrong in ("2025-02-29", "12-01", "2025-12-01—", "2025-12-01—12-10前", "下旬"):
        with pytest.raises(dates.DateError):
            dates.parse(wrong)


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("edition")
    result = run_cli("build", str(EDITION), "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_a_draft_notice_has_its_marker_and_blanks(edition: Path):
    [notice] = edition.glob("关于印发*.docx")
    paras = [(p.style, p.text) for p in paragraphs(notice)]
    assert paras[0] == ("版头标注", "草稿")
    assert paras[1] == ("发文机关标志", "中共清河县粮食局委员会文件")
    assert paras[4] == ("发文字号", "清粮党发〔2025〕　　号")
    assert any(text.endswith(BLANK_DATE) and text.replace("　", "") == "年月日"
               for _, text in paras)  # the date line, right of the signature
    document = docx.Document(str(notice))
    style = document.styles["版头标注"]
    assert style.font.size.pt == 16 and style.paragraph_format.alignment == 0  # 3号, left
    fonts = style.element.rPr.find(docx.oxml.ns.qn("w:rFonts"))
    assert fonts.get(docx.oxml.ns.qn("w:eastAsia")) == "黑体"
    assert BLANK_DATE + "印发" in printed_text(notice)  # the end block's print date
    # A final notice of the same project has no marker line.
    [work] = edition.glob("关于开展*.docx")
    assert paragraphs(work)[0].style == "发文机关标志"


def test_the_work_notice_lists_units_refers_to_articles_and_tabulates(edition: Path):
    [work] = edition.glob("关于开展*.docx")
    paras = [p for p in paragraphs(work)]
    headings = [p.text for p in paras if p.style == "一级标题"]
    assert headings == ["一、考核对象", "二、考核内容", "三、时间安排", "四、工作要求", "五、联系方式"]
    text = "\n".join(p.text for p in paras)
    assert ("清河县粮食局机关、清河县粮食质量监测站、清河县粮食购销总公司、清河县储备粮库，"
            "共4个单位") in text
    assert "按照考核办法第二部分规定" in text  # ref('意识形态工作责任制考核办法:neirong')
    assert "关于开展2025年度意识形态工作责任制考核工作的通知" in "".join(
        p.text for p in paras if p.style == "公文标题")
    [table] = docx.Document(str(work)).tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["序号", "阶段", "时间", "工作内容", "报送对象"]
    assert rows[2] == ["2", "单位自查", "11月26日—12月10日", "对照考核评分表逐项自查，形成自查报告",
                       "局党委办公室"]
    assert rows[4][2] == "12月31日前"
    for unit in ("清河县粮食局机关", "清河县储备粮库"):  # issued by the 局 only
        assert not list((edition / unit).glob("关于开展*.docx"))


@pytest.fixture(scope="module")
def printed(edition: Path, tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """The draft notice, its final 2024 twin and the work notice, printed by LibreOffice."""
    out = tmp_path_factory.mktemp("printed")
    final = out / "2024"
    assert run_cli("build", str(EXAMPLE), "-o", str(final)).exit_code == 0
    docs = {"draft": next(edition.glob("关于印发*.docx")),
            "final": next(final.glob("关于印发*.docx")),
            "work": next(edition.glob("关于开展*.docx"))}
    # Drafts whose front part qingdan tightens and loosens (as test_page_fidelity's twins).
    marked = "draft: 征求意见稿\n"
    for name, body, extra in (("tight", [FIRST, THREE], "title: 关于印发责任清单的通知\n"),
                              ("loose", [FIRST, LONG, LONG, LONG], "")):
        project = notice_project(out, name, body, extra + marked)
        assert run_cli("build", str(project), "-o", str(out / f"{name}-out")).exit_code == 0
        docs[name] = next((out / f"{name}-out").glob("关于印发*.docx"))
        assert tightened(docs[name])
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    pdfs = to_pdfs(list(docs.values()), out / "pdf")
    return {name: (doc, pdfs[doc]) for name, doc in docs.items()}


def _first(found, text: str):
    return next(ln for ln in found if ln.text.replace(" ", "").startswith(text))


@needs_office
def test_the_marker_stands_top_left_and_moves_nothing(printed):
    _, draft = lines(printed["draft"][1])
    _, final = lines(printed["final"][1])
    marker = _first(draft, "草稿")
    assert marker.page == 1 and marker.x0 == pytest.approx(LEFT, abs=1) and marker.slot == 0
    for name in ("tight", "loose"):
        marker = _first(lines(printed[name][1])[1], "征求意见稿")
        assert (marker.page, marker.slot) == (1, 0) and marker.x0 == pytest.approx(LEFT, abs=1)
    for part in ("中共清河县粮食局委员会文件", "关于印发", "机关各科室党支部"):
        assert _first(draft, part).y0 == pytest.approx(_first(final, part).y0, abs=0.5), part


@needs_office
def test_signatures_stand_with_body_text_and_every_character_is_printed(printed):
    assert len(printed) == 5
    for name, (doc, pdf) in printed.items():
        expected = Counter(c for c in printed_text(doc) if not c.isspace())
        assert expected == pdf_text(pdf, doc), name
        _, found = lines(pdf)
        if name == "draft":  # 　　年　　月　　日: pdftotext gives each word a line of its own
            signed = next(ln for ln in found if ln.text == "年" and any(
                o.text == "日" and o.page == ln.page and o.y0 == ln.y0 for o in found))
        else:
            date = next(p.text for p in paragraphs(doc)
                        if re.fullmatch(r"\s*\d{4}年\d+月\d+日", p.text)).strip()
            signed = next(ln for ln in found if ln.text.replace(" ", "") == date)
        body = [ln for ln in found if ln.page == signed.page and ln.y0 < signed.y0
                and ln.x0 < LEFT + 40 and "附件" not in ln.text]
        assert body, f"{name}: the signature's page {signed.page} has no body text"
        for ln in (ln for ln in found if not re.fullmatch(r"—\d+—", ln.text.replace(" ", ""))):
            assert LEFT - 0.5 <= ln.x0 and ln.x1 <= RIGHT + 0.5, (name, ln)
            assert TOP - 0.5 <= ln.y0 and ln.y1 <= BOTTOM + 0.5, (name, ln)


def test_new_year_into_a_distant_folder_records_a_readable_previous(tmp_path):
    """-o far from the old edition makes a long `previous:` path; it must stay a value,
    not swallow the comment after it, so diff with no versions finds the old edition."""
    import shutil

    source = tmp_path / "source" / "example"
    shutil.copytree(EXAMPLE, source)
    target = tmp_path / "far" / "away" / "editions" / "example-2025"
    result = run_cli("new-year", "2025", str(source), "-o", str(target))
    assert result.exit_code == 0, result.output
    config = (target / "qingdan.yaml").read_text("utf-8")
    line = next(x for x in config.splitlines() if x.startswith("previous:"))
    assert " # " in line
    diffed = run_cli("diff", "--project", str(target))
    assert diffed.exit_code == 0, diffed.output


def test_new_year_in_git_ignores_output_folders_and_other_untracked_files(tmp_path):
    """`qingdan build` inside the project writes output/ there: new-year looks only at the
    files qingdan reads, and keeps each rewritten file's mode."""
    import os
    import stat

    repo = tmp_path / "清河"
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns("考核评分"))
    os.chmod(repo / "qingdan.yaml", 0o640)
    os.chmod(repo / "印发通知.yaml", 0o664)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "2024年版")
    assert run_cli("build", cwd=repo).exit_code == 0
    (repo / "笔记.txt").write_text("不归 qingdan 管的文件", "utf-8")
    (repo / ".草稿.yaml").write_text("隐藏的文件，qingdan 不读\n", "utf-8")
    result = run_cli("new-year", "2025", cwd=repo)
    assert result.exit_code == 0, result.output
    assert "已为当前版本加上 git 标签 v2024。" in result.output
    assert stat.S_IMODE((repo / "qingdan.yaml").stat().st_mode) == 0o640
    assert stat.S_IMODE((repo / "印发通知.yaml").stat().st_mode) == 0o664
    assert "year: 2025" in (repo / "qingdan.yaml").read_text("utf-8")


def test_new_year_in_git_still_refuses_an_uncommitted_source(tmp_path):
    repo = tmp_path / "清河"
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns("考核评分"))
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "2024年版")
    git(repo, "rm", "-q", "--cached", "印发通知.yaml")
    git(repo, "commit", "-qm", "通知不再跟踪")  # the source is still there, untracked
    result = run_cli("new-year", "2025", cwd=repo)
    assert result.exit_code == 1
    assert "error[E646]: 项目的源文件有未提交的改动（印发通知.yaml）" in result.stderr
    assert git(repo, "tag") == "" and "year:" not in (repo / "qingdan.yaml").read_text("utf-8")


def test_new_year_copy_keeps_modes_and_names_of_links_inside(tmp_path):
    import os
    import stat

    source = tmp_path / "example"
    shutil.copytree(EXAMPLE, source)
    os.chmod(source / "印发通知.yaml", 0o600)
    (source / "原件").mkdir()
    (source / "单位名册.yaml").rename(source / "原件" / "名册.yaml")
    (source / "单位名册.yaml").symlink_to("原件/名册.yaml")  # a link inside the project
    result = run_cli("new-year", "2025", str(source), "--copy")
    assert result.exit_code == 0, result.output
    made = tmp_path / "example-2025"
    assert stat.S_IMODE((made / "印发通知.yaml").stat().st_mode) == 0o600
    roster = made / "单位名册.yaml"  # the link's name, with the content it showed
    assert not roster.is_symlink() and "清粮机支发〔2025〕待定号" in roster.read_text("utf-8")
    assert "清粮机支发〔2025〕" not in (source / "原件" / "名册.yaml").read_text("utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
