"""A paragraph of an imported file (Para), and what every reader shares: decoding text and
control characters as located diagnostics (E432, E435); the limits on what is read and
damaged zips (E431, E433) come from the core's load/wordfile.py, which absorb shares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..load.wordfile import (  # noqa: F401 - the limits and damage every reader shares
    DAMAGED,
    MAX_FILE,
    MAX_INFLATED,
    MAX_MEMBERS,
    MAX_PART,
    REPAIR,
    failed,
    open_docx,
    read_limited,
    unpacked,
)

MAX_PARAGRAPHS = 200_000

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
WORD_SUFFIXES = (".docx", ".docm", ".dotx")
CONVERTED_SUFFIXES = (".doc", ".wps", ".wpt", ".dot", ".rtf", ".odt")

# Characters no document text should hold: C0 controls other than tab and line breaks.
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]")


@dataclass(frozen=True)
class Para:
    """One paragraph of an imported file and where the user can find it there."""

    text: str
    where: str  # 第12行, 第12段, 表格1第3行
    style: str = ""  # the Word paragraph style's name, when there is one
    box: bool = False  # from a text box (a qingdan notice's 版记)
    lead: str = ""  # the leading run(s) set in a heading face (黑体/楷体), when read from Word
    face: bool = False  # the whole paragraph set in a heading face (a heading, from Word)


def decode(data: bytes, display: str) -> str:
    """Text in UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030 (GBK)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise failed("E432", "这不是文本文件（含有二进制内容）", display,
                     "Word 文件请用 .docx、.doc 扩展名导入，不要改成 .txt", line)
    else:
        encoding = "utf-8-sig"
    for candidate in (encoding, "gb18030"):
        try:
            text = data.decode(candidate)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise failed("E435", "无法识别文件的文字编码（不是 UTF-8，也不是 GBK）", display,
                     "在记事本或 WPS 中打开，另存为“UTF-8”编码后再导入")
    return controls(text, display)


def controls(text: str, display: str) -> str:
    """Page and column breaks become line breaks; any other control character is refused
    at its line, since no document holds one and YAML cannot carry it."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    text = text.replace("\x0b", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    bad = CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - text.rfind("\n", 0, bad.start())
        raise failed("E435", f"第 {line} 行含有不可打印的控制字符 U+{ord(bad.group()):04X}",
                     display, "删除这个字符（通常是从其他程序复制时带进来的）后再导入", line,
                     column)
    return text


def bounded(paras: list[Para], display: str) -> list[Para]:
    if len(paras) > MAX_PARAGRAPHS:
        raise failed("E433", f"段落过多（{len(paras)} 段，上限 {MAX_PARAGRAPHS}）", display,
                     "一份公文不会有这样多段；请确认选对了文件")
    return paras
