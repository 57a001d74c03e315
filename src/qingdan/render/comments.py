"""A template's comments (批注) left out of every document built from it.

A clerk who restyles a template in Word often leaves a comment for the next one ("文号按
年度改"). It is a note about the template, not part of any document: copied into thirty
units' files it would show in every margin, and LibreOffice's -nogui build aborts on a
view of a commented document, so no PDF could be made. The comment parts, their
relationships and content types, and the anchors in the text are removed from the
template's parts before it is compiled.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ANCHORS = {f"{W}commentRangeStart", f"{W}commentRangeEnd", f"{W}commentReference"}
# word/comments.xml and Word 2010–2016's companions (commentsExtended, commentsIds,
# commentsExtensible); people.xml (the authors) goes with them.
COMMENT_PART = re.compile(r"word/(comments[A-Za-z]*|people)\.xml")
COMMENT_REL = re.compile(r"/(comments[A-Za-z]*|people)$")
RELS = "word/_rels/document.xml.rels"
CONTENT_TYPES = "[Content_Types].xml"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/"


def has_comments(parts: dict[str, bytes]) -> bool:
    return any(COMMENT_PART.fullmatch(name) for name in parts)


def without_comments(parts: dict[str, bytes]) -> dict[str, bytes]:
    """The parts, in order, with every comment part and anchor removed (the parts
    already parsed once: read_package checked them)."""
    kept: dict[str, bytes] = {}
    for name, payload in parts.items():
        if COMMENT_PART.fullmatch(name):
            continue
        if name == RELS:
            payload = _edited(payload, _drop_relationships)
        elif name == CONTENT_TYPES:
            payload = _edited(payload, _drop_overrides)
        elif name.startswith("word/") and name.endswith(".xml") and b"comment" in payload:
            payload = _edited(payload, _drop_anchors)
        kept[name] = payload
    return kept


def repacked(parts: dict[str, bytes]) -> bytes:
    """The parts as a .docx again (for docxtpl, which reads the package itself)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in parts.items():
            archive.writestr(name, payload)
    return out.getvalue()


def _edited(payload: bytes, edit: Callable[[etree._Element], bool]) -> bytes:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)
    root = etree.fromstring(payload, parser)
    if not edit(root):
        return payload
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop_relationships(root: etree._Element) -> bool:
    gone = [rel for rel in root if COMMENT_REL.search(rel.get("Type", ""))]
    for rel in gone:
        root.remove(rel)
    return bool(gone)


def _drop_overrides(root: etree._Element) -> bool:
    gone = [item for item in root if item.tag == f"{{{PACKAGE}content-types}}Override"
            and COMMENT_PART.fullmatch(item.get("PartName", "").lstrip("/"))]
    for item in gone:
        root.remove(item)
    return bool(gone)


def _drop_anchors(root: etree._Element) -> bool:
    """Range marks removed; a reference removed with its run when the run holds nothing
    else (Word writes it alone in a run styled as a comment reference)."""
    found = [element for element in root.iter() if element.tag in ANCHORS]
    for element in found:
        parent = element.getparent()
        if parent is None:
            continue
        run = parent if parent.tag == f"{W}r" else None
        parent.remove(element)
        if run is not None and all(child.tag == f"{W}rPr" for child in run):
            holder = run.getparent()
            if holder is not None:
                holder.remove(run)
    return bool(found)
