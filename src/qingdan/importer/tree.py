"""Labelled paragraphs -> the tree of a measures document: chapters, articles with their
款, outline levels 一、（一）1.（1）, headings on a line or run in, points, unnumbered
paragraphs where the text has them, and the numbering qingdan must reproduce."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from ..words import numbering
from .labels import Label, parse_label
from .paras import Para
from .report import Report

POINTS = re.compile(r"^(?P<body>.*?)[（(](?P<n>\d+(?:\.\d+)?)分[）)]$")
HEADING_STYLES = ("一级标题", "二级标题", "章标题", "Heading 1", "Heading 2", "heading 1",
                  "heading 2", "标题 1", "标题 2")
SENTENCE_MARKS = "。；！？"
# The sentence that closes a document (本办法自印发之日起施行), after its last numbered part.
CLOSING = re.compile(r"^(?:本|以上|上述)[\u4e00-\u9fff]{0,6}(?:办法|细则|意见|方案|规定|制度|清单|"
                     r"要点|规则)|自(?:印发|发布)之日起")


@dataclass
class Node:
    kind: str  # chapter, article, h1, h2, h3, h4, plain
    where: str
    number: int = 0
    raw: str = ""  # the label as the source wrote it
    heading: str | None = None
    texts: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    points: float | None = None
    form: str | None = None  # line or run-in, for a heading with text
    continues: bool = False
    id: str = ""
    notes: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # the source paragraphs it was made of

    @property
    def depth(self) -> int:
        return {"chapter": 0, "article": 1, "h1": 1, "h2": 2, "h3": 3, "h4": 4}.get(self.kind, 9)

    def walk(self) -> list[Node]:
        return [self, *(n for c in self.children for n in c.walk())]


def _numbered_kinds(scheme: str) -> set[str]:
    return {"chapter", "article", "h2", "h3", "h4"} if scheme == "articles" else {
        "h1", "h2", "h3", "h4"}


def scheme_of(paras: list[Para]) -> str:
    """articles when the text is cut into 第一条, 第二条 …; outline otherwise."""
    articles = sum(1 for p in paras if (lab := parse_label(p.text)) and lab.kind == "article")
    return "articles" if articles >= 2 else "outline"


def _split_run_together(paras: list[Para], scheme: str) -> list[Para]:
    """Two articles a copy put on one line: …（20分）第三十七条按照…"""
    if scheme != "articles":
        return paras
    out: list[Para] = []
    expected = 1
    for para in paras:
        label = parse_label(para.text)
        if label is not None and label.kind == "article":
            expected = label.number + 1
        text, done = para.text, 0  # text[done:] is what is left to cut, without copying
        while True:
            mark = f"第{numbering.chinese(expected)}条" if expected < 10000 else ""
            cut = text.find(mark, done + 1) if mark else -1
            if cut <= done or text[cut - 1] not in "。）；":
                break
            out.append(Para(text[done:cut], para.where, para.style))
            done = cut
            expected += 1
        text = text[done:]
        out.append(dataclasses.replace(para, text=text))
    return out


def build(paras: list[Para], scheme: str, display: str, report: Report,
          ) -> tuple[list[str], list[Node]]:
    """(preamble paragraphs, top-level nodes)."""
    paras = _split_run_together(paras, scheme)
    kinds = _numbered_kinds(scheme)
    preamble: list[str] = []
    root: list[Node] = []
    stack: list[Node] = []
    labels = [_label_in(p.text, kinds) for p in paras]
    last = max((i for i, lab in enumerate(labels) if lab is not None), default=-1)
    closing = False
    for i, para in enumerate(paras):
        label = labels[i]
        if label is None:
            if stack and not closing and i > last and CLOSING.search(para.text):
                closing = True  # 本办法自印发之日起施行: the document's, not the last item's
                report.add(f"{display} {para.where}", para.text,
                           "文末的结束语，作为全文最后不编号的段落（不并入上一条）")
            if closing:
                if root[-1].kind == "plain":
                    root[-1].texts.append(para.text)
                else:
                    root.append(Node("plain", f"{display} {para.where}", texts=[para.text]))
            elif not stack:
                preamble.append(para.text)
            elif stack[-1].children:
                tail = stack[-1].children[-1]
                if tail.kind == "plain" and not tail.children:
                    tail.texts.append(para.text)
                else:
                    stack[-1].children.append(Node("plain", f"{display} {para.where}",
                                                   texts=[para.text]))
            else:
                stack[-1].texts.append(para.text)
                stack[-1].lines.append(para.text)
            continue
        node = _node(label, para, display)
        node.lines.append(para.text)
        while stack and stack[-1].depth >= node.depth:
            stack.pop()
        if node.kind == "chapter" or not stack:
            root.append(node)
        else:
            parent = stack[-1]
            plain = parent.children[-1] if parent.children else None
            if (parent.kind == "article" and label.number == 1 and plain is not None
                    and plain.kind == node.kind and len(plain.texts) > 1):
                # A 款 after the 项: the paragraph that a restart at （一） follows.
                moved = Node("plain", plain.where, texts=[plain.texts.pop()])
                parent.children.append(moved)
                plain = moved
            # 项 after a 款 that restart at （一） belong to that 款.
            if (plain is not None and plain.kind == "plain" and parent.kind == "article"
                    and label.number == len([c for c in plain.children
                                             if c.kind == node.kind]) + 1):
                plain.children.append(node)
            else:
                parent.children.append(node)
        stack.append(node)
    for node in (n for top in root for n in top.walk()):
        _take_points(node)
    return preamble, root


def _label_in(text: str, kinds: set[str]) -> Label | None:
    label = parse_label(text)
    return label if label is not None and label.kind in kinds else None


def keep_labels(nodes: list[Node], report: Report) -> list[Node]:
    """A numbered run that steps back (（一）（二）（三）（二）（三）: the copy lost a
    heading and what stood under it) keeps the labels the source has: from the step on,
    the run's nodes become unnumbered paragraphs that print their labels as written, where
    numbering them would print （四）（五）. Each is reported at its line."""
    out: list[Node] = []
    previous: Node | None = None
    stepped = False
    for node in nodes:
        if node.kind not in ("h1", "h2", "h3", "h4"):
            node.children = keep_labels(node.children, report)
            out.append(node)
            continue
        if (not stepped and previous is not None and previous.kind == node.kind
                and node.number <= previous.number):
            stepped = True
            why = (f"原文序号在此退回到“{node.raw}”（上一个是“{previous.raw}”），前面可能缺了一部分"
                   "（如一个标题）：照录原文的序号，作为不编号的段落导入，不改为 qingdan 的编号")
            report.add(node.where, node.lines[0] if node.lines else node.raw, why)
            node.notes.append(f"导入：{why}")
        if stepped:
            out.append(Node("plain", node.where, texts=_literal(node), notes=node.notes))
            continue
        previous = node
        node.children = keep_labels(node.children, report)
        out.append(node)
    return out


def _literal(node: Node) -> list[str]:
    """A node's paragraphs as the source wrote them, labels included, and its children's."""
    own = node.lines if node.kind != "plain" else node.texts
    return [*own, *(line for child in node.children for line in _literal(child))]


def _node(label: Label, para: Para, display: str) -> Node:
    node = Node(label.kind, f"{display} {para.where}", label.number, label.raw)
    rest = label.rest
    if label.kind == "chapter":
        node.heading = rest or None
        return node
    lead = para.lead[len(label.raw):].strip() if para.lead.startswith(label.raw) else ""
    if para.style in HEADING_STYLES:
        node.heading = rest or None
    elif para.face and rest and label.kind != "article":  # a heading paragraph in Word
        node.heading, node.form = rest, "line"
    elif lead and rest.startswith(lead) and len(rest) > len(lead):
        node.heading = lead[:-1] if lead.endswith("。") else lead
        node.texts.append(rest[len(lead):].strip())
        node.form = "run-in"
    elif label.kind == "article":
        if rest:
            node.texts.append(rest)
    elif _line_heading(rest, label):
        node.heading = rest
        node.form = "line"
    elif (spaced := re.match(r"^(\S{2,16}) (\S.*)$", rest)) and _line_heading(spaced.group(1),
                                                                              label):
        node.heading, node.form = spaced.group(1), "line"  # 五、考核要求 各党支部要……
        node.texts.append(spaced.group(2))
    else:
        head, _, body = rest.partition("。")
        bare = POINTS.sub(r"\g<body>", head)
        if (body and not POINTS.match(body.strip()) and 0 < len(bare) <= 16
                and not re.search(r"[，、；：,]", bare)):
            node.heading = head
            node.texts.append(body.strip())
            node.form = "run-in"
        elif rest:
            node.texts.append(rest)
    return node


def _line_heading(rest: str, label: Label) -> bool:
    """一、考核对象 or （一）履行职责: a short heading with no sentence in it."""
    return (label.depth <= 2 and 0 < len(rest) <= 40 and rest[-1] not in SENTENCE_MARKS + "："
            and not any(m in rest for m in SENTENCE_MARKS))


def _take_points(node: Node) -> None:
    """（10分） after a heading, or after the text of a node without one, is its points:
    exactly where qingdan prints them. Anywhere else it stays text."""
    if node.kind in ("plain", "chapter"):
        return
    if node.heading:
        match = POINTS.match(node.heading)
        if match and match.group("body"):
            node.heading = match.group("body")
            node.points = float(match.group("n"))
        return
    if node.texts:
        match = POINTS.match(node.texts[-1])
        if match and match.group("body"):
            node.texts[-1] = match.group("body")
            node.points = float(match.group("n"))


def check_numbers(root: list[Node], scheme: str, display: str, report: Report,
                  ) -> set[int]:
    """Compare the source's numbers with the ones qingdan will print: a restart that did
    not happen becomes `continue` (or a continuous level), anything else is renumbered
    and reported. Returns the levels numbered continuously throughout."""
    running: dict[int, int] = {}
    continued: dict[int, list[bool]] = {}
    counts = {"chapter": 0, "article": 0}

    def group(parent: Node | None, children: list[Node]) -> None:
        numbered = [c for c in children if c.kind != "plain" and c.kind != "chapter"]
        if scheme == "articles" and (parent is None or parent.kind == "chapter"):
            for child in children:
                if child.kind == "chapter":
                    counts["chapter"] += 1
                    if child.number != counts["chapter"]:
                        _renumbered(child, f"第{numbering.chinese(counts['chapter'])}章", report)
                elif child.kind == "article":
                    counts["article"] += 1
                    if child.number != counts["article"]:
                        _renumbered(child, f"第{numbering.chinese(counts['article'])}条", report)
                group(child, child.children)
            return
        if numbered:
            depth = numbered[0].depth
            first = numbered[0].number
            restart = first == 1
            carry = running.get(depth, 0) + 1 == first and first != 1
            if carry and parent is not None:
                parent.continues = True
            continued.setdefault(depth, []).append(carry)
            start = running.get(depth, 0) if carry else 0
            for n, child in enumerate(numbered, start + 1):
                if child.number != n:
                    _renumbered(child, _label(child.kind, n), report)
            running[depth] = start + len(numbered)
            if not restart and not carry:
                running[depth] = len(numbered)
        for child in children:
            group(child, child.children)

    group(None, root)
    return {d for d, flags in continued.items() if len(flags) > 1 and all(flags[1:])}


def _label(kind: str, n: int) -> str:
    return {"h1": numbering.section, "h2": numbering.subsection, "h3": numbering.item,
            "h4": numbering.paren}[kind](n)


def _renumbered(node: Node, label: str, report: Report) -> None:
    why = f"原文序号“{node.raw}”不连续（或不从一起编），qingdan 按顺序编为“{label}”"
    node.notes.append(f"导入：{why}")
    report.add(node.where, node.raw + (node.heading or (node.texts[0] if node.texts else "")),
               why)
