"""What OFD.xml says of a document (DocInfo), read from the .docx qingdan wrote.

Title: the package's dc:title. A notice gives more through its paragraph styles: the
issuing organ (the signature above the date, else the organ mark without 文件), the date
of issue (成文日期, as YYYY-MM-DD) and the 发文字号. The documents a notice issues (its
《titles》) take the notice's organ and date (`inherit`). Nothing here is today's date.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, replace

from lxml import etree

from .package import DocInfo, PageFrame

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DC = "{http://purl.org/dc/elements/1.1/}"
DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
MARK_STYLE, NUMBER_STYLE, ATTACHMENT_LABEL = "发文机关标志", "发文字号", "附件标签"
MM = 25.4 / 1440  # a twip in millimetres


@dataclass(frozen=True)
class Described:
    """A document's DocInfo and page frames, and the titles it issues (a notice's)."""

    info: DocInfo
    frames: list[PageFrame]
    issues: tuple[str, ...] = ()


def _paragraphs(root: etree._Element) -> list[tuple[str, str]]:
    found = []
    for p in root.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        found.append((style.get(f"{W}val", "") if style is not None else "", text))
    return found


def _frames(root: etree._Element) -> list[PageFrame]:
    found = []
    for sect in root.iter(f"{W}sectPr"):
        size, margins = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
        if size is None or margins is None:
            continue
        try:
            width = float(size.get(f"{W}w", "11906")) * MM
            height = float(size.get(f"{W}h", "16838")) * MM
            left, top = (float(margins.get(f"{W}{k}", "0")) * MM for k in ("left", "top"))
            right, bottom = (float(margins.get(f"{W}{k}", "0")) * MM for k in ("right", "bottom"))
        except ValueError:
            continue
        frame = PageFrame(width, height, left, top, width - right, height - bottom)
        if frame not in found:
            found.append(frame)
    return found


def describe(docx: bytes, pdf: bytes) -> Described:
    """The DocInfo of one document (its DocID from the PDF's bytes) and its page frames."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
        names = package.namelist()
        core = etree.fromstring(package.read("docProps/core.xml")) \
            if "docProps/core.xml" in names else None
    title = (core.findtext(f"{DC}title") or "").strip() if core is not None else ""
    paragraphs = _paragraphs(root)
    doc_id = hashlib.md5(pdf).hexdigest()  # 32 characters, as OFD's DocID asks
    marks = [t.strip() for s, t in paragraphs if s == MARK_STYLE and t.strip()]
    if not marks:
        return Described(DocInfo(doc_id, title), _frames(root))
    front = paragraphs
    for i, (style, _) in enumerate(paragraphs):
        if style == ATTACHMENT_LABEL:
            front = paragraphs[:i]
            break
    texts = [t.strip().replace("\u3000", "") for _, t in front]
    author, date = re.sub(r"文件$", "", marks[0]), ""
    for i in range(len(texts) - 1, 0, -1):
        match = DATE.match(texts[i])
        if match:
            date = "{}-{:0>2}-{:0>2}".format(*match.groups())
            signature = next((t for t in reversed(texts[:i]) if t), "")
            author = signature or author
            break
    number = next((t.strip() for s, t in paragraphs if s == NUMBER_STYLE and t.strip()), "")
    custom = (("发文字号", number),) if number else ()
    issues = tuple(re.findall(r"《([^《》]+)》", title))
    return Described(DocInfo(doc_id, title, author, "", date, custom=custom), _frames(root),
                     issues)


def inherit(documents: dict[str, Described]) -> dict[str, Described]:
    """Documents a notice issues (by title, within one folder's names) take its organ and
    date where they have none of their own."""
    issuers: dict[str, Described] = {}
    for described in documents.values():
        for title in described.issues:
            issuers.setdefault(title, described)
    result = {}
    for name, described in documents.items():
        issuer = issuers.get(described.info.title)
        if issuer is not None and not described.info.author:
            described = replace(described, info=replace(
                described.info, author=issuer.info.author,
                creation_date=described.info.creation_date or issuer.info.creation_date))
        result[name] = described
    return result
