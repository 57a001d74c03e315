"""Which unit and source a built document is: custom document properties, so a file a unit
edits in Word or WPS and sends back can be matched to what qingdan built (qingdan absorb).

Word, WPS and LibreOffice keep custom properties (文件 > 属性 > 自定义) when they save. A
document gets three, in docProps/custom.xml: qingdan-unit (the roster unit's id, empty for
the project's own unit), qingdan-source (the source file's name) and qingdan-digest (the
main document part's CRC-32 and length as built, to tell later whether the sources or
qingdan changed since). Adding them changes a package by that part and the two lines that
declare it ([Content_Types].xml, _rels/.rels); nothing a reader sees.

The build sets the stamp around each document it renders (`stamping`); the engine packs
the part when a stamp is set (a ContextVar, so the renderers' signatures stay as they are).
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from xml.sax.saxutils import escape

CUSTOM_PART = "docProps/custom.xml"
TYPES = "[Content_Types].xml"
PACKAGE_RELS = "_rels/.rels"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the user-defined property set
UNIT, SOURCE, DIGEST = "qingdan-unit", "qingdan-source", "qingdan-digest"
NAMES = (UNIT, SOURCE, DIGEST)


@dataclass(frozen=True)
class Stamp:
    unit: str  # the roster unit's id; "" for the project's own unit
    source: str  # the source file's name (without .yaml)


STAMP: ContextVar[Stamp | None] = ContextVar("qingdan_stamp", default=None)


@contextmanager
def stamping(unit: str, source: str) -> Iterator[None]:
    """Documents rendered inside carry the unit's and the source's names."""
    token = STAMP.set(Stamp(unit, source))
    try:
        yield
    finally:
        STAMP.reset(token)


def digest(crc: int, size: int) -> str:
    """The digest a document carries of its main part as built: the part's CRC-32 (which
    the zip computes anyway) and length, to tell whether the sources changed since (not a
    seal: nothing relies on it but W451)."""
    return f"{crc & 0xFFFFFFFF:08x}{size:08x}"


def body_digest(body: bytes) -> str:
    """digest() of a main part read back."""
    return digest(zlib.crc32(body), len(body))


@functools.lru_cache(maxsize=4096)
def _value(text: str) -> str:
    return escape(text)


def _properties(values: dict[str, str], first: int) -> str:
    return "".join(f'<property fmtid="{FMTID}" pid="{first + n}" name="{name}">'
                   f"<vt:lpwstr>{_value(values[name])}</vt:lpwstr></property>"
                   for n, name in enumerate(NAMES))


def stamp_parts(package: dict[str, bytes], declared: dict[str, bytes], crc: int, size: int,
                stamp: Stamp) -> tuple[bytes, dict[str, bytes]]:
    """The properties part for a document whose main part has this checksum and size,
    and the declarations it needs that cannot be shared (when pictures re-declared the
    content types); package: the template's [Content_Types].xml, _rels/.rels and
    docProps/custom.xml (when it has one); declared: this document's."""
    values = {UNIT: stamp.unit, SOURCE: stamp.source, DIGEST: digest(crc, size)}
    own = package.get(CUSTOM_PART)
    if own is not None:  # a custom template with properties of its own: ours added
        text = own.decode("utf-8")
        return text.replace("</Properties>", _properties(values, 1000) + "</Properties>"
                            ).encode(), {}
    custom = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
              f'xmlns="{CUSTOM_NS}" xmlns:vt="{VT_NS}">{_properties(values, 2)}</Properties>')
    return custom.encode(), declarations(package, declared) if TYPES in declared else {}


def declarations(package: dict[str, bytes], declared: dict[str, bytes]) -> dict[str, bytes]:
    """[Content_Types].xml (this document's, when it has its own) and _rels/.rels with the
    properties part declared; nothing when the template declares it already."""
    if CUSTOM_PART in package:
        return {}
    types = declared.get(TYPES, package[TYPES]).decode("utf-8")
    rels = package[PACKAGE_RELS].decode("utf-8")
    return {
        TYPES: types.replace("</Types>", f'<Override PartName="/{CUSTOM_PART}" '
                                         f'ContentType="{CUSTOM_TYPE}"/></Types>').encode(),
        PACKAGE_RELS: rels.replace("</Relationships>", f'<Relationship Id="rIdQingdanStamp" '
                                   f'Type="{CUSTOM_REL}" Target="{CUSTOM_PART}"/>'
                                   "</Relationships>").encode()}


def read_stamp(custom: bytes | None) -> dict[str, str]:
    """The qingdan properties a package's docProps/custom.xml holds (none when absent)."""
    if not custom:
        return {}
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        root = etree.fromstring(custom, parser)
    except etree.XMLSyntaxError:
        return {}
    found = {}
    for prop in root.iter(f"{{{CUSTOM_NS}}}property"):
        name = prop.get("name") or ""
        if name in NAMES:
            found[name] = "".join(prop.itertext()).strip()
    return found
