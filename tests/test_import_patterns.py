"""Import keeps the structure a reader sees (issue 27): headings on their own lines stay
headings, web noise is dropped and reported at its line, a document's ending stays its
ending, labels the source wrote stay as written, a repeated list is imported once, and
every guess (title, unit, roles) is in the import report with its line.

The fixtures in tests/fixtures/import-patterns reproduce each pattern as it was seen; the
shared sample 002 is the real page that repeats a list four times."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import yaml
from docx.oxml.ns import qn

from conftest import REPO, run_cli
from docxread import paragraphs
from test_import import SAMPLE, office_docx, sources

PATTERNS = REPO / "tests" / "fixtures" / "import-patterns"


def imported(tmp_path: Path, source: Path, name: str = "导入") -> tuple[Path, str]:
    out = tmp_path / name
    result = run_cli("import", str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    return out, result.output


def documents(folder: Path) -> dict[str, dict]:
    return {n: d for n, d in sources(folder).items() if n != "qingdan"}


def built(tmp_path: Path, project: Path) -> list[list[str]]:
    """Each built document's paragraphs (text only), after a clean check."""
    check = run_cli("check", str(project))
    assert check.exit_code == 0, check.output + check.stderr
    out = tmp_path / f"{project.name}-built"
    result = run_cli("build", str(project), "-o", str(out))
    assert result.exit_code == 0, result.output
    return [[p.text for p in paragraphs(f)] for f in sorted(out.glob("*.docx"))]


def texts(data: object) -> list[str]:
    """Every string in a source's data."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [t for v in data.values() for t in texts(v)]
    if isinstance(data, list):
        return [t for v in data for t in texts(v)]
    return []


def test_headings_on_their_own_lines_are_never_glued(tmp_path: Path):
    source = PATTERNS / "标题单独成行.txt"
    text, _ = imported(tmp_path, source, "text")
    word, _ = imported(tmp_path, office_docx(source.read_text("utf-8"), tmp_path / "意见.docx"),
                       "word")
    assert documents(word) == documents(text)
    [doc] = documents(text).values()
    everything = "|".join(texts(doc))
    assert "位置要站在" not in everything and "管理一是" not in everything
    first = doc["content"][0]["items"]
    assert [n["heading"] for n in first] == ["把意识形态工作摆在极端重要的位置",
                                            "切实加强各类意识形态阵地的管理"]
    assert first[1]["text"].startswith("一是着力推进")
    assert doc["headings"] == {2: "line"}
    [page] = built(tmp_path, text)
    assert "（一）把意识形态工作摆在极端重要的位置" in page  # a line of its own when printed
    assert "（二）切实加强各类意识形态阵地的管理" in page
    assert any(p.startswith("一是着力推进") for p in page)


def test_a_heading_in_a_heading_face_is_never_glued(tmp_path: Path):
    """From Word: a heading paragraph set in 楷体 stays a heading even when its words
    alone would read as half a sentence (long, no mark at its end)."""
    document = docx.Document()
    heading = "（一）坚持把意识形态工作作为党的建设和政权建设的一项极端重要的工作来抓好落实"
    for line in ("局机关意识形态工作实施意见", "一、总体要求", heading,
                 "要站在巩固党的执政地位的高度，充分认识意识形态工作的极端重要性。"):
        run = document.add_paragraph().add_run(line)
        if line == heading:
            run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "楷体_GB2312")
    document.save(str(tmp_path / "意见.docx"))
    out, report = imported(tmp_path, tmp_path / "意见.docx")
    [doc] = documents(out).values()
    [node] = doc["content"][0]["items"]
    assert node["heading"] == heading[3:]
    assert node["text"].startswith("要站在")
    assert "两行合为一段" not in report


def test_web_noise_is_dropped_and_each_drop_reported_at_its_line(tmp_path: Path):
    out, report = imported(tmp_path, PATTERNS / "网页噪声.txt")
    [doc] = documents(out).values()
    everything = "".join(texts(doc))
    for noise in ("首页", "范文网", "2023-03-18", "分享", "会员免费查看", "收藏"):
        assert noise not in everything, noise
    assert doc["title"] == "局机关党支部意识形态工作责任清单"
    shown = re.sub(r"\s+", " ", report)
    for line, why in ((1, "网页的导航路径"), (2, "网页的页面标题"), (3, "网页重复的标题"),
                      (4, "网页的发布日期"), (6, "网页的分享、收藏链接"),
                      (14, "与上文第13行起的1段完全相同"), (17, "行末的网页付费提示"),
                      (18, "网页的分享、收藏链接")):
        assert re.search(rf"网页噪声\.txt 第{line}行[^\n]*{why}", shown), (line, why)
    secretary = doc["roles"]["secretary"]["items"]
    assert len(secretary) == 2  # the item the page printed twice, once
    assert doc["roles"]["members"]["items"][1]["text"].endswith("及时掌握党员干部思想动态")


def test_a_paywall_inside_a_document_and_labels_kept_as_written(tmp_path: Path):
    """A copy cut off after （三） by a paywall goes on at （二）: qingdan keeps the labels
    the source has (never （四）（五）) and says where, in the report and the YAML."""
    out, report = imported(tmp_path, PATTERNS / "序号中断.txt")
    [doc] = documents(out).values()
    content = doc["content"][0]["items"]
    assert [n.get("heading") for n in content[:3]] == ["学习教育", "阵地建设", "队伍建设"]
    assert [n["paragraph"].split("\n")[0] for n in content[3:]] == [
        "（二）加强督促检查", "（三）严肃追责问责"]
    assert "会员免费查看" not in "".join(texts(doc))
    assert re.search(r"序号中断\.txt 第16行：“（二）加强督促检查”——原文序号在此退回到“（二）”",
                     report)
    yaml_text = next(out.glob("局机关*.yaml")).read_text("utf-8")
    assert "# 导入：原文序号在此退回到“（二）”" in yaml_text
    [page] = built(tmp_path, out)
    assert "（二）加强督促检查" in page and "（三）严肃追责问责" in page
    assert not any(p.startswith(("（四）", "（五）")) for p in page)


def test_a_closing_paragraph_ends_the_document_not_the_last_item(tmp_path: Path):
    out, report = imported(tmp_path, PATTERNS / "标题单独成行.txt")
    [doc] = documents(out).values()
    assert doc["content"][-1] == {"paragraph": "本意见自印发之日起施行，由局党委办公室负责解释。"}
    assert "本意见" not in doc["content"][1]["items"][-1]["text"]
    assert re.search(r"第21行：“本意见自印发之日起施行[^\n]*文末的结束语", report)
    [page] = built(tmp_path, out)
    assert page[-1] == "本意见自印发之日起施行，由局党委办公室负责解释。"
    # Sample 002's 考核办法: its closing sentence after the last condition 9、.
    out, _ = imported(tmp_path, SAMPLE["002"], "002")
    measures = documents(out)["关于落实意识形态工作责任制的考核办法"]
    assert measures["content"][-1]["paragraph"].startswith("本办法适用于园区党工委")
    assert "本办法" not in yaml.safe_dump(measures["content"][-2], allow_unicode=True)


def test_a_list_repeated_on_the_page_is_imported_once(tmp_path: Path):
    out, report = imported(tmp_path, SAMPLE["002"])
    docs = documents(out)
    lists = {n: d for n, d in docs.items() if d["kind"] == "list"}
    assert sorted(lists) == ["局党委意识形态工作责任清单", "局党组意识形态工作责任清单",
                             "局党组意识形态工作责任清单（2）", "文化馆党支部意识形态工作责任清单"]
    assert len({yaml.safe_dump(d) for d in lists.values()}) == 4  # no two alike
    assert [d["title"] for d in lists.values()].count("局党委意识形态工作责任清单") == 1
    for line in (205, 257, 309):
        assert re.search(rf"第{line}行—第\d+行：[^\n]*与第153行起的一份完全相同", report), line
    text = (out / "局党委意识形态工作责任清单.yaml").read_text("utf-8")
    assert "出现了 4 次（第153行、第205行、第257行、第309行起）" in text
    first = lists["文化馆党支部意识形态工作责任清单"]
    assert "领导班子意识形态工作责任清单" not in "".join(texts(first))  # the page's title
    assert first["preamble"].startswith("根据文旅委党委")


def test_every_guess_is_in_the_report_with_its_line(tmp_path: Path):
    out, report = imported(tmp_path, SAMPLE["002"])
    name = re.escape(SAMPLE["002"].name)
    config = yaml.safe_load((out / "qingdan.yaml").read_text("utf-8"))
    assert config["unit"] == {"name": "文化馆", "body": "党支部"}
    assert re.search(rf"{name} 第15行：“文化馆党支部”——按此推测本单位名称为“文化馆”、党组织类型为"
                     "“党支部”[^\n]*还写有局党组、局党委", report)
    assert re.search(rf"{name} 第15行：“文化馆党支部意识形态工作责任清单”——原文没有标题", report)
    assert re.search(rf"{name} 第37行：“二、支部书记意识形态工作职责”——按标题识别为“书记”一节", report)
    assert re.search(rf"{name} 第57行：“三支委成员意识形态工作职责”——按标题识别为“其他班子成员”一节",
                     report)
    assert "本单位" not in config["unit"]["name"]


def test_a_unit_nothing_names_is_reported_as_such(tmp_path: Path):
    source = tmp_path / "清单.txt"
    source.write_text("意识形态工作责任清单\n一、主体责任\n1.每年至少两次专题研究意识形态工作。\n", "utf-8")
    out, report = imported(tmp_path, source)
    assert yaml.safe_load((out / "qingdan.yaml").read_text("utf-8"))["unit"]["name"] == "本单位"
    assert "原文没有写明本单位（没有署名，标题和各节标题中也没有单位名称），名称暂写“本单位”" in report


def test_numbered_items_before_any_heading_are_kept_as_written_and_said(tmp_path: Path):
    """A part with no heading (items before the first 一、): no role is invented for it;
    its items stay in the preamble with their numbers, and the report says so."""
    source = tmp_path / "清单.txt"
    source.write_text("局机关意识形态工作责任清单\n1.每年至少两次专题研究意识形态工作。\n"
                      "2.每年向县委专题汇报一次。\n一、局党委主体责任清单\n"
                      "1.牢牢掌握意识形态工作的领导权。\n", "utf-8")
    out, report = imported(tmp_path, source)
    [doc] = documents(out).values()
    assert doc["preamble"].split() == ["1.每年至少两次专题研究意识形态工作。", "2.每年向县委专题汇报一次。"]
    assert list(doc["roles"]) == ["committee"]
    assert re.search(r"第2行：“1\.每年至少两次[^\n]*第一节标题之前（这一部分没有标题）", report)
    [page] = built(tmp_path, out)
    assert "1.每年至少两次专题研究意识形态工作。" in page
