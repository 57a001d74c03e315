"""Comparing versions: the model diff, the comparison table, the redline, git revisions."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from conftest import REPO, run_cli
from docxread import paragraphs
from pdfmeasure import to_pdf
from qingdan.builder.pipeline import prepare, render_project
from qingdan.diff.documents import diff_lists
from qingdan.diff.render import render_redline
from qingdan.resolve.resolver import resolve_project
from revisions import settle
from test_pdf_layout import needs_office

FIXTURES = REPO / "tests" / "fixtures" / "revision"
OLD, NEW = FIXTURES / "2023", FIXTURES / "2024"
TITLE = "清河县粮食局党委意识形态工作责任清单"


def resolved_list(path: Path):
    prepared = prepare(path)
    resolved, _ = resolve_project(prepared.project, prepared.index)
    return resolved


def test_changes_are_matched_by_id_and_classified():
    old, new = resolved_list(OLD).lists[0], resolved_list(NEW).lists[0]
    result = diff_lists(old, new)
    summary = [(c.kinds, (c.new or c.old).id) for c in result.changes]
    assert summary == [
        (("reworded",), "zerenzhi"), (("added",), "yuqing-yanpan"), (("removed",), "duiwu"),
        (("moved",), "huibao"), (("removed",), "xuexi-diaoyan"),
        (("renumbered",), "tanxin-tanhua"), (("renumbered",), "kaohe"),
        (("renumbered",), "shuzhi-fushuji"), (("id-changed",), "qita-shixiang")]
    reworded = result.changes[0]
    assert [(s.kind, s.text) for s in reworded.segments if s.kind != "equal"] == [
        ("insert", "半"), ("delete", "两次"), ("insert", "一次")]
    assert result.counts()["主体责任"]["added"] == 1


def test_terminal_summary_and_json():
    text = run_cli("diff", str(OLD), str(NEW))
    assert text.exit_code == 0, text.output
    assert "主体责任：新增 1，删除 1，修改 1，移动 1" in text.stdout
    assert "每{+半+}年至少[-两次-]专题研究{+一次+}意识形态工作" in text.stdout
    assert "共 2 个单位，2 个有变化。" in text.stdout
    data = json.loads(run_cli("diff", str(OLD), str(NEW), "--format", "json").stdout)
    [one] = data["lists"]
    assert one["changes"][0]["kinds"] == ["reworded"]
    assert one["changes"][8]["old"]["id"] == "qita" and one["changes"][8]["new"]["id"] == \
        "qita-shixiang"
    assert [u["status"] for u in data["units"]] == ["changed", "changed"]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("revision")
    result = run_cli("diff", str(OLD), str(NEW), "--table", "--redline", "-o", str(out),
                     "--date", "2024-03-15", "--author", "县委办")
    assert result.exit_code == 0, result.output
    return out


def test_comparison_table_rows_in_order(outputs):
    document = docx.Document(str(outputs / f"《{TITLE}》修订对照表.docx"))
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[:2] == [f"《{TITLE}》", "修订对照表"]
    assert texts[2].startswith("说明：")
    table = document.tables[0]  # then the summary page's two tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["序号", "原条文", "修订后条文", "修改类型", "修订说明"]
    # The id-only change (qita -> qita-shixiang, same text, same place) reads as before.
    assert [r[0] for r in rows[1:]] == [str(i) for i in range(1, 9)]
    assert rows[1][4] == "按上级新要求，专题研究改为每半年至少一次。"  # the source's note
    assert rows[1][3] == "时限频次" and rows[4][3] == "范围调整" and rows[7][3] == "序号变化"
    assert rows[2][1] == "（新增）" and rows[2][2].startswith("4.建立意识形态领域情况")
    assert rows[3][2] == "（删除）" and rows[3][1].startswith("4.加强宣传思想文化队伍建设")
    assert rows[4][4] == "由“书记”移至“主体责任”。"
    assert rows[6][1].startswith("3.经常性") and rows[6][2].startswith("2.经常性")
    assert rows[7][4] == "序号由4调整为3。"
    # Readers know items by their text and number: no source id, no ASCII spacing.
    for row in rows:
        for cell in row:
            assert not re.search(r"[A-Za-z]|\d |\s\d", cell), cell
    # Deleted characters are struck through in the old text, added ones marked in the new.
    cell_old, cell_new = table.rows[1].cells[1], table.rows[1].cells[2]
    struck = "".join(r.text for r in cell_old.paragraphs[0].runs if r.font.strike)
    marked = "".join(r.text for r in cell_new.paragraphs[0].runs
                     if r.font.underline and r.font.bold)
    assert struck == "两次" and marked == "半一次"
    for r in cell_old.paragraphs[0].runs + cell_new.paragraphs[0].runs:
        assert r._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"


def built_texts(path: Path, tmp: Path) -> list[str]:
    """The list's paragraphs as `qingdan build` renders it."""
    out = tmp / path.name
    assert run_cli("build", str(path / "意识形态工作责任清单.yaml"), "-o", str(out)).exit_code == 0
    [doc] = out.glob("*.docx")
    return [p.text for p in paragraphs(doc) if p.text]


def test_redline_accepts_to_new_and_rejects_to_old(outputs, tmp_path):
    redline = outputs / f"{TITLE}（修订稿）.docx"
    assert settle(redline, accept=True) == built_texts(NEW, tmp_path)
    assert settle(redline, accept=False) == built_texts(OLD, tmp_path)
    xml = zipfile.ZipFile(redline).read("word/document.xml").decode()
    assert 'w:author="县委办"' in xml and 'w:date="2024-03-15T00:00:00Z"' in xml
    ids = [int(x) for x in __import__("re").findall(r'<w:(?:ins|del) w:id="(\d+)"', xml)]
    assert len(ids) == len(set(ids)) > 10


def mutate(source: str, rng: random.Random) -> str:
    """A random next year's version of a list source: items added, removed, reworded,
    moved between roles, renumbered and given new ids."""
    import yaml

    data = yaml.safe_load(source)
    roles = data["roles"]
    names = list(roles)
    for _ in range(rng.randint(1, 6)):
        role = roles[rng.choice(names)]
        items = role["items"]
        action = rng.choice(["add", "remove", "reword", "move", "rename"])
        if action == "add":
            items.insert(rng.randint(0, len(items)),
                         {"id": f"new{rng.randint(0, 10**6)}", "text": "新增加的一条责任。"})
        elif action == "remove" and len(items) > 1:
            items.pop(rng.randrange(len(items)))
        elif action == "reword":
            item = rng.choice(items)
            # Change one character, away from any placeholder.
            plain = [i for i, c in enumerate(item["text"]) if "{" not in item["text"][
                max(0, i - 20):i + 20] and c not in "{}"] or [len(item["text"]) - 1]
            cut = rng.choice(plain)
            item["text"] = item["text"][:cut] + "切实" + item["text"][cut + 1:]
        elif action == "move" and len(items) > 1:
            item = items.pop(rng.randrange(len(items)))
            target = roles[rng.choice(names)]["items"]
            target.insert(rng.randint(0, len(target)), item)
        elif action == "rename":
            rng.choice(items)["id"] += "-x"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.mark.parametrize("seed", range(25))
def test_generated_pairs_round_trip(seed, tmp_path):
    rng = random.Random(seed)
    base = (OLD / "意识形态工作责任清单.yaml").read_text("utf-8")
    versions = {}
    for name, text in (("old", base), ("new", mutate(base, rng))):
        folder = tmp_path / name
        folder.mkdir()
        shutil.copy(OLD / "qingdan.yaml", folder / "qingdan.yaml")
        (folder / "意识形态工作责任清单.yaml").write_text(text, "utf-8")
        versions[name] = resolved_list(folder)
    old, new = versions["old"], versions["new"]
    result = diff_lists(old.lists[0], new.lists[0])
    data = render_redline(old.lists[0], new.lists[0], result, new.templates["list"], "qingdan",
                          "2024-01-01T00:00:00Z")
    redline = tmp_path / "redline.docx"
    redline.write_bytes(data)

    def texts(project) -> list[str]:
        path = tmp_path / "plain.docx"
        [output] = [o for o in render_project(project) if o.name.endswith("清单.docx")]
        path.write_bytes(output.data)
        return [p.text for p in paragraphs(path) if p.text]

    assert settle(redline, accept=True) == texts(new)
    assert settle(redline, accept=False) == texts(old)


@needs_office
def test_libreoffice_lists_the_revisions(outputs, tmp_path):
    redline = outputs / f"{TITLE}（修订稿）.docx"
    assert to_pdf(redline, tmp_path).stat().st_size > 0
    profile = tmp_path / "profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "fodt", "--outdir", str(tmp_path), str(redline)],
                   check=True, capture_output=True, timeout=180,
                   env={**os.environ, "HOME": str(profile)})
    flat = (tmp_path / redline.with_suffix(".fodt").name).read_text("utf-8")
    tracked = flat[flat.index("<text:tracked-changes"):flat.index("</text:tracked-changes>")]
    assert tracked.count("<text:changed-region") >= 9
    assert tracked.count("<text:deletion>") >= 4 and tracked.count("<text:insertion>") >= 4
    assert "<dc:creator>县委办</dc:creator>" in tracked and "2024-03-15" in tracked
    # The deleted characters are still in the text, between LibreOffice's change marks.
    assert "两次" in flat and "<text:change-start" in flat


def test_git_revisions(tmp_path):
    repo = tmp_path / "repo"
    project = repo / "清单项目"
    shutil.copytree(OLD, project)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "2023")
    for file in NEW.iterdir():
        shutil.copy(file, project / file.name)
    git("commit", "-qam", "2024")
    result = run_cli("diff", "HEAD~1", "HEAD", "--project", "清单项目", cwd=repo)
    assert result.exit_code == 0, result.output
    assert "[编号变更] qita-shixiang" in result.stdout
    mixed = run_cli("diff", "HEAD~1:清单项目", "清单项目", cwd=repo)
    assert mixed.stdout == result.stdout
    missing = run_cli("diff", "v1999", "HEAD", "--project", "清单项目", cwd=repo)
    assert missing.exit_code == 1 and "error[E401]: 找不到版本“v1999”" in missing.stderr
