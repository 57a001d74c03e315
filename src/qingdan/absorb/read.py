"""A Word file a unit sent back -> its paragraphs as they read with every tracked change
accepted, which of them carried tracked changes, its comments, and the properties qingdan
stamped into it when it was built.

The file is untrusted: it is opened through the core's wordfile.py (size, zip-bomb and
damage limits; XML without entities, DTDs or network) with absorb's codes (E455, E456),
and nothing it links to is read (office/links.py lists what it links to, for the report).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..load.wordfile import Codes, failed, open_docx, read_limited, unpacked, xml_part
from ..render.stamp import CUSTOM_PART, read_stamp

CODES = Codes("E455", "E456")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
DC = "{http://purl.org/dc/elements/1.1/}"
MAX_PARAGRAPHS = 20_000  # a list has a few hundred at most
# What accepting every tracked change removes: deleted and moved-away text, and what is
# never printed (field instructions, the VML copy of a text box).
GONE = {f"{W}del", f"{W}moveFrom", f"{W}instrText", f"{W}delInstrText", f"{MC}Fallback",
        f"{W}pPr"}
REJECTED = {f"{W}ins", f"{W}moveTo", f"{W}instrText", f"{W}delInstrText", f"{MC}Fallback",
            f"{W}pPr"}
TRACKED = (f"{W}ins", f"{W}del", f"{W}moveFrom", f"{W}moveTo")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph as it reads with every tracked change accepted."""

    text: str
    where: str  # 第12段
    style: str = ""  # the paragraph style's name
    tracked: bool = False  # it carried insertions, deletions or moves
    comments: tuple[str, ...] = ()  # ids of the comments anchored in it
    before: str = ""  # its text with every tracked change rejected (as it was sent out)


@dataclass(frozen=True)
class Comment:
    id: str
    author: str
    text: str


@dataclass
class Sent:
    """What a Word file holds, as absorb reads it."""

    paragraphs: list[Paragraph]
    stamp: dict[str, str] = field(default_factory=dict)  # qingdan-unit, -source, -digest
    title: str = ""  # the document's title property (dc:title)
    comments: dict[str, Comment] = field(default_factory=dict)
    links: list[str] = field(default_factory=list)  # what the file links to (never read)

    def where_comment(self, ident: str) -> str:
        return next((p.where for p in self.paragraphs if ident in p.comments), "")


def read_sent(path: Path, display: str) -> Sent:
    """The Word file at path; raises Failed (E455, E456) when it cannot be read."""
    if path.suffix.lower() not in (".docx", ".docm"):
        raise failed("E455", f"只能回收 Word 文件（.docx），“{path.name}”不是", display,
                     "在 Word 或 WPS 中打开，另存为 .docx（Word 文档）后再回收")
    from ..office.links import strip_docx

    data, refs = strip_docx(read_limited(path, display, CODES))
    archive = open_docx(data, display, CODES)
    document = xml_part(archive, "word/document.xml", display, CODES)
    assert document is not None  # open_docx checked the part is there
    styles = _style_names(xml_part(archive, "word/styles.xml", display, CODES))
    body = document.find(f"{W}body")
    paragraphs = _paragraphs(body, styles) if body is not None else []
    if len(paragraphs) > MAX_PARAGRAPHS:
        raise failed("E456", f"段落过多（{len(paragraphs)} 段）", display,
                     "一份清单不会有这样多段；请确认选对了文件")
    names = set(archive.namelist())
    custom = unpacked(archive, CUSTOM_PART, display, CODES) if CUSTOM_PART in names else None
    return Sent(paragraphs, read_stamp(custom), _title(archive, display),
                _comments(xml_part(archive, "word/comments.xml", display, CODES)),
                [str(ref) for ref in refs])


def _style_names(root: etree._Element | None) -> dict[str, str]:
    names: dict[str, str] = {}
    for style in root.iter(f"{W}style") if root is not None else ():
        name = style.find(f"{W}name")
        ident = style.get(f"{W}styleId") or ""
        names[ident] = (name.get(f"{W}val") if name is not None else None) or ident
    return names


def _title(archive, display: str) -> str:
    core = xml_part(archive, "docProps/core.xml", display, CODES)
    title = core.find(f"{DC}title") if core is not None else None
    return "".join(title.itertext()).strip() if title is not None else ""


def _comments(root: etree._Element | None) -> dict[str, Comment]:
    found = {}
    for comment in root.iter(f"{W}comment") if root is not None else ():
        ident = comment.get(f"{W}id") or ""
        text = "\n".join("".join(t.text or "" for t in p.iter(f"{W}t"))
                         for p in comment.iter(f"{W}p")).strip()
        found[ident] = Comment(ident, comment.get(f"{W}author") or "", text)
    return found


def _paragraphs(body: etree._Element, styles: dict[str, str]) -> list[Paragraph]:
    """Body paragraphs in order (those in tables and content controls too), tracked
    changes accepted: a paragraph whose mark was deleted runs on into the next one."""
    out: list[Paragraph] = []
    carried = ""  # text of paragraphs whose mark was deleted, waiting for the next
    carried_comments: tuple[str, ...] = ()
    count = 0
    for p in body.iter(f"{W}p"):
        if any(a.tag in (f"{W}txbxContent", f"{MC}Fallback") for a in p.iterancestors()):
            continue  # text boxes: a list has none; never read twice
        count += 1
        text = carried + _text(p)
        before = _text(p, accept=False)
        tracked = bool(carried) or any(True for _ in p.iter(*TRACKED))
        comments = carried_comments + tuple(
            c.get(f"{W}id") or "" for c in p.iter(f"{W}commentRangeStart", f"{W}commentReference"))
        mark = p.find(f"{W}pPr/{W}rPr")
        if mark is not None and (mark.find(f"{W}del") is not None
                                 or mark.find(f"{W}moveFrom") is not None):
            carried, carried_comments = text, comments
            # kept, empty, for what it was: a paragraph deleted as a tracked change
            out.append(Paragraph("", f"第{count}段", "", True, (), before))
            continue
        carried, carried_comments = "", ()
        style = p.find(f"{W}pPr/{W}pStyle")
        name = styles.get(style.get(f"{W}val") or "", "") if style is not None else ""
        out.append(Paragraph(text, f"第{count}段", name, tracked, tuple(dict.fromkeys(comments)),
                             before))
    if carried:
        out.append(Paragraph(carried, f"第{count}段", "", True, carried_comments))
    return out


def _text(p: etree._Element, accept: bool = True) -> str:
    """What a paragraph prints with its changes accepted: insertions and moved-in text
    kept; deletions, moved-away text and field instructions left out; tabs as spaces.
    Not accepted: what it printed before them (deleted text back, insertions out)."""
    out = []
    gone = GONE if accept else REJECTED
    for node in p.iter(f"{W}t", f"{W}delText", f"{W}tab", f"{W}br", f"{W}cr",
                       f"{W}noBreakHyphen"):
        if _gone(node, p, gone) or accept and node.tag == f"{W}delText":
            continue
        if node.tag in (f"{W}t", f"{W}delText"):
            out.append(node.text or "")
        elif node.tag == f"{W}noBreakHyphen":
            out.append("-")
        else:
            out.append(" ")
    return "".join(out)


def _gone(node: etree._Element, p: etree._Element, gone: set[str]) -> bool:
    for ancestor in node.iterancestors():
        if ancestor is p:
            return False
        if ancestor.tag in gone or ancestor.tag == f"{W}txbxContent":
            return True
    return False
