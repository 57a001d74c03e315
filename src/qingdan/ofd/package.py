"""The OFD package: a PDF's pages (pdfread.Document) written as GB/T 33190-2016 parts.

Layout of the zip:

    OFD.xml                         entry: DocInfo and the DocRoot
    Doc_0/Document.xml              page area, resources, pages, outline
    Doc_0/PublicRes.xml             fonts
    Doc_0/DocumentRes.xml           images
    Doc_0/Res/font_N.otf|ttf, image_N.png|jpg
    Doc_0/Pages/Page_K/Content.xml  one layer per page: text, paths and images in the
                                    PDF's drawing order

Coordinates are millimetres from the page's top-left corner. Every part is written in a
fixed order with fixed zip times, so the same PDF and DocInfo give the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from . import fonts as ofd_fonts
from .pdfread import Document, Glyphs, Image, OutlineItem, Page, Path

NS = "http://www.ofdspec.org/2016"
MM = 25.4 / 72
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CAPS = {0: None, 1: "Round", 2: "Square"}
_JOINS = {0: None, 1: "Round", 2: "Bevel"}


@dataclass(frozen=True)
class DocInfo:
    """What OFD.xml says of the document (every field optional but the ID)."""

    doc_id: str
    title: str = ""
    author: str = ""  # the issuing organ
    subject: str = ""
    creation_date: str = ""  # YYYY-MM-DD: the document's own date, never today's
    creator: str = "qingdan"
    custom: tuple[tuple[str, str], ...] = ()  # (name, value), e.g. ("发文字号", ...)


@dataclass(frozen=True)
class PageFrame:
    """A page size and its text block in millimetres (GB/T 9704: the 版心)."""

    width: float
    height: float
    left: float
    top: float
    right: float
    bottom: float


def n(value: float) -> str:
    """A number as OFD writes it: at most three decimals, no trailing zeros."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _deltas(values: list[float]) -> str:
    """An ST_Array of deltas, runs of one value written as OFD's `g count value`."""
    words: list[str] = []
    i = 0
    texts = [n(v) for v in values]
    while i < len(texts):
        j = i
        while j + 1 < len(texts) and texts[j + 1] == texts[i]:
            j += 1
        if j - i + 1 >= 3:
            words += ["g", str(j - i + 1), texts[i]]
        else:
            words += texts[i:j + 1]
        i = j + 1
    return " ".join(words)


class _Writer:
    def __init__(self, doc: Document, frames: list[PageFrame]):
        self.doc, self.frames = doc, frames
        self.next_id = 0
        self.parts: dict[str, bytes] = {}
        self.font_ids: dict[str, int] = {}
        self.font_text: dict[str, dict[int, str]] = {}
        self.image_ids: dict[str, int] = {}

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def _frame(self, page: Page) -> PageFrame:
        x0, y0, x1, y1 = page.box
        width, height = (x1 - x0) * MM, (y1 - y0) * MM
        for frame in self.frames:
            if abs(frame.width - width) < 1 and abs(frame.height - height) < 1:
                return frame
        return PageFrame(width, height, 0, 0, 0, 0)

    @staticmethod
    def _area(frame: PageFrame) -> str:
        box = f"0 0 {n(frame.width)} {n(frame.height)}"
        content = ""
        if frame.right > frame.left and frame.bottom > frame.top:
            content = (f"<ofd:ContentBox>{n(frame.left)} {n(frame.top)} "
                       f"{n(frame.right - frame.left)} {n(frame.bottom - frame.top)}"
                       "</ofd:ContentBox>")
        return (f"<ofd:PhysicalBox>{box}</ofd:PhysicalBox>"
                f"<ofd:ApplicationBox>{box}</ofd:ApplicationBox>{content}")

    def fonts(self) -> str:
        entries = []
        for key in sorted(self.doc.fonts, key=lambda k: self.doc.fonts[k].key):
            font = self.doc.fonts[key]
            if not font.used:
                continue
            converted = ofd_fonts.convert(font)
            font_id = self.new_id()
            self.font_ids[key] = font_id
            self.font_text[key] = converted.text
            name = f"font_{font_id}.{converted.extension}"
            self.parts[f"Doc_0/Res/{name}"] = converted.data
            flags = "".join(f' {attr}="true"' for attr, on in
                            (("Italic", font.italic), ("Bold", font.bold),
                             ("Serif", font.serif)) if on)
            entries.append(f'<ofd:Font ID="{font_id}" FontName={quoteattr(converted.name)} '
                           f'FamilyName={quoteattr(converted.name)}{flags}>'
                           f"<ofd:FontFile>{name}</ofd:FontFile></ofd:Font>")
        fonts = f"<ofd:Fonts>{''.join(entries)}</ofd:Fonts>" if entries else ""
        return _xml(f'<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">{fonts}</ofd:Res>')

    def images(self) -> str:
        entries = []
        for key in sorted(self.doc.images):
            kind, data = self.doc.images[key]
            image_id = self.new_id()
            self.image_ids[key] = image_id
            name = f"image_{image_id}.{'jpg' if kind == 'JPEG' else 'png'}"
            self.parts[f"Doc_0/Res/{name}"] = data
            entries.append(f'<ofd:MultiMedia ID="{image_id}" Type="Image" Format="{kind}">'
                           f"<ofd:MediaFile>{name}</ofd:MediaFile></ofd:MultiMedia>")
        media = f"<ofd:MultiMedias>{''.join(entries)}</ofd:MultiMedias>" if entries else ""
        return _xml(f'<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">{media}</ofd:Res>')

    def page(self, page: Page, default: PageFrame) -> str:
        frame = self._frame(page)
        area = "" if frame == default else f"<ofd:Area>{self._area(frame)}</ofd:Area>"
        objects = []
        for item in page.items:
            if isinstance(item, Glyphs):
                objects.append(self._text(page, item))
            elif isinstance(item, Path):
                objects.append(self._path(page, item))
            elif isinstance(item, Image):
                objects.append(self._image(page, item))
        layer = self.new_id()
        return _xml(f'<ofd:Page xmlns:ofd="{NS}">{area}<ofd:Content>'
                    f'<ofd:Layer ID="{layer}" Type="Body">{"".join(o for o in objects if o)}'
                    "</ofd:Layer></ofd:Content></ofd:Page>")

    def _text(self, page: Page, run: Glyphs) -> str:
        x0, _, _, y1 = page.box
        text_of = self.font_text[run.font]
        widths = self.doc.fonts[run.font].widths
        chars: list[str] = []
        xs: list[float] = []
        right = 0.0
        baseline = (y1 - run.origins[0][1]) * MM
        size = run.size * MM
        for code, (x, _) in zip(run.codes, run.origins, strict=True):
            for char in text_of.get(code, ""):
                chars.append(char)
                xs.append((x - x0) * MM)
                right = max(right, xs[-1] + widths.get(code, 0) / 1000 * size * run.hscale)
        if not chars or not "".join(chars).strip():
            return ""
        left = min(xs)
        top = baseline - size * 1.1
        width = max(right - left, 0.01)  # to the last glyph's advance: readers measure lines
        color = "" if run.color == (0, 0, 0) else \
            f'<ofd:FillColor Value="{run.color[0]} {run.color[1]} {run.color[2]}"/>'
        hscale = "" if abs(run.hscale - 1) < 1e-3 else f' HScale="{n(run.hscale)}"'
        delta = _deltas([b - a for a, b in zip(xs, xs[1:], strict=False)])
        delta_attr = f' DeltaX="{delta}"' if delta else ""
        return (f'<ofd:TextObject ID="{self.new_id()}" Boundary="{n(left)} {n(top)} '
                f'{n(width)} {n(size * 1.5)}" Font="{self.font_ids[run.font]}" '
                f'Size="{n(size)}"{hscale}>{color}<ofd:TextCode X="{n(xs[0] - left)}" '
                f'Y="{n(baseline - top)}"{delta_attr}>{escape("".join(chars))}'
                "</ofd:TextCode></ofd:TextObject>")

    def _path(self, page: Page, path: Path) -> str:
        x0, _, _, y1 = page.box
        points = [((s[i] - x0) * MM, (y1 - s[i + 1]) * MM)
                  for s in path.segments for i in range(1, len(s), 2)]
        if not points:
            return ""
        pad = path.width * MM / 2 if path.stroke else 0
        left = min(p[0] for p in points) - pad
        top = min(p[1] for p in points) - pad
        width = max(p[0] for p in points) + pad - left
        height = max(p[1] for p in points) + pad - top
        words: list[str] = []
        for segment in path.segments:
            words.append("B" if segment[0] == "C" else segment[0] if segment[0] != "Z" else "C")
            for i in range(1, len(segment), 2):
                words += [n((segment[i] - x0) * MM - left), n((y1 - segment[i + 1]) * MM - top)]
        attrs = [f'ID="{self.new_id()}"', f'Boundary="{n(left)} {n(top)} {n(width)} {n(height)}"',
                 f'LineWidth="{n(path.width * MM)}"']
        if _CAPS.get(path.cap):
            attrs.append(f'Cap="{_CAPS[path.cap]}"')
        if _JOINS.get(path.join):
            attrs.append(f'Join="{_JOINS[path.join]}"')
        if path.dash[0]:
            attrs.append(f'DashOffset="{n(path.dash[1] * MM)}"')
            attrs.append(f'DashPattern="{" ".join(n(v * MM) for v in path.dash[0])}"')
        if not path.stroke:
            attrs.append('Stroke="false"')
        if path.fill:
            attrs.append('Fill="true"')
        if path.even_odd:
            attrs.append('Rule="Even-Odd"')
        colors = ""
        if path.stroke and path.stroke_color != (0, 0, 0):
            colors += '<ofd:StrokeColor Value="{} {} {}"/>'.format(*path.stroke_color)
        # A stroked rule also names its colour as FillColor (unused while Fill is false):
        # some readers (easyofd) stroke in the fill colour.
        fill = path.fill_color if path.fill else path.stroke_color
        if fill != (0, 0, 0):
            colors += '<ofd:FillColor Value="{} {} {}"/>'.format(*fill)
        return (f"<ofd:PathObject {' '.join(attrs)}>{colors}"
                f"<ofd:AbbreviatedData>{' '.join(words)}</ofd:AbbreviatedData></ofd:PathObject>")

    def _image(self, page: Page, image: Image) -> str:
        x0, _, _, y1 = page.box
        a, b, c, d, e, f = image.matrix
        corners = [(e + a * u + c * v, f + b * u + d * v) for u in (0, 1) for v in (0, 1)]
        xs = [(x - x0) * MM for x, _ in corners]
        ys = [(y1 - y) * MM for _, y in corners]
        left, top = min(xs), min(ys)
        # OFD's image square has its first row at v = 0 (top); PDF's at 1 (see DEVELOPERS)
        ctm = (a * MM, -b * MM, -c * MM, d * MM, (c + e - x0) * MM - left,
               (y1 - d - f) * MM - top)
        return (f'<ofd:ImageObject ID="{self.new_id()}" Boundary="{n(left)} {n(top)} '
                f'{n(max(xs) - left)} {n(max(ys) - top)}" '
                f'CTM="{" ".join(n(v) for v in ctm)}" ResourceID="{self.image_ids[image.key]}"/>')

    def outline(self, items: list[OutlineItem], page_ids: list[int]) -> str:
        parts = []
        for item in items:
            action = ""
            if item.page is not None and 0 <= item.page < len(page_ids):
                page = self.doc.pages[item.page]
                x0, _, _, y1 = page.box
                where = ""
                if item.left is not None and item.top is not None:
                    where = f' Left="{n((item.left - x0) * MM)}" Top="{n((y1 - item.top) * MM)}"'
                dest_type = "XYZ" if where else "Fit"
                action = (f'<ofd:Actions><ofd:Action Event="CLICK"><ofd:Goto>'
                          f'<ofd:Dest Type="{dest_type}" PageID="{page_ids[item.page]}"{where}/>'
                          "</ofd:Goto></ofd:Action></ofd:Actions>")
            children = self.outline(item.children, page_ids)
            parts.append(f"<ofd:OutlineElem Title={quoteattr(_clean(item.title))}>"
                         f"{action}{children}</ofd:OutlineElem>")
        return "".join(parts)


def _clean(text: str) -> str:
    """Text XML 1.0 can hold."""
    return "".join(c for c in text if c in "\t\n\r" or c >= " ").replace("\ufffe", "")


def _xml(body: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _doc_info(info: DocInfo) -> str:
    fields = [("DocID", info.doc_id), ("Title", info.title), ("Author", info.author),
              ("Subject", info.subject), ("CreationDate", info.creation_date)]
    body = "".join(f"<ofd:{tag}>{escape(_clean(value))}</ofd:{tag}>"
                   for tag, value in fields if value)
    body += f"<ofd:Creator>{escape(info.creator)}</ofd:Creator>"
    if info.custom:
        body += "<ofd:CustomDatas>" + "".join(
            f"<ofd:CustomData Name={quoteattr(_clean(k))}>{escape(_clean(v))}</ofd:CustomData>"
            for k, v in info.custom) + "</ofd:CustomDatas>"
    return f"<ofd:DocInfo>{body}</ofd:DocInfo>"


def write(doc: Document, info: DocInfo, frames: list[PageFrame]) -> bytes:
    """The OFD package's bytes."""
    writer = _Writer(doc, frames)
    public = writer.fonts()
    document_res = writer.images()
    default = writer._frame(doc.pages[0]) if doc.pages else PageFrame(210, 297, 0, 0, 0, 0)
    page_ids = [writer.new_id() for _ in doc.pages]
    pages = {}
    for i, page in enumerate(doc.pages):
        pages[f"Doc_0/Pages/Page_{i}/Content.xml"] = writer.page(page, default)
    outline = writer.outline(doc.outline, page_ids)
    page_list = "".join(f'<ofd:Page ID="{pid}" BaseLoc="Pages/Page_{i}/Content.xml"/>'
                        for i, pid in enumerate(page_ids))
    document = _xml(
        f'<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
        f"<ofd:MaxUnitID>{writer.next_id}</ofd:MaxUnitID>"
        f"<ofd:PageArea>{writer._area(default)}</ofd:PageArea>"
        "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
        "<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData>"
        f"<ofd:Pages>{page_list}</ofd:Pages>"
        + (f"<ofd:Outlines>{outline}</ofd:Outlines>" if outline else "")
        + "</ofd:Document>")
    entry = _xml(f'<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody>'
                 f"{_doc_info(info)}<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
                 "</ofd:DocBody></ofd:OFD>")
    ordered = {"OFD.xml": entry.encode("utf-8"),
               "Doc_0/Document.xml": document.encode("utf-8"),
               "Doc_0/PublicRes.xml": public.encode("utf-8"),
               "Doc_0/DocumentRes.xml": document_res.encode("utf-8"),
               **{k: v.encode("utf-8") for k, v in pages.items()},
               **dict(sorted(writer.parts.items()))}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, data in ordered.items():
            member = zipfile.ZipInfo(name, ZIP_TIME)
            member.external_attr = 0o644 << 16
            stored = name.endswith((".png", ".jpg"))
            member.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            package.writestr(member, data, compresslevel=6 if not stored else None)
    return out.getvalue()
