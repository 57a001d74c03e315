"""The checks on printed pages: text, lines, text block, signature, end block, page numbers.

Each problem is located at the source text that produced the printed text (locate.py),
and names the page and the PDF it was seen on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import Diagnostic, Location
from ..model import Notice
from ..words import numbering
from .align import Alignment, align, chars
from .docx import Paragraph, frame_for
from .locate import Locator
from .pages import CELL, MM, PITCH, Frame, Line

LINES = 22
TIGHTEST = 24  # lines on a page whose pitch qingdan tightened
EDGE = 1.0  # points a line's box may pass the text block (glyph boxes are rounded)
NOTE_STYLES = ("附件说明", "附件说明续")  # the attachment note is not body text
END_STYLE = "版记"


@dataclass
class Printed:
    """One converted document: what it asked for and what its pages show."""

    name: str  # how messages name it: the PDF's path inside the output
    paragraphs: list[Paragraph]
    frames: list[Frame]
    sizes: list[tuple[float, float]]  # each page's width and height
    lines: list[Line]
    locator: Locator
    notice: Notice | None = None
    duplex: bool = True  # printed on both sides: the end block belongs on an even page
    found: list[Diagnostic] = field(default_factory=list)

    def frame(self, page: int) -> Frame:
        return frame_for(self.frames, *self.sizes[page - 1])


def check(doc: Printed) -> list[Diagnostic]:
    """Every problem of one document's pages."""
    text_lines = [ln for ln in doc.lines if ln.page_number(doc.frame(ln.page)) is None]
    result = align(chars([p.text for p in doc.paragraphs]), chars([ln.text for ln in text_lines]))
    pages = _Pages(doc, text_lines, result)
    pages.missing()
    pages.extra()
    pages.widths_and_edges()
    pages.line_counts()
    pages.page_numbers()
    if doc.notice is not None:
        pages.signature(doc.notice)
        pages.end_block(doc.notice)
    return doc.found


def _runs(indices: list[int], owner: list[int], position: list[int]) -> list[list[int]]:
    """Consecutive indices of one owner, grouped."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and owner[runs[-1][-1]] == owner[i] and position[i] == position[runs[-1][-1]] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


class _Pages:
    def __init__(self, doc: Printed, lines: list[Line], result: Alignment):
        self.doc, self.lines, self.result = doc, lines, result
        self.texts = ["".join(p.text.split()) for p in doc.paragraphs]
        self.count = len(doc.sizes)

    # --- where things are ---

    def _add(self, code: str, message: str, location: Location, hint: str) -> None:
        self.doc.found.append(Diagnostic(code, f"{message}（{self.doc.name}）", location, hint))

    def _source(self, expected: int | None) -> Location:
        if expected is not None:
            char = self.result.expected[expected]
            for owner in range(char.owner, -1, -1):  # generated text: the paragraph before
                index = char.index if owner == char.owner else len(self.texts[owner]) - 1
                found = self.doc.locator.locate(self.texts[owner], max(index, 0))
                if found is not None:
                    return found
        return self.doc.locator.fallback

    def _expected_near(self, printed: int) -> int | None:
        """The expected character printed at printed, or the nearest before it."""
        for j in range(printed, -1, -1):
            if j in self.result.expected_of:
                return self.result.expected_of[j]
        return next((self.result.expected_of[j] for j in range(printed, len(self.result.printed))
                     if j in self.result.expected_of), None)

    def _line_source(self, line: int) -> Location:
        """The source of a line: its first character (or a later one on its page) whose
        text comes from a source, else the text printed before it."""
        page = self.lines[line].page
        printed = self.result.printed
        first = next((j for j, c in enumerate(printed) if c.owner >= line), None)
        if first is None:
            return self.doc.locator.fallback
        tried = 0
        for j in range(first, len(printed)):
            if self.lines[printed[j].owner].page != page or tried > 60:
                break
            if j in self.result.expected_of:
                tried += 1
                char = self.result.expected[self.result.expected_of[j]]
                found = self.doc.locator.locate(self.texts[char.owner], char.index)
                if found is not None:
                    return found
        return self._source(self._expected_near(first))

    def _page_of(self, expected: int) -> int:
        """The page where an expected character is, or where it should have been."""
        for i in range(expected, -1, -1):
            if i in self.result.printed_of:
                return self.lines[self.result.printed[self.result.printed_of[i]].owner].page
        for i in range(expected, len(self.result.expected)):
            if i in self.result.printed_of:
                return self.lines[self.result.printed[self.result.printed_of[i]].owner].page
        return 1

    # --- text ---

    def missing(self) -> None:
        exp = self.result.expected
        for run in _runs(self.result.missing, [c.owner for c in exp], [c.index for c in exp]):
            first = exp[run[0]]
            text = self.texts[first.owner]
            lost = text[first.index:first.index + len(run)]
            context = text[max(first.index - 6, 0):first.index + len(run) + 6]
            self._add("E951", f"第 {self._page_of(run[0])} 页少印了“{lost}”：原文为“{context}”",
                      self._source(run[0]),
                      "这些字在 Word 文档中，却没有印在页面上：LibreOffice 常丢掉行末的“，”“、”，"
                      "模板也可能隐藏了文字")

    def extra(self) -> None:
        printed = self.result.printed
        repeated = {"".join(p.text.split()) for p in self.doc.paragraphs if p.header}
        runs = _runs(self.result.extra, [c.owner for c in printed], [c.index for c in printed])
        for run in runs:
            line = self.lines[printed[run[0]].owner]
            added = "".join(line.chars[printed[j].index] for j in run)
            if added in repeated:
                continue  # a table's heading row, repeated on a new page
            self._add("E952", f"第 {line.page} 页多出了“{added}”，文档中没有这些字："
                      f"“{line.chars}”", self._source(self._expected_near(run[0])),
                      "多出的字多半来自模板：Word 自动编号、域或其他文字；"
                      "序号应当写成文字，不用自动编号")

    # --- lines and the text block ---

    def _cell(self, line: int) -> float:
        """The character width of a line's paragraph: 3号 at -0.25 pt, or the spacing its
        runs set (qingdan fits 27 or 29 characters in a notice's body lines)."""
        for j, char in enumerate(self.result.printed):
            if char.owner == line and j in self.result.expected_of:
                owner = self.result.expected[self.result.expected_of[j]].owner
                return self.doc.paragraphs[owner].cell or CELL
        return CELL

    def widths_and_edges(self) -> None:
        for index, line in enumerate(self.lines):
            frame = self.doc.frame(line.page)
            cell = self._cell(index) if line.body else CELL
            columns = round(((line.x0 - frame.left) / cell + line.cells) * 2) / 2
            limit = int((frame.right - frame.left) / cell * 2 + 0.2) / 2  # 28 on upright A4
            wide = line.body and columns > limit
            if wide:
                self._add("E953", f"第 {line.page} 页“{line.chars[:12]}……”这一行占 "
                          f"{columns:g} 个字，超过每行 {limit:g} 个字", self._line_source(index),
                          "汉字和全角标点各占 1 个字，数字和西文字母各占半个字；"
                          "过长的西文单词、网址可在适当处加空格断开")
            right = 0.0 if wide else line.x1 - frame.right  # already reported as too long
            beyond = max(frame.left - line.x0, right, frame.top - line.y0,
                         line.y1 - frame.bottom)
            if beyond > EDGE:
                side = ("左" if frame.left - line.x0 == beyond else
                        "右" if right == beyond else
                        "上" if frame.top - line.y0 == beyond else "下")
                self._add("E955", f"第 {line.page} 页“{line.chars[:12]}”超出版心{side}边缘 "
                          f"{beyond / MM:.1f} 毫米", self._line_source(index),
                          "文字不能伸入页边：检查模板中段落的缩进、文本框和页边距")

    def _allowed(self, page: int) -> int:
        """22 lines, or up to 24 where paragraphs on the page carry a tighter exact pitch
        of their own (qingdan tightens a notice's front part to keep the signature with
        the body)."""
        frame = self.doc.frame(page)
        pitches = {self.doc.paragraphs[self.result.expected[i].owner].pitch
                   for j, i in self.result.expected_of.items()
                   if self.lines[self.result.printed[j].owner].page == page}
        tight = [p for p in pitches if p is not None and p < PITCH - 0.01]
        if not tight:
            return LINES
        return min(TIGHTEST, int((frame.bottom - frame.top) / min(tight) + 0.01))

    def line_counts(self) -> None:
        for page in range(1, self.count + 1):
            rows: list[tuple[float, int]] = []
            for index, line in enumerate(self.lines):
                middle = (line.y0 + line.y1) / 2
                if line.page == page and line.body and all(
                        abs(middle - y) > PITCH / 3 for y, _ in rows):
                    rows.append((middle, index))
            rows.sort()
            allowed = self._allowed(page) if len(rows) > LINES else LINES
            if len(rows) > allowed:
                self._add("E954", f"第 {page} 页有 {len(rows)} 行，超过每页 {allowed} 行",
                          self._line_source(rows[allowed][1]),
                          "正文行距应为固定值 28.95 磅（每页 22 行）：检查模板的行距和文档网格")

    # --- page numbers ---

    def page_numbers(self) -> None:
        hint = "页码用 4 号半角宋体“— 1 —”，单页居右、双页居左，各空一字，距版心下边缘 7 毫米"
        for page in range(1, self.count + 1):
            frame = self.doc.frame(page)
            shown = [ln for ln in self.doc.lines if ln.page == page and ln.page_number(frame)]
            content = next((i for i, ln in enumerate(self.lines) if ln.page == page), None)
            after_blank = page == self.count > 1 and not any(
                ln.page == page - 1 for ln in self.lines)
            if content is None or after_blank:
                # A blank page carries no number, nor the end block's page after a blank
                # one (GB/T 9704 7.5).
                if shown and content is None:
                    self._add("E958", f"第 {page} 页是空白页，却印有页码", self._blank_source(),
                              "空白页和其后的版记页都不编页码（GB/T 9704-2012 7.5）")
                elif shown and content is not None:
                    self._add("E958", f"第 {page} 页（版记页）前是空白页，却印有页码",
                              self._line_source(content),
                              "空白页和其后的版记页都不编页码（GB/T 9704-2012 7.5）")
                continue
            where = self._line_source(content)
            if not shown:
                self._add("E958", f"第 {page} 页没有页码", where, hint)
                continue
            line = shown[0]
            number = line.page_number(frame)
            side = "右" if page % 2 else "左"
            gap = frame.right - line.x1 if page % 2 else line.x0 - frame.left
            below = (line.y0 - frame.bottom) / MM
            if number != page:
                self._add("E958", f"第 {page} 页的页码是“— {number} —”", where, hint)
            elif abs(gap - 14) > 4:
                self._add("E958", f"第 {page} 页的页码应在{side}侧、空一字（现在离版心{side}"
                          f"边缘 {gap / MM:.1f} 毫米）", where, hint)
            elif not 5 <= below <= 9:
                self._add("E958", f"第 {page} 页的页码距版心下边缘 {below:.1f} 毫米，应为 7 毫米",
                          where, hint)

    def _blank_source(self) -> Location:
        """Where to report a blank page: the notice's end block, else the document."""
        notice = self.doc.notice
        source = notice and (notice.copy_to or notice.printer or notice.date)
        return source.location if source else self.doc.locator.fallback

    # --- the notice: signature and end block ---

    def _paragraph_pages(self, paragraph: int) -> list[tuple[int, int]]:
        """(page, printed index) of a paragraph's printed characters."""
        return sorted((self.lines[self.result.printed[j].owner].page, j)
                      for i, j in self.result.printed_of.items()
                      if self.result.expected[i].owner == paragraph)

    def signature(self, notice: Notice) -> None:
        name = "".join(notice.signature.value.split())
        date = numbering.date(notice.date.value)
        # The signature paragraph is the one the date follows: the organ mark at the top
        # may read the same.
        named = [i for i, p in enumerate(self.doc.paragraphs)
                 if self.texts[i] == name and not p.boxed]
        dated = [i for i in named
                 if next((t for t in self.texts[i + 1:] if t), None) == date]
        sign = dated[0] if dated else (named[-1] if named else None)
        if sign is None or not self._paragraph_pages(sign):
            return
        page, first = self._paragraph_pages(sign)[0]
        skip = {sign} | {i for i, t in enumerate(self.texts) if t == date}
        skip |= {i for i, p in enumerate(self.doc.paragraphs) if p.style in NOTE_STYLES}
        for j in range(first):
            line = self.lines[self.result.printed[j].owner]
            owner = self.result.expected[self.result.expected_of[j]].owner \
                if j in self.result.expected_of else None
            if line.page == page and owner is not None and owner not in skip:
                return
        self._add("E956", f"发文机关署名“{notice.signature.value}”印在第 {page} 页，"
                  "该页没有正文", notice.signature.location,
                  "署名和成文日期须与正文同页（GB/T 9704-2012 7.3.5），不用“此页无正文”："
                  "qingdan 只在通知模板的 qingdan_flow 书签内调整行距、字距和分页，自定义模板"
                  "没有这个书签时，增删正文，使至少一行正文移到署名所在页")

    def end_block(self, notice: Notice) -> None:
        block = [i for i, p in enumerate(self.doc.paragraphs)
                 if p.style == END_STYLE and self.texts[i]]
        placed = [pj for i in block for pj in self._paragraph_pages(i)]
        if not placed:
            return
        source = notice.copy_to or notice.printer or notice.date
        where = source.location if source else notice.location
        hint = "版记置于最后一页，末条分隔线与版心下边缘重合（GB/T 9704-2012 7.4）"
        pages = sorted({page for page, _ in placed})
        if pages != [self.count]:
            self._add("E957", f"版记印在第 {'、'.join(map(str, pages))} 页，文档共 "
                      f"{self.count} 页，版记应在最后一页", where, hint)
            return
        bottom = max(self.lines[self.result.printed[j].owner].y1 for _, j in placed)
        gap = self.doc.frame(self.count).bottom - bottom
        if gap > PITCH / 2:
            self._add("E957", f"版记末行距版心下边缘 {gap / MM:.1f} 毫米，应在最后一页的版心底部",
                      where, hint)
        if self.count % 2 and self.doc.duplex:
            self._add("W959", f"版记在第 {self.count} 页，是单页；双面印刷时版记应在双页"
                      "（最后一面）", where,
                      "双面印刷时 qingdan 把版记排在双页（需要时前加空白页，两页都不编页码），"
                      "自定义的通知模板须保留 qingdan_flow 书签；单面印刷时在 qingdan.yaml 的 "
                      "printing 下写 sides: simplex")
