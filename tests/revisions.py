"""Accept or reject every tracked revision of a .docx, as Word's buttons would."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def body(path: Path):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml")).find(_q("body"))


def settle(path: Path, accept: bool) -> list[str]:
    """The non-empty paragraph texts after accepting (or rejecting) every revision."""
    root = copy.deepcopy(body(path))
    drop, keep = ("del", "ins") if accept else ("ins", "del")
    for paragraph in list(root.iter(_q("p"))):
        mark = paragraph.find(f"w:pPr/w:rPr/w:{drop}", NS)
        if mark is not None:  # the paragraph itself is what is dropped
            paragraph.getparent().remove(paragraph)
            continue
        for element in list(paragraph.iter(_q(drop))):
            element.getparent().remove(element)
        for element in list(paragraph.iter(_q(keep))):
            parent = element.getparent()
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
