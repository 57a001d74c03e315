"""Generated notices printed by LibreOffice: the signature's page always carries body text,
the title is never an hourglass, the end block stands on the last even side, and proof
finds nothing.

One project holds sixty notices whose bodies fill 1 to 60 lines, with 0 to 3 attachments
(of one, two and one pages, so the text ends on odd and even pages), titles of one to
four lines, recipients of one or two lines, some sealed, and three whose paragraphs end
with a one-character line (qingdan sets them 29 characters a line). They are built with `build --pdf`
(one batch through the session's LibreOffice pool), each PDF is read back, and proof's page
checks run on the same PDFs. The real case that started it is a fixture of its own
(tests/fixtures/signature-alone: another office's one-page notice).
"""

from __future__ import annotations

import random
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, office_missing, run_cli
from pdfmeasure import LEFT, lines
from qingdan.builder.pipeline import prepare
from qingdan.layout.grid import METRICS, line_count
from qingdan.layout.notice import NoticeText, attachment_notes, signature_lines
from qingdan.layout.signature import choose
from qingdan.layout.titles import balance_title, cells, shaped
from qingdan.proof.pages import find_pdftotext, read_lines
from qingdan.proof.run import _check, _Document
from qingdan.resolve.resolver import resolve_project

needs_office = pytest.mark.skipif(office_missing() is not None, reason=str(office_missing()))
FIXTURE = REPO / "tests" / "fixtures" / "signature-alone"
WORDS = ("意识形态工作", "责任制", "党建工作", "全面从严治党", "主体责任", "领导班子", "考核评价",
         "专题研究", "宣传阵地", "网络安全", "理论学习", "基层党组织", "工作机制", "督促检查",
         "2025年度", "第3季度", "12月31日前")
ATTACHED = {  # source name -> (kind, title, items): one, two and one pages
    "清单甲": ("list", "{{ unit.name }}意识形态工作责任清单", 8),
    "办法乙": ("measures", "{{ unit.name }}意识形态工作责任制考核办法", 30),
    "清单丙": ("list", "{{ unit.name }}党建工作责任清单", 5),
}
RECIPIENTS = ("局属各单位：", "机关各科室党支部，局属各单位党组织，各驻村工作队，各派出机构党支部，"
              "各直属事业单位党组织：")


def sentence(rng: random.Random, length: int, words: tuple[str, ...] = WORDS) -> str:
    """Officialese of exactly length characters, ending with 。"""
    text = ""
    while len(text) < length - 1:
        text += rng.choice(words) + rng.choice(("", "，", "、", "。"))
    return text[:length - 1].rstrip("，、。") .ljust(length - 1, "要") + "。"


def paragraph(rng: random.Random, lines_wanted: int) -> str:
    """A body paragraph that takes lines_wanted lines under every font model."""
    for _ in range(200):
        length = 26 + 28 * (lines_wanted - 1) - rng.randint(2, 18)
        text = sentence(rng, max(length, 3))
        if all(line_count(text, 26, 28, m) == lines_wanted for m in METRICS):
            return text
    raise AssertionError(f"no paragraph of {lines_wanted} lines")


def body(rng: random.Random, lines_wanted: int) -> list[str]:
    paragraphs = []
    while lines_wanted > 0:
        take = min(lines_wanted, rng.choice((1, 2, 3, 4, 6)))
        paragraphs.append(paragraph(rng, take))
        lines_wanted -= take
    return paragraphs


def short_tail(rng: random.Random, lines_wanted: int) -> str:
    """A paragraph of lines_wanted lines whose last line holds two characters (the last
    "。"): at 29 a line (the spacing qingdan may choose) it takes a line fewer."""
    for _ in range(200):
        text = sentence(rng, 26 + 28 * (lines_wanted - 2) + 2, WORDS[:14])  # no digits
        if all(line_count(text, 26, 28, m) == lines_wanted for m in METRICS):
            return text
    raise AssertionError(f"no short-tailed paragraph of {lines_wanted} lines")


def respaced(rng: random.Random, count: int) -> list[dict]:
    """Notices qingdan sets at another character spacing: bodies of short-tailed
    paragraphs, found by asking the layout (so the corpus has some whatever the fonts)."""
    found = []
    for attempt in range(400):
        attachments = list(ATTACHED)[:1 + attempt % 3]
        paragraphs = [short_tail(rng, rng.choice((2, 3))) for _ in range(2 + attempt % 5)]
        spec = {"title": title(rng), "body": paragraphs, "attachments": attachments,
                "recipients": RECIPIENTS[0], "seal": False}
        notes = attachment_notes([ATTACHED[a][1].replace("{{ unit.name }}", "清河县粮食局")
                                  for a in attachments])
        sign, date = signature_lines("中共清河县粮食局委员会", "2024年10月8日")
        text = NoticeText(tuple(balance_title([spec["title"]])), spec["recipients"],
                          tuple(paragraphs), notes, sign, date, 1)
        remedy = choose(text)
        if remedy is not None and remedy.chars != 28:
            found.append(spec)
            if len(found) == count:
                break
    return found


def title(rng: random.Random) -> str:
    subject = "".join(rng.choice(WORDS[:14]) for _ in range(rng.randint(1, 9)))
    return f"关于进一步加强清河县粮食局{subject}的通知"


def quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_project(root: Path) -> dict[str, dict]:
    """The project: its config, the three attachable documents, sixty notices. Returns
    each notice's file name -> what it was made of."""
    root.mkdir()
    (root / "qingdan.yaml").write_text(
        "unit:\n  name: 清河县粮食局\n  short: 局\n  body: 党委\n  superior: 县委\n", "utf-8")
    for name, (kind, heading, items) in ATTACHED.items():
        rng = random.Random(name)
        if kind == "list":
            rows = "".join(f"      - id: i{n}\n        text: {paragraph(rng, 2)}\n"
                           for n in range(items))
            text = f"kind: list\ntitle: \"{heading}\"\nroles:\n  committee:\n    items:\n{rows}"
        else:
            rows = "".join(f"  - id: a{n}\n    text: {paragraph(rng, 1 + n % 3)}\n"
                           for n in range(items))
            text = f"kind: measures\ntitle: \"{heading}\"\ncontent:\n{rows}"
        (root / f"{name}.yaml").write_text(text, "utf-8")
    made = {}
    rng = random.Random(20241008)
    for n in range(1, 61):
        attachments = list(ATTACHED)[:n % 4]
        paragraphs = body(rng, n)
        if not attachments and len(paragraphs) == 1:  # a work notice: body, then a section
            paragraphs = [paragraph(rng, 1), *body(rng, n - 1)]
        spec = {"title": title(rng), "body": paragraphs, "attachments": attachments,
                "recipients": RECIPIENTS[n % 5 == 0], "seal": n % 7 == 0}
        if attachments:  # a notice issuing documents
            text = "body: |\n" + "".join(f"  {p}\n" for p in paragraphs)
            text += f"attachments: [{', '.join(attachments)}]\n"
        else:  # a work notice: its body, then a section (with a heading or without)
            text = f"body: {paragraphs[0]}\n"
            heading = "  - heading: 工作要求\n    text: |\n" if n % 8 else "  - text: |\n"
            text += "sections:\n" + heading + "".join(f"      {p}\n" for p in paragraphs[1:])
        kind = "notice" if attachments else "work"
        (root / f"通知{n:02d}.yaml").write_text(
            f"kind: {kind}\nmark: 中共清河县粮食局委员会文件\nnumber: 清粮党发〔2024〕{n}号\n"
            f"title: {quoted(spec['title'])}\nrecipients: {spec['recipients']}\n{text}"
            f"signature: 中共清河县粮食局委员会\ndate: 2024-10-08\n"
            + ("seal: true\n" if spec["seal"] else "")
            + ("copy_to: 县委宣传部，县委组织部\n" if n % 3 else ""), "utf-8")
        made[f"通知{n:02d}"] = spec
    for n, spec in enumerate(respaced(rng, 3), 61):
        text = "body: |\n" + "".join(f"  {p}\n" for p in spec["body"])
        (root / f"通知{n:02d}.yaml").write_text(
            f"kind: notice\nmark: 中共清河县粮食局委员会文件\nnumber: 清粮党发〔2024〕{n}号\n"
            f"title: {quoted(spec['title'])}\nrecipients: {spec['recipients']}\n{text}"
            f"attachments: [{', '.join(spec['attachments'])}]\n"
            "signature: 中共清河县粮食局委员会\ndate: 2024-10-08\n", "utf-8")
        made[f"通知{n:02d}"] = spec
    return made


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> tuple[Path, dict[str, dict], dict[str, Path]]:
    """The project, what each notice was made of, and each notice's PDF."""
    if office_missing() is not None:
        pytest.skip(str(office_missing()))
    root = tmp_path_factory.mktemp("signature-pages")
    project = root / "project"
    made = write_project(project)
    shutil.copytree(FIXTURE, root / "fixture")
    pdfs = {}
    for source, out in ((project, root / "out"), (root / "fixture", root / "fixture-out")):
        result = run_cli("build", str(source), "-o", str(out), "--pdf")
        assert result.exit_code == 0, result.output
        pdfs.update({p.stem: p for p in out.glob("关于*.pdf")})
    return project, made, pdfs


def by_source(project: Path, pdfs: dict[str, Path]) -> dict[str, Path]:
    """Each notice's PDF, by the notice's source name (the PDF is named by its title)."""
    text = {p.stem: p.read_text("utf-8") for p in project.glob("通知*.yaml")}
    found = {}
    for name, source in text.items():
        wanted = re.search(r"^title: \"(.*)\"$", source, re.M).group(1)  # type: ignore[union-attr]
        found[name] = pdfs[wanted]
    return found


def date_line(found, date: str):
    return next(ln for ln in found if ln.text.replace(" ", "") == date)


@needs_office
def test_the_real_case_keeps_its_signature_with_the_body(printed):
    _, _, pdfs = printed
    pdf = next(p for name, p in pdfs.items() if "高新区思想政治工作" in name)
    _, found = lines(pdf)
    date = date_line(found, "2019年4月22日")
    on_page = [ln.text.replace(" ", "") for ln in found if ln.page == date.page]
    assert date.page == 2 and "执行中遇到的问题，请及时报党政综合办公室。" in on_page
    # The last paragraph went over whole: page 1 ends with the first paragraph.
    first = [ln.text.replace(" ", "") for ln in found if ln.page == 1 and ln.in_body]
    assert first[-1] == "合实际认真贯彻落实。"


@needs_office
def test_every_signature_page_carries_body_text(printed):
    project, made, pdfs = printed
    for name, pdf in by_source(project, pdfs).items():
        _, found = lines(pdf)
        date = date_line(found, "2024年10月8日")
        text = "".join(made[name]["body"])
        body = [ln for ln in found if ln.page == date.page and ln.y0 < date.y0
                and ln.x0 < LEFT + 40 and len(ln.text.replace(" ", "")) > 1
                and ln.text.replace(" ", "") in text]
        assert body, f"{name}: page {date.page} holds the signature and no body text"


@needs_office
def test_the_corpus_holds_every_remedy(printed):
    """Some notices are tightened or loosened, some respaced, some broken before their last
    lines (read from the .docx: what qingdan wrote)."""
    project, _, pdfs = printed
    seen = set()
    for pdf in by_source(project, pdfs).values():
        xml = zipfile.ZipFile(pdf.with_suffix(".docx")).read("word/document.xml").decode()
        flow = xml[xml.index("qingdan_flow"):xml.index("<w:bookmarkEnd")]
        if re.search(r'w:line="(?!579")\d+" w:lineRule="exact"', flow):
            seen.add("pitch")
        if '<w:spacing w:val="-16"/>' in flow or '<w:spacing w:val="7"/>' in flow:
            seen.add("spacing")
        if "<w:pageBreakBefore/>" in flow:
            seen.add("break")
    assert seen == {"pitch", "spacing", "break"}, seen


@needs_office
def test_titles_on_the_page_are_never_hourglasses(printed):
    project, made, pdfs = printed
    shapes = set()
    for name, pdf in by_source(project, pdfs).items():
        _, found = lines(pdf)
        wanted = made[name]["title"]
        start = next(i for i, ln in enumerate(found) if ln.text.startswith("关于"))
        title, taken = [], ""
        for ln in found[start:]:
            if taken == wanted:
                break
            title.append(ln)
            taken += ln.text.replace(" ", "")
        assert taken == wanted, name
        widths = [ln.x1 - ln.x0 for ln in title]
        assert shaped([round(w / 2) for w in widths]), (name, [ln.text for ln in title])
        assert [round(w / 21.75) for w in widths] == [
            round(cells(ln.text.replace(" ", ""))) for ln in title]  # the printed lines are ours
        shapes.add(len(title))
    assert shapes >= {1, 2, 3}, shapes


@needs_office
def test_the_end_block_is_on_the_last_even_side(printed):
    project, _, pdfs = printed
    blanks = 0
    for name, pdf in by_source(project, pdfs).items():
        pages, found = lines(pdf)
        block = [ln for ln in found if ln.text.replace(" ", "").endswith("印发")
                 and "2024年10月8日" in ln.text.replace(" ", "")]
        assert pages % 2 == 0 and [ln.page for ln in block] == [pages], name
        numbers = {ln.page for ln in found if re.fullmatch(r"—\d+—", ln.text.replace(" ", ""))}
        if not any(ln.page == pages - 1 for ln in found):  # a blank page before it
            blanks += 1
            assert pages - 1 not in numbers and pages not in numbers, name
        else:
            assert pages in numbers, name
    assert blanks, "some notice ends on an even page with no room for the end block"


@needs_office
def test_proof_finds_nothing_on_the_same_pages(printed):
    project, _, pdfs = printed
    prepared = prepare(project)
    model = resolve_project(prepared.project, prepared.index)[0]
    pdftotext = find_pdftotext()
    assert pdftotext is not None
    found = []
    for name, pdf in by_source(project, pdfs).items():
        docx = pdf.with_suffix(".docx")
        document = _Document(pdf.name, docx.read_bytes(), model, name, docx, pdf)
        sizes, page_lines = read_lines(pdf, pdftotext)
        found += _check(document, sizes, page_lines, prepared.project.root)
    assert not found, "\n".join(d.message for d in found)
