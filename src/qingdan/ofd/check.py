"""Reading an OFD package back: its parts against the GB/T 33190 schemas, and its pages'
text lines as a reader with a ruler sees them (what `proof --ofd` checks).

The lines have the shape proof reads from pdftotext: page number, text, and the line's box
in points from the page's top-left corner, so the same page checks run on both formats.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
from functools import cache
from importlib import resources

from lxml import etree

from .package import NS

MM = 25.4 / 72
_Q = f"{{{NS}}}"
SCHEMAS = {"OFD": "OFD.xsd", "Document": "Document.xsd", "Res": "Res.xsd", "Page": "Page.xsd"}

Line = tuple[int, str, float, float, float, float]  # page, text, x0, y0, x1, y1 (points)


@cache
def _schema(name: str) -> etree.XMLSchema:
    folder = resources.files("qingdan.ofd") / "schemas"
    with resources.as_file(folder) as path:
        return etree.XMLSchema(etree.parse(str(path / name)))


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def validate(data: bytes) -> list[str]:
    """Every problem of the package's structure: a part that is missing or not valid
    against its schema (part name and the schema's message), or a broken reference."""
    problems: list[str] = []
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        return [f"不是 zip 包：{error}"]
    names = set(package.namelist())
    for name in sorted(n for n in names if n.endswith(".xml")):
        try:
            root = _parse(package.read(name))
        except etree.XMLSyntaxError as error:
            problems.append(f"{name}：XML 无法解析：{error}")
            continue
        kind = etree.QName(root).localname
        schema = _schema(SCHEMAS[kind]) if kind in SCHEMAS and root.tag == _Q + kind else None
        if schema is None:
            problems.append(f"{name}：根元素 {root.tag} 不是 OFD 的部件")
        elif not schema.validate(root):
            last = schema.error_log.last_error
            problems.append(f"{name}:{last.line}：{last.message}")
    if "OFD.xml" not in names:
        return problems + ["缺少入口文件 OFD.xml"]
    for target in _references(package):
        if target not in names:
            problems.append(f"引用的部件 {target} 不存在")
    return problems


def _references(package: zipfile.ZipFile) -> list[str]:
    """Every part the package's XML points to (DocRoot, resources, pages, files)."""
    found = []
    entry = _parse(package.read("OFD.xml"))
    for root_loc in entry.iter(_Q + "DocRoot"):
        document = (root_loc.text or "").strip().lstrip("/")
        found.append(document)
        if document not in package.namelist():
            continue
        base = posixpath.dirname(document)
        doc = _parse(package.read(document))
        for tag in ("PublicRes", "DocumentRes"):
            for res in doc.iter(_Q + tag):
                res_name = posixpath.join(base, (res.text or "").strip())
                found.append(res_name)
                if res_name in package.namelist():
                    res_root = _parse(package.read(res_name))
                    res_base = posixpath.join(posixpath.dirname(res_name),
                                              res_root.get("BaseLoc", ""))
                    found += [posixpath.join(res_base, (f.text or "").strip())
                              for f in res_root.iter(_Q + "FontFile", _Q + "MediaFile")]
        found += [posixpath.join(base, page.get("BaseLoc", ""))
                  for page in doc.iter(_Q + "Page")]
    return found


def _deltas(text: str | None) -> list[float]:
    """An ST_Array of deltas with OFD's `g count value` runs expanded."""
    words = (text or "").split()
    values: list[float] = []
    i = 0
    while i < len(words):
        if words[i] == "g" and i + 2 < len(words):
            values += [float(words[i + 2])] * int(words[i + 1])
            i += 3
        else:
            values.append(float(words[i]))
            i += 1
    return values


def _metrics(package: zipfile.ZipFile, base: str,
             doc: etree._Element) -> dict[str, tuple[float, float]]:
    """Each font's ascent and descent (fractions of the em, descent negative)."""
    found = {}
    for res in doc.iter(_Q + "PublicRes"):
        name = posixpath.join(base, (res.text or "").strip())
        root = _parse(package.read(name))
        res_base = posixpath.join(posixpath.dirname(name), root.get("BaseLoc", ""))
        for font in root.iter(_Q + "Font"):
            file = font.find(_Q + "FontFile")
            ascent, descent = 0.88, -0.12
            if file is not None:
                data = package.read(posixpath.join(res_base, (file.text or "").strip()))
                ascent, descent = _font_metrics(data)
            found[font.get("ID", "")] = (ascent, descent)
    return found


def _font_metrics(data: bytes) -> tuple[float, float]:
    count = struct.unpack(">H", data[4:6])[0]
    tables = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        tables[tag] = data[offset:offset + length]
    upm = struct.unpack(">H", tables[b"head"][18:20])[0] or 1000
    ascent, descent = struct.unpack(">hh", tables[b"hhea"][4:8])
    return ascent / upm, descent / upm


def lines(data: bytes) -> tuple[list[tuple[float, float]], list[Line]]:
    """Each page's size and every text line, in points: the characters of text objects
    that share a baseline and follow each other closely, in drawing order."""
    package = zipfile.ZipFile(io.BytesIO(data))
    entry = _parse(package.read("OFD.xml"))
    document = (entry.findtext(f"{_Q}DocBody/{_Q}DocRoot") or "").strip()
    base = posixpath.dirname(document)
    doc = _parse(package.read(document))
    default = (doc.findtext(f"{_Q}CommonData/{_Q}PageArea/{_Q}PhysicalBox") or "0 0 210 297")
    metrics = _metrics(package, base, doc)
    sizes: list[tuple[float, float]] = []
    found: list[Line] = []
    for number, page_ref in enumerate(doc.iter(_Q + "Page"), 1):
        page = _parse(package.read(posixpath.join(base, page_ref.get("BaseLoc", ""))))
        box = page.findtext(f"{_Q}Area/{_Q}PhysicalBox") or default
        width, height = (float(v) / MM for v in box.split()[2:4])
        sizes.append((width, height))
        current: list = []  # [text, x0, y0, x1, y1, baseline, size]
        for obj in page.iter(_Q + "TextObject"):
            left, top, right = _edges(obj.get("Boundary", "0 0 0 0"))
            size = float(obj.get("Size", "0"))
            ascent, descent = metrics.get(obj.get("Font", ""), (0.88, -0.12))
            for code in obj.iter(_Q + "TextCode"):
                text = code.text or ""
                if not text:
                    continue
                x = left + float(code.get("X", "0"))
                baseline = top + float(code.get("Y", "0"))
                positions = [x]
                for delta in _deltas(code.get("DeltaX"))[:len(text) - 1]:
                    positions.append(positions[-1] + delta)
                while len(positions) < len(text):
                    positions.append(positions[-1])
                end = right  # the writer's Boundary ends at the last glyph's advance
                y0, y1 = baseline - ascent * size, baseline - descent * size
                if current and abs(current[5] - baseline) < 0.3 and \
                        -size < x - current[3] < size:
                    current[0] += text
                    current[3] = max(current[3], end)
                    current[2], current[4] = min(current[2], y0), max(current[4], y1)
                    continue
                if current:
                    found.append(_line(number, current))
                current = [text, positions[0], y0, end, y1, baseline, size]
        if current:
            found.append(_line(number, current))
    return sizes, found


def _edges(boundary: str) -> tuple[float, float, float]:
    left, top, width = (float(v) for v in boundary.split()[:3])
    return left, top, left + width


def _line(page: int, parts: list) -> Line:
    return (page, parts[0], parts[1] / MM, parts[2] / MM, parts[3] / MM, parts[4] / MM)
