"""Render resolved documents as HTML that looks like the printed page (GB/T 9704-2012).

The .docx renderer's own views give the text and the literal labels (list_view,
measures_blocks, notice_context, sheet_rows), so the HTML never disagrees with Word about
a number. Each document is one flow of paragraphs on the 28.95 pt line grid; gbt9704.css
sets the fonts, sizes and the 156 mm text block, and the preview's script cuts the flow
into A4 pages. Everything a source says is escaped by Jinja's autoescape: no text from a
source is ever markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..layout import signature
from ..layout.grid import PITCH_TWIPS
from ..layout.notice import notice_text
from ..model import Measures, Notice, Project, ResponsibilityList, Unit
from ..words import numbering
from ..words.numbering import number
from .docx import has_indicators, list_view, measures_context, sheet_rows, sheet_title
from .notice import full_stop

ENV = Environment(loader=PackageLoader("qingdan.render", "html_templates"),
                  autoescape=select_autoescape(default=True, default_for_string=True),
                  undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


@dataclass(frozen=True)
class HtmlDocument:
    """One document as HTML: its flow of paragraphs and how its page is turned."""

    kind: str  # list, measures, sheet, notice
    title: str
    markup: Markup  # the paragraphs, without the flow around them
    landscape: bool = False

    def flow(self) -> Markup:
        """The document's flow: the element the page script cuts into pages."""
        turned = " qd-landscape" if self.landscape else ""
        return Markup('<div class="qd-flow qd-%s%s">%s</div>') % (self.kind, turned,
                                                                 self.markup)


def stylesheet() -> str:
    """gbt9704.css: the page, the fonts and the line grid the markup is drawn with."""
    return _stylesheet()


@lru_cache(maxsize=1)
def _stylesheet() -> str:
    return (resources.files("qingdan.render") / "html_templates" / "gbt9704.css").read_text(
        "utf-8")


def _flow(kind: str, **context: object) -> Markup:
    return Markup(ENV.get_template("document.html").render(kind=kind, **context))


def list_html(doc: ResponsibilityList) -> HtmlDocument:
    """A responsibility list: title, recipients, preamble, then 一、 sections of 1. items."""
    view = list_view(doc)
    return HtmlDocument("list", view.title, _flow("list", **view.context()))


def measures_html(doc: Measures) -> HtmlDocument:
    """Measures in articles (第一条) or outline (一、（一）1.), blocks as the .docx has them."""
    context = measures_context(doc)
    return HtmlDocument("measures", str(context["title"]), _flow("measures", **context))


def sheet_html(doc: Measures, unit: Unit) -> HtmlDocument:
    """考核评分表: one row per indicator, 考核项目 merged down a group (rowspan)."""
    rows = sheet_rows(doc)
    wide = any(r.criteria for r in rows)
    groups: list[tuple[str, list[object]]] = []
    for row in rows:
        if not groups or groups[-1][0] != row.group:
            groups.append((row.group, []))
        groups[-1][1].append(row)
    total = sum(float(r.points) for r in rows)
    title = sheet_title(doc)
    return HtmlDocument("sheet", title, _flow(
        "sheet", title_lines=[title], unit=unit.name, groups=groups, wide=wide,
        total=number(total)), landscape=wide)


def notice_html(doc: Notice, attached: list[HtmlDocument], duplex: bool = True) -> HtmlDocument:
    """A notice: letterhead, number and red rule, title, body, attachment note, signature,
    each attached document on a new page after its 附件N label, and the end block. The
    strings and the flow's line pitch are layout's, as the .docx has them (its character
    spacing and page break, which only a paginated view could show, are not)."""
    text = notice_text(doc, [a.title for a in attached])
    pitch = (signature.choose(text, duplex) or signature.NONE).pitch
    single = len(attached) == 1
    attachments = [{"label": "附件" if single else f"附件{n}", "note": note, "doc": a.markup}
                   for n, (a, note) in enumerate(zip(attached, text.notes, strict=True), 1)]
    date = numbering.date(doc.date.value)
    mark = doc.mark.value
    return HtmlDocument("notice", "".join(text.title_lines), _flow(
        "notice", mark=mark, mark_size=36 if len(mark) <= 12 else 28 if len(mark) <= 15 else 22,
        number=doc.number.value if doc.number else "", title_lines=list(text.title_lines),
        recipients=text.recipients, body=list(text.body), attachments=attachments,
        gap=text.gap, signature_line=text.signature_line, date_line=text.date_line,
        pitch=f"{pitch / 20:g}" if pitch != PITCH_TWIPS else "",
        copy_to=full_stop(doc.copy_to.value) if doc.copy_to else "",
        printer=doc.printer.value if doc.printer else doc.signature.value,
        print_date=numbering.date(doc.print_date.value) if doc.print_date else date))


def project_html(project: Project) -> list[tuple[str, str, HtmlDocument]]:
    """Every document of a resolved project as (source name, part, HTML), in the order
    build.render_project writes them; part is "sheet" for a scoring sheet, else ""."""
    out: list[tuple[str, str, HtmlDocument]] = []
    issued: dict[str, HtmlDocument] = {}
    wanted = (None,) if project.selected is None else (project.selected,)

    def keep(name: str) -> bool:
        return wanted == (None,) or name in wanted

    for doc in project.lists:
        issued[doc.name] = list_html(doc)
        if keep(doc.name):
            out.append((doc.name, "", issued[doc.name]))
    for measures in project.measures:
        issued[measures.name] = measures_html(measures)
        if keep(measures.name):
            out.append((measures.name, "", issued[measures.name]))
            if has_indicators(measures) and project.unit is not None:
                out.append((measures.name, "sheet", sheet_html(measures, project.unit)))
    for notice in project.notices:
        if keep(notice.name):
            attached = [issued[a.value] for a in notice.attachments if a.value in issued]
            out.append((notice.name, "", notice_html(notice, attached,
                                                      project.printing.duplex)))
    return out
