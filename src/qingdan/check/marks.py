"""Marks and numbers in Chinese text: full-width digits (W911), ellipses (W912), 顿号
between titles or quotes (W913), paired marks left open (W914), two-digit years (W915), a
date of issue in Chinese numerals (W916), ranges joined by a hyphen (W917) and titles
ending in a point mark (W918). GB/T 15834-2011, GB/T 15835-2011, GB/T 9704-2012.

Each finder reads a text's raw source characters with placeholders blanked (`prose`), so
offsets are file offsets and `qingdan fmt` can patch the file; a change is
(offset in raw, old character, new text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from ..diagnostics import Diagnostic
from ..load.yamlread import reads_as_text
from ..model import Measures, Notice, Project, ResponsibilityList, Text
from ..words.numbering import chinese
from .prose import CJK, prose

Change = tuple[int, str, str]

FULL_DIGITS = re.compile(r"(?<![０-９])[０-９]+")
# Three or more dots or full stops, or a run of …: a run is entered only at its start.
ELLIPSIS = re.compile(r"(?<![.．])[.．]{3,}|(?<!。)。{3,}|(?<!…)…+")
SERIAL_COMMA = re.compile(r"(?<=[》”’])、(?=[《“‘])")
# A year of two digits: 19年3月, 24年度 (not 2019年, 5年, 10年来, 近10年).
RANGE_MARKS = re.compile(r"[-~－–]")
LABEL_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                        "一二三四五六七八九十")
# Numbers joined by a hyphen that are no range: a house number (和平路12-3号), a telephone.
NOT_A_RANGE = ("路", "街", "巷", "弄", "楼", "栋", "室", "电话", "传真", "手机", "热线", "座机")
SHORT_YEAR = re.compile(r"(?<![\d０-９.．\-—～~/])(\d{2})年(?=\d{1,2}月|度|底|末)")
NOT_A_YEAR = ("近", "连续", "前", "后", "每", "多", "第", "过去", "最近", "未来", "满", "达")
# 2023-2024年, 80~89分: two numbers joined by a hyphen or a tilde (not 2019-04-22, not
# 0531-1234567, not GB/T 9704-2012, not 表2-1).
RANGE = re.compile(r"(?<![\d.:\-A-Za-z/_])(\d+(?:\.\d+)?)([-~－–])(\d+(?:\.\d+)?)(?![\d.:\-])")
NUMBERED = ("表", "图", "附件", "附表", "附图", "式", "例", "编号")
ZH_DIGIT = "〇○零一二三四五六七八九"
ZH_DATE = re.compile(rf"(?<![{ZH_DIGIT}])([{ZH_DIGIT}]{{4}})年([一二三四五六七八九十]{{1,3}})月"
                     r"(?:([一二三四五六七八九十]{1,3})日)?")
SMALL = {chinese(n): n for n in range(1, 32)}
YEAR_DIGITS = {"〇": 0, "○": 0, "零": 0, **{c: i for i, c in enumerate("一二三四五六七八九", 1)}}
PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "〔": "〕", "【": "】"}
CLOSERS = {close: open_ for open_, close in PAIRS.items()}
PAIR_MARKS = re.compile(r"\n[ \t\u3000]*|[“”‘’《》（）〔〕【】]")
# 1） a） 一） after a line's start or a point mark: a sequence label, not a bracket left
# unopened.
LABEL = re.compile(r"(?:^|(?<=[\n\x00 \t　：；。，、:;,]))[0-9A-Za-z一二三四五六七八九十]{1,3}）")
NAMES = {"“": "前引号", "”": "后引号", "‘": "前单引号", "’": "后单引号", "《": "前书名号",
         "》": "后书名号", "（": "前括号", "）": "后括号", "〔": "前六角括号", "〕": "后六角括号",
         "【": "前方头括号", "】": "后方头括号"}
TITLE_END = "。；，、："


def _cjk(char: str) -> bool:
    return bool(char) and re.match(CJK, char) is not None


def full_width_digits(text: Text) -> list[Diagnostic]:
    """W911 for each run of full-width digits."""
    return [Diagnostic("W911", f"全角数字“{m.group(0)}”应为半角“{_ascii(m.group(0))}”",
                       text.at(m.start()), hint="运行 qingdan fmt 可自动改正")
            for m in FULL_DIGITS.finditer(prose(text.raw))]


def _ascii(digits: str) -> str:
    return "".join(chr(ord(c) - 0xFF10 + 0x30) for c in digits)


def _ellipses(raw: str) -> Iterator[tuple[int, str, list[Change]]]:
    """(offset, as written, changes to ……) for each ellipsis written otherwise: three or
    more dots or full stops in Chinese text, or an odd run of …."""
    text = prose(raw)
    for m in ELLIPSIS.finditer(text):
        run, start, end = m.group(0), m.start(), m.end()
        if run[0] == "…":
            if len(run) % 2 == 0:
                continue
            changes = [(start, "…", "……")] if len(run) == 1 else [(start, "…", "")]
        else:
            before = text[start - 1] if start else ""
            after = text[end] if end < len(text) else ""
            if run[0] != "。" and not (_cjk(before) or _cjk(after)):
                continue  # dots in Latin text or a number
            changes = [(start, run[0], "……")] + [(k, run[0], "") for k in range(start + 1, end)]
        yield start, run, changes


def ellipses(text: Text) -> list[Diagnostic]:
    """W912 for each ellipsis not written ……."""
    found = []
    for offset, run, _ in _ellipses(text.raw):
        what = "单独一个“…”" if run == "…" else f"“{run}”"
        found.append(Diagnostic("W912", f"省略号写成了{what}，应为“……”", text.at(offset),
                                hint="省略号是两个“…”（占两个字的位置）；运行 qingdan fmt "
                                     "可自动改正"))
    return found


def serial_commas(text: Text) -> list[Diagnostic]:
    """W913 for a 顿号 between two titles in 《》 or two quotations."""
    raw = prose(text.raw)
    found = []
    for m in SERIAL_COMMA.finditer(raw):
        pair = raw[m.start() - 1:m.end() + 1]
        kind = ("书名号" if pair[0] == "》" and pair[2] == "《" else
                "引号" if pair[0] != "》" and pair[2] != "《" else "书名号和引号")
        found.append(Diagnostic("W913", f"并列的{kind}之间用了顿号：{pair}", text.at(m.start()),
                                hint=f"并列的{kind}之间通常不用顿号，写成 {pair[0]}{pair[2]}；"
                                     "运行 qingdan fmt 可自动改正"))
    return found


def _plain_number(raw: str, changes: list[Change]) -> bool:
    """Whether a plain scalar would read as something else than text once its digits are
    made half-width (２０２４ as 2024, ０x１F as 31, １e５ as 100000.0)."""
    if raw.startswith(("'", '"', "|", ">")) or len(raw) > 64:
        return False
    value = list(raw)
    for index, _, new in changes:
        value[index] = new
    return not reads_as_text("".join(value))


def mark_changes(text: Text) -> list[Change]:
    """What `qingdan fmt` changes for W911, W912 and W913 in a text."""
    raw = prose(text.raw)
    changes: list[Change] = [(m.start() + k, c, _ascii(c))
                             for m in FULL_DIGITS.finditer(raw)
                             for k, c in enumerate(m.group(0))]
    if changes and _plain_number(raw, changes):
        changes = []  # a plain ２０２４ made 2024 would read as a number, not text
    changes += [c for _, _, group in _ellipses(text.raw) for c in group]
    changes += [(m.start(), "、", "") for m in SERIAL_COMMA.finditer(raw)]
    return changes


def unpaired(texts: Sequence[Text]) -> list[Diagnostic]:
    """W914 for each paired mark left open or closed without an opener in the texts (the
    lines of one title, or one text). A quotation that runs over several paragraphs opens
    each with “ and closes only the last (GB/T 15834-2011, 引号): an opener at a line's
    start while the same mark is open continues it."""
    found = []
    open_at: dict[str, list[tuple[Text, int]]] = {mark: [] for mark in PAIRS}
    for text in texts:
        raw = prose(text.raw)
        labels = {m.end() - 1 for m in LABEL.finditer(raw)}
        line_at = len(raw) - len(raw.lstrip(" \t\u3000"))  # where a line's text starts
        for m in PAIR_MARKS.finditer(raw):
            index, char = m.start(), m.group(0)
            if char[0] == "\n":
                line_at = m.end()
            elif char in PAIRS:
                if not (index == line_at and open_at[char] and char in "“‘"):
                    open_at[char].append((text, index))
            elif index not in labels and not _apostrophe(raw, index):
                stack = open_at[CLOSERS[char]]
                if stack:
                    stack.pop()
                elif char == "）" and _inline_label(raw, index):
                    continue  # 各党支部1）每月……；2）每季度……: a label run into the text
                else:
                    opener = CLOSERS[char]
                    found.append(Diagnostic(
                        "W914", f"{NAMES[char]} {char} 前面没有与之配对的{NAMES[opener]}",
                        text.at(index), hint=f"在应开始处补上{NAMES[opener]} {opener}，"
                                             f"或删去多余的{NAMES[char]}"))
    for mark, stack in open_at.items():
        for text, index in stack:
            close = PAIRS[mark]
            found.append(Diagnostic("W914", f"{NAMES[mark]} {mark} 没有与之配对的{NAMES[close]}",
                                    text.at(index), hint=f"在应结束处补上{NAMES[close]} {close}，"
                                                         f"或删去多余的{NAMES[mark]}"))
    return found


def _inline_label(raw: str, index: int) -> bool:
    """Whether the ） at index ends a label of one or two characters (1）, a）, 十）)."""
    start = index
    while start > 0 and index - start < 3 and raw[start - 1] in LABEL_CHARS:
        start -= 1
    return 1 <= index - start <= 2 and (start == 0 or raw[start - 1] not in LABEL_CHARS)


def _apostrophe(raw: str, index: int) -> bool:
    """A ’ between Latin letters (People’s) is an apostrophe, not a closing quote."""
    return (raw[index] == "’" and 0 < index < len(raw) - 1
            and raw[index - 1].isascii() and raw[index - 1].isalpha()
            and raw[index + 1].isascii() and raw[index + 1].isalpha())


def short_years(text: Text) -> list[Diagnostic]:
    """W915 for a year written with two digits: 19年3月, 24年度."""
    raw = prose(text.raw)
    found = []
    for m in SHORT_YEAR.finditer(raw):
        if raw[m.end()] == "度" and raw[max(0, m.start() - 2):m.start()].endswith(NOT_A_YEAR):
            continue
        two = m.group(1)
        full = ("20" if int(two) <= 50 else "19") + two
        found.append(Diagnostic("W915", f"年份“{two}年”写成了两位数字", text.at(m.start()),
                                hint=f"年份写全四位，如“{full}年”，不简写为“{two}年”"))
    return found


def ranges(text: Text) -> list[Diagnostic]:
    """W917 for a range of numbers joined by a hyphen or a tilde in Chinese text."""
    raw = prose(text.raw)
    found = []
    for m in RANGE.finditer(raw):
        first, mark, second = m.groups()
        after = raw[m.end()] if m.end() < len(raw) else ""
        if (not (re.match(r"[\u4e00-\u9fff%％℃]", after))
                or (len(first) > 1 and first.startswith("0"))
                or raw[max(0, m.start() - 3):m.start()].rstrip(" ").endswith(NUMBERED)
                or re.search(r"[A-Za-z/]\s?$", raw[max(0, m.start() - 2):m.start()])
                or raw[max(0, m.start() - 6):m.start()].rstrip("：: \t").endswith(NOT_A_RANGE)):
            continue
        if after in "年月日时":
            better = f"“{first}—{second}{after}”（起止用一字线）或“{first}～{second}{after}”"
        else:
            better = f"“{first}～{second}{after}”（数值范围用浪纹线）或“{first}—{second}{after}”"
        found.append(Diagnostic("W917", f"范围“{m.group(0)}”中的连接号用了“{mark}”",
                                text.at(m.start(2)), hint=f"写成{better}"))
    return found


def lint_marks(texts: Iterable[Text], joined: Iterable[Sequence[Text]] = ()) -> list[Diagnostic]:
    """W911-W915 and W917 in the given source texts; joined: groups of texts (a title's
    lines) whose paired marks are matched across the group, not in each text."""
    found: list[Diagnostic] = []
    apart = {id(t) for group in joined for t in group}
    for text in texts:
        raw = text.raw
        if not raw:
            continue
        # Each rule only where its marks occur (a 10,000-item list has 10,000 texts).
        if FULL_DIGITS.search(raw):
            found += full_width_digits(text)
        if "." in raw or "．" in raw or "。。。" in raw or "…" in raw:
            found += ellipses(text)
        if "、" in raw:
            found += serial_commas(text)
        if "年" in raw:
            found += short_years(text)
        if RANGE_MARKS.search(raw):
            found += ranges(text)
        if id(text) not in apart and PAIR_MARKS.search(raw):
            found += unpaired([text])
    for group in joined:
        found += unpaired([t for t in group if t.raw])
    return found


def titles(project: Project) -> Iterator[tuple[Text, ...]]:
    """Every title a project writes: its documents' (by line) and the cited ones'."""
    documents: list[ResponsibilityList | Measures | Notice] = [
        *project.lists, *project.measures, *project.notices]
    for doc in documents:
        if doc.title:
            yield doc.title
    cited = {id(d): d for d in [*project.documents, *(c for lst in project.lists
                                                     for c in lst.basis)]}
    for cited_doc in cited.values():
        yield (cited_doc.title,)


def title_ends(project: Project) -> list[Diagnostic]:
    """W918 for a title whose last line ends in a point mark."""
    found = []
    for title in titles(project):
        last = title[-1]
        raw = prose(last.raw).rstrip(" \n\"'")
        if raw and raw[-1] in TITLE_END:
            found.append(Diagnostic("W918", f"标题末尾用了标点“{raw[-1]}”", last.at(len(raw) - 1),
                                    hint=f"标题末尾不用“{raw[-1]}”，删去即可"))
    return found


def chinese_dates(notice: Notice) -> list[Diagnostic]:
    """W916 for a date of issue in Chinese numerals (二〇二四年三月十五日) written in a
    notice's signature or printing line, or as a paragraph of its own in its body."""
    found = []
    for text, field in ((notice.signature, "date"), (notice.printer, "print_date")):
        if text is not None and text.raw:
            found += [_chinese_date(text, m, field=field)
                      for m in ZH_DATE.finditer(prose(text.raw))]
    if notice.body is not None and notice.body.raw:
        start = 0
        for line in prose(notice.body.raw).split("\n"):
            # A date in a sentence of the body may be written in words; one on a line of
            # its own is the date of issue typed into the body.
            m = ZH_DATE.fullmatch(line.strip(" \t\u3000\"'"))
            if m is not None:
                found.append(_chinese_date(notice.body, m, start + line.index(m.group(0))))
            start += len(line) + 1
    return found


def resolved_dates(project: Project) -> list[Diagnostic]:
    """W916 for a Chinese-numeral date a placeholder put into a notice's signature or
    printing line (a unit's vars); the source text itself is checked by chinese_dates."""
    return [Diagnostic("W916", f"占位符生成的日期“{m.group(0)}”用了汉字数字", text.location,
                       hint=_date_hint(m).split("；")[0] + "；改正占位符所取的值（如单位的 vars）")
            for notice in project.notices for text in (notice.signature, notice.printer)
            if text is not None and not text.broken and "{" in text.raw
            for m in ZH_DATE.finditer(text.value) if m.group(0) not in text.raw]


def _chinese_date(text: Text, m: re.Match[str], offset: int = -1,
                  field: str = "date") -> Diagnostic:
    return Diagnostic("W916", f"日期“{m.group(0)}”用了汉字数字",
                      text.at(m.start() if offset < 0 else offset), hint=_date_hint(m, field))


def _date_hint(m: re.Match[str], field: str = "date") -> str:
    year = "".join(str(YEAR_DIGITS[c]) for c in m.group(1))
    month, day = SMALL.get(m.group(2)), SMALL.get(m.group(3) or "")
    if month is None or (m.group(3) and day is None):
        shown = "如“2024年3月15日”"
    else:
        shown = f"写成“{int(year)}年{month}月" + (f"{day}日”" if day else "”")
    if field == "print_date":
        return (f"印发日期用阿拉伯数字，{shown}；印发日期写在 print_date 中"
                "（如 print_date: 2024-03-15），qingdan 按标准写出")
    return (f"成文日期用阿拉伯数字，{shown}；成文日期写在 date 中（如 date: 2024-03-15），"
            "qingdan 按标准写出")
