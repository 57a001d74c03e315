"""Issue 10, the input side: hostile sources and templates give located diagnostics, never a
traceback, a hang, a memory blow-up or a document Word cannot open.

Each test is a regression test for one item of the issue (the number in its name).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from conftest import EXAMPLE, REPO, run_cli
from qingdan.layout.titles import CAPACITY, balance_title, cells
from test_cases import make_zip

CONFIG = "unit:\n  name: 清河县粮食局\n  short: 局\n  body: 党委\n  superior: 县委\n"
HEAD = ("kind: list\ntitle: 责任清单\nroles:\n  committee:\n    items:\n"
        "      - id: lingdaoquan\n        text: 牢牢掌握意识形态工作的领导权。\n")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def project_with(tmp_path: Path, source: str, config: str = CONFIG,
                 template: bytes | None = None) -> Path:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "qingdan.yaml").write_text(
        config + ("templates:\n  list: t.docx\n" if template else ""), "utf-8")
    (folder / "清单.yaml").write_text(source, "utf-8")
    if template is not None:
        (folder / "t.docx").write_bytes(template)
    return folder


def item(text: str) -> str:
    """HEAD plus one more item whose text is the given YAML scalar."""
    return HEAD + f"      - id: zhuize\n        text: {text}\n"


def check(folder: Path, *args: str, timeout: float = 10):
    started = time.monotonic()
    result = run_cli("check", str(folder), *args)
    assert time.monotonic() - started < timeout
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
    return result


def template(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def with_member(package: bytes, name: str, payload: bytes) -> bytes:
    """package with member name replaced by (or added as) payload."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, payload if info.filename == name
                            else source.read(info.filename))
        if name not in source.namelist():
            target.writestr(name, payload)
    return out.getvalue()


# --- 6. characters XML does not allow ------------------------------------------------------


@pytest.mark.parametrize("escape", ["\\x01", "\\x0b", "\\x00", "\\uFFFE", "\\ud800"])
def test_6_xml_invalid_characters_in_text_are_located_errors(tmp_path, escape):
    result = check(project_with(tmp_path, item(f'"落实{escape}责任"')))
    assert result.exit_code == 1
    assert "清单.yaml:9:15: error[E104]" in result.stderr


def test_6_xml_invalid_characters_in_a_unit_name(tmp_path):
    config = CONFIG.replace("name: 清河县粮食局", 'name: "清河县\\x1f粮食局"')
    result = check(project_with(tmp_path, HEAD, config=config))
    assert result.exit_code == 1 and "qingdan.yaml:2:9: error[E104]" in result.stderr


def test_6_a_template_that_makes_invalid_xml_never_gives_a_document(tmp_path):
    folder = project_with(tmp_path, HEAD, template=template("{{ '\\x01' }}{{ title }}"))
    out = tmp_path / "out"
    result = run_cli("build", str(folder), "-o", str(out))
    assert result.exit_code == 1 and "error[E508]" in result.stderr
    assert not out.exists()


def test_6_a_template_with_invalid_xml_is_refused(tmp_path):
    broken = with_member(template("{{ title }}"), "word/styles.xml", b"<w:styles><oops")
    result = check(project_with(tmp_path, HEAD, template=broken))
    assert result.exit_code == 1 and "error[E507]" in result.stderr


def test_6_redline_author_is_escaped(tmp_path):
    fixtures = REPO / "tests" / "fixtures" / "revision"
    out = tmp_path / "out"
    author = 'a"b<c>&\'d'
    result = run_cli("diff", str(fixtures / "2023"), str(fixtures / "2024"), "--redline",
                     "-o", str(out), "--author", author)
    assert result.exit_code == 0, result.output
    redlines = list(out.rglob("*.docx"))
    assert redlines
    for path in redlines:
        document = docx.Document(str(path))
        authors = {e.get(f"{{{W}}}author") for e in document.element.body.iter(
            f"{{{W}}}ins", f"{{{W}}}del")}
        assert authors == {author}


def test_6_redline_author_with_control_characters_is_a_usage_error(tmp_path):
    fixtures = REPO / "tests" / "fixtures" / "revision"
    result = run_cli("diff", str(fixtures / "2023"), str(fixtures / "2024"), "--redline",
                     "-o", str(tmp_path / "out"), "--author", "a\x01b")
    assert result.exit_code == 2 and "不能含控制字符" in result.output


# --- 7. work budget for placeholders and templates -----------------------------------------

BOMBS = [
    "{{ 'a'*10**9 }}",
    "{{ 'x'|center(10**9) }}",
    "{% for i in range(9999) %}{% for j in range(9999) %}{{ i }}{% endfor %}{% endfor %}",
    "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
    "{% endfor %}{{ ns.s }}",
    "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}",
    "{{ 10**(10**10) }}",
    "{{ '%0999999999d'|format(1) }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ (['a'*100000]*100000)|join }}",
    "{{ ('a'*100000).replace('a', 'a'*1000) }}",
    "{{ range(9999)|map('center', 9999)|join }}",
]


@pytest.mark.parametrize("bomb", BOMBS)
def test_7_placeholders_have_a_work_budget(tmp_path, bomb):
    quoted = "'" + bomb.replace("'", "''") + "'"
    result = check(project_with(tmp_path, item(quoted)), timeout=5)
    assert result.exit_code == 1
    assert "清单.yaml:9:16: error[E305]" in result.stderr  # at the placeholder


def test_7_ordinary_placeholders_still_work(tmp_path):
    text = ("'{{ unit.name }}{% for i in range(3) %}{{ i }}{% endfor %}"
            "{{ \"%s\"|format(unit.short) }}{{ \"a\" ~ \"b\" }}{{ [1, 2]|join(\"、\") }}'")
    out = tmp_path / "out"
    result = run_cli("build", str(project_with(tmp_path, item(text))), "-o", str(out))
    assert result.exit_code == 0, result.output
    body = "\n".join(p.text for p in docx.Document(str(out / "责任清单.docx")).paragraphs)
    assert "清河县粮食局012局ab1、2" in body


@pytest.mark.parametrize("bomb", [
    "{% for i in range(9999) %}{% for j in range(9999) %}{{ title }}{% endfor %}{% endfor %}",
    "{{ title|center(10**9) }}",
])
def test_7_templates_have_a_work_budget(tmp_path, bomb):
    result = check(project_with(tmp_path, HEAD, template=template(bomb)), timeout=8)
    assert result.exit_code == 1 and "error[E504]" in result.stderr


# --- 8. zip bombs and unsafe member names -----------------------------------------------


def test_8_a_template_that_inflates_too_far_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("qingdan.render.package.MAX_PART_BYTES", 1_000_000)
    bomb = with_member(template("{{ title }}"), "word/media/pad.bin", b"\0" * 2_000_000)
    result = check(project_with(tmp_path, HEAD, template=bomb))
    assert result.exit_code == 1 and "error[E505]" in result.stderr


def test_8_a_member_larger_than_it_declares_is_not_inflated(tmp_path):
    path = tmp_path / "t.docx"
    path.write_bytes(template("{{ title }}"))
    members = {name: zipfile.ZipFile(path).read(name).decode("utf-8", "replace")
               for name in zipfile.ZipFile(path).namelist()}
    members["word/media/pad.xml"] = "<a>" + "x" * 5_000_000 + "</a>"
    members["!declared"] = {"word/media/pad.xml": 1000}  # type: ignore[assignment]
    make_zip(path, members)  # type: ignore[arg-type]
    result = check(project_with(tmp_path, HEAD, template=path.read_bytes()))
    assert result.exit_code == 1 and "error[E503]" in result.stderr


@pytest.mark.parametrize("name", ["../../逃逸.xml", "/abs.xml", "word/../../x.xml", "a\\..\\b.xml"])
def test_8_unsafe_member_names_are_refused(tmp_path, name):
    package = template("{{ title }}")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in zipfile.ZipFile(io.BytesIO(package)).infolist():
            target.writestr(info, zipfile.ZipFile(io.BytesIO(package)).read(info.filename))
        target.writestr(name, "<x/>")
    result = check(project_with(tmp_path, HEAD, template=out.getvalue()))
    assert result.exit_code == 1 and "error[E506]" in result.stderr


# --- 9. no traceback ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["[list]", "{a: 1}"])
def test_9_kind_that_is_not_text(tmp_path, kind):
    result = check(project_with(tmp_path, f"kind: {kind}\ntitle: x\n"))
    assert result.exit_code == 1 and "清单.yaml:1:7: error[E204]" in result.stderr


@pytest.mark.parametrize("config, source", [
    (CONFIG + "documents: [a, b]\n", HEAD),
    (CONFIG + "diagnostics: W901\n", HEAD),
    (CONFIG, HEAD.replace("roles:", "basis: 5\nroles:")),
    (CONFIG, HEAD.replace("roles:", "basis:\nroles:")),
])
def test_9_parts_of_the_wrong_type_found_by_the_fuzzer(tmp_path, config, source):
    result = check(project_with(tmp_path, source, config=config))
    assert result.exit_code == 1 and "error[E202]" in result.stderr


@pytest.mark.parametrize("source, where", [
    ("kind: list\ntitle: &a [*a]\n", "清单.yaml:2:8"),
    ("kind: list\ntitle: " + "[" * 10_000 + "]" * 10_000 + "\n", "清单.yaml:2:71"),
    ("kind: list\ntitle:\n" + "".join(" " * i + "- \n" for i in range(100)), "清单.yaml:66:"),
])
def test_9_cycles_and_deep_nesting(tmp_path, source, where):
    result = check(project_with(tmp_path, source))
    assert result.exit_code == 1 and f"{where}" in result.stderr and "E106" in result.stderr


def test_9_a_100000_deep_flow_mapping_does_not_crash_the_parser(tmp_path):
    folder = project_with(tmp_path, "kind: list\ntitle: " + "{a: " * 100_000 + "1"
                          + "}" * 100_000 + "\n")
    done = subprocess.run([sys.executable, "-m", "qingdan", "check", str(folder)],
                          capture_output=True, text=True, timeout=30, cwd=REPO)
    assert done.returncode == 1, done.stderr[-500:]
    assert "error[E106]" in done.stderr and "Traceback" not in done.stderr


def test_9_a_template_without_the_w_prefix(tmp_path):
    members = {"[Content_Types].xml": "<Types xmlns='http://schemas.openxmlformats.org/package/"
               "2006/content-types'/>",
               "word/document.xml": f"<document xmlns='{W}'><body><p><r><t>{{{{ title }}}}</t>"
               "</r></p></body></document>"}
    path = tmp_path / "t.docx"
    make_zip(path, dict(members))
    result = check(project_with(tmp_path, HEAD, template=path.read_bytes()))
    assert result.exit_code == 1 and "error[E507]" in result.stderr


def test_9_a_template_in_utf16(tmp_path):
    package = template("{{ title }}")
    xml = zipfile.ZipFile(io.BytesIO(package)).read("word/document.xml")
    tree = etree.fromstring(xml)
    utf16 = etree.tostring(tree, encoding="UTF-16", xml_declaration=True)
    result = check(project_with(tmp_path, HEAD,
                                template=with_member(package, "word/document.xml", utf16)))
    assert result.exit_code == 1 and "error[E507]" in result.stderr and "UTF-8" in result.stderr


def test_9_a_syntax_error_is_placed_near_its_paragraph(tmp_path):
    broken = template("{{ title }}", "甲" * 30, "乙" * 30, "第三段落 {{ title ", "第四段落")
    result = check(project_with(tmp_path, HEAD, template=broken))
    assert result.exit_code == 1 and "error[E501]" in result.stderr
    assert "第三段落" in result.stderr and "甲" not in result.stderr


def test_9_a_template_may_print_a_literal_double_brace(tmp_path):
    """docxtpl's escape {_{ prints {{ from a template's own text; a source's text is
    printed as it is written, escapes and all."""
    folder = project_with(tmp_path, HEAD.replace("领导权。", "领导权{_{。"),
                          template=template("{_{ 原样 }_}", "{{ title }}",
                                            "{%p for role in roles %}",
                                            "{%p for item in role['items'] %}",
                                            "{{ item.text }}", "{%p endfor %}",
                                            "{%p endfor %}"))
    result = run_cli("build", str(folder), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    text = [p.text for p in docx.Document(next((tmp_path / "out").glob("*.docx"))).paragraphs]
    assert text[0] == "{{ 原样 }}" and "牢牢掌握意识形态工作的领导权{_{。" in text


def test_9_a_template_that_prints_a_lone_surrogate_is_refused(tmp_path):
    folder = project_with(tmp_path, HEAD, template=template("{{ title }}", r"{{ '\ud800' }}"))
    result = run_cli("build", str(folder), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1 and "error[E508]" in result.stderr and "UTF-8" in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("*.docx"))


def test_9_include_in_a_template(tmp_path):
    result = check(project_with(tmp_path, HEAD, template=template("{% include 'x' %}")))
    assert result.exit_code == 1 and "error[E501]" in result.stderr


def test_9_a_source_that_is_a_pipe(tmp_path):
    folder = project_with(tmp_path, HEAD)
    os.mkfifo(folder / "管道.yaml")
    result = check(folder)
    assert result.exit_code == 1 and "管道.yaml:1:1: error[E103]" in result.stderr


# --- 11. slow inputs ------------------------------------------------------------------------


def test_11_long_titles_break_in_linear_time():
    title = ("关于印发《清河县粮食局党委意识形态工作责任清单》的通知" * 120)[:3200]
    started = time.monotonic()
    lines = balance_title([title])
    assert time.monotonic() - started < 1
    assert "".join(lines) == title and all(cells(line) <= CAPACITY for line in lines)


def test_11_a_huge_source_is_refused_before_it_is_parsed(tmp_path):
    folder = project_with(tmp_path, HEAD)
    (folder / "大.yaml").write_text("kind: list\n" + "# 注释\n" * 4_000_000, "utf-8")
    result = check(folder, timeout=5)
    assert result.exit_code == 1 and "大.yaml:1:1: error[E105]" in result.stderr


def test_11_a_source_with_too_many_values_is_refused_quickly(tmp_path):
    folder = project_with(tmp_path, HEAD)
    (folder / "多.yaml").write_text(
        "kind: roster\nunits:\n" + "  - {id: a, name: b}\n" * 60_000, "utf-8")
    result = check(folder, timeout=5)
    assert result.exit_code == 1 and "error[E105]" in result.stderr


# --- 12. merge keys and null keys -----------------------------------------------------------


def test_12_merge_and_null_keys_are_chinese_located_errors(tmp_path):
    source = HEAD + ("      - &x\n        id: a\n        text: 甲。\n"
                     "      - <<: *x\n        id: b\n      - id: c\n        text: 乙。\n"
                     "        ~: 备注\n")
    result = check(project_with(tmp_path, source))
    assert result.exit_code == 1
    assert "清单.yaml:11:9: error[E107]: 不支持 YAML 的合并键“<<”" in result.stderr
    assert "清单.yaml:15:9: error[E107]: 键不能为空" in result.stderr
    assert "None" not in result.stderr and "constructor" not in result.stderr


def test_example_still_builds_and_opens(tmp_path):
    project = tmp_path / "example"
    shutil.copytree(EXAMPLE, project)
    out = tmp_path / "out"
    assert run_cli("build", str(project), "-o", str(out)).exit_code == 0
    for path in out.rglob("*.docx"):
        docx.Document(str(path))
