"""Which unit and source a built document is: custom document properties, so a file a unit
edits in Word or WPS and sends back can be matched to what qingdan built (qingdan absorb).

Word, WPS and LibreOffice keep custom properties (文件 > 属性 > 自定义) when they save. A
document gets three, in docProps/custom.xml: qingdan-unit (the roster unit's id, empty for
the project's own unit), qingdan-source (the source file's name) and qingdan-digest (a
digest of the main document part as built, to tell later whether the sources or qingdan
changed since). Adding them changes a package by that part and the two lines that
declare it ([Content_Types].xml, _rels/.rels); nothing a reader sees.

The build sets the stamp around each document it renders (`stamping`); the engine packs
the part when a stamp is set (a ContextVar, so the renderers' signatures stay as they are).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

CUSTOM_PART = "docProps/custom.xml"
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


def digest(body: bytes) -> str:
    """The digest a document carries of its main part as built."""
    return hashlib.sha256(body).hexdigest()[:16]


def _property(pid: int, name: str, value: str) -> str:
    return (f'<property fmtid="{FMTID}" pid="{pid}" name={quoteattr(name)}>'
            f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>")


def stamped_parts(package: dict[str, bytes], declared: dict[str, bytes], body: bytes,
                  stamp: Stamp) -> dict[str, bytes]:
    """declared with the properties part and its declarations added: package holds the
    template's own [Content_Types].xml, _rels/.rels and custom properties (when it has
    them); declared, the parts already re-declared for this document (pictures)."""
    values = {UNIT: stamp.unit, SOURCE: stamp.source, DIGEST: digest(body)}
    own = package.get(CUSTOM_PART)
    out = dict(declared)
    if own is not None:  # a custom template with properties of its own: ours added
        text = own.decode("utf-8")
        props = "".join(_property(1000 + n, name, values[name]) for n, name in enumerate(NAMES))
        out[CUSTOM_PART] = text.replace("</Properties>", props + "</Properties>").encode("utf-8")
        return out
    props = "".join(_property(2 + n, name, values[name]) for n, name in enumerate(NAMES))
    out[CUSTOM_PART] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                        f'<Properties xmlns="{CUSTOM_NS}" xmlns:vt="{VT_NS}">{props}'
                        "</Properties>").encode()
    types_name = "[Content_Types].xml"
    types = out.get(types_name, package[types_name]).decode("utf-8")
    out[types_name] = types.replace(
        "</Types>", f'<Override PartName="/{CUSTOM_PART}" ContentType="{CUSTOM_TYPE}"/></Types>'
    ).encode("utf-8")
    rels = package[PACKAGE_RELS].decode("utf-8")
    out[PACKAGE_RELS] = rels.replace(
        "</Relationships>", f'<Relationship Id="rIdQingdanStamp" Type="{CUSTOM_REL}" '
                            f'Target="{CUSTOM_PART}"/></Relationships>').encode("utf-8")
    return out


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
