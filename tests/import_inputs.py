"""Files to import, made from text: a minimal Word package, the shapes that once made
`qingdan import` slow (one very long line, thousands of numbered lines, a Word file of
nearly 200,000 paragraphs), and damaged Word packages (corrupt deflate data, a truncated
zip, a failing CRC, a lying size, XML that is not well-formed, no word/document.xml).

Used by tests/test_import_robust.py, the import fuzzer (tests/import_fuzzing.py) and
bench/bench_import.py.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
# Characters of ordinary document prose, without punctuation: a line of them is one
# sentence that never ends, the worst case for a pattern that looks for a clause.
PROSE = "党委主体责任落实全面从严治党工作考核办法单位领导班子成员组织占综合总成绩得分按"


def document_xml(paragraphs: list[str]) -> str:
    """word/document.xml with one paragraph per string."""
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(p)}</w:t></w:r></w:p>'
                   for p in paragraphs)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>')


def word_file(paragraphs: list[str], members: dict[str, str | bytes] | None = None) -> bytes:
    """A .docx Word opens: one paragraph per string (members add or replace parts; a
    member mapped to None is left out)."""
    parts: dict[str, str | bytes | None] = {
        "[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS,
        "word/document.xml": document_xml(paragraphs)}
    parts.update(members or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if data is not None:  # a lone surrogate stays as the bytes a bad writer leaves
                archive.writestr(name, data if isinstance(data, bytes)
                                 else data.encode("utf-8", "surrogatepass"))
    return buffer.getvalue()


def long_line(length: int, seed: int = 1) -> str:
    """A measures document whose body is one line of length characters of prose."""
    rng = random.Random(seed)
    return "某某考核办法\n" + "".join(rng.choice(PROSE) for _ in range(length)) + "\n"


def numbered_lines(count: int) -> list[str]:
    """A title and count numbered lines, each citing an article by number (第N项), as a
    list of work items copied from a spreadsheet reads."""
    return ["某某实施办法", *(f"{i}. 落实第{i}项。" for i in range(1, count + 1))]


def nested_labels(depth: int) -> list[str]:
    """Labels of every level, over and over, each one level deeper than the last."""
    labels = ["第{}章", "第{}条", "{}、", "（{}）", "{}.", "（{}）"]
    numerals = "一二三四五六七八九十"
    out = ["某某实施办法"]
    for i in range(depth):
        label = labels[i % len(labels)]
        number = numerals[i % 10] if "{}." not in label and label != "（{}）" or i % 6 == 3 \
            else str(i % 9 + 1)
        out.append(label.format(number) + "落实责任" * (1 + i % 3))
    return out


# Damaged Word packages: each a function of a good package's bytes.

def _local_header(data: bytes, name: str) -> int:
    """Where the local file header of the member called name starts."""
    encoded = name.encode()
    at = data.find(b"PK\x03\x04")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 26)[0]
        if data[at + 30: at + 30 + length] == encoded:
            return at
        at = data.find(b"PK\x03\x04", at + 4)
    raise KeyError(name)


def _data_span(data: bytes, name: str) -> tuple[int, int]:
    """(start, end) of a member's compressed bytes."""
    at = _local_header(data, name)
    size = struct.unpack_from("<I", data, at + 18)[0]
    start = at + 30 + sum(struct.unpack_from("<HH", data, at + 26))
    return start, start + size


def corrupt_deflate(data: bytes, name: str = "word/document.xml") -> bytes:
    """The member's deflate stream overwritten with bytes that are not deflate at all."""
    start, end = _data_span(data, name)
    junk = bytes((0xFF - i * 7) % 256 for i in range(end - start))
    return data[:start] + junk + data[end:]


def flipped_byte(data: bytes, name: str = "word/document.xml") -> bytes:
    """One byte in the middle of the member's deflate stream changed: it may still inflate,
    to text whose CRC no longer matches, or fail to inflate."""
    start, end = _data_span(data, name)
    middle = (start + end) // 2
    return data[:middle] + bytes([data[middle] ^ 0x55]) + data[middle + 1:]


def wrong_crc(data: bytes, name: str = "word/document.xml") -> bytes:
    """Good data under a CRC that does not match it (local and central headers)."""
    out = bytearray(data)
    at = _local_header(data, name)
    struct.pack_into("<I", out, at + 14, struct.unpack_from("<I", data, at + 14)[0] ^ 1)
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46: central + 46 + length] == name.encode():
            struct.pack_into("<I", out, central + 16,
                             struct.unpack_from("<I", data, central + 16)[0] ^ 1)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(out)


def lying_size(data: bytes, size: int, name: str = "word/document.xml") -> bytes:
    """The member's declared uncompressed size (both headers) replaced by size."""
    out = bytearray(data)
    struct.pack_into("<I", out, _local_header(data, name) + 22, size)
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46: central + 46 + length] == name.encode():
            struct.pack_into("<I", out, central + 24, size)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(out)


def truncated(data: bytes, keep: float) -> bytes:
    """The first part of the package only (keep: the fraction kept)."""
    return data[: int(len(data) * keep)]


def damaged_words(paragraphs: list[str]) -> dict[str, bytes]:
    """One damaged package of every kind, by name, made from a good one."""
    good = word_file(paragraphs)
    xml = document_xml(paragraphs).encode()
    return {
        "corrupt-deflate": corrupt_deflate(good),
        "flipped-byte": flipped_byte(good),
        "wrong-crc": wrong_crc(good),
        "size-too-small": lying_size(good, 10),
        "size-too-large": lying_size(good, len(xml) + 1000),
        "size-zero": lying_size(good, 0),
        "truncated-half": truncated(good, 0.5),
        "truncated-end": truncated(good, 0.97),
        "truncated-start": good[:40],
        "xml-not-well-formed": word_file([], {"word/document.xml": xml[: len(xml) * 2 // 3]}),
        "xml-bad-byte": word_file([], {"word/document.xml": xml.replace(b"<w:t ", b"<w:t \xff", 1)}),
        "xml-empty": word_file([], {"word/document.xml": b""}),
        "no-document": word_file([], {"word/document.xml": None}),
        "styles-corrupt": corrupt_deflate(word_file(paragraphs, {
            "word/styles.xml": f'<w:styles xmlns:w="{W_NS}">' + "<w:style/>" * 50
                               + "</w:styles>"}), "word/styles.xml"),
        "numbering-not-xml": word_file(paragraphs, {"word/numbering.xml": "<w:numbering"}),
        "not-a-zip": b"PK\x03\x04" + bytes(range(256)) * 4,
        "empty-file": b"",
    }
