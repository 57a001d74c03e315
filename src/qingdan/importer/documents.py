"""One input file -> the documents in it: a notice and what it issues, or a page of several
documents, or one document; each recognised as a list or measures (assessment) with its
title, 主送 and preamble."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import lists, measures, notice
from .clean import clean, split_pieces
from .labels import parse_label
from .paras import Para
from .report import Report

Comments = dict[tuple[Any, ...], list[str]]
DOC_TYPES = ("清单", "办法", "细则", "意见", "方案", "通知", "规定", "制度", "规则", "决定",
             "通报", "要点", "计划", "规范", "标准")
PREAMBLE = re.compile(r"^(根据|按照|为了?|依据).{4,}(制定|提出|特制定)(如下|本|以下)")
SUBTITLE = re.compile(r"^[（(][^）)]{1,10}[）)]$")
ORGAN = re.compile(r"^(中共)?[\u4e00-\u9fffxX]{2,30}(委员会|党委|党组|党工委|支部|总支|办公室|政府|"
                   r"管委会|委|局|厅|部)$")
TOPIC = re.compile(r"([\u4e00-\u9fff]{2,8})工作(?:责任|主体)")
BODIES = ("党委", "党组", "党支部", "支部", "党总支", "总支", "党工委", "委员会")
ROLE_WORDS = ("主体", "书记", "班子", "支委", "一岗双责", "“一岗双责”", "第一责任", "直接责任",
              "意识形态", "工作", "责任")
UNDATED = re.compile(r"^[（(]?\d{4}年\d{1,2}月(\d{1,2}日)?[）)]?$")


@dataclass
class Doc:
    """One document found in an input file, ready to be written as a source."""

    title: str
    kind: str
    data: dict[str, Any]
    comments: Comments
    source: str  # where it starts: 001.txt 第5行
    signature: str = ""  # an organ that signs it, for the project's unit
    attachments: list[Doc] = field(default_factory=list)  # a notice's issued documents
    # The organ that signs it, else the one its title or first heading names, and where.
    organ: tuple[str, str] = ("", "")


def read_documents(paras: list[Para], display: str, report: Report, join: bool) -> list[Doc]:
    paras = clean(paras, display, report, join)
    if not paras:
        return []
    if notice.is_notice(paras):
        parts, rest = notice.parse(paras, display, report)
        rest = notice.end_block(rest, parts)
        notice.split_attachments(rest, parts)
        issued = [document(chunk, "", display, report) for _, chunk in parts.attachments]
        signature = parts.data.get("signature", "")
        doc = Doc(parts.data["title"], "notice", parts.data, parts.comments,
                  f"{display} {paras[0].where}", signature,
                  [d for d in issued if d is not None],
                  (signature, f"{display} {paras[0].where}")
                  if not signature.startswith("（") else ("", ""))
        return [doc]
    docs = []
    seen: dict[tuple[str, ...], tuple[Doc | None, list[str]]] = {}
    for title, piece in split_pieces(paras, display, report):
        for chunk in split_documents(piece):
            key = (title, *(p.text for p in chunk))
            if key in seen:  # a page that repeats a whole document: one is imported
                first, copies = seen[key]
                copies.append(chunk[0].where)
                report.add(f"{display} {chunk[0].where}—{chunk[-1].where}", chunk[0].text,
                           f"已去除：与{copies[0]}起的一份完全相同（原文重复），只导入一份")
                continue
            found = document(chunk, title, display, report)
            seen[key] = (found, [chunk[0].where])
            if found is not None:
                docs.append(found)
            title = ""
    for found, copies in seen.values():
        if found is not None and len(copies) > 1:
            found.comments.setdefault(("title",), []).append(
                f"导入：原文中这份文件出现了 {len(copies)} 次（{'、'.join(copies)}起），"
                "完全相同，只导入一份")
    return docs


def _title_like(para: Para) -> bool:
    text = para.text
    return (para.style == "公文标题" or (parse_label(text) is None and len(text) <= 60
            and text[-1] not in "。；，：！？" and text.endswith(DOC_TYPES)
            and not PREAMBLE.match(text)))


def split_documents(paras: list[Para]) -> list[list[Para]]:
    """Cut where a new document begins after numbered text: at a title, or at a preamble
    (根据……制定如下责任清单) with the 主送 line before it."""
    docs: list[list[Para]] = [[]]
    labelled = False
    for para in paras:
        current = docs[-1]
        starts = labelled and (_title_like(para) or PREAMBLE.match(para.text))
        title_goes_on = para.style == "公文标题" and current and current[-1].style == "公文标题"
        if starts and not title_goes_on:
            moved = []
            last = current[-1].text if current else ""
            if last.endswith("：") and parse_label(last) is None:
                moved = [current.pop()]
            docs.append(moved)
            labelled = False
        docs[-1].append(para)
        labelled = labelled or parse_label(para.text) is not None
    return [d for d in docs if d]


def document(paras: list[Para], given: str, display: str, report: Report) -> Doc | None:
    """A list or measures document from its paragraphs; given: its title when the page
    named it (篇N), else it is the first line when that reads as a title."""
    if not paras:
        return None
    start = f"{display} {paras[0].where}"
    title: list[str] = []
    if given:
        title.append(given)
    # The head and tail are taken off by moving these two indices, not by popping the
    # list's first item: a file of 100,000 organ names would be quadratic.
    first, end = 0, len(paras)
    while first < end and _title_like(paras[first]) and (
            not title or paras[first].style == "公文标题"):
        title.append(paras[first].text)
        first += 1
    if title and len(title) > 1 and all(p for p in title) and not given:
        title = ["".join(title)]
    while first < end and SUBTITLE.match(paras[first].text):
        title.append(paras[first].text)
        first += 1
    comments: Comments = {}
    front: list[str] = []
    signature = signed = ""
    while first < end and (ORGAN.match(paras[first].text) or UNDATED.match(paras[first].text)):
        if ORGAN.match(paras[first].text) and not signature:
            signature, signed = paras[first].text, f"{display} {paras[first].where}"
        front.append(paras[first].text)
        first += 1
    recipients = None
    if first < end and paras[first].text.endswith("：") and \
            parse_label(paras[first].text) is None and len(paras[first].text) <= 80:
        recipients = paras[first].text
        first += 1
    last = paras[end - 1].where if first < end else ""
    while end - first > 1 and (ORGAN.match(paras[end - 1].text)
                               or UNDATED.match(paras[end - 1].text)):
        end -= 1
    closing = [p.text for p in paras[end:]]
    signer = next((p for p in reversed(paras[end:]) if ORGAN.match(p.text)), None)
    if not signature and signer is not None:
        signature, signed = signer.text, f"{display} {signer.where}"
    paras = paras[first:end]
    organ = _organ(title[0], _topic(paras)) if title else ""
    organ_at = (signature, signed) if signature else (organ, start) if organ else ("", "")
    if not title:
        made, heading = _made_title(paras)
        title = [made]
        comments[("title",)] = ["导入：原文没有标题，按内容取了这个标题，请改为正式标题"]
        if heading is not None and not signature:
            organ_at = (_organ(parse_label(heading.text).rest, _topic(paras)),  # type: ignore[union-attr]
                        f"{display} {heading.where}")
            report.add(f"{display} {heading.where}", made,
                       f"原文没有标题，按本节标题“{heading.text[:30]}”和正文取了标题")
        else:
            report.add(start, made, "原文没有标题，按正文取了标题")
    if not paras:
        report.add(start, title[0], "只有标题，没有正文，未导入")
        return None
    if lists.is_list(title[0], paras):
        preamble, roles = lists.build(paras, display, report)
        if all(r.items for r in roles):
            data: dict[str, Any] = {"kind": "list", "title": title[0] if len(title) == 1
                                    else title}
            if recipients:
                data["recipients"] = recipients
            preamble = front + preamble
            if preamble:
                data["preamble"] = "\n".join(preamble)
            data["roles"], role_comments = lists.roles_data(roles)
            comments.update(role_comments)
            if closing:
                data["preamble"] = "\n".join([*preamble, *closing])
                report.add(f"{display} {last}", closing[0],
                           "文末的署名、日期没有对应字段，放在导语中")
            if front or closing:
                comments[("preamble",)] = ["导入：标题下的署名、日期没有对应字段，放在导语中"]
            return Doc(title[0], "list", data, comments, start, signature, organ=organ_at)
    if recipients:
        front.insert(0, recipients)
        comments[("preamble",)] = ["导入：主送机关（办法没有 recipients 字段）放在导语中"]
    if front and ("preamble",) not in comments:
        comments[("preamble",)] = ["导入：标题下的署名、日期没有对应字段，放在导语中"]
    body = [Para(t, "") for t in front] + paras if front else paras
    data, measure_comments = measures.measures(title, body, display, report)
    comments.update(measure_comments)
    if closing:
        comments[("content", len(data["content"]))] = [
            "导入：文末的署名、日期（办法没有这些字段），作为不编号的段落保留"]
        data["content"].append({"paragraph": "\n".join(closing)})
        report.add(f"{display} {last}", closing[0],
                   "文末的署名、日期没有对应字段，作为不编号的段落保留")
    return Doc(title[0], data["kind"], data, comments, start, signature, organ=organ_at)


def _topic(paras: list[Para]) -> str:
    """What the document is about (意识形态工作), from the words before 工作责任 / 工作主体."""
    text = "".join(p.text for p in paras[:40])
    found = TOPIC.findall(text)
    suffixes = [m[-n:] for m in found for n in range(2, len(m) + 1)]
    best = max(suffixes, key=lambda s: (suffixes.count(s), len(s))) if suffixes else ""
    return f"{best}工作" if best else ""


def _organ(text: str, topic: str) -> str:
    """The party organisation a title or a section heading begins with (文化馆党支部, 局党组),
    or "" when it names none."""
    cuts = [i for i in (text.find(topic) if topic else -1, *(text.find(w) for w in ROLE_WORDS))
            if i > 0]
    head = text[:min(cuts)] if cuts else ""
    return head if 2 <= len(head) <= 20 and head.endswith(BODIES) else ""


def _made_title(paras: list[Para]) -> tuple[str, Para | None]:
    """A title for a document without one: the organisation its first section names, its
    topic (…工作) and what it is called; and that section's heading, when it gave the name."""
    topic = _topic(paras)
    kind = "责任清单" if "清单" in "".join(p.text for p in paras[:40])[:200] else "实施办法"
    for para in paras[:60]:
        label = parse_label(para.text)
        if label is not None and label.kind == "h1":
            organ = _organ(label.rest, topic)
            if organ:
                return f"{organ}{topic}{kind}", para
            break
    return f"{topic}{kind}", None
