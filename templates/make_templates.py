"""Generate the .docx templates in this folder from code, so every change is reviewable.

Run from the repository root, with qingdan installed:  .venv/bin/python templates/make_templates.py

The templates carry the GB/T 9704-2012 page facts (A4, margins 37/35/28/26 mm, 22 lines
of 28 characters), named styles a clerk can restyle in Word, the page-number footers, and
docxtpl tags for the body. They are written deterministically: the same script gives the
same XML every time. The building blocks are in docx_kit.py, the package parts in ooxml.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # docx_kit and ooxml sit beside this script

from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm  # noqa: E402
from docx_kit import (  # noqa: E402
    FANGSONG,
    HEITI,
    KAITI,
    MARK_PT,
    PPR_ORDER,
    TITLE_PT,
    XIAOBIAOSONG,
    Builder,
    child,
    reorder,
    reorder_rpr,
    set_fonts,
)
from notice_kit import end_block, footers_fill_the_margin  # noqa: E402

from qingdan.layout.notice import (  # noqa: E402
    SCHEDULE_COLUMNS,
    SCHEDULE_LINE_TWIPS,
    SCHEDULE_PT,
)


def responsibility_list() -> bytes:
    """The 责任清单 template: title, recipients, preamble, then one section per role."""
    t = Builder()
    t.title_block()
    t.body("{%p if recipients %}")
    recipients = t.body("{{ recipients }}")
    child(recipients._p.get_or_add_pPr(), "w:ind", firstLineChars="0", firstLine="0")
    t.body("{%p endif %}")
    t.paragraphs("preamble")
    t.body("{%p for role in roles %}")
    t.styled("h1", "{{ role.label }}{{ role.heading }}", HEITI)
    t.body("{%p if role.lead %}")
    t.body("{{ role.lead }}")
    t.body("{%p endif %}")
    t.body("{%p for item in role.items %}")
    t.body("{{ item.label }}{{ item.text }}")
    t.body("{%p endfor %}")
    t.body("{%p endfor %}")
    return t.save()


def measures() -> bytes:
    """The 实施办法/考核办法 template: title, preamble, then blocks of numbered text.

    Each block has a kind: chapter (第一章 总则, centred), h1 and h2 (一、 and （一） as
    headings on their own line), or a body paragraph whose label run (第一条, 一、, （一）)
    takes the face of its level, 黑体 or 楷体, and whose text is 仿宋.
    """
    t = Builder()
    t.title_block()
    t.paragraphs("preamble")
    t.body("{%p for b in blocks %}")
    t.body("{%p if b.kind == 'chapter' %}")
    t.styled("chapter", "{{ b.label }}{{ b.text }}", HEITI)
    t.body("{%p elif b.kind == 'h1' %}")
    t.styled("h1", "{{ b.label }}{{ b.text }}", HEITI)
    t.body("{%p elif b.kind == 'h2' %}")
    t.styled("h2", "{{ b.label }}{{ b.text }}", KAITI)
    t.body("{%p elif b.kind == 'lead-hei' %}")
    t.two_runs("{{ b.label }}", HEITI, "{{ b.text }}")
    t.body("{%p elif b.kind == 'lead-kai' %}")
    t.two_runs("{{ b.label }}", KAITI, "{{ b.text }}")
    t.body("{%p else %}")
    t.body("{{ b.label }}{{ b.text }}")
    t.body("{%p endif %}")
    t.body("{%p endfor %}")
    return t.save()


def notice() -> bytes:
    """The 通知 template: letterhead, number and red line, title, recipients, body,
    attachment note, signature and date, each attached document on a new page after its
    附件N label, and the end block (版记) at the bottom of the last page."""
    t = Builder()
    # A draft's marker (草稿, 征求意见稿) on the first line, top left; qingdan takes its
    # line off the space above the organ mark, which stays 35 mm under the text block's top.
    t.body("{%p if draft %}")
    t.styled("marker", "{{ draft }}", HEITI)
    t.body("{%p endif %}")
    for test, size in (("if mark|length <= 12", MARK_PT), ("elif mark|length <= 15", 28),
                       ("else", 22)):
        t.body(f"{{%p {test} %}}")
        t.styled("mark", "{{ mark }}", XIAOBIAOSONG, size)
    t.body("{%p endif %}")
    t.body("")
    t.body("")
    t.styled("number", "{{ number }}", FANGSONG)
    t.body("")
    t.body("")
    t.title_block()
    flow_mark(t, "start")
    t.styled("flush", "{{ recipients }}", FANGSONG)
    t.paragraphs("body")
    work_sections(t)
    # The attachment note one line under the body; without attachments the signature is
    # one line under the body (the gap below).
    t.body("{%p if attachments %}")
    t.body("")
    t.body("{%p endif %}")
    t.body("{%p for a in attachments %}")
    t.body("{%p if loop.first %}")
    t.styled("note", "{{ a.note }}", FANGSONG)
    t.body("{%p else %}")
    t.styled("note-more", "{{ a.note }}", FANGSONG)
    t.body("{%p endif %}")
    t.body("{%p endfor %}")
    # One blank line before the signature, two when a seal needs the room (7.3.5).
    t.body("{%p for _ in signature_gap %}")
    t.body("")
    t.body("{%p endfor %}")
    t.styled("flush", "{{ signature_line }}", FANGSONG)
    t.styled("flush", "{{ date_line }}", FANGSONG)
    flow_mark(t, "end")
    t.body("{%p for a in attachments %}")
    t.styled("label", "{{ a.label }}", HEITI)
    t.body("")
    t.body("{{p a.doc }}")
    t.body("{%p endfor %}")
    end_block(t)
    footers_fill_the_margin(t)
    return t.save()


def work_sections(t: Builder) -> None:
    """A work notice's sections after the body: 一、heading in 黑体, paragraphs, and the
    schedule as a table (小四 in exact 18 pt lines, so its height can be predicted)."""
    t.body("{%p for s in sections %}")
    t.body("{%p if s.heading %}")
    t.styled("h1", "{{ s.label }}{{ s.heading }}", HEITI)
    t.body("{%p endif %}")
    t.body("{%p for line in s.paragraphs %}")
    t.body("{{ line }}")
    t.body("{%p endfor %}")
    t.body("{%p if s.rows %}")
    rows = [[name for name, _ in SCHEDULE_COLUMNS], ["{%tr for r in s.rows %}"],
            ["{{ r.no }}", "{{ r.stage }}", "{{ r.when }}", "{{ r.task }}", "{{ r.to }}"],
            ["{%tr endfor %}"]]
    grid_table(t, list(SCHEDULE_COLUMNS), rows, ("{{ r.no }}",), size_pt=SCHEDULE_PT,
               line_twips=SCHEDULE_LINE_TWIPS, repeat_header=False)
    t.body("{%p endif %}")
    t.body("{%p endfor %}")


def flow_mark(t: Builder, edge: str) -> None:
    """The bookmark qingdan_flow around recipients … date: qingdan changes these lines'
    spacing when the signature would otherwise stand on a page of its own."""
    mark = OxmlElement("w:bookmarkStart" if edge == "start" else "w:bookmarkEnd")
    mark.set(qn("w:id"), "0")
    if edge == "start":
        mark.set(qn("w:name"), "qingdan_flow")
    t.doc.element.body.insert(len(t.doc.element.body) - 1, mark)


SHEET_COLUMNS = {
    False: [("序号", 900), ("考核项目", 1900), ("考核内容", 4245), ("分值", 900), ("得分", 900)],
    True: [("序号", 900), ("考核项目", 2000), ("考核内容", 4500), ("评分标准", 3456),
           ("分值", 900), ("得分", 1000)],
}


def landscape(t: Builder) -> None:
    """Turn the page: A4 landscape, the binding edge at the top."""
    section = t.doc.sections[0]
    section.orientation = 1  # WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(28), Mm(26)
    section.left_margin, section.right_margin = Mm(37), Mm(35)
    # The page number 7 mm under the text block, as on portrait pages: the 26 mm bottom
    # margin less 7 mm and the 4号 line (about 6 mm) leaves 13 mm to the edge.
    section.footer_distance = Mm(13)


def grid_table(t: Builder, columns: list[tuple[str, int]], rows: list[list[str]],
               centred: tuple[str, ...], size_pt: float | None = None,
               line_twips: int | None = None, repeat_header: bool = True) -> None:
    """A ruled table: a header row (repeated on every page unless repeat_header is off),
    docxtpl {%tr %} rows merged into one cell, fixed column widths in twips, rows that never
    break across pages; size_pt and line_twips override the table styles' size and give
    every line an exact height."""
    table = t.doc.add_table(rows=len(rows), cols=len(columns))
    table.style = t.doc.styles["Table Grid"]
    table.autofit = False
    for column, (_, width) in zip(table.columns, columns, strict=True):
        column.width = width * 635
    tbl_pr = table._tbl.tblPr
    child(tbl_pr, "w:tblLayout", type="fixed")
    child(tbl_pr, "w:jc", val="center")
    reorder(tbl_pr, ["w:tblStyle", "w:tblW", "w:jc", "w:tblLayout", "w:tblLook"])
    for r, values in enumerate(rows):
        cells = table.rows[r].cells
        if values[0].startswith("{%tr"):
            cells[0].merge(cells[-1])
            cells = cells[:1]
        for cell, (_, width), value in zip(cells, columns, values, strict=False):
            cell.width = width * 635
            para = cell.paragraphs[0]
            para.style = t.doc.styles["表头" if r == 0 else "表格文字"]
            if value in centred:
                para.alignment = 1
            run = para.add_run(value)
            rpr = run._r.get_or_add_rPr()
            set_fonts(rpr, HEITI if r == 0 else FANGSONG)
            if size_pt:
                child(rpr, "w:sz", val=str(int(size_pt * 2)))
                child(rpr, "w:szCs", val=str(int(size_pt * 2)))
            reorder_rpr(rpr)
            if line_twips:
                ppr = para._p.get_or_add_pPr()
                child(ppr, "w:spacing", before="0", after="0", line=str(line_twips),
                      lineRule="exact")
                reorder(ppr, PPR_ORDER)
    for row in table.rows:
        child(row._tr.get_or_add_trPr(), "w:cantSplit")
    if repeat_header:
        child(table.rows[0]._tr.get_or_add_trPr(), "w:tblHeader")


def scoring_sheet(wide: bool) -> bytes:
    """考核评分表: one row per indicator, items of one group merged down the 考核项目 column."""
    t = Builder()
    if wide:
        landscape(t)
    columns = SHEET_COLUMNS[wide]
    t.title_block()
    info = t.styled("flush", "被考核单位：{{ unit }}", FANGSONG)
    ppr = info._p.get_or_add_pPr()
    tabs = child(ppr, "w:tabs")
    stop = OxmlElement("w:tab")
    stop.set(qn("w:val"), "right")
    stop.set(qn("w:pos"), str(sum(w for _, w in columns)))
    tabs.append(stop)
    reorder(ppr, PPR_ORDER)
    tab = info.add_run()
    tab._r.append(OxmlElement("w:tab"))
    tail = info.add_run("考核时间：　　年　　月　　日")
    set_fonts(tail._r.get_or_add_rPr(), FANGSONG)
    fields = ["{{ r.no }}", "{% vm %}{{ g.name }}", "{{ r.content }}",
              *(["{{ r.criteria }}"] if wide else []), "{{ r.points }}", ""]
    total = ["合计", "", "", *([""] if wide else []), "{{ total }}", ""]
    # Rows of one group sit in an inner loop, so {% vm %} merges 考核项目 within a group.
    rows = [[name for name, _ in columns], ["{%tr for g in groups %}"],
            ["{%tr for r in g.rows %}"], fields, ["{%tr endfor %}"], ["{%tr endfor %}"], total]
    grid_table(t, columns, rows, ("{{ r.no }}", "{{ r.points }}", "合计", "{{ total }}"))
    t.body("")
    t.styled("flush", "考核人（签字）：　　　　　　　　　　被考核单位负责人（签字）：", FANGSONG)
    return t.save()


def comparison() -> bytes:
    """修订对照表: landscape, one row per changed item; the old and new text cells take
    run-level content ({{r …}}) so deletions can be struck through and additions marked.
    Then, on a page of its own, the counts by 修改类型 and the impact list."""
    t = Builder()
    landscape(t)
    t.title_block()
    t.styled("flush", "{{ legend }}", FANGSONG)
    columns = [("序号", 800), ("原条文", 4100), ("修订后条文", 4100), ("修改类型", 1500),
               ("修订说明", 2256)]
    rows = [[name for name, _ in columns], ["{%tr for r in rows %}"],
            ["{{ r.no }}", "{{r r.old }}", "{{r r.new }}", "{{ r.types }}", "{{ r.note }}"],
            ["{%tr endfor %}"]]
    grid_table(t, columns, rows, ("{{ r.no }}", "{{ r.types }}"))
    t.body("{%p if type_rows %}")
    heading = t.styled("title", "{{ summary_title }}", XIAOBIAOSONG, TITLE_PT)
    ppr = heading._p.get_or_add_pPr()
    child(ppr, "w:pageBreakBefore")
    reorder(ppr, PPR_ORDER)
    t.body("")
    t.styled("h1", "一、修改类型统计", HEITI)
    counts = [("修改类型", 3000), ("处数", 1500)]
    grid_table(t, counts, [[name for name, _ in counts], ["{%tr for c in type_rows %}"],
                           ["{{ c.name }}", "{{ c.count }}"], ["{%tr endfor %}"]],
               ("{{ c.name }}", "{{ c.count }}"))
    t.styled("h1", "二、影响范围", HEITI)
    t.body("{%p if impacts %}")
    reach = [("序号", 800), ("条目", 1900), ("修改类型", 1500), ("涉及单位", 3000),
             ("引用它的指标和条文", 3056), ("不再适用的单位调整", 2500)]
    grid_table(t, reach, [[name for name, _ in reach], ["{%tr for r in impacts %}"],
                          ["{{ r.no }}", "{{ r.where }}", "{{ r.types }}", "{{ r.units }}",
                           "{{ r.cited }}", "{{ r.overlays }}"], ["{%tr endfor %}"]],
               ("{{ r.no }}", "{{ r.types }}"))
    t.body("{%p else %}")
    t.body("本文件只有序号变化，不涉及职责和指标的实质修改。")
    t.body("{%p endif %}")
    t.body("{%p endif %}")
    return t.save()


TEMPLATES = {"responsibility-list.docx": responsibility_list, "measures.docx": measures,
             "notice.docx": notice, "scoring-sheet.docx": lambda: scoring_sheet(False),
             "scoring-sheet-landscape.docx": lambda: scoring_sheet(True),
             "comparison.docx": comparison}


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else HERE
    target.mkdir(parents=True, exist_ok=True)
    for name, make in TEMPLATES.items():
        (target / name).write_bytes(make())
        print(f"wrote {target / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
