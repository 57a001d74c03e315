"""OFD output: a document's PDF pages as an OFD package (GB/T 33190-2016).

`convert` is a pure function, PDF bytes in, OFD bytes out: the pages LibreOffice printed
(the same ones `proof` checks) carried over object by object: text as TextObject with the
PDF's own glyphs embedded, rules as paths in their colours, images as images.
"""

from __future__ import annotations

from .package import DocInfo, PageFrame, write
from .pdfread import Unsupported, read

__all__ = ["DocInfo", "PageFrame", "Unsupported", "convert"]


def convert(pdf: bytes, info: DocInfo, frames: list[PageFrame] | None = None) -> bytes:
    """The OFD package for a PDF; raises Unsupported for what OFD output cannot carry."""
    document = read(pdf)
    if not info.title and document.title:
        info = DocInfo(info.doc_id, document.title, info.author, info.subject,
                       info.creation_date, info.creator, info.custom)
    return write(document, info, frames or [])
