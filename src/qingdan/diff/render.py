"""The revision documents: the 修订对照表 and a redline with native Word revisions.

Both are built from the model diff (documents.py), never by comparing .docx files. The redline
holds the old and the new version at once: accepting every revision gives exactly the new
document's text, rejecting every revision the old one's.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from markupsafe import Markup

from ..diagnostics import Location
from ..layout.titles import balance_title
from ..model import Measures, ResponsibilityList
from ..render.docx import list_view, measures_blocks
from ..render.engine import CompiledTemplate, Rendered, compiled
from .documents import ListDiff, Segment, char_diff
from .revisions import Expected, verify

FANGSONG, HEITI, KAITI, XIAOBIAOSONG = "仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体"
TABLE_PT, BODY_PT = 14, 16
COMPARISON_NAMES = ("对照表模板可用 title、title_lines、legend、rows（no、old、new、types、note）、"
                    "summary_title、type_rows（name、count）、impacts（no、where、types、units、"
                    "cited、overlays）")
SUMMARY_TITLE = "修改类型和影响范围"
LEGEND = "说明：原条文中加删除线的文字为删去的内容，修订后条文中加粗并加下划线的文字为新增的内容。"


def run(text: str, face: str, size: int, *, strike: bool = False, mark: bool = False,
        deleted: bool = False) -> str:
    """One run of text with its fonts named on every slot (East Asian included)."""
    props = (f'<w:rFonts w:ascii="{face}" w:hAnsi="{face}" w:eastAsia="{face}" w:cs="{face}" '
             f'w:hint="eastAsia"/>' + ("<w:b/>" if mark else "") + ("<w:strike/>" if strike else "")
             + f'<w:sz w:val="{size * 2}"/><w:szCs w:val="{size * 2}"/>'
             + ('<w:u w:val="single"/>' if mark else ""))
    tag = "w:delText" if deleted else "w:t"
    return f'<w:r><w:rPr>{props}</w:rPr><{tag} xml:space="preserve">{escape(text)}</{tag}></w:r>'


def _cell(segments: list[Segment], keep: str, marked: str, empty: str) -> Markup:
    """A table cell's runs: kept text plain, the changed side struck through or marked."""
    runs = [run(s.text, FANGSONG, TABLE_PT, strike=marked == "delete" and s.kind == "delete",
                mark=marked == "insert" and s.kind == "insert")
            for s in segments if s.kind in ("equal", keep)]
    return Markup("".join(runs) or run(empty, FANGSONG, TABLE_PT))


@dataclass(frozen=True)
class Row:
    no: str
    old: Markup
    new: Markup
    note: str
    types: str = ""


@dataclass(frozen=True)
class ImpactRow:
    """A row of the summary page's impact table."""

    no: str
    where: str
    types: str
    units: str
    cited: str
    overlays: str


def comparison_rows(diff: ListDiff) -> list[Row]:
    rows = []
    for n, change in enumerate([c for c in diff.changes if c.visible], 1):
        segments = change.segments
        old_label = change.old.label if change.old else ""
        new_label = change.new.label if change.new else ""
        label_segments = char_diff(old_label, new_label)
        old = _cell(label_segments + segments, "delete", "delete", "（新增）")
        new = _cell(label_segments + segments, "insert", "insert", "（删除）")
        rows.append(Row(str(n), old, new, change.describe(), "、".join(change.type_names)))
    return rows


def impact_rows(impacts: Sequence[Any], only: set[str] | None = None,
                every: Sequence[str] = ()) -> list[ImpactRow]:
    """The impact list (impact.Impact) as table rows; only: the units to name (a unit's
    own table names that unit alone); every: all the units, named together when all are."""
    rows = []
    for n, found in enumerate(impacts, 1):
        units = [u for u in found.units if only is None or u in only]
        kept = [u for u in found.kept if only is None or u in only]
        shown = "、".join(units) or "无"
        if only is None and len(every) > 1 and set(units) == set(every):
            shown = f"全部{len(every)}个单位"
        if kept:
            shown += f"（{'、'.join(kept)}以本单位调整后的文字为准，不受影响）"
        overlays = "；".join(f"{s.unit}的“{s.op}”调整：{s.reason}" for s in found.overlays
                             if only is None or s.unit in only)
        rows.append(ImpactRow(str(n), found.where, "、".join(found.types), shown,
                              "；".join(found.cited_by) or "无", overlays or "无"))
    return rows


@dataclass(frozen=True)
class Summary:
    """What the summary page shows for one document: counts by type and the impacts."""

    impacts: Sequence[Any] = ()
    units: set[str] | None = None  # the units to name; None: all
    every: Sequence[str] = field(default_factory=tuple)  # all the units of the new version


def render_comparison(diff: ListDiff, template: Path, summary: Summary | None = None) -> Rendered:
    """修订对照表: 序号 | 原条文 | 修订后条文 | 修改类型 | 修订说明, one row per changed item,
    then a page of counts by 修改类型 and the impact list."""
    summary = summary or Summary()
    title = f"《{diff.new_title}》修订对照表"
    context = {"title": title, "title_lines": [f"《{diff.new_title}》", "修订对照表"]
               if len(title) > 20 else [title], "legend": LEGEND, "rows": comparison_rows(diff),
               "summary_title": SUMMARY_TITLE,
               "type_rows": [{"name": name, "count": str(count)}
                             for name, count in diff.type_counts().items()],
               "impacts": impact_rows(summary.impacts, summary.units, summary.every)}
    return compiled(template).render(context, hint=COMPARISON_NAMES)


@dataclass(frozen=True)
class Para:
    """A paragraph of a list as the template renders it, keyed for alignment."""

    key: tuple[str, str]
    style: str
    face: str
    size: int
    text: str
    flush: bool = False
    label: str = ""  # a label run in a face of its own (第一条 in 黑体), before the text
    label_face: str = ""
    location: Location | None = field(default=None, compare=False)  # the source entry


def paragraphs_of(doc: ResponsibilityList, rename: dict[str, str] | None = None) -> list[Para]:
    """The list's paragraphs in order; rename maps old item ids onto their new ids."""
    rename = rename or {}
    view = list_view(doc)
    top = doc.title[0].location if doc.title else doc.location
    roles = {r.id: r.location for r in doc.roles}
    items = {i.id: i.text.location for i in doc.items()}
    out = [Para(("title", str(i)), "公文标题", XIAOBIAOSONG, 22, line, location=top)
           for i, line in enumerate(view.title_lines)]
    if view.recipients:
        out.append(Para(("recipients", ""), "Normal", FANGSONG, BODY_PT, view.recipients,
                        flush=True, location=doc.recipients.location if doc.recipients
                        else top))
    preamble = doc.preamble.location if doc.preamble else top
    out += [Para(("preamble", str(i)), "Normal", FANGSONG, BODY_PT, line, location=preamble)
            for i, line in enumerate(view.preamble)]
    for role in view.roles:
        out.append(Para(("heading", role.id), "一级标题", HEITI, BODY_PT,
                        role.label + role.heading, location=roles[role.id]))
        if role.lead:
            out.append(Para(("lead", role.id), "Normal", FANGSONG, BODY_PT, role.lead,
                            location=roles[role.id]))
        out += [Para(("item", rename.get(item.id, item.id)), "Normal", FANGSONG, BODY_PT,
                     item.label + item.text, location=items.get(item.id)) for item in role.items]
    return out


class _Revisions:
    """Numbers revisions and writes their XML, all with one author and date."""

    def __init__(self, author: str, date: str):
        # An attribute value: quotes escaped too, not only <, > and &.
        self.author = escape(author, {'"': "&quot;", "'": "&apos;"})
        self.date, self.next = escape(date, {'"': "&quot;"}), 1

    def attrs(self) -> str:
        ident = self.next
        self.next += 1
        return f'w:id="{ident}" w:author="{self.author}" w:date="{self.date}"'

    def paragraph(self, para: Para, style_id: str, segments: list[Segment],
                  mark: str | None = None, label: list[Segment] | None = None) -> str:
        """A paragraph whose runs carry ins/del; mark = "ins"/"del" for the paragraph mark;
        label: segments of its label, in the label's face, before the text."""
        ppr = f'<w:pStyle w:val="{style_id}"/>'
        if para.flush:
            ppr += '<w:ind w:firstLine="0" w:firstLineChars="0"/>'
        if mark:
            ppr += f"<w:rPr><w:{mark} {self.attrs()}/></w:rPr>"
        runs = [self._run(s, para.label_face or para.face, para.size) for s in label or []]
        runs += [self._run(s, para.face, para.size) for s in segments]
        return f"<w:p><w:pPr>{ppr}</w:pPr>{''.join(runs)}</w:p>"

    def _run(self, segment: Segment, face: str, size: int) -> str:
        if not segment.text:
            return ""
        if segment.kind == "equal":
            return run(segment.text, face, size)
        if segment.kind == "insert":
            return f"<w:ins {self.attrs()}>{run(segment.text, face, size)}</w:ins>"
        return f"<w:del {self.attrs()}>{run(segment.text, face, size, deleted=True)}</w:del>"


def redline_body(old: list[Para], new: list[Para], template: CompiledTemplate, author: str,
                 date: str) -> str:
    """The merged paragraphs of both versions, aligned by key, with revisions; the title
    block, then the blank line the list template puts under it, then the rest."""
    marks = _Revisions(author, date)

    def merge(before_all: list[Para], after_all: list[Para]) -> list[str]:
        out = []
        matcher = difflib.SequenceMatcher(None, [p.key for p in before_all],
                                          [p.key for p in after_all], autojunk=False)
        for op, a, b, c, d in matcher.get_opcodes():
            if op == "equal":
                for before, after in zip(before_all[a:b], after_all[c:d], strict=True):
                    out.append(marks.paragraph(after, template.style_id(after.style),
                                               char_diff(before.text, after.text),
                                               label=char_diff(before.label, after.label)))
                continue
            out += [marks.paragraph(p, template.style_id(p.style), [Segment("delete", p.text)],
                                    "del", label=[Segment("delete", p.label)])
                    for p in before_all[a:b]]
            out += [marks.paragraph(p, template.style_id(p.style), [Segment("insert", p.text)],
                                    "ins", label=[Segment("insert", p.label)])
                    for p in after_all[c:d]]
        return out

    def titles(paras: list[Para]) -> list[Para]:
        return [p for p in paras if p.key[0] == "title"]

    def rest(paras: list[Para]) -> list[Para]:
        return [p for p in paras if p.key[0] != "title"]

    blank = f'<w:p><w:pPr><w:pStyle w:val="{template.style_id("Normal")}"/></w:pPr></w:p>'
    return "".join(merge(titles(old), titles(new)) + [blank] + merge(rest(old), rest(new)))


def measures_paragraphs(doc: Measures, rename: dict[str, str] | None = None) -> list[Para]:
    """A measures document's paragraphs as its template renders them: the title block, the
    preamble, then each block keyed by its node (rename maps old ids onto new ones)."""
    rename = rename or {}
    top = doc.title[0].location if doc.title else doc.location
    out = [Para(("title", str(i)), "公文标题", XIAOBIAOSONG, 22, line, location=top)
           for i, line in enumerate(balance_title([t.value for t in doc.title]))]
    preamble = doc.preamble.paragraphs() if doc.preamble else []
    at = doc.preamble.location if doc.preamble else top
    out += [Para(("preamble", str(i)), "Normal", FANGSONG, BODY_PT, line, location=at)
            for i, line in enumerate(preamble)]
    styles = {"chapter": ("章标题", HEITI), "h1": ("一级标题", HEITI), "h2": ("二级标题", KAITI)}
    nodes = {n.id: n.location for n in doc.nodes() if n.id}
    for block in measures_blocks(doc):
        node, _, part = block.key.partition(":")
        key = ("node", f"{rename.get(node, node)}:{part}")
        where = nodes.get(node, doc.location)
        if block.kind in styles:
            style, face = styles[block.kind]
            out.append(Para(key, style, face, BODY_PT, block.label + block.text, location=where))
        elif block.kind in ("lead-hei", "lead-kai"):
            out.append(Para(key, "Normal", FANGSONG, BODY_PT, block.text, label=block.label,
                            label_face=HEITI if block.kind == "lead-hei" else KAITI,
                            location=where))
        else:
            out.append(Para(key, "Normal", FANGSONG, BODY_PT, block.label + block.text,
                            location=where))
    return out


def render_redline(old: ResponsibilityList | Measures, new: ResponsibilityList | Measures,
                   diff: ListDiff, template: Path, author: str, date: str) -> bytes:
    """The new version with every change from the old one as a tracked revision."""
    rename = {c.old.id: c.new.id for c in diff.changes
              if c.old is not None and c.new is not None and c.old.id != c.new.id}
    compiled_template = compiled(template)
    if isinstance(old, Measures) and isinstance(new, Measures):
        before, after = measures_paragraphs(old, rename), measures_paragraphs(new)
    else:
        assert isinstance(old, ResponsibilityList) and isinstance(new, ResponsibilityList)
        before, after = paragraphs_of(old, rename), paragraphs_of(new)
    body = redline_body(before, after, compiled_template, author, date)
    data = compiled_template.with_body(body, {"title": diff.new_title})
    verify(data, expected(before, old), expected(after, new), diff.new_title)
    return data


def expected(paras: list[Para], doc: ResponsibilityList | Measures) -> list[Expected]:
    """The paragraphs' texts as the model gives them, each located at its source entry."""
    return [Expected(p.label + p.text, p.location or doc.location) for p in paras]
