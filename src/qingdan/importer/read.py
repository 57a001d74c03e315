"""A file -> paragraphs, each remembering where it was (line, paragraph or table cell).

Imported files are untrusted: sizes are checked before anything is parsed, a .docx is
opened as a zip whose declared sizes bound what can be inflated, XML is parsed without
entities, DTDs or network, and every failure is a located diagnostic (E431-E435).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .convert import noted, read_converted
from .docx import read_docx
from .paras import (
    CONVERTED_SUFFIXES,
    HTML_SUFFIXES,
    TEXT_SUFFIXES,
    WORD_SUFFIXES,
    Para,
    bounded,
    decode,
    failed,
    read_limited,
)
from .webpage import read_html


def read_file(path: Path, display: str, soffice: str | None = None,
              note: Callable[[str, str], None] | None = None) -> list[Para]:
    """The paragraphs of one input file; raises Failed (E431-E435, E438) when it cannot be
    read. note(what, why) hears of links removed and of a file read as what it really is."""
    note = note or (lambda what, why: None)
    suffix = path.suffix.lower()
    if suffix not in (*TEXT_SUFFIXES, *HTML_SUFFIXES, *WORD_SUFFIXES, *CONVERTED_SUFFIXES):
        raise failed("E432", f"不支持的文件类型“{path.suffix or '（无扩展名）'}”", display,
                     "可导入 .docx、.doc、.wps、.txt、.html；其他格式请先在 Word 或 WPS 中"
                     "另存为 .docx")
    data = read_limited(path, display)
    if suffix in CONVERTED_SUFFIXES:
        return read_converted(path, data, display, soffice, note)
    if suffix in WORD_SUFFIXES:
        from ..office.links import strip_docx

        data, refs = strip_docx(data)  # the reader follows no link, but says they went
        noted(refs, note)
        return read_docx(data, display)
    text = decode(data, display)
    if suffix in HTML_SUFFIXES or (suffix in TEXT_SUFFIXES and _looks_like_html(text)):
        return read_html(text, display)
    return read_text(text, display)


def read_text(text: str, display: str) -> list[Para]:
    """One paragraph per non-empty line."""
    paras = [Para(line, f"第{n}行") for n, line in enumerate(text.split("\n"), 1)
             if line.strip()]
    return bounded(paras, display)


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or "<body" in head
