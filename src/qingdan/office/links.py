"""What in a document would make Word or LibreOffice read another file or the network.

A .docx is a zip of parts tied together by relationships (`_rels/*.rels`); one whose
TargetMode is External points outside the package: a linked picture (`a:blip r:link`, a
VML `o:href`), a linked OLE object, the attached template (`w:attachedTemplate`), a
sub-document (`w:subDoc`), a frame's source, a mail-merge data source. Fields read files
too (INCLUDEPICTURE, INCLUDETEXT, LINK, IMPORT, DDE, DDEAUTO, DATABASE), and so does an
altChunk (a part of HTML, RTF or another document imported as it is, with whatever it
links). An .odt names files with xlink:href (linked pictures and objects, linked
sections, the template in meta.xml) and DDE connections. An RTF file carries fields and
linked objects as control groups. Hyperlinks are only followed by a reader who clicks:
they stay.

`docx_refs` lists these in a .docx's parts (templates are refused with them, located);
`strip_docx`, `strip_odt` and `strip_rtf` remove them from an imported file before
LibreOffice or the importer reads it, and say what went.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree

RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
ALT_CHUNK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Fields whose instruction names a file or a program to read from.
FIELDS = ("INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "LINK", "IMPORT", "DDE", "DDEAUTO",
          "DATABASE", "EMBED")
_FIELD = re.compile(r"^\s*(" + "|".join(FIELDS) + r")\b", re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# What a relationship type's last word means, for the message.
KINDS = {"image": "链接的图片", "oleObject": "链接的 OLE 对象", "attachedTemplate": "附加的模板",
         "subDocument": "子文档", "frame": "框架的来源", "mailMergeSource": "邮件合并数据源",
         "mailMergeHeaderSource": "邮件合并数据源", "aFChunk": "嵌入的外来文档（altChunk）",
         "package": "链接的文档", "video": "链接的视频", "audio": "链接的音频",
         "media": "链接的媒体"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
# A package larger than this (declared) is left as it is: its reader refuses it (E433).
MAX_MEMBERS = 2000
MAX_INFLATED = 200 * 1024 * 1024


def _parts(data: bytes) -> tuple[list[zipfile.ZipInfo], dict[str, bytes]] | None:
    """The members of a zip and their bytes, None when it is not a zip that can be read
    within the bounds (the reader then says why)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_INFLATED:
            return None
        return infos, {info.filename: archive.read(info) for info in infos}
    except Exception:  # not a zip, corrupt, encrypted
        return None


@dataclass(frozen=True)
class Ref:
    """One thing that would be read from outside: in which part, what, and where to."""

    part: str
    what: str
    target: str

    @property
    def shown(self) -> str:
        """The target as a reader would type it (percent-escapes decoded), cut at 80."""
        target = unquote(self.target)
        return target if len(target) <= 80 else target[:79] + "…"

    def __str__(self) -> str:
        return f"{self.what}“{self.shown}”（{self.part}）"


def _kind(rel_type: str) -> str:
    return KINDS.get(rel_type.rsplit("/", 1)[-1], "外部资源")


def _source(rels_name: str) -> str:
    """The part a .rels part describes ("word/_rels/document.xml.rels" -> its document)."""
    folder, name = posixpath.split(rels_name)
    return posixpath.join(posixpath.dirname(folder), name.removesuffix(".rels"))


def _leaves(rels_name: str, target: str) -> bool:
    """Whether an internal target is not a part of the package (a URL, or above its root)."""
    if _SCHEME.match(target) or target.startswith("\\\\"):
        return True
    base = "" if target.startswith("/") else posixpath.dirname(_source(rels_name))
    depth = 0
    for piece in posixpath.join(base, target.lstrip("/")).split("/"):
        depth += -1 if piece == ".." else 0 if piece in ("", ".") else 1
        if depth < 0:
            return True
    return False


def _relationships(name: str, payload: bytes,
                   root: etree._Element | None = None) -> list[tuple[etree._Element, Ref | None]]:
    """Every relationship of a .rels part, with the Ref it makes (None: harmless)."""
    if root is None:
        try:
            root = etree.fromstring(payload, _PARSER)
        except etree.XMLSyntaxError:
            return []
    out: list[tuple[etree._Element, Ref | None]] = []
    for rel in root.iter(f"{{{RELS}}}Relationship"):
        rel_type, target = rel.get("Type", ""), rel.get("Target", "")
        external = rel.get("TargetMode", "") == "External"
        ref = None
        if rel_type == ALT_CHUNK:
            ref = Ref(_source(name), _kind(rel_type), target)
        elif rel_type != HYPERLINK and (external or _leaves(name, target)):
            ref = Ref(_source(name), _kind(rel_type), target)
        out.append((rel, ref))
    return out


def _field_refs(name: str, payload: bytes) -> list[Ref]:
    """Fields of a WordprocessingML part that read a file: simple fields, and complex
    fields whose instruction text (possibly split over runs) starts with such a name."""
    if b"instr" not in payload:
        return []
    try:
        root = etree.fromstring(payload, _PARSER)
    except etree.XMLSyntaxError:
        return []
    refs = []
    for simple in root.iter(f"{{{W}}}fldSimple"):
        instr = simple.get(f"{{{W}}}instr", "")
        if _FIELD.match(instr):
            refs.append(Ref(name, "读取文件的域", instr.strip()))
    instruction: list[str] | None = None
    for element in root.iter(f"{{{W}}}fldChar", f"{{{W}}}instrText"):
        if element.tag == f"{{{W}}}fldChar":
            kind = element.get(f"{{{W}}}fldCharType")
            if kind == "begin":
                instruction = []
            elif kind in ("separate", "end") and instruction is not None:
                text = "".join(instruction)
                if _FIELD.match(text):
                    refs.append(Ref(name, "读取文件的域", text.strip()))
                instruction = None
        elif instruction is not None:
            instruction.append(element.text or "")
    return refs


def readable(data: bytes) -> bool:
    """Whether a zip package can be read (and stripped) within the bounds."""
    return _parts(data) is not None


def docx_refs(parts: dict[str, bytes]) -> list[Ref]:
    """Everything in a .docx's parts that would be read from outside the package."""
    refs: list[Ref] = []
    for name, payload in parts.items():
        if name.endswith(".rels"):
            refs += [ref for _, ref in _relationships(name, payload) if ref is not None]
        elif name.endswith(".xml"):
            refs += _field_refs(name, payload)
    return refs


def strip_docx(data: bytes) -> tuple[bytes, list[Ref]]:
    """The .docx without its external relationships and file-reading fields' instructions
    (a field keeps the result Word last showed); unchanged bytes when there were none, or
    when it is not a zip the importer could read anyway (its reader says why)."""
    read = _parts(data)
    if read is None:
        return data, []
    parts = read[1]
    refs = docx_refs(parts)
    if not refs:
        return data, []
    for name, payload in list(parts.items()):
        if name.endswith(".rels"):
            parts[name] = _strip_rels(name, payload)
        elif name.endswith(".xml") and _field_refs(name, payload):
            parts[name] = _strip_fields(payload)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as packed:
        for name, payload in parts.items():
            packed.writestr(name, payload)
    return out.getvalue(), refs


def _strip_rels(name: str, payload: bytes) -> bytes:
    try:
        root = etree.fromstring(payload, _PARSER)
    except etree.XMLSyntaxError:
        return payload
    relationships = _relationships(name, payload, root)
    if not any(ref for _, ref in relationships):
        return payload
    for rel, ref in relationships:
        if ref is not None:
            root.remove(rel)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8",
                          standalone=True)


def _strip_fields(payload: bytes) -> bytes:
    """Every field instruction that reads a file emptied (the field's result stays)."""
    root = etree.fromstring(payload, _PARSER)
    for simple in list(root.iter(f"{{{W}}}fldSimple")):
        if _FIELD.match(simple.get(f"{{{W}}}instr", "")):
            simple.set(f"{{{W}}}instr", "")
    texts: list[etree._Element] | None = None
    for element in list(root.iter(f"{{{W}}}fldChar", f"{{{W}}}instrText")):
        if element.tag == f"{{{W}}}fldChar":
            kind = element.get(f"{{{W}}}fldCharType")
            if kind == "begin":
                texts = []
            elif kind in ("separate", "end") and texts is not None:
                if _FIELD.match("".join(t.text or "" for t in texts)):
                    for text in texts:
                        text.text = ""
                texts = None
        elif texts is not None:
            texts.append(element)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8",
                          standalone=True)


# ODF: attributes that name another file, and elements that exist only to link one.
XLINK = "http://www.w3.org/1999/xlink"
_ODF_LINK_ELEMENTS = ("section-source", "dde-source", "dde-connection-decl",
                      "table-source", "cell-range-source", "template")
_ODF_KEEP = ("a",)  # hyperlinks: text:a, draw:a


def _odf_internal(href: str) -> bool:
    return bool(href) and not _SCHEME.match(href) and not href.startswith(("/", "\\", "..")) \
        and ".." not in href.split("/")


def strip_odt(data: bytes) -> tuple[bytes, list[Ref]]:
    """The .odt without links to other files (pictures, objects, sections, DDE, the
    template); unchanged when there were none or it is not a zip."""
    read = _parts(data)
    if read is None:
        return data, []
    infos, parts = read
    refs: list[Ref] = []
    for name in ("content.xml", "styles.xml", "meta.xml", "settings.xml"):
        if name not in parts:
            continue
        try:
            root = etree.fromstring(parts[name], _PARSER)
        except etree.XMLSyntaxError:
            continue
        found = _strip_odf_tree(name, root)
        if found:
            refs += found
            parts[name] = etree.tostring(root.getroottree(), xml_declaration=True,
                                         encoding="UTF-8")
    if not refs:
        return data, []
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as packed:
        for info in infos:  # mimetype first and stored, as ODF asks
            method = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            packed.writestr(info.filename, parts[info.filename], compress_type=method)
    return out.getvalue(), refs


def _strip_odf_tree(name: str, root: etree._Element) -> list[Ref]:
    refs = []
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        href = element.get(f"{{{XLINK}}}href")
        if local in _ODF_LINK_ELEMENTS:
            refs.append(Ref(name, "链接的内容", href or local))
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
        elif href is not None and local not in _ODF_KEEP and not _odf_internal(href):
            refs.append(Ref(name, "链接的图片或对象" if local != "template" else "模板", href))
            del element.attrib[f"{{{XLINK}}}href"]
    return refs


# RTF: groups that carry a field's instruction, a template, a linked object's data or a
# linked picture's file name.
_RTF_DROP = (b"fldinst", b"template", b"objdata", b"linkself")
_RTF_WORD = re.compile(rb"\\([a-zA-Z]+)(-?\d+)? ?")


def strip_rtf(data: bytes) -> tuple[bytes, list[Ref]]:
    """The RTF without field instructions (fields keep their shown result), the attached
    template, linked objects' data and linked pictures' file names."""
    out = bytearray()
    refs: list[Ref] = []
    i, n = 0, len(data)
    while i < n:
        byte = data[i]
        if byte == 0x5C and i + 1 < n:  # a backslash: copy the escape or word whole
            match = _RTF_WORD.match(data, i)
            end = match.end() if match else i + 2
            out += data[i:end]
            i = end
            continue
        if byte == 0x7B:  # "{": a group; dropped whole when it is one of those
            head = _RTF_WORD.match(data, i + 1 + (2 if data.startswith(b"\\*", i + 1) else 0))
            word = head.group(1) if head else b""
            if word in _RTF_DROP or (word == b"sp" and b"pibName" in data[i:i + 40]):
                end = _group_end(data, i)
                shown = re.sub(rb"\\[a-z]+-?\d* ?|[{}]", b"", data[i:end]).strip()
                refs.append(Ref("RTF", "读取文件的域或链接", shown[:200].decode("latin-1")))
                i = end
                continue
        out.append(byte)
        i += 1
    return (bytes(out), refs) if refs else (data, [])


def _group_end(data: bytes, start: int) -> int:
    """The index after the "}" that closes the group opened at start."""
    depth, i, n = 0, start, len(data)
    while i < n:
        byte = data[i]
        if byte == 0x5C:
            i += 2
            continue
        if byte == 0x7B:
            depth += 1
        elif byte == 0x7D:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n
