"""Paragraphs of a responsibility list -> its roles: a heading (一、局党委…主体责任清单), an
optional lead, numbered items (1. 2. …)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import ROLE_NAMES
from ..words.numbering import chinese
from .ids import Ids
from .labels import missing_separator, parse_label
from .paras import Para
from .report import Report
from .tree import CLOSING


def role_of(heading: str) -> str | None:
    """The standard role a section heading names, or None for a custom one."""
    if "主体责任" in heading or "主体工作" in heading:
        return "committee"
    if "副书记" in heading or "直接责任" in heading or "分管领导" in heading:
        return "deputy"
    if "书记" in heading or "第一责任" in heading:
        return "secretary"
    if "班子成员" in heading or "一岗双责" in heading or "委员" in heading or "支委成员" in heading:
        return "members"
    return None


def is_list(title: str, paras: list[Para]) -> bool:
    """Sections of numbered duties under role headings, called a 清单."""
    head = title + "".join(p.text for p in paras[:3])
    sections = [lab for p in paras if (lab := parse_label(p.text)) and lab.kind == "h1"]
    items = [lab for p in paras if (lab := parse_label(p.text)) and lab.kind == "h3"]
    deeper = [lab for p in paras if (lab := parse_label(p.text)) and lab.kind in ("h2", "h4")]
    return "清单" in head and bool(sections) and bool(items) and not deeper


@dataclass
class Entry:
    """One item of a role: its paragraphs (joined once, when the YAML is made), where it
    starts, and its notes."""

    parts: list[str]
    where: str
    notes: list[str] = field(default_factory=list)


@dataclass
class Role:
    key: str
    heading: str
    where: str
    lead: list[str] = field(default_factory=list)
    items: list[Entry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def build(paras: list[Para], display: str, report: Report) -> tuple[list[str], list[Role]]:
    """(preamble paragraphs, roles)."""
    preamble: list[str] = []
    roles: list[Role] = []
    taken: set[str] = set()
    ids = Ids()
    for para in paras:
        where = f"{display} {para.where}"
        label = parse_label(para.text)
        if label is None and roles:
            label = missing_separator(para.text, len(roles) + 1)
            if label is not None:
                report.add(where, para.text, f"序号“{label.raw}”后缺少“、”，按第 {label.number} "
                                             "节的标题导入")
        if label is not None and label.kind == "h1":
            key = role_of(label.rest)
            standard = key is not None and key not in taken
            if not standard:
                key = ids.make(label.rest, 6, "juese")
            assert key is not None
            taken.add(key)
            roles.append(Role(key, label.rest, where))
            report.add(where, para.text, f"按标题识别为“{ROLE_NAMES[key]}”一节（{key}）" if standard
                       else f"识别为自定义的一节（{key}），标题照录")
            if label.number != len(roles):
                why = f"原文序号为“{label.raw}”，qingdan 按顺序编为“{chinese(len(roles))}、”"
                roles[-1].notes.append(f"导入：{why}")
                report.add(where, para.text, why)
            continue
        if label is not None and label.kind == "h3" and roles:
            role = roles[-1]
            role.items.append(Entry([label.rest], where))
            if label.number != len(role.items):
                why = f"原文序号为“{label.raw}”，qingdan 按顺序编为“{len(role.items)}.”"
                role.items[-1].notes.append(f"导入：{why}")
                report.add(where, para.text, why)
            continue
        if not roles:
            preamble.append(para.text)
            if label is not None and label.kind == "h3":  # a part with no heading above it
                report.add(where, para.text, "编号的条目在第一节标题之前（这一部分没有标题）："
                                             "照原文（连同序号）写在导语中")
        elif not roles[-1].items:
            roles[-1].lead.append(para.text)
            if len(roles[-1].lead) > 1:
                report.add(where, para.text, "本节导语有多段，合为一段")
        else:
            entry = roles[-1].items[-1]
            entry.parts.append(para.text)
            if CLOSING.search(para.text):
                entry.notes.append(f"导入：“{para.text[:12]}……”是文末的结束语，清单没有结束语的"
                                   "字段，已并入最后一条，请核对")
                report.add(where, para.text, "文末的结束语：清单没有结束语的字段，并入最后一条")
                continue
            entry.notes.append(f"导入：原文在本条之后另起一段“{para.text[:12]}……”，清单条目只有一段，已并入本条")
            report.add(where, para.text, "不编号的段落，并入上一条（清单条目只有一段）")
    return preamble, roles


def roles_data(roles: list[Role]) -> tuple[dict[str, Any], dict[tuple[Any, ...], list[str]]]:
    """The roles mapping for the YAML, and comments by path."""
    data: dict[str, Any] = {}
    comments: dict[tuple[Any, ...], list[str]] = {}
    ids = Ids()
    for role in roles:
        entry: dict[str, Any] = {"heading": role.heading}
        if role.lead:
            entry["lead"] = "".join(role.lead)
        entry["items"] = []
        for n, item in enumerate(role.items):
            text = "".join(item.parts)
            entry["items"].append({"id": ids.make(text), "text": text})
            if item.notes:
                comments[("roles", role.key, "items", n)] = item.notes
        data[role.key] = entry
        if role.notes:
            comments[("roles", role.key)] = role.notes
    return data, comments
