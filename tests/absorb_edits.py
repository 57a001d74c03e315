"""Edits a unit makes to its list in Word, made here with python-docx: plainly, or as
tracked changes (w:ins / w:del, as Word and WPS write them), with a comment.

Each edit works on the paragraph whose text (after its label) starts with given words;
labels are renumbered afterwards as a careful clerk would, so the edited file reads
exactly as the list should print."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph

LABEL = re.compile(r"^(\d+)\.")
SECTION = re.compile(r"^[一二三四五六七八九十]+、")
AUTHOR = 'w:author="机关党支部" w:date="2026-12-01T09:00:00Z"'


def find(document, words: str) -> Paragraph:
    for paragraph in document.paragraphs:
        if LABEL.sub("", paragraph.text).startswith(words):
            return paragraph
    raise KeyError(words)


def set_text(paragraph: Paragraph, text: str) -> None:
    paragraph.runs[0].text = text
    for run in paragraph.runs[1:]:
        run.text = ""


def renumber(document) -> None:
    """Items numbered 1. 2. … again under each heading."""
    n = 0
    for paragraph in document.paragraphs:
        if SECTION.match(paragraph.text):
            n = 0
        elif LABEL.match(paragraph.text):
            n += 1
            set_text(paragraph, LABEL.sub(f"{n}.", paragraph.text, count=1))


def texts(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def plain_edits(src: Path, dst: Path) -> None:
    """Reword two items, delete one, add one, move one (to another role)."""
    document = docx.Document(str(src))
    p = find(document, "党支部把意识形态工作纳入")
    set_text(p, p.text.replace("每年至少两次", "每季度至少一次"))
    p = find(document, "加强宣传思想文化队伍建设")
    set_text(p, p.text + "每年组织一次集中培训。")
    p = find(document, "每年对分管条线")
    p._p.getparent().remove(p._p)
    p = find(document, "领导、组织对")
    new = copy.deepcopy(p._p)
    p._p.addnext(new)
    set_text(Paragraph(new, p._parent), "9.每半年听取一次党员思想动态汇报，及时做好思想引导工作。")
    moved = find(document, "每年向局党委专题汇报")
    find(document, "牢牢掌握").\
        _p.addnext(moved._p)
    renumber(document)
    document.save(str(dst))


def _run(text: str, kind: str = "t") -> str:
    space = ' xml:space="preserve"' if kind == "t" else ""
    return f"<w:r><w:{kind}{space}>{text}</w:{kind}></w:r>"


def _tracked_text(paragraph: Paragraph, old: str, new: str, ident: int) -> None:
    """Replace old by new inside the paragraph as a tracked deletion and insertion."""
    whole = paragraph.text
    at = whole.index(old)
    before, after = whole[:at], whole[at + len(old):]
    p = paragraph._p
    for r in list(p.iter(qn("w:r"))):
        r.getparent().remove(r)
    xml = (f'<w:root {nsdecls("w")}>{_run(before)}'
           f'<w:del w:id="{ident}" {AUTHOR}>{_run(old, "delText")}</w:del>'
           f'<w:ins w:id="{ident + 1}" {AUTHOR}>{_run(new)}</w:ins>{_run(after)}</w:root>')
    for child in parse_xml(xml):
        p.append(child)


def _tracked_delete(paragraph: Paragraph, ident: int) -> str:
    """The whole paragraph deleted as a tracked change (its runs and its mark)."""
    p = paragraph._p
    text = "".join(t.text for t in p.iter(qn("w:t")))
    for r in list(p.iter(qn("w:r"))):
        r.getparent().remove(r)
    p.get_or_add_pPr().append(parse_xml(
        f'<w:rPr {nsdecls("w")}><w:del w:id="{ident}" {AUTHOR}/></w:rPr>'))
    p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="{ident + 1}" {AUTHOR}>'
                       f'{_run(text, "delText")}</w:del>'))
    return text


def _tracked_insert(anchor: Paragraph, text: str, ident: int) -> None:
    """A new paragraph after anchor, inserted as a tracked change."""
    anchor._p.addnext(parse_xml(
        f'<w:p {nsdecls("w")}><w:pPr><w:rPr><w:ins w:id="{ident}" {AUTHOR}/></w:rPr></w:pPr>'
        f'<w:ins w:id="{ident + 1}" {AUTHOR}>{_run(text)}</w:ins></w:p>'))


def tracked_edits(src: Path, dst: Path, comment: bool = True) -> list[str]:
    """The same kinds of edit as tracked changes (two rewordings, a deletion, an insertion,
    a move as a deletion here and an insertion there), and a comment when asked; returns
    the paragraphs as they read with every change accepted."""
    document = docx.Document(str(src))
    _tracked_text(find(document, "党支部把意识形态工作纳入"), "每年至少两次", "每季度至少一次", 100)
    _tracked_text(find(document, "加强宣传思想文化队伍建设"), "党和人民放心的", "群众信赖的", 110)
    _tracked_delete(find(document, "每年对分管条线"), 120)
    _tracked_insert(find(document, "领导、组织对"),
                    "3.每半年听取一次党员思想动态汇报，及时做好思想引导工作。", 130)
    moved = _tracked_delete(find(document, "每年向局党委专题汇报"), 140)
    _tracked_insert(find(document, "牢牢掌握"), "2." + LABEL.sub("", moved), 150)
    if comment:
        document.add_comment(find(document, "切实维护网络意识形态安全").runs,
                             text="这一条请局里再斟酌", author="李红")
    renumber_plain(document)
    document.save(str(dst))
    return accepted(dst)


def renumber_plain(document) -> None:
    """Renumber the items whose label is in a plain run (not inside a tracked change)."""
    n = 0
    for paragraph in document.paragraphs:
        text = accepted_text(paragraph._p)
        if SECTION.match(text):
            n = 0
        elif LABEL.match(text):
            n += 1
            first = next(iter(paragraph._p.iter(qn("w:t"))))
            if first.getparent().getparent().tag == qn("w:p") and LABEL.match(first.text or ""):
                first.text = LABEL.sub(f"{n}.", first.text, count=1)


def accepted_text(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t"))
                   if not any(a.tag in (qn("w:del"),) for a in t.iterancestors()))


def accepted(path: Path) -> list[str]:
    """The paragraphs of a file with every tracked change accepted (a paragraph whose
    mark is deleted gone, its text being deleted too)."""
    document = docx.Document(str(path))
    out = []
    for paragraph in document.paragraphs:
        mark = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:del')}")
        if mark is None:
            out.append(accepted_text(paragraph._p))
    return out
