"""Accepting or rejecting every tracked revision of a .docx, as Word's buttons would, and
the check every redline passes before it is written: accepting all gives the new
version's text and rejecting all the old one's, paragraph by paragraph, compared with the
paragraphs the model gives (diff/render.py). A redline that fails is a defect of
qingdan's, reported as E671 at the source entry whose paragraph came out wrong; nothing
is written.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from ..diagnostics import Diagnostic, Failed, Location

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def body_of(data: bytes) -> etree._Element:
    """The <w:body> of a .docx package's main document."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("word/document.xml")
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    body = root.find(_q("body"))
    assert body is not None
    return body


def settle(data: bytes, accept: bool) -> list[str]:
    """The non-empty paragraph texts of a .docx package after accepting (or rejecting)
    every revision."""
    root = copy.deepcopy(body_of(data))
    drop, keep = ("del", "ins") if accept else ("ins", "del")
    for paragraph in list(root.iter(_q("p"))):
        mark = paragraph.find(f"w:pPr/w:rPr/w:{drop}", NS)
        if mark is not None:  # the paragraph itself is what is dropped
            parent = paragraph.getparent()
            assert parent is not None
            parent.remove(paragraph)
            continue
        for element in list(paragraph.iter(_q(drop))):
            parent = element.getparent()
            assert parent is not None
            parent.remove(element)
        for element in list(paragraph.iter(_q(keep))):
            parent = element.getparent()
            assert parent is not None
            index = parent.index(element)
            for child in list(element):
                parent.insert(index, child)
                index += 1
            parent.remove(element)
    texts = []
    for paragraph in root.iter(_q("p")):
        text = "".join(t.text or "" for t in paragraph.iter(_q("t"), _q("delText")))
        if text:
            texts.append(text)
    return texts


@dataclass(frozen=True)
class Expected:
    """A paragraph the model says a version has, and the source entry it comes from."""

    text: str
    location: Location


def verify(data: bytes, old: Sequence[Expected], new: Sequence[Expected], title: str) -> None:
    """Raise Failed (E671) unless accepting every revision of data gives new's texts and
    rejecting every revision gives old's."""
    for accept, wanted, side in ((True, new, "新版本"), (False, old, "旧版本")):
        want = [p for p in wanted if p.text]
        got = settle(data, accept)
        if got == [p.text for p in want]:
            continue
        at = next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b.text),
                  min(len(got), len(want)))
        expected, actual = _around(want[at].text if at < len(want) else "（无）",
                                   got[at] if at < len(got) else "（无）")
        where = want[min(at, len(want) - 1)].location if want else Location("")
        raise Failed([Diagnostic(
            "E671", f"《{title}》（修订稿）“全部{'接受' if accept else '拒绝'}修订”后与{side}不同："
                    f"第 {at + 1} 段应为“{expected}”，实为“{actual}”", where,
            hint="这是 qingdan 的缺陷，修订稿没有写出；请把两个版本一并报告给维护者")])


def _around(expected: str, actual: str, before: int = 8, after: int = 16) -> tuple[str, str]:
    """Both texts around the first character where they differ, cut with ……."""
    same = next((i for i, (a, b) in enumerate(zip(expected, actual, strict=False)) if a != b),
                min(len(expected), len(actual)))
    start = max(0, same - before)

    def cut(text: str) -> str:
        end = same + after
        return ("……" if start else "") + text[start:end] + ("……" if end < len(text) else "")

    return cut(expected), cut(actual)
