"""Rosters: per-unit documents, overlays, safe folders, incremental and reproducible builds."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

from conftest import EXAMPLE, run_cli
from docxread import paragraphs

LIST = "意识形态工作责任清单"


def build_example(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    result = run_cli("build", str(EXAMPLE), "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def list_texts(out: Path, unit: str, body: str) -> list[str]:
    return [p.text for p in paragraphs(out / unit / f"{unit}{body}{LIST}.docx") if p.text]


def test_every_unit_gets_its_own_documents_with_its_own_names(tmp_path):
    out = build_example(tmp_path)
    units = {"清河县粮食局机关": "党支部", "清河县粮食质量监测站": "党支部",
             "清河县粮食购销总公司": "党委", "清河县储备粮库": "党总支"}
    for unit, body in units.items():
        names = sorted(p.name for p in (out / unit).glob("*.docx"))
        assert len(names) == 4, names
        texts = list_texts(out, unit, body)
        doc = out / unit / f"{unit}{body}{LIST}.docx"
        assert "".join(p.text for p in paragraphs(doc) if p.style == "公文标题") == f"{unit}{body}{LIST}"
        assert "清河县粮食局" not in "".join(texts).replace(unit, "")
        sheet = [p.text for p in paragraphs(out / unit / f"{unit}意识形态工作责任制考核评分表.docx")]
        assert any(t.startswith(f"被考核单位：{unit}") for t in sheet)
    jiance = "\n".join(list_texts(out, "清河县粮食质量监测站", "党支部"))
    assert "一、站党支部意识形态工作主体责任清单" in jiance
    assert "每年向局党委专题汇报一次意识形态工作情况" in jiance
    assert "加强站网站的建设、管理和运用，严格检验检测数据" in jiance


def test_overlay_operations(tmp_path):
    out = build_example(tmp_path)
    # remove: the 机关 branch has no deputy, so that section disappears and the rest renumber.
    jiguan = list_texts(out, "清河县粮食局机关", "党支部")
    headings = [t for t in jiguan if t[1:2] == "、"]
    assert headings == ["一、机关党支部意识形态工作主体责任清单", "二、机关党支部书记意识形态工作责任清单",
                        "三、其他党支部班子成员意识形态工作责任清单"]
    assert not any("副书记是意识形态工作直接责任人" in t for t in jiguan)
    # replace
    gouxiao = list_texts(out, "清河县粮食购销总公司", "党委")
    assert "4.加强企业文化宣传队伍建设，充分发挥各类媒体优势，" \
           "加强宣传阵地建设，不定期开展业务培训，培养造就一支政治坚定、业务精湛、作风优良的宣传队伍。" in gouxiao
    # move: 汇报 leaves the secretary's section and closes the committee's.
    chubei = list_texts(out, "清河县储备粮库", "党总支")
    second = chubei.index("二、库党总支书记意识形态工作责任清单")
    assert chubei[second - 1] == "6.每年向局党委专题汇报一次意识形态工作情况，重大情况第一时间报告。"
    assert len([t for t in chubei[second:] if re.match(r"\d+\.", t)]) == 4 + 5 + 6


def test_add_places_the_item_and_warns_it_is_not_assessed(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project)
    roster = project / "单位名册.yaml"
    roster.write_text(roster.read_text("utf-8").replace(
        "        - replace: duiwu\n", "        - add: qiye-wenhua\n          after: wangluo\n"
        "          text: 加强企业文化建设。\n        - replace: duiwu\n"), "utf-8")
    out = tmp_path / "out"
    result = run_cli("build", str(project), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "warning[W801]: 单位“清河县粮食购销总公司”新增的条目“qiye-wenhua”没有任何考核指标考核" in result.stderr
    texts = list_texts(out, "清河县粮食购销总公司", "党委")
    at = texts.index("4.加强企业文化建设。")
    assert texts[at - 1].startswith("3.切实维护网络意识形态安全")
    assert texts[at + 1].startswith("5.加强企业文化宣传队伍建设")


ROSTER = """\
kind: roster
units:
{units}
"""


def roster_project(tmp_path: Path, names: list[str]) -> Path:
    project = tmp_path / "p"
    project.mkdir()
    (project / "qingdan.yaml").write_text("{}\n", "utf-8")
    (project / "清单.yaml").write_text(
        "kind: list\ntitle: \"{{ unit.name }}责任清单\"\nroles:\n  committee:\n    items:\n"
        "      - id: a\n        text: \"{{ unit.short }}{{ unit.body }}负主体责任。\"\n", "utf-8")
    units = "\n".join(f"  - id: u{i}\n    name: '{name}'\n    body: 党支部"
                      for i, name in enumerate(names))
    (project / "名册.yaml").write_text(ROSTER.format(units=units), "utf-8")
    return project


def test_hostile_unit_names_stay_inside_the_output_folder(tmp_path):
    hostile = ["../逃逸", "/etc/passwd", "CON", "a/b\\c", "..", "  ", "正常单位", "正常单位"]
    project = roster_project(tmp_path, hostile)
    out = tmp_path / "out"
    result = run_cli("build", str(project), "-o", str(out))
    assert result.exit_code == 0, result.output
    made = [p for p in tmp_path.rglob("*.docx")]
    assert len(made) == len(hostile)
    for path in made:
        assert out.resolve() in path.resolve().parents
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert "_CON" in folders and "正常单位" in folders and "正常单位（2）" in folders
    assert not (tmp_path / "逃逸").exists()


def stamps(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*.docx")}


def test_incremental_rebuild_renders_only_the_changed_unit(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project)
    out = tmp_path / "out"
    assert run_cli("build", str(project), "-o", str(out)).exit_code == 0
    first = stamps(out)
    again = run_cli("build", str(project), "-o", str(out))
    assert "5 个单位的输入没有变化" in again.stdout
    assert stamps(out) == first  # a no-op rebuild touches nothing
    roster = project / "单位名册.yaml"
    roster.write_text(roster.read_text("utf-8").replace("channels: 库务公开栏",
                                                         "channels: 库务公开栏、微信群"), "utf-8")
    third = run_cli("build", str(project), "-o", str(out))
    assert "4 个单位的输入没有变化" in third.stdout
    changed = {name for name, stamp in stamps(out).items() if first[name] != stamp}
    assert changed and all(name.startswith("清河县储备粮库/") for name in changed)


def test_a_deleted_output_is_rebuilt(tmp_path):
    out = build_example(tmp_path)
    victim = next((out / "清河县储备粮库").glob("*清单.docx"))
    victim.unlink()
    result = run_cli("build", str(EXAMPLE), "-o", str(out))
    assert result.exit_code == 0 and victim.is_file()


def test_two_builds_give_identical_bytes(tmp_path):
    one = build_example(tmp_path / "a")
    two = build_example(tmp_path / "b")
    files = sorted(p.relative_to(one) for p in one.rglob("*.docx"))
    assert len(files) == 20
    for name in files:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_many_units_build_in_parallel(tmp_path):
    names = [f"第{i}党支部" for i in range(12)]
    project = roster_project(tmp_path, names)
    out = tmp_path / "out"
    result = run_cli("build", str(project), "-o", str(out))
    assert result.exit_code == 0, result.output
    for name in names:
        [doc] = (out / name).glob("*.docx")
        # No short name given: it falls back to the full name.
        assert [p.text for p in paragraphs(doc) if p.text] == [
            f"{name}责任清单", f"一、{name}党支部主体责任清单", f"1.{name}党支部负主体责任。"]


def test_deviation_report(tmp_path):
    result = run_cli("report", str(EXAMPLE), "-o", str(tmp_path / "差异.csv"))
    assert result.exit_code == 0, result.output
    assert "共 4 个单位、8 处与基础清单不同。" in result.stdout
    raw = (tmp_path / "差异.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the mark to read UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["单位", "清单", "条目", "变化", "内容"]
    assert ["清河县储备粮库", LIST, "huibao", "移动", "书记 → 主体责任"] in rows
    assert sum(1 for r in rows if r[3] == "删除") == 5


def test_notice_numbers_from_unit_variables_are_filled_and_checked(tmp_path):
    """The example's notice takes each unit's own 发文字号 from its vars; a malformed one is
    E601 for that unit, and two units with one number is E604."""
    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project)
    out = tmp_path / "out"
    result = run_cli("build", str(project), "-o", str(out))
    assert result.exit_code == 0, result.output
    numbers = {}
    for notice_doc in out.rglob("关于印发*.docx"):
        texts = [p.text for p in paragraphs(notice_doc)]
        numbers[notice_doc.parent.name] = next(t for t in texts if "〔2024〕" in t)
    assert numbers["清河县储备粮库"] == "清储粮总支发〔2024〕1号"
    assert len(set(numbers.values())) == 5  # the project's own notice and four units'
    roster = project / "单位名册.yaml"
    text = roster.read_text("utf-8")
    roster.write_text(text.replace("清粮监支发〔2024〕1号", "清粮站支〔24〕1号"), "utf-8")
    broken = run_cli("check", str(project))
    assert broken.exit_code == 1
    assert "error[E601]: 发文字号“清粮站支〔24〕1号”格式不对（单位：清河县粮食质量监测站）" \
        in broken.stderr
    roster.write_text(text.replace("清粮监支发〔2024〕1号", "清粮机支发〔2024〕1号"), "utf-8")
    twice = run_cli("check", str(project))
    assert twice.exit_code == 1
    assert ("error[E604]: 发文字号“清粮机支发〔2024〕1号”重复：单位“清河县粮食局机关”的通知“印发通知”、"
            "单位“清河县粮食质量监测站”的通知“印发通知”都用了这个字号") in twice.stderr
