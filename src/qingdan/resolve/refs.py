"""References by id: pass one collects every target and its label, pass two resolves.

Labels are computed from the structure, never written by hand, so a reference always
names the target as it is numbered now: inserting an article renumbers every reference
to the articles after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import Diagnostic, Location, did_you_mean
from ..model import Measures, Node, Project, ResponsibilityList
from ..words import numbering


@dataclass(frozen=True)
class Target:
    """Something a reference can name: a list item, an article, a chapter, an outline level."""

    doc: str
    id: str
    label: str  # as printed before the text: 第三条, （二）, 3.
    ref: str  # as written in running text by {{ ref('id') }}: 第三条, （二）, 3
    location: Location


class RefError(Exception):
    """A reference that cannot be resolved; resolver.py turns it into a located diagnostic."""

    def __init__(self, code: str, message: str, needle: str, hint: str | None = None):
        super().__init__(message)
        self.code, self.message, self.needle, self.hint = code, message, needle, hint


MAX_DEPTH = 4
ARTICLE_PART = {2: "第{}项", 3: "第{}目", 4: "{}"}


def list_targets(doc: ResponsibilityList) -> list[Target]:
    return [Target(doc.name, item.id, numbering.item(n), str(n), item.location)
            for role in doc.roles for n, item in enumerate(role.items, 1)]


def measures_targets(doc: Measures) -> tuple[list[Target], list[Diagnostic]]:
    """Every node's label and reference text, with problems of structure.

    Numbers restart under each parent unless the level is in doc.continuous or the parent
    says `continues` (then they go on from the previous parent's). An unnumbered paragraph
    (node.plain) gets no number; inside an article it is a 款: 第三条第二款, the article's
    own text being the first, and the 项 under it are 第三条第二款第（一）项.
    """
    targets: list[Target] = []
    problems: list[Diagnostic] = []
    running: dict[int, int] = {}  # depth -> last number given, for continuous levels

    def add(node: Node, label: str, ref: str) -> None:
        if node.id:
            targets.append(Target(doc.name, node.id, label, ref, node.location))

    def nested(parent: Node, depth: int, parent_ref: str | None, start: int = 0,
               clauses: int | None = None) -> int:
        """Levels under an article or an outline heading: （一） 1. （1）. Returns the last
        number given, for a following sibling that continues it. clauses: how many 款
        the article has so far, when parent is an article."""
        n = running.get(depth, 0) if depth in doc.continuous else start
        last_children = 0
        for child in parent.children:
            if child.plain:
                if clauses is not None:
                    clauses += 1
                    ref = f"{parent_ref}第{numbering.chinese(clauses)}款"
                    add(child, "", ref)
                    nested(child, depth, ref)
                else:
                    add(child, "", "")
                    if child.children:
                        problems.append(Diagnostic(
                            "E204", "不编序号的段（paragraph）不能有下级条目", child.location,
                            hint="下级条目写在上一个编号条目的 items 中；条中的款（articles "
                                 "编号）可以有项"))
                continue
            if depth > MAX_DEPTH:
                problems.append(Diagnostic("E204", f"“{child.id}”层级过深：最多 {MAX_DEPTH} 级",
                                           child.location, hint="把下级内容并入上一级的正文"))
                continue
            n += 1
            label, own = level_label(depth, n)
            # Under an article the reference names the path: 第三条第（二）项第1目.
            ref = own if parent_ref is None else parent_ref + ARTICLE_PART[depth].format(own)
            add(child, label, ref)
            last_children = nested(child, depth + 1, None if parent_ref is None else ref,
                                   start=last_children if child.continues else 0)
        running[depth] = n
        return n

    if doc.numbering == "outline":
        top = Node(id="", location=doc.location, children=doc.content)
        for node in doc.content:
            if node.chapter:
                problems.append(Diagnostic("E204", "outline 编号的文件不分章", node.location,
                                           hint="分章时写 numbering: articles"))
        _outline_top(top, add, nested)
        return targets, problems
    articles = chapters = 0
    for node in doc.content:
        if node.plain:
            add(node, "", "")
            continue
        if node.chapter:
            chapters += 1
            add(node, numbering.chapter(chapters), numbering.chapter(chapters))
            group = node.children
        else:
            group = (node,)
        for article in group:
            if article.plain:
                add(article, "", "")
                continue
            articles += 1
            label = numbering.article(articles)
            add(article, label, label)
            own = len(article.text.paragraphs()) if article.text else 0
            nested(article, 2, label, clauses=own)
    return targets, problems


def _outline_top(top: Node, add, nested) -> None:
    """The first level of an outline document (一、 二、), numbered around plain paragraphs,
    each numbering its own levels below."""
    n = 0
    last_children = 0
    for node in top.children:
        if node.plain:
            add(node, "", "")
            continue
        n += 1
        label, ref = level_label(1, n)
        add(node, label, ref)
        last_children = nested(node, 2, None, start=last_children if node.continues else 0)


def level_label(depth: int, n: int) -> tuple[str, str]:
    """(printed label, reference text) for outline depth 1..4."""
    if depth == 1:
        return numbering.section(n), numbering.chinese(n)
    if depth == 2:
        return numbering.subsection(n), numbering.subsection(n)
    if depth == 3:
        return numbering.item(n), str(n)
    return numbering.paren(n), numbering.paren(n)


@dataclass
class Index:
    """All targets of a project by document and id; records which were referred to."""

    by_doc: dict[str, dict[str, Target]] = field(default_factory=dict)
    used: set[tuple[str, str]] = field(default_factory=set)
    # What did not load: ids written in parts the schema left out or in sources that could
    # not be loaded (salvage.py), names of those sources, and whether one could not even
    # be read. A reference to them is a consequence of that error, not a second one; a
    # reference to an id written nowhere is still an error.
    dropped: set[str] = field(default_factory=set)
    lost: frozenset[str] = frozenset()
    unreadable: bool = False

    def _unknown(self, doc: str, ident: str) -> Target | None:
        if ident in self.dropped or (self.unreadable and (not doc or doc in self.lost)):
            return Target(doc, ident, "？", "？", Location(""))
        return None

    def resolve(self, key: str, current: str, among: set[str] | None = None) -> Target:
        """The target of `id` (in the current document) or `文件名:id`; raises RefError.

        A bare id not in the current document is looked up in every document (or only in
        `among`), and must be found in exactly one.
        """
        if not isinstance(key, str) or not key:
            raise RefError("E311", "ref() 需要一个条目编号", "ref")
        doc, _, ident = key.rpartition(":")
        if doc:
            if doc not in self.by_doc:
                if (lost := self._unknown(doc, ident)) is not None:
                    return lost
                if doc in self.lost:
                    raise RefError("E311", f"“{doc}”中没有编号“{ident}”", ident,
                                   "该文件未能读取（见它的错误），但其中也没有写这个编号")
                raise RefError("E311", f"引用的文件“{doc}”不存在", doc,
                               did_you_mean(doc, self.by_doc))
            return self._get(doc, ident)
        if ident in self.by_doc.get(current, {}):
            return self._get(current, ident)
        holders = [d for d, targets in self.by_doc.items()
                   if ident in targets and (among is None or d in among)]
        if len(holders) == 1:
            return self._get(holders[0], ident)
        if len(holders) > 1:
            raise RefError("E311", f"编号“{ident}”在多个文件中都有，引用不明确", ident,
                           f"写成“{holders[0]}:{ident}”指明文件")
        if (lost := self._unknown("", ident)) is not None:
            return lost
        every = {t for targets in self.by_doc.values() for t in targets}
        raise RefError("E311", f"引用的编号“{ident}”不存在", ident, did_you_mean(ident, every))

    def _get(self, doc: str, ident: str) -> Target:
        targets = self.by_doc[doc]
        if ident not in targets and (lost := self._unknown(doc, ident)) is not None:
            return lost
        if ident not in targets:
            raise RefError("E311", f"“{doc}”中没有编号“{ident}”", ident,
                           did_you_mean(ident, targets))
        if not targets[ident].ref:
            raise RefError("E311", f"“{ident}”是不编序号的段，没有序号可引用", ident,
                           "引用它所在的编号条目，或把它改成编号条目")
        self.used.add((doc, ident))
        return targets[ident]


def build_index(project: Project) -> tuple[Index, list[Diagnostic]]:
    """Pass one: every target of every document, with duplicate ids reported where defined."""
    index = Index(lost=project.lost, unreadable=project.unreadable)
    index.dropped = {i for doc in project.issuable() for i in doc.dropped_ids}
    index.dropped |= project.unread_ids
    problems: list[Diagnostic] = []
    groups: list[tuple[str, list[Target]]] = [(d.name, list_targets(d)) for d in project.lists]
    for doc in project.measures:
        targets, found = measures_targets(doc)
        problems.extend(found)
        groups.append((doc.name, targets))
    for name, targets in groups:
        table: dict[str, Target] = {}
        for target in targets:
            first = table.get(target.id)
            if first is not None:
                problems.append(Diagnostic(
                    "E301", f"编号“{target.id}”重复", target.location,
                    hint=f"另一处在 {first.location}；编号在同一文件内必须唯一"))
                continue
            table[target.id] = target
        index.by_doc[name] = table
    return index, problems



