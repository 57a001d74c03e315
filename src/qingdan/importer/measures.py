"""The tree of a measures document -> its YAML data: ids, heading forms, numbering scopes,
points, the scoring block, and a `# 导入：` comment wherever something was decided."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .ids import Ids
from .report import Report
from .scoring import find
from .tree import Node, build, check_numbers, keep_labels, scheme_of

Comments = dict[tuple[Any, ...], list[str]]
DEFAULT_FORM = {1: "line"}  # deeper levels run in unless the document says otherwise


def measures(title: list[str], paras: list, display: str, report: Report,
             ) -> tuple[dict[str, Any], Comments]:
    """A measures or assessment document's data and comments."""
    first = next((p.where for p in paras if p.where), "")
    start = f"{display} {first}" if first else display
    scheme = scheme_of(paras)
    preamble, nodes = build(paras, scheme, display, report)
    nodes = keep_labels(nodes, report)
    comments: Comments = {}
    if not nodes:
        report.add(start, title[0],
                   "没有识别出条文编号（第一条，或一、（一）1.），全文作为不编号的段落导入")
        body = preamble[1:] if len(preamble) > 1 else preamble
        preamble = preamble[:1] if len(preamble) > 1 else []
        nodes = [Node("plain", display, texts=body)]
        comments[("content",)] = ["导入：原文没有条文编号，各段照录为不编号的段落"]
    continuous = check_numbers(nodes, scheme, display, report)
    found = find(nodes, preamble)
    _ids(nodes)
    forms = _forms(nodes)
    data: dict[str, Any] = {"kind": "assessment" if found.data() else "measures",
                            "title": title[0] if len(title) == 1 else title}
    if scheme == "outline":
        data["numbering"] = "outline"
    if forms:
        data["headings"] = forms
    if continuous:
        data["continuous"] = sorted(continuous)
    if preamble:
        data["preamble"] = "\n".join(preamble)
    data["content"] = [_node(n, ("content", i), forms, continuous, comments)
                       for i, n in enumerate(nodes)]
    scoring = found.data()
    if scoring is not None:
        data["scoring"] = scoring
        if found.notes:
            comments[("scoring",)] = [f"导入：{note}" for note in found.notes]
        for note in found.notes:
            report.add(start, title[0], note)
    if any(n.raw.endswith("、") and n.kind == "h3" for top in nodes for n in top.walk()):
        report.add(start, title[0], "原文的“1、”“2、”按公文格式写成“1.”“2.”")
    return data, comments


def _ids(nodes: list[Node]) -> None:
    ids = Ids()
    for node in (n for top in nodes for n in top.walk()):
        if node.kind == "plain":
            if node.children:  # a 款 with its 项: ref() can name it
                node.id = ids.make(node.texts[0] if node.texts else "kuan")
            continue
        if node.heading:
            node.id = ids.make(node.heading, 6)
        else:
            node.id = ids.make(node.texts[0] if node.texts else node.raw)


def _forms(nodes: list[Node]) -> dict[int, str]:
    """The document's heading form per level, where it differs from qingdan's default:
    the form most headings with text take at that level."""
    counts: dict[int, Counter[str]] = {}
    for node in (n for top in nodes for n in top.walk()):
        if node.form and node.heading and node.texts and 1 <= node.depth <= 4:
            counts.setdefault(node.depth, Counter())[node.form] += 1
    out = {}
    for depth, counter in sorted(counts.items()):
        form = counter.most_common(1)[0][0]
        if form != DEFAULT_FORM.get(depth, "run-in"):
            out[depth] = form
    return out


def _node(node: Node, path: tuple[Any, ...], forms: dict[int, str], continuous: set[int],
          comments: Comments) -> dict[str, Any]:
    if node.notes:
        comments[path] = list(node.notes)
    if node.kind == "plain":
        entry: dict[str, Any] = {"paragraph": "\n".join(node.texts)}
        if node.id:
            entry["id"] = node.id
    elif node.kind == "chapter":
        entry = {"id": node.id, "chapter": node.heading or node.raw}
    else:
        entry = {"id": node.id}
        if node.heading:
            entry["heading"] = node.heading
        if node.texts:
            entry["text"] = "\n".join(node.texts)
        if not node.heading and not node.texts:
            entry["text"] = node.raw
            comments.setdefault(path, []).append("导入：原文此处只有序号，没有文字")
        form = forms.get(node.depth, DEFAULT_FORM.get(node.depth, "run-in"))
        if node.heading and node.texts and node.form and node.form != form:
            entry["run_in"] = node.form == "run-in"
        if node.continues and node.children and node.children[0].depth not in continuous:
            entry["continue"] = True
        if node.points is not None:
            entry["points"] = int(node.points) if node.points.is_integer() else node.points
    if node.children:
        entry["items"] = [_node(c, (*path, "items", i), forms, continuous, comments)
                          for i, c in enumerate(node.children)]
    return entry
