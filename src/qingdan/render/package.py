"""A .docx template read as untrusted input, and every generated part checked before it is
packed.

A template is a zip the user (or someone who sent it) made. Before anything is inflated,
its member names are checked (no `..`, no absolute paths: they would be copied into every
output) and its declared sizes bounded, part by part and in total; a member that inflates
past its declared size fails its check instead of filling memory. Its XML parts must be
UTF-8 and well formed, and its document must use Word's `w:` prefix, which the renderer
relies on. It may not link anything outside itself (office/links.py: linked pictures and
objects, an attached template, file-reading fields; E509): LibreOffice would read the file
or fetch the address into every PDF. After rendering, every generated part is parsed
again, so a document Word cannot open is never written with exit 0.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from ..diagnostics import Diagnostic, Failed, Location
from ..office.links import docx_refs

MAX_TEMPLATE_BYTES = 32 * 1024 * 1024  # the .docx file
MAX_PART_BYTES = 64 * 1024 * 1024  # one member, inflated
MAX_INFLATED_BYTES = 128 * 1024 * 1024  # all members, inflated
MAX_MEMBERS = 2000


def read_package(path: Path, where: Location) -> tuple[bytes, dict[str, bytes]]:
    """The template file's bytes and its members' bytes, in order; raises Failed (E503,
    E505, E506, E507) for anything unsafe or unreadable."""
    data = _read_file(path, where)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _failed("E503", "Word 模板无法打开：不是有效的 .docx 文件", where,
                      "模板须是 Word 保存的 .docx 文件") from None
    if len(infos) > MAX_MEMBERS:
        raise _failed("E505", f"Word 模板中的部件过多（{len(infos)} 个）", where)
    names = [info.filename for info in infos]
    unsafe = [name for name in names if not _safe_member(name)]
    if unsafe or len(set(names)) != len(names):
        shown = "、".join(f"“{n}”" for n in (unsafe or names)[:3])
        raise _failed("E506", f"Word 模板中有不安全或重复的部件名：{shown}", where,
                      "部件名不能含有 ..、以 / 开头或重复；请在 Word 中重新另存模板")
    total = sum(info.file_size for info in infos)
    largest = max((info.file_size for info in infos), default=0)
    if largest > MAX_PART_BYTES or total > MAX_INFLATED_BYTES:
        raise _failed("E505", f"Word 模板解压后过大（共 {total // 2**20} MB）", where,
                      f"单个部件不能超过 {MAX_PART_BYTES // 2**20} MB，总共不能超过 "
                      f"{MAX_INFLATED_BYTES // 2**20} MB；请压缩模板中的图片")
    parts = {}
    try:
        for info in infos:
            with archive.open(info) as member:
                parts[info.filename] = member.read(info.file_size + 1)
            if len(parts[info.filename]) > info.file_size:
                raise zipfile.BadZipFile("member larger than declared")
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError,
            zlib.error):
        raise _failed("E503", "Word 模板无法打开：压缩数据损坏", where,
                      "模板须是 Word 保存的 .docx 文件") from None
    for name, payload in parts.items():
        if name.endswith((".xml", ".rels")):
            check_xml(name, payload, where, "E507", "Word 模板中的")
    refused = docx_refs(parts)
    if refused:
        more = f"等 {len(refused)} 处" if len(refused) > 1 else ""
        raise _failed("E509", f"Word 模板引用了模板之外的文件或网址：{refused[0]}{more}",
                      where, "模板中的图片须嵌入（Word：插入图片时选“插入”，不选“链接到文件”），"
                      "不能链接其他文件、附加模板或使用 INCLUDEPICTURE、INCLUDETEXT 等域；"
                      "生成 PDF 时 LibreOffice 会读取这些文件，把本机文件或网上内容带进公文")
    return data, parts


def check_xml(name: str, payload: bytes, where: Location, code: str = "E508",
              what: str = "生成的文档中", utf8: bool = False) -> None:
    """Raise Failed unless payload is well-formed UTF-8 XML, namespaces included (Word
    refuses an undeclared prefix), without a DOCTYPE (Word never writes one; entities are
    a way to blow up the reader). libxml2 parses into a target that builds nothing: every
    part of every document goes through here. Its namespace errors do not stop the parse;
    they are read from the parser's log. utf8: the payload was just encoded from text."""
    hint = ("在 Word 中打开模板并另存为 .docx" if code == "E507" else
            "模板中的标记生成了无效的 XML；请检查模板中 {{ }} 的写法，或报告这个问题")
    try:
        if not utf8:
            payload.decode("utf-8")
    except UnicodeDecodeError:
        raise _failed(code, f"{what}“{name}”不是 UTF-8 编码", where,
                      "在 Word 中打开模板并另存为 .docx") from None
    parser = etree.XMLParser(target=_NOTHING, resolve_entities=False, no_network=True,
                             huge_tree=False)
    try:
        etree.fromstring(payload, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        problem = XML_PROBLEMS.get(exc.code, "格式错误")
        raise _failed(code, f"{what}“{name}”不是有效的 XML：第 {line} 行第 {column} 列："
                      f"{problem}", where, hint) from None
    except _Doctype:
        raise _failed(code, f"{what}“{name}”含有 DOCTYPE 声明，Word 文件中不应出现",
                      where, hint) from None
    for error in parser.error_log:
        if error.level >= etree.ErrorLevels.ERROR:
            problem = XML_PROBLEMS.get(error.type, "命名空间有误")
            raise _failed(code, f"{what}“{name}”不是有效的 XML：第 {error.line} 行第 "
                          f"{error.column} 列：{problem}", where, hint)


class _Doctype(Exception):
    pass


class _Nothing:
    """A parse target that builds nothing and refuses a DOCTYPE."""

    def doctype(self, *args: object) -> None:
        raise _Doctype

    def close(self) -> None:
        return None


_NOTHING = _Nothing()

# libxml2's error codes for the mistakes a template can make, in words a clerk can read.
_ERRORS = etree.ErrorTypes
XML_PROBLEMS = {
    _ERRORS.ERR_TAG_NAME_MISMATCH: "标记不配对",
    _ERRORS.ERR_TAG_NOT_FINISHED: "标记不配对",
    _ERRORS.ERR_INVALID_CHAR: "有无效的字符或标记",
    _ERRORS.ERR_GT_REQUIRED: "有未写完的标记",
    _ERRORS.ERR_LT_IN_ATTRIBUTE: "有未写完的标记",
    _ERRORS.ERR_DOCUMENT_EMPTY: "没有内容",
    _ERRORS.ERR_DOCUMENT_END: "根元素之后还有内容",
    _ERRORS.ERR_UNDECLARED_ENTITY: "有未定义的实体（&…;）",
    _ERRORS.ERR_ATTRIBUTE_REDEFINED: "有重复的属性",
    _ERRORS.NS_ERR_UNDEFINED_NAMESPACE: "有未声明的命名空间前缀",
    _ERRORS.NS_ERR_ATTRIBUTE_REDEFINED: "有重复的属性",
    _ERRORS.NS_ERR_QNAME: "有格式错误的名称",
}


def _read_file(path: Path, where: Location) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a pipe cannot stall
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise OSError("not a regular file")
            data = handle.read(MAX_TEMPLATE_BYTES + 1)
    except OSError:
        raise _failed("E503", "Word 模板无法打开：不是可读的文件", where,
                      "模板须是 Word 保存的 .docx 文件") from None
    if len(data) > MAX_TEMPLATE_BYTES:
        raise _failed("E505", f"Word 模板文件过大（超过 {MAX_TEMPLATE_BYTES // 2**20} MB）",
                      where, "请压缩模板中的图片")
    return data


def _safe_member(name: str) -> bool:
    """A relative name of plain parts (a folder entry's trailing "/" allowed)."""
    parts = name[:-1].split("/") if name.endswith("/") else name.split("/")
    return (bool(name) and not name.startswith("/") and "\\" not in name
            and ":" not in name and "\x00" not in name
            and all(part not in ("", ".", "..") for part in parts))


def _failed(code: str, message: str, where: Location, hint: str | None = None) -> Failed:
    return Failed([Diagnostic(code, message, where, hint=hint)])
