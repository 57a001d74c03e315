"""A notice (通知) at the head of a file: 发文机关标志, 发文字号, title, 主送, body, 附件说明,
署名, 成文日期; the documents it issues follow and become sources of their own; 抄送 and
印发 (版记) close the file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .labels import parse_label
from .paras import Para
from .report import Report

NUMBER_LINE = re.compile(r"^[\u4e00-\u9fffA-Za-z]{1,16}[〔\[［(（【]\d{4}[〕\]］)）】]第?\d+号$")
DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
PRINTED = re.compile(r"^(?P<printer>.+?)(?P<date>\d{4}年\d{1,2}月\d{1,2}日)印发$")
TITLE_END = ("通知", "通报", "决定", "意见", "批复", "函", "报告", "请示", "公告", "通告")
ATTACHMENT_NOTE = re.compile(r"^附件[:：]\s*(?:1[.．、]\s*)?(?P<title>\S.*)$")
ATTACHMENT_LABEL = re.compile(r"^附件\s*\d*$")


@dataclass
class NoticeParts:
    data: dict[str, Any]
    comments: dict[tuple[Any, ...], list[str]] = field(default_factory=dict)
    attachments: list[tuple[str, list[Para]]] = field(default_factory=list)  # title, paras
    listed: list[str] = field(default_factory=list)  # titles named in 附件说明


def iso(text: str) -> str | None:
    match = DATE.match(text)
    if match is None:
        return None
    return f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3)):02d}"


def is_notice(paras: list[Para]) -> bool:
    head = paras[:8]
    numbered = any(NUMBER_LINE.match(p.text) or p.style == "发文字号" for p in head)
    marked = any(p.style == "发文机关标志" or p.text.endswith("文件") for p in head[:3])
    titled = any(p.text.startswith("关于") for p in head)
    return (numbered or marked) and titled


def parse(paras: list[Para], display: str, report: Report) -> tuple[NoticeParts, list[Para]]:
    """The notice's data, and the paragraphs after its date (attachments and end block)."""
    data: dict[str, Any] = {"kind": "notice"}
    i = 0
    mark = number = None
    while i < len(paras) and not paras[i].text.startswith("关于"):
        text = paras[i].text
        if NUMBER_LINE.match(text) or paras[i].style == "发文字号":
            number = text
        elif mark is None:
            mark = text
        else:
            report.add(f"{display} {paras[i].where}", text, "红头部分的这一行没有对应字段，未导入")
        i += 1
    data["mark"] = mark or "（发文机关标志）"
    if number:
        data["number"] = number
    title = []
    while i < len(paras):
        title.append(paras[i].text)
        i += 1
        if title[-1].endswith(TITLE_END) or len(title) >= 4:
            break
    data["title"] = "".join(title)
    if i < len(paras) and paras[i].text.endswith("："):
        data["recipients"] = paras[i].text
        i += 1
    body: list[str] = []
    listed: list[str] = []
    signature = date = None
    while i < len(paras):
        text = paras[i].text
        note = ATTACHMENT_NOTE.match(text)
        if note and not listed:
            listed.append(note.group("title"))
        elif listed and (lab := parse_label(text)) and lab.kind == "h3" and not DATE.match(text):
            listed.append(lab.rest)
        elif i + 1 < len(paras) and DATE.match(paras[i + 1].text) and len(text) <= 30:
            signature, date = text, iso(paras[i + 1].text)
            i += 2
            break
        elif DATE.match(text):
            date = iso(text)
            i += 1
            break
        else:
            body.append(text)
        i += 1
    data["recipients"] = data.get("recipients") or "（主送机关）："
    data["body"] = "\n".join(body) if body else "（正文）"
    data["attachments"] = []
    data["signature"] = signature or mark or "（发文机关署名）"
    data["date"] = date or "2000-1-1"
    parts = NoticeParts(data, listed=listed)
    for key, missing in (("mark", mark), ("signature", signature), ("date", date)):
        if not missing:
            parts.comments[(key,)] = ["导入：原文中没有找到，请补上"]
            report.add(f"{display} {paras[0].where}", data["title"],
                       f"原文中没有找到{key}（{_NAMES[key]}），已留出位置")
    return parts, paras[i:]


_NAMES = {"mark": "发文机关标志", "signature": "署名", "date": "成文日期"}


def end_block(paras: list[Para], parts: NoticeParts) -> list[Para]:
    """Take 抄送 and 印发 lines off the end of the file."""
    end = len(paras)
    while end:
        text = paras[end - 1].text
        printed = PRINTED.match(text)
        if printed:
            parts.data["printer"] = printed.group("printer").strip()
            when = iso(printed.group("date"))
            if when and when != parts.data.get("date"):
                parts.data["print_date"] = when
        elif text.startswith(("抄送：", "抄送:")):
            parts.data["copy_to"] = text[3:].strip().rstrip("。")
        else:
            break
        end -= 1
    return paras[:end]


def split_attachments(paras: list[Para], parts: NoticeParts) -> None:
    """The issued documents: each starts at its 附件N label or at its title."""
    listed = set(parts.listed)
    starts = [n for n, p in enumerate(paras)
              if ATTACHMENT_LABEL.match(p.text) or p.text in listed]
    cuts: list[int] = []
    for n in starts:
        if cuts and n == cuts[-1] + 1 and ATTACHMENT_LABEL.match(paras[cuts[-1]].text):
            continue  # the title under its 附件N label
        cuts.append(n)
    if not cuts or cuts[0] != 0:
        cuts.insert(0, 0)
    for k, start in enumerate(cuts):
        end = cuts[k + 1] if k + 1 < len(cuts) else len(paras)
        chunk = paras[start:end]
        if chunk and ATTACHMENT_LABEL.match(chunk[0].text):
            chunk = chunk[1:]
        if chunk:
            parts.attachments.append((chunk[0].text, chunk))
