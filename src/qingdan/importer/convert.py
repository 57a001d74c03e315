"""Files the importer cannot read itself: old Word (.doc), WPS (.wps), RTF and OpenDocument
(.odt), turned into .docx by LibreOffice (qingdan.office: no network, no links loaded, a
private profile, the same workers as `build --pdf`).

A file is what its first bytes say, not its name: a web page saved as .doc (common on
government sites) is read as the web page it is by the importer's own HTML reader, never
by LibreOffice's HTML filter, which fetches every picture the page names; a .docx named
.doc is read as a .docx; anything that is none of the formats LibreOffice is asked to read
is refused at the user's file (E438). Links to other files (pictures, templates, fields,
linked objects) are removed before LibreOffice sees an RTF or ODF file, and from the .docx
it makes; each removal becomes a note of the import report.
"""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable
from pathlib import Path

from .. import office
from ..office import links, scratch
from .docx import read_docx
from .paras import Para, decode, failed
from .webpage import read_html

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, WPS: a compound file
ODF_TEXT = (b"application/vnd.oasis.opendocument.text",
            b"application/vnd.oasis.opendocument.text-template")
SAVE_AS = "在 Word 或 WPS 中打开后另存为 .docx 再导入"
INSTALL = "sudo apt-get install libreoffice-writer-nogui python3-uno"
Note = Callable[[str, str], None]  # (what, why) for the import report


def sniff(data: bytes) -> str:
    """What the bytes are: ole, rtf, docx, odt, html, mhtml, or "" for none of these."""
    head = data[:4096]
    if head.startswith(OLE2):
        return "ole"
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in data[:65536] or b"[Content_Types].xml" in head:
            return "docx" if b"word/document.xml" in data else ""
        return "odt" if head[30:38] == b"mimetype" and head[38:38 + 48].startswith(ODF_TEXT) \
            else ""
    wide = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    text = head.decode("utf-16" if wide else "utf-8", "replace").lower()
    if "mime-version:" in text[:1000] and "multipart/related" in text:
        return "mhtml"
    if "<html" in text or "<!doctype html" in text or "<body" in text:
        return "html"
    return ""


def read_converted(path: Path, data: bytes, display: str, soffice: str | None,
                   note: Note) -> list[Para]:
    """The paragraphs of a .doc, .wps, .rtf or .odt file (or whatever it really is)."""
    kind = sniff(data)
    if kind == "html":
        note("网页", f"文件名为 {path.suffix}，内容其实是网页，已按网页导入（不加载其中的图片）")
        return read_html(decode(data, display), display)
    if kind == "mhtml":
        note("网页", f"文件名为 {path.suffix}，内容其实是单个文件网页（MHT），已按网页导入")
        return read_html(_mhtml_text(data, display), display)
    if kind == "docx":
        note("Word 文件", f"文件名为 {path.suffix}，内容其实是 .docx，已按 .docx 导入")
        stripped, refs = links.strip_docx(data)
        noted(refs, note)
        return read_docx(stripped, display)
    if not kind:
        raise failed("E438", f"文件名为 {path.suffix}，但内容不是 Word、WPS、RTF 或 ODF 文件"
                     "（可能已损坏，或是改了扩展名的其他文件）", display,
                     f"确认选对了文件；{SAVE_AS}")
    if kind == "rtf":
        data, refs = links.strip_rtf(data)
        noted(refs, note)
    elif kind == "odt":
        if not links.readable(data):  # never handed to LibreOffice unstripped
            raise failed("E431", "ODF 文件无法打开（压缩数据损坏，或解压后过大）", display,
                         SAVE_AS)
        data, refs = links.strip_odt(data)
        noted(refs, note)
    converted, refs = links.strip_docx(to_docx(data, kind, path.suffix.lower(), display,
                                               soffice))
    noted(refs, note)
    return read_docx(converted, display)


def noted(refs: list[links.Ref], note: Note) -> None:
    """A note for every link removed, naming where it pointed."""
    for ref in refs:
        note(ref.what, f"已去除，导入时不读取文件之外的内容：{ref.shown}")


# Named, never detected: LibreOffice reads a compound file it cannot parse as plain text.
# WPS Office's .wps and .wpt are Word 97 files inside.
FILTERS = {"ole": "MS Word 97", "rtf": "Rich Text Format", "odt": "writer8"}


def to_docx(data: bytes, kind: str, suffix: str, display: str, soffice: str | None) -> bytes:
    """The file converted to .docx by LibreOffice; Failed (E434, E431) when it cannot be."""
    try:
        found = office.find_office(soffice)
    except office.OfficeError as error:
        raise failed("E434", f"读取 {suffix} 文件需要 LibreOffice，但{error.message}", display,
                     f"安装 LibreOffice（Debian、Ubuntu：{INSTALL}；Windows、macOS：从 "
                     f"LibreOffice 官网安装），或{SAVE_AS}") from None
    with scratch.folder("import") as work:
        source, target = work / f"source{suffix}", work / "converted.docx"
        source.write_bytes(data)
        job = office.Job(source, target, load=FILTERS[kind], store=office.DOCX, pictures=False)
        try:
            with office.converter(found) as converter:
                failures = converter.convert([job])
        except office.OfficeError as error:
            raise failed("E434", f"LibreOffice 无法启动：{error.message}", display,
                         error.hint) from None
        if failures:
            raise failed("E431", "LibreOffice 无法转换这个文件（可能已损坏或不是 Word 文件）",
                         display, SAVE_AS)
        return target.read_bytes()


def _mhtml_text(data: bytes, display: str) -> str:
    """The HTML of a single-file web page (MIME multipart/related)."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                charset = part.get_content_charset() or "utf-8"
                try:
                    return payload.decode(charset)
                except (LookupError, UnicodeDecodeError):
                    return decode(payload, display)
    raise failed("E438", "单个文件网页（MHT）中没有网页正文", display, SAVE_AS)
