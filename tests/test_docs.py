"""The user documentation holds together: the README stays a short start, every relative
link in the README and in docs/ leads to a file that exists (and to a heading that exists,
where it names one), and every guide page under docs/ is reachable from the README."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
GUIDE = [page for page in PAGES if page.name != "DEVELOPERS.md"]

FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
# [text](target) and ![alt](target); the target may carry a "title" after a space.
INLINE_LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
CODE_SPAN = re.compile(r"(`+).*?\1")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _prose(text: str) -> list[tuple[int, str]]:
    """The lines outside fenced code blocks, with their numbers, inline code removed."""
    lines, fenced = [], False
    for number, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append((number, CODE_SPAN.sub("", line)))
    return lines


def slug(heading: str) -> str:
    """GitHub's anchor for a heading (github-slugger): lower case; punctuation, symbols and
    other numbers removed (a plain "-" kept); every space a "-"."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    kept = "".join(c for c in text if c in "- " or unicodedata.category(c)[0] in "LM"
                   or unicodedata.category(c) in ("Nd", "Nl", "Pc"))
    return kept.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """Every heading anchor of a Markdown page, repeated headings numbered as GitHub does."""
    seen: dict[str, int] = {}
    found = set()
    fenced = False
    for line in page.read_text("utf-8").splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else HEADING.match(line)
        if match:
            base = slug(match.group(2))
            name = base if base not in seen else f"{base}-{seen[base]}"
            seen[base] = seen.get(base, 0) + 1
            found.add(name)
    return found


def links(page: Path) -> list[tuple[int, str]]:
    """The relative link targets of a page (web addresses and mail left out), with lines."""
    found = []
    for number, line in _prose(page.read_text("utf-8")):
        targets = INLINE_LINK.findall(line)
        reference = REFERENCE_LINK.match(line)
        if reference:
            targets.append(reference.group(1))
        found += [(number, target) for target in targets if not SCHEME.match(target)]
    return found


def broken(page: Path, root: Path = ROOT) -> list[str]:
    """What is wrong with each relative link of a page, as `page:line: target: why`."""
    problems = []
    for number, target in links(page):
        path_part, _, anchor = target.partition("#")
        where = f"{page.relative_to(root)}:{number}: {target}"
        destination = (page.parent / unquote(path_part)).resolve() if path_part else page
        if not destination.is_relative_to(root.resolve()):
            problems.append(f"{where}: leads outside the repository")
        elif not destination.exists():
            problems.append(f"{where}: no such file")
        elif anchor:
            if destination.suffix != ".md":
                problems.append(f"{where}: an anchor on a file that is not Markdown")
            elif unquote(anchor) not in anchors(destination):
                problems.append(f"{where}: no heading with this anchor")
    return problems


def test_the_readme_is_a_short_start():
    lines = README.read_text("utf-8").splitlines()
    assert len(lines) <= 250, f"README.md has {len(lines)} lines; move detail to docs/"


@pytest.mark.parametrize("page", [README, *PAGES], ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page):
    problems = broken(page)
    assert not problems, "\n".join(problems)


def test_every_guide_page_is_linked_from_the_readme():
    linked = {(ROOT / unquote(target.partition("#")[0])).resolve() for _, target in links(README)}
    assert GUIDE, "no guide pages under docs/"
    unlinked = [str(p.relative_to(ROOT)) for p in GUIDE if p.resolve() not in linked]
    assert not unlinked, f"not linked from README.md: {unlinked}"


def test_every_guide_page_says_where_its_commands_run():
    """Commands in the guide are written from the repository root; each page says so."""
    for page in GUIDE:
        head = "\n".join(page.read_text("utf-8").splitlines()[:5])
        assert "仓库根目录" in head and "](../README.md)" in head, page.name


@pytest.mark.parametrize(("heading", "anchor"), [
    ("格式版本", "格式版本"),
    ("印制方式（printing）", "印制方式printing"),
    ("生成 PDF（build --pdf）", "生成-pdfbuild---pdf"),
    ("1. 开始新一年的版本", "1-开始新一年的版本"),
    ("发文字号、分隔线、署名和版记", "发文字号分隔线署名和版记"),
    ("Word 模板", "word-模板"),
    ("qingdan.yaml", "qingdanyaml"),
    ("`printing` 的 [写法](x.md)", "printing-的-写法"),
])
def test_anchors_are_made_as_github_makes_them(heading, anchor):
    assert slug(heading) == anchor


def test_a_broken_link_is_found(tmp_path):
    """The checker itself fails on a missing file, a missing heading and a link that
    leaves the repository, and passes a good link, an image and a link in code."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "images").mkdir()
    (tmp_path / "docs" / "images" / "图.png").write_bytes(b"")
    (tmp_path / "docs" / "页.md").write_text("# 页\n\n## 印制方式（printing）\n", "utf-8")
    readme = tmp_path / "README.md"
    readme.write_text(
        "# 说明\n\n[好](docs/页.md#印制方式printing) ![图](docs/images/图.png)"
        " [同页](#说明) [网](https://example.com/x.md)\n\n"
        "`[代码](没有.md)`\n\n```\n[代码块](没有.md)\n```\n", "utf-8")
    assert broken(readme, tmp_path) == []
    readme.write_text(
        "[缺](docs/没有.md) [错](docs/页.md#印制方式) [外](../外.md)\n", "utf-8")
    assert [problem.rsplit(": ", 1)[1] for problem in broken(readme, tmp_path)] == [
        "no such file", "no heading with this anchor", "leads outside the repository"]


def _first_project() -> str:
    """The README's "first project in five minutes" section."""
    text = README.read_text("utf-8")
    start = text.index("## 五分钟做出第一份清单")
    return text[start:text.index("\n## ", start + 1)]


def test_the_first_project_in_the_readme_works_as_shown(tmp_path):
    """A clerk's first project, exactly as the README writes it: its two files, every
    command with the output the README shows, the document's headings, and the typo
    the README makes on purpose, with the error it shows."""
    import shlex

    import docx

    from conftest import run_cli

    section = _first_project()
    files = re.findall(r"^`(我的清单/[^`]+)`：(?:[^\n]+\n)+\n```yaml\n(.*?)```", section, re.S | re.M)
    assert [name for name, _ in files] == ["我的清单/qingdan.yaml", "我的清单/责任清单.yaml"]
    for name, body in files:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(body, "utf-8")

    runs = re.findall(r"```bash\n\.venv/bin/qingdan (.*?)\n```\n\n```\n(.*?)```", section, re.S)
    assert len(runs) == 2, "the check and build steps, each with its output"
    for arguments, shown in runs:
        result = run_cli(*shlex.split(arguments), cwd=tmp_path)
        assert result.exit_code == 0, result.output
        assert result.output.splitlines() == shown.splitlines(), arguments

    made = re.search(r"已生成：(\S+\.docx)", section)
    assert made is not None
    document = docx.Document(str(tmp_path / made.group(1)))
    texts = [p.text for p in document.paragraphs]
    headings = re.findall(r"“([一二]、[^”]+)”", section)
    assert len(headings) == 2 and all(heading in texts for heading in headings), texts

    typo = re.search(r"把清单中的 `(\{\{[^`]+\}\})` 故意写成 `(\{\{[^`]+\}\})`", section)
    assert typo is not None
    source = tmp_path / "我的清单" / "责任清单.yaml"
    source.write_text(source.read_text("utf-8").replace(typo.group(1), typo.group(2)), "utf-8")
    shown_error = re.search(r"再检查一次：\n\n```\n(.*?)```", section, re.S)
    assert shown_error is not None
    result = run_cli("check", "我的清单", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.output.splitlines() == shown_error.group(1).splitlines()
