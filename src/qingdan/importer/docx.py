"""The paragraphs of a .docx, read from its XML: body text, tables row by row, text boxes
once (not their VML copies), and the labels of Word's automatic numbering written out as
the text they show (一、 （二） 3. 第四条), so a numbered list reads like a typed one."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field

from lxml import etree

from ..load.wordfile import xml_part
from ..words import numbering
from .paras import Para, bounded, open_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
HEADER_CELLS = {"序号", "编号", "内容", "责任内容", "责任事项", "工作内容", "责任主体", "备注",
                "主要内容", "职责", "具体内容", "工作职责", "项目", "考核内容", "分值"}
HEADING_FACES = ("黑体", "楷体", "方正小标宋", "小标宋", "SimHei", "KaiTi")
LEVELS = range(9)  # Word's list levels, w:ilvl 0 to 8; any other is ignored


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."


@dataclass
class Numbering:
    """Word's list definitions and the running counters that give each paragraph its label."""

    levels: dict[str, dict[int, Level]] = field(default_factory=dict)  # numId -> ilvl -> Level
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counts = self.counters.setdefault(num_id, {})
        counts[ilvl] = counts.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        out = levels[ilvl].text
        for lvl, level in levels.items():
            marker = f"%{lvl + 1}"
            if marker in out:
                value = counts.get(lvl, level.start)
                out = out.replace(marker, _format(value, level.fmt))
        return "" if levels[ilvl].fmt in ("bullet", "none") else out


def _number(value: str | None, default: int) -> int:
    """A count or level from an attribute: plain digits, at most nine; else the default
    (a damaged file may hold "x", "²" or a thousand digits there)."""
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 9:
        return default
    return int(value)


def _format(value: int, fmt: str) -> str:
    if fmt.startswith("chinese") or fmt in ("ideographDigital", "japaneseCounting",
                                            "taiwaneseCounting"):
        return numbering.chinese(max(1, min(value, 9999)))
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(value))
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    return str(value)


def _numbering(root: etree._Element | None) -> Numbering:
    found = Numbering()
    if root is None:
        return found
    abstract: dict[str, dict[int, Level]] = {}
    for node in root.iter(f"{W}abstractNum"):
        levels = {}
        for lvl in node.iter(f"{W}lvl"):
            level = Level()
            start, fmt, text = (lvl.find(f"{W}{n}") for n in ("start", "numFmt", "lvlText"))
            if start is not None:
                level.start = _number(start.get(f"{W}val"), 1)
            if fmt is not None:
                level.fmt = fmt.get(f"{W}val") or "decimal"
            if text is not None:
                level.text = text.get(f"{W}val") or ""
            ilvl = _number(lvl.get(f"{W}ilvl"), 0)
            if ilvl in LEVELS:
                levels[ilvl] = level
        abstract[node.get(f"{W}abstractNumId") or ""] = levels
    for num in root.iter(f"{W}num"):
        ref = num.find(f"{W}abstractNumId")
        if ref is not None:
            levels = dict(abstract.get(ref.get(f"{W}val") or "", {}))
            for override in num.iter(f"{W}lvlOverride"):
                start = override.find(f"{W}startOverride")
                ilvl = _number(override.get(f"{W}ilvl"), 0)
                if start is not None and ilvl in levels:
                    levels[ilvl] = Level(_number(start.get(f"{W}val"), 1),
                                         levels[ilvl].fmt, levels[ilvl].text)
            found.levels[num.get(f"{W}numId") or ""] = levels
    return found


@dataclass
class Styles:
    names: dict[str, str] = field(default_factory=dict)
    numbered: dict[str, tuple[str, int]] = field(default_factory=dict)  # styleId -> (numId, ilvl)


def _styles(root: etree._Element | None) -> Styles:
    styles = Styles()
    if root is None:
        return styles
    for style in root.iter(f"{W}style"):
        sid = style.get(f"{W}styleId") or ""
        name = style.find(f"{W}name")
        styles.names[sid] = (name.get(f"{W}val") if name is not None else None) or sid
        num = style.find(f"{W}pPr/{W}numPr")
        if num is not None:
            num_id = num.find(f"{W}numId")
            ilvl = num.find(f"{W}ilvl")
            if num_id is not None:
                level = ilvl.get(f"{W}val") if ilvl is not None else None
                styles.numbered[sid] = (num_id.get(f"{W}val") or "", _number(level, 0))
    return styles


class _Reader:
    def __init__(self, styles: Styles, lists: Numbering):
        self.styles, self.lists = styles, lists
        self.out: list[Para] = []
        self.count = 0
        self.tables = 0

    def block(self, parent: etree._Element, where: str | None = None) -> None:
        for child in parent:
            if child.tag == f"{W}p":
                self.paragraph(child, where)
            elif child.tag == f"{W}tbl":
                self.table(child)
            elif child.tag in (f"{W}sdt", f"{W}customXml"):
                content = child.find(f"{W}sdtContent")
                self.block(content if content is not None else child, where)

    def table(self, tbl: etree._Element) -> None:
        self.tables += 1
        number = self.tables
        for row_no, row in enumerate(tbl.iter(f"{W}tr"), 1):
            if row.getparent() is not tbl:
                continue  # a nested table's row is read with its cell
            cells = []
            for cell in row.findall(f"{W}tc"):
                texts = ["".join(_texts(p)).strip() for p in cell.iter(f"{W}p")]
                cells.append("\n".join(t for t in texts if t))
            where = f"表格{number}第{row_no}行"
            filled = [c for c in cells if c]
            if filled and all(c in HEADER_CELLS for c in filled):
                self.out.append(Para("　".join(filled), where, "表头"))
                continue
            if len(filled) >= 2 and _bare_number(filled[0]):
                filled = [f"{filled[0].rstrip('.、．')}.{filled[1]}", *filled[2:]]
            for cell_text in filled:
                for line in cell_text.split("\n"):
                    self.out.append(Para(line, where))

    def paragraph(self, p: etree._Element, where: str | None) -> None:
        self.count += 1
        style_id = ""
        ppr = p.find(f"{W}pPr")
        label = ""
        if ppr is not None:
            pstyle = ppr.find(f"{W}pStyle")
            style_id = pstyle.get(f"{W}val") or "" if pstyle is not None else ""
            num = ppr.find(f"{W}numPr")
            numbered = None
            if num is not None and num.find(f"{W}numId") is not None:
                ilvl = num.find(f"{W}ilvl")
                numbered = (num.find(f"{W}numId").get(f"{W}val") or "",  # type: ignore[union-attr]
                            _number(ilvl.get(f"{W}val") if ilvl is not None else None, 0))
            elif style_id in self.styles.numbered:
                numbered = self.styles.numbered[style_id]
            if numbered is not None:
                label = self.lists.label(*numbered)
        text = label + "".join(_texts(p))
        style = self.styles.names.get(style_id, style_id)
        lead = label + _lead(p) if text.strip() else ""
        face = bool(text.strip()) and _face(p)
        for n, line in enumerate(text.split("\n")):
            if line.strip():
                self.out.append(Para(line, where or f"第{self.count}段", style,
                                     lead=lead if n == 0 else "", face=face))
        for box in _boxes(p):
            before = len(self.out)
            self.block(box, where or f"第{self.count}段（文本框）")
            self.out[before:] = [Para(q.text, q.where, q.style, box=True)
                                 for q in self.out[before:]]


def _bare_number(text: str) -> bool:
    return text.rstrip(".、．").isdigit() and len(text) <= 4


def _texts(p: etree._Element) -> list[str]:
    """The characters a paragraph prints: insertions kept, deletions, field codes, text
    boxes and fallbacks left out; tabs as spaces, line breaks as new lines."""
    out = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}sym"):
        if _excluded(node, p):
            continue
        if node.tag == f"{W}t":
            out.append(node.text or "")
        elif node.tag == f"{W}tab":
            out.append(" " if node.getparent() is not None
                       and node.getparent().tag == f"{W}r" else "")  # type: ignore[union-attr]
        elif node.tag == f"{W}sym":
            continue
        elif node.get(f"{W}type") in (None, "textWrapping"):
            out.append("\n")
    return out


def _excluded(node: etree._Element, p: etree._Element) -> bool:
    for ancestor in node.iterancestors():
        if ancestor is p:
            return False
        if ancestor.tag in (f"{W}del", f"{W}txbxContent", f"{MC}Fallback", f"{W}pPr"):
            return True
    return False


def _lead(p: etree._Element) -> str:
    """The opening runs set in a heading face when the rest is not: a run-in heading."""
    runs = [r for r in p.iter(f"{W}r") if not _excluded(r, p)]
    lead = []
    for run in runs:
        fonts = run.find(f"{W}rPr/{W}rFonts")
        face = (fonts.get(f"{W}eastAsia") or "") if fonts is not None else ""
        text = "".join(t.text or "" for t in run.iter(f"{W}t"))
        if not face.startswith(HEADING_FACES):
            break
        lead.append(text)
    whole = "".join("".join(t.text or "" for t in r.iter(f"{W}t")) for r in runs)
    joined = "".join(lead)
    return joined if joined and joined != whole else ""


def _face(p: etree._Element) -> bool:
    """Whether every run that prints text is set in a heading face: a heading paragraph."""
    runs = [r for r in p.iter(f"{W}r") if not _excluded(r, p)
            and "".join(t.text or "" for t in r.iter(f"{W}t")).strip()]
    for run in runs:
        fonts = run.find(f"{W}rPr/{W}rFonts")
        face = (fonts.get(f"{W}eastAsia") or "") if fonts is not None else ""
        if not face.startswith(HEADING_FACES):
            return False
    return bool(runs)


def _boxes(p: etree._Element) -> list[etree._Element]:
    """Text box contents anchored in p, each once: the DrawingML choice, not its VML copy."""
    return [box for box in p.iter(f"{W}txbxContent")
            if not any(a.tag == f"{MC}Fallback" for a in box.iterancestors())
            and not any(a.tag == f"{W}txbxContent" for a in box.iterancestors())]


def paragraphs(archive: zipfile.ZipFile, display: str) -> list[Para]:
    document = xml_part(archive, "word/document.xml", display)
    assert document is not None  # open_docx checked the part is there
    reader = _Reader(_styles(xml_part(archive, "word/styles.xml", display)),
                     _numbering(xml_part(archive, "word/numbering.xml", display)))
    body = document.find(f"{W}body")
    if body is not None:
        reader.block(body)
    return reader.out


def read_docx(data: bytes, display: str) -> list[Para]:
    """The paragraphs of a .docx, its size and members checked before anything is parsed."""
    archive = open_docx(data, display)
    return bounded(paragraphs(archive, display), display)
