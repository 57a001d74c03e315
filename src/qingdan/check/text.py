"""Text lints: half-width punctuation, common slips, hard-coded article numbers, and,
after rendering, empty text and leftover template markers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..diagnostics import Diagnostic
from ..model import Measures, Notice, Project, ResponsibilityList, Text
from ..resolve.refs import Index
from .marks import chinese_dates, lint_marks, mark_changes, title_ends, titles
from .prose import CJK, prose

HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）",
                ".": "。"}
# A half-width mark touching Chinese text; a full stop only between two Chinese characters,
# so 1. and 2.5 stay.
HALF_WIDTH = re.compile(rf"(?<={CJK})[,;:?!()]|[,;:?!()](?={CJK})|(?<={CJK})\.(?={CJK})")
PARENS = re.compile(r"[()]")
CJK_CHAR = re.compile(CJK)
MARKERS = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")

# Slips that recur in officialese (sample 002 has 按受 and 一到致). Each is only flagged.
# Words that are not slips but misused forms (截止目前, 做为) are W931's (check/wording.py).
TYPOS = {
    "按受": "接受", "一到致": "一致", "康洁": "廉洁", "选拨": "选拔", "签定": "签订",
    "贯切": "贯彻", "部暑": "部署", "情状": "情况",
    "既往不究": "既往不咎", "再接再励": "再接再厉", "迫不急待": "迫不及待", "一愁莫展": "一筹莫展",
}
TYPO = re.compile("|".join(map(re.escape, TYPOS)))


@dataclass(frozen=True)
class Fix:
    """One mechanical fix: replace the characters old at a file offset (new "" deletes
    them)."""

    path: str
    offset: int
    old: str
    new: str
    counted: bool = True  # False for a change that only completes another (a space, a dot)


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
    for section in doc.sections:  # a work notice's; stage dates are checked as dates
        for stage in section.schedule:
            yield from (t for t in (stage.name, stage.task, stage.to) if t is not None)
        yield from (t for t in (section.heading, section.text) if t is not None)


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


def overlay_texts(project: Project) -> Iterator[Text]:
    """The texts the roster's units write in their overlays."""
    for unit in project.roster:
        for ops in unit.overlays.values():
            yield from (op.text for op in ops if op.text is not None)


def bracket_pairs(written: str) -> dict[int, int]:
    """Each half-width bracket's partner, both ways: a pair is made full-width together,
    or "(“优秀”票数×100+…×40)" would become "（“优秀”票数×100+…×40)", unpaired (W914)."""
    partner: dict[int, int] = {}
    opened: list[int] = []
    for m in PARENS.finditer(written):
        if m.group(0) == "(":
            opened.append(m.start())
        elif opened:
            start = opened.pop()
            partner[start], partner[m.start()] = m.start(), start
    return partner


def full_width_marks(written: str) -> list[int]:
    """The half-width marks to make full-width, in one pass as many rounds of HALF_WIDTH
    would leave them: a mark made full-width is Chinese text for its neighbours (`甲,,,,`
    takes four rounds, one a mark; here each changed mark puts only its two neighbours
    back on the list to look at), and the other half of a bracket pair goes with it."""
    todo = [m.start() for m in HALF_WIDTH.finditer(written)]
    if not todo:
        return []
    chars = list(written)
    partner = bracket_pairs(written) if "(" in written or ")" in written else {}
    changed: list[int] = []
    while todo:
        i = todo.pop()
        mark = chars[i]
        if mark not in HALF_TO_FULL:
            continue
        before = i > 0 and CJK_CHAR.match(chars[i - 1]) is not None
        after = i + 1 < len(chars) and CJK_CHAR.match(chars[i + 1]) is not None
        paired = i in partner and chars[partner[i]] not in HALF_TO_FULL  # its half is done
        if before and after or (before or after) and mark != "." or paired:
            chars[i] = HALF_TO_FULL[mark]
            changed.append(i)
            todo += [j for j in (i - 1, i + 1) if 0 <= j < len(chars)]
            if i in partner:
                todo.append(partner[i])
    return sorted(changed)


def half_width(text: Text) -> list[tuple[int, str, str]]:
    """(offset in raw, mark, full-width mark) for each half-width mark in Chinese text, as
    full_width_marks finds them (fmt needs one run for `紧急!!!!!!!`)."""
    written = prose(text.raw)
    return [(i, written[i], HALF_TO_FULL[written[i]]) for i in full_width_marks(written)]


def fmt_changes(text: Text) -> list[tuple[int, str, str]]:
    """What `qingdan fmt` changes in a text: every half-width mark W901 reports, made
    full-width, and the spaces between such a mark and Chinese text deleted (a full-width
    mark has its own space: "测试）, 好" becomes "测试），好")."""
    written = prose(text.raw)
    changes = half_width(text)
    spaces = []
    for index, _, _ in changes:
        after = index + 1
        while after < len(written) and written[after] == " ":
            after += 1
        if after > index + 1 and after < len(written) and re.match(CJK, written[after]):
            spaces += [(k, " ", "") for k in range(index + 1, after)]
        before = index
        while before > 0 and written[before - 1] == " ":
            before -= 1
        if before < index and before > 0 and re.match(CJK, written[before - 1]):
            spaces += [(k, " ", "") for k in range(before, index)]
    return changes + sorted(set(spaces))


def text_fixes(text: Text) -> list[Fix]:
    """Every change `qingdan fmt` makes in one source text: fmt_changes (W901), then
    marks.mark_changes (W911-W913) where W901 changes nothing."""
    if not text.raw or text.offset < 0:
        return []
    path, base = text.location.path, text.offset
    fixes = [Fix(path, base + i, old, new, counted=bool(new)) for i, old, new in fmt_changes(text)]
    taken = {f.offset for f in fixes}
    marks = [(i, old, new) for i, old, new in mark_changes(text) if base + i not in taken]
    digits = {i for i, old, _ in marks if "０" <= old <= "９"}  # W911 changes digit by digit
    # A run of full-width digits (２０２４) is one fault, as W911 reports it.
    fixes += [Fix(path, base + i, old, new,
                  counted=(bool(new) or old in "、…") and not (i in digits and i - 1 in digits))
              for i, old, new in marks]
    return fixes


def punctuation_fixes(project: Project) -> list[Fix]:
    """What `qingdan fmt` changes in the project's texts (text_fixes), the units'
    overlays included."""
    return [fix for text in [*all_texts(project), *overlay_texts(project)]
            for fix in text_fixes(text)]


def lint_sources(project: Project, index: Index) -> list[Diagnostic]:
    """Lints on the source text, before rendering, so each points at what the clerk wrote.
    A title's lines are one text for its paired marks (《 on one line, 》 on the next)."""
    found = lint_texts(all_texts(project),
                       joined=[t for t in titles(project) if len(t) > 1])
    for doc in project.measures:
        found.extend(_hard_coded(doc, index))
    found.extend(title_ends(project))
    for notice in project.notices:
        found.extend(chinese_dates(notice))
    return found


def lint_texts(texts: Iterable[Text], joined: Sequence[Sequence[Text]] = ()) -> list[Diagnostic]:
    """Half-width punctuation, common slips and the marks of marks.py in the given source
    texts; joined: groups of them whose paired marks are matched across the group."""
    texts = list(texts)
    found = []
    for text in texts:
        if not text.raw:
            continue
        for offset, old, new in half_width(text):
            found.append(Diagnostic("W901", f"中文中的半角标点“{old}”应为全角“{new}”",
                                    text.at(offset), hint="运行 qingdan fmt 可自动改正"))
        for match in TYPO.finditer(prose(text.raw)):
            word = match.group(0)
            found.append(Diagnostic("W902", f"“{word}”疑为错别字，应为“{TYPOS[word]}”",
                                    text.at(match.start()), hint="确认无误后可在 qingdan.yaml "
                                    "的 diagnostics 中写 W902: off"))
    return found + lint_marks(texts, joined)


NUMERAL = r"(?:[零〇一二三四五六七八九十百千]+|（[零〇一二三四五六七八九十百千]+）|\d+)"
UNIT = r"(?:条|款|项|目|部分|章|节)"
# 第三条, 第三条第二款第（一）项, 第二部分第（一）项, 第（三）项 — not after 《…》, which
# names another document's article.
HARD_REFERENCE = re.compile(rf"(?<![》>])(?:第{NUMERAL}{UNIT})+")
PIECE = re.compile(rf"第({NUMERAL})({UNIT})")


def hard_coded_phrases(doc: Measures, index: Index) -> dict[str, tuple[str, str]]:
    """How each target of a measures document may be written by hand, and the ref() to use
    instead: 第三条 -> {{ ref('fanwei') }}, 第二部分 -> 第{{ ref('x') }}部分."""
    targets = index.by_doc.get(doc.name, {})
    phrases: dict[str, tuple[str, str]] = {}
    if doc.numbering == "articles":
        for target in targets.values():
            if target.ref.startswith("第"):
                phrases[target.ref] = (target.id, f"{{{{ ref('{target.id}') }}}}")
        return phrases
    units = {1: "部分", 2: "项", 3: "目", 4: "目"}
    for top in doc.content:
        _outline(top, 1, ("", ""), targets, units, phrases)
    return phrases


def _outline(node, depth: int, prefix: tuple[str, str], targets, units: dict[int, str],
             phrases: dict[str, tuple[str, str]]) -> None:
    """Phrases for an outline node and its children: 第二部分, 第二部分第（一）项 …; prefix
    is the parent's phrase as written and as ref() calls."""
    target = targets.get(node.id)
    if target is None or depth > 4:
        return
    phrase = f"{prefix[0]}第{target.ref}{units[depth]}"
    call = f"{prefix[1]}第{{{{ ref('{node.id}') }}}}{units[depth]}"
    phrases[phrase] = (node.id, call)
    for child in node.children:
        _outline(child, depth + 1, (phrase, call), targets, units, phrases)


def _hard_coded(doc: Measures, index: Index) -> list[Diagnostic]:
    """A literal 第三条 or 第二部分第（一）项 in a measures text: right today, wrong after the
    next insertion. Found in every numbering scheme; the hint names the ref() to write."""
    phrases = hard_coded_phrases(doc, index)
    articles = sum(1 for p in phrases if p.endswith("条") and "第" not in p[1:])
    found = []
    for text in texts_of_measures(doc):
        for match in HARD_REFERENCE.finditer(prose(text.raw)):
            label = match.group(0)
            known = phrases.get(label)
            if known is not None:
                hint = (f"当前“{label}”的编号是 {known[0]}，写成 {known[1]}，"
                        "可随条文增删自动更新")
            elif doc.numbering == "articles" and PIECE.fullmatch(label) and label.endswith("条"):
                hint = (f"本办法只有 {articles} 条，没有{label}；"
                        "引用本办法条文请用 {{ ref('编号') }}")
            else:
                hint = ("本文件中没有找到“" + label + "”所指的条目；引用本文件的条文请用 "
                        "{{ ref('编号') }}，序号会随条文增删自动更新")
            found.append(Diagnostic("W314", f"条目序号“{label}”写成了固定文字",
                                    text.at(match.start()), hint=hint))
    return found


def lint_resolved(project: Project) -> list[Diagnostic]:
    """Lints on the rendered text: nothing empty, no template markers left behind."""
    found = []
    for text in all_texts(project):
        if text.broken:
            continue
        if not text.value.strip():
            found.append(Diagnostic("E903", "内容为空（占位符渲染后没有文字）", text.location,
                                    hint="检查占位符引用的变量是否有值"))
        marker = MARKERS.search(text.value)
        if marker:
            found.append(Diagnostic("E904", f"生成的文字中残留模板标记“{marker.group(0)}”",
                                    text.location, hint="占位符的变量值中不要含有 {{ }} 或 {% %}"))
    return found
