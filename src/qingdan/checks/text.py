"""Text lints: half-width punctuation, common slips, hard-coded article numbers, and,
after rendering, empty text and leftover template markers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..diagnostics import Diagnostic
from ..model import Measures, Notice, Project, ResponsibilityList, Text
from ..refs import HARD_ARTICLE, Index

HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）",
                ".": "。"}
CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》—…]"
# A half-width mark touching Chinese text; a full stop only between two Chinese characters,
# so 1. and 2.5 stay.
HALF_WIDTH = re.compile(rf"(?<={CJK})[,;:?!()]|[,;:?!()](?={CJK})|(?<={CJK})\.(?={CJK})")
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
MARKERS = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")

# Slips that recur in officialese (sample 002 has 按受 and 一到致). Each is only flagged.
TYPOS = {
    "按受": "接受", "一到致": "一致", "康洁": "廉洁", "选拨": "选拔", "签定": "签订",
    "贯切": "贯彻", "部暑": "部署", "截止目前": "截至目前", "做为": "作为", "情状": "情况",
    "既往不究": "既往不咎", "再接再励": "再接再厉", "迫不急待": "迫不及待", "一愁莫展": "一筹莫展",
}
TYPO = re.compile("|".join(map(re.escape, TYPOS)))


@dataclass(frozen=True)
class Fix:
    """One mechanical fix: replace the character at a file offset."""

    path: str
    offset: int
    old: str
    new: str


def texts_of_list(doc: ResponsibilityList) -> Iterator[Text]:
    yield from doc.title
    for text in (doc.preamble, doc.recipients):
        if text is not None:
            yield text
    for role in doc.roles:
        if role.heading.raw:
            yield role.heading
        if role.lead is not None:
            yield role.lead
        for item in role.items:
            yield item.text


def texts_of_measures(doc: Measures) -> Iterator[Text]:
    yield from doc.title
    if doc.preamble is not None:
        yield doc.preamble
    for node in doc.nodes():
        for text in (node.heading, node.text, node.criteria):
            if text is not None:
                yield text
    if doc.scoring is not None:
        for component in doc.scoring.components:
            yield component.name
        if doc.scoring.formula is not None:
            yield doc.scoring.formula


def texts_of_notice(doc: Notice) -> Iterator[Text]:
    yield from doc.title
    for text in (doc.mark, doc.number, doc.recipients, doc.body, doc.signature, doc.copy_to,
                 doc.printer):
        if text is not None:
            yield text


def all_texts(project: Project) -> Iterator[Text]:
    basis = (c for lst in project.lists for c in lst.basis)
    cited = {id(d): d for d in [*project.documents, *basis]}
    for cited_doc in cited.values():
        yield from (t for t in (cited_doc.title, cited_doc.organ) if t is not None)
    for lst in project.lists:
        yield from texts_of_list(lst)
    for doc in project.measures:
        yield from texts_of_measures(doc)
    for notice in project.notices:
        yield from texts_of_notice(notice)


def _prose(raw: str) -> str:
    """raw with placeholders blanked out (same length), so offsets stay true; so is a block
    scalar's header line (`>-  # 注释`), whose comment is not text."""
    if raw.startswith(("|", ">")):
        header = raw.find("\n") if "\n" in raw else len(raw)
        raw = "\x00" * header + raw[header:]
    return JINJA.sub(lambda m: "\x00" * len(m.group(0)), raw)


def half_width(text: Text) -> list[tuple[int, str, str]]:
    """(offset in raw, mark, full-width mark) for each half-width mark in Chinese text."""
    return [(m.start(), m.group(0), HALF_TO_FULL[m.group(0)])
            for m in HALF_WIDTH.finditer(_prose(text.raw))]


def punctuation_fixes(project: Project) -> list[Fix]:
    """What `qingdan fmt` changes: every half-width mark W901 reports."""
    return [Fix(text.location.path, text.offset + index, old, new)
            for text in all_texts(project) if text.raw and text.offset >= 0
            for index, old, new in half_width(text)]


def lint_sources(project: Project, index: Index) -> list[Diagnostic]:
    """Lints on the source text, before rendering, so each points at what the clerk wrote."""
    found = lint_texts(all_texts(project))
    for doc in project.measures:
        found.extend(_hard_coded(doc, index))
    return found


def lint_texts(texts: Iterable[Text]) -> list[Diagnostic]:
    """Half-width punctuation and common slips in the given source texts."""
    found = []
    for text in texts:
        if not text.raw:
            continue
        for offset, old, new in half_width(text):
            found.append(Diagnostic("W901", f"中文中的半角标点“{old}”应为全角“{new}”",
                                    text.at(offset), hint="运行 qingdan fmt 可自动改正"))
        for match in TYPO.finditer(_prose(text.raw)):
            word = match.group(0)
            found.append(Diagnostic("W902", f"“{word}”疑为错别字，应为“{TYPOS[word]}”",
                                    text.at(match.start()), hint="确认无误后可在 qingdan.yaml "
                                    "的 diagnostics 中写 W902: off"))
    return found


def _hard_coded(doc: Measures, index: Index) -> list[Diagnostic]:
    """Literal 第三条 in a measures text: right today, wrong after the next insertion."""
    if doc.numbering != "articles":
        return []
    by_label = {t.label: t for t in index.by_doc.get(doc.name, {}).values()}
    found = []
    for text in texts_of_measures(doc):
        for match in HARD_ARTICLE.finditer(_prose(text.raw)):
            label = match.group(0)
            target = by_label.get(label)
            if target is not None:
                hint = (f"当前{label}的编号是 {target.id}，写成 {{{{ ref('{target.id}') }}}}"
                        "，可随条文增删自动更新")
            else:
                count = sum(1 for t in by_label if t.endswith("条"))
                hint = (f"本办法只有 {count} 条，没有{label}；"
                        "引用本办法条文请用 {{ ref('编号') }}")
            found.append(Diagnostic("W314", f"条号“{label}”写成了固定文字", text.at(match.start()),
                                    hint=hint))
    return found


def lint_resolved(project: Project) -> list[Diagnostic]:
    """Lints on the rendered text: nothing empty, no template markers left behind."""
    found = []
    for text in all_texts(project):
        if not text.value.strip():
            found.append(Diagnostic("E903", "内容为空（占位符渲染后没有文字）", text.location,
                                    hint="检查占位符引用的变量是否有值"))
        marker = MARKERS.search(text.value)
        if marker:
            found.append(Diagnostic("E904", f"生成的文字中残留模板标记“{marker.group(0)}”",
                                    text.location, hint="占位符的变量值中不要含有 {{ }} 或 {% %}"))
    return found
