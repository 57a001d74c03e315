"""A .docx someone sent us, opened as untrusted input: its size checked before it is read,
its zip's declared sizes bounding what can be inflated, damage in any member a located
diagnostic, its XML parsed without entities, DTDs or network.

Shared by the features that read Word files other people made (import, absorb); each
passes the codes its diagnostics carry (`Codes`), so the user reads which command failed.
Links out of the file are stripped before by office/links.py.
"""

from __future__ import annotations

import io
import lzma
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..diagnostics import Diagnostic, Failed, Location

MAX_FILE = 50 * 1024 * 1024  # bytes of any input file
MAX_MEMBERS = 2000  # zip members of a .docx
MAX_INFLATED = 200 * 1024 * 1024  # declared uncompressed bytes of a .docx, all members
MAX_PART = 60 * 1024 * 1024  # declared uncompressed bytes of one XML part we read

# What zipfile and the decompressors raise on damaged bytes: a corrupt deflate stream
# (zlib.error), a bad CRC or a broken header (BadZipFile), a truncated member (EOFError),
# a compression method zipfile lacks (NotImplementedError), a damaged bzip2 or lzma stream
# (OSError, LZMAError), an encrypted member (RuntimeError), a short header (struct.error).
DAMAGED = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError,
           NotImplementedError, RuntimeError, struct.error)
REPAIR = ("文件已损坏（可能没有下载或复制完整）；在 Word 或 WPS 中打开后另存为 .docx，"
          "或重新索取原文件")
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                         huge_tree=False, remove_comments=True)


@dataclass(frozen=True)
class Codes:
    """The codes a reading feature gives: a damaged file, a file too large."""

    damaged: str
    too_large: str


IMPORT = Codes("E431", "E433")


def failed(code: str, message: str, display: str, hint: str, line: int = 1,
           column: int = 1) -> Failed:
    return Failed([Diagnostic(code, message, Location(display, line, column), hint=hint)])


def read_limited(path: Path, display: str, codes: Codes = IMPORT) -> bytes:
    """The file's bytes, refused (before reading) past MAX_FILE."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            raise failed(codes.too_large, f"文件过大（{size // (1024 * 1024)} MB，上限 "
                                          f"{MAX_FILE // (1024 * 1024)} MB）", display,
                         "一份公文不会这样大；请确认选对了文件，或删去其中的图片后另存")
        return path.read_bytes()
    except OSError as exc:
        raise failed(codes.damaged, f"无法读取文件：{exc.strerror or exc}", display,
                     "检查文件是否存在、是否有读取权限") from None


def open_docx(data: bytes, display: str, codes: Codes = IMPORT) -> zipfile.ZipFile:
    """The .docx as a zip, refused when it is not one or would inflate past the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except DAMAGED:
        if data.startswith(b"PK\x03\x04"):  # a zip's first member, but no readable directory
            raise failed(codes.damaged, "Word 文件不完整或已损坏（找不到压缩包的目录）", display,
                         REPAIR) from None
        raise failed(codes.damaged, "不是有效的 Word 文件（.docx 应是 zip 压缩包）", display,
                     "在 Word 或 WPS 中打开后另存为 .docx；"
                     "旧的 .doc 文件请保留 .doc 扩展名") from None
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_INFLATED:
        raise failed(codes.too_large, "文件解压后过大（可能是“压缩炸弹”）", display,
                     "一份公文解压后不会超过 200 MB；请确认文件来源")
    names = {m.filename for m in members}
    if "word/document.xml" not in names:
        raise failed(codes.damaged, "不是有效的 Word 文件（缺少 word/document.xml）", display,
                     "在 Word 或 WPS 中打开后另存为 .docx")
    if any(m.flag_bits & 0x1 for m in members):
        raise failed(codes.damaged, "文件已加密", display,
                     "在 Word 中取消密码保护后另存，再读取")
    return archive


def unpacked(archive: zipfile.ZipFile, name: str, display: str,
             codes: Codes = IMPORT) -> bytes:
    """The bytes of one member, any damage to them a located diagnostic."""
    try:
        return archive.read(name)
    except DAMAGED as exc:
        if isinstance(exc, zipfile.BadZipFile) and "CRC" in str(exc):
            why = "校验和不符，内容已损坏"
        elif isinstance(exc, NotImplementedError):
            why = "使用了不支持的压缩方式"
        elif isinstance(exc, RuntimeError):
            why = "已加密"
        elif isinstance(exc, EOFError):
            why = "不完整"
        else:
            why = "压缩数据已损坏，无法解压"
        raise failed(codes.damaged, f"Word 文件中的 {name} {why}", display, REPAIR) from None


def xml_part(archive: zipfile.ZipFile, name: str, display: str,
             codes: Codes = IMPORT) -> etree._Element | None:
    """A part parsed safely, None when the package does not have it."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART:
        raise failed(codes.too_large, f"{name} 解压后过大（{info.file_size // (1024 * 1024)} MB）",
                     display, "一份公文的正文不会这样大；请确认文件来源")
    data = unpacked(archive, name, display, codes)
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
        raise failed(codes.damaged, f"{name} 含有 DTD 或实体声明，拒绝读取", display,
                     "Word 生成的文件不含这些内容；请确认文件来源")
    try:
        return etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise failed(codes.damaged, f"{name} 第 {line} 行不是有效的 XML：{exc.msg}", display,
                     "文件已损坏或含有无效字符；在 Word 或 WPS 中打开后另存为 .docx",
                     line) from None
