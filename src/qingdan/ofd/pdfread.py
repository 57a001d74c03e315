"""A PDF's pages as drawing items: glyph runs, paths and images in page space, with the
fonts, images, outline and title they use.

pikepdf (qpdf) parses the content streams; the few operators a PDF printed by LibreOffice
uses are interpreted here (text state and positioning, colours, paths and their painting,
images, form XObjects). Anything else that would draw is refused with `Unsupported`,
so a page is never converted with something silently missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import pikepdf

from .pdfmodel import (
    IDENTITY,
    Color,
    Document,
    Font,
    Glyphs,
    Image,
    Matrix,
    OutlineItem,
    Page,
    Path,
    Unsupported,
    _color,
    _font,
    _key,
    apply,
    multiply,
)

__all__ = ["Document", "Font", "Glyphs", "Image", "OutlineItem", "Page", "Path", "Unsupported",
           "read"]

@dataclass
class _State:
    ctm: Matrix = IDENTITY
    fill: Color = (0, 0, 0)
    stroke: Color = (0, 0, 0)
    width: float = 1.0
    cap: int = 0
    join: int = 0
    dash: tuple[list[float], float] = ([], 0.0)

    def copy(self) -> _State:
        return _State(self.ctm, self.fill, self.stroke, self.width, self.cap, self.join,
                      self.dash)


_PAINTS = {"S": (True, False, False, False), "s": (True, False, False, True),
           "f": (False, True, False, False), "F": (False, True, False, False),
           "f*": (False, True, True, False), "B": (True, True, False, False),
           "B*": (True, True, True, False), "b": (True, True, False, True),
           "b*": (True, True, True, True)}
_IGNORED = {"BT", "ET", "W", "W*", "M", "ri", "i", "BDC", "BMC", "EMC", "MP", "DP",
            "BX", "EX", "d0", "d1", "CS", "cs"}
_DRAWING = {"sh", "BI", "ID", "EI"}


class _Interpreter:
    def __init__(self, doc: Document):
        self.doc = doc

    def page(self, page: pikepdf.Page) -> Page:
        box = tuple(float(v) for v in page.mediabox)
        result = Page((box[0], box[1], box[2], box[3]))
        self.items = result.items
        self._run(page.obj, page.obj.get("/Resources", pikepdf.Dictionary()), _State(), 0)
        return result

    def _run(self, owner: Any, resources: pikepdf.Object, state: _State, depth: int) -> None:
        if depth > 8:
            raise Unsupported("表单对象嵌套过深")
        stack: list[_State] = []
        path: list[tuple[Any, ...]] = []
        x = y = 0.0
        tm = tlm = IDENTITY
        font: Font | None = None
        size = leading = rise = char_space = word_space = 0.0
        hscale = 1.0
        fonts: Any = resources.get("/Font", {})
        for instruction in pikepdf.parse_content_stream(owner):
            operands, op = instruction.operands, str(instruction.operator)
            if op == "Tj" or op == "'" or op == '"' or op == "TJ":
                if op in ("'", '"'):
                    if op == '"':
                        word_space, char_space = float(operands[0]), float(operands[1])
                    tlm = multiply((1, 0, 0, 1, 0, -leading), tlm)
                    tm = tlm
                if font is None:
                    raise Unsupported("文字没有设置字体")
                parts = operands[0] if op == "TJ" else [operands[-1]]
                tm = self._show(parts, font, size, hscale, char_space, word_space, rise,
                                tm, state)
            elif op == "Tf":
                name = operands[0]
                if name not in fonts:
                    raise Unsupported(f"找不到字体资源 {name}")
                obj = fonts[name]
                key = _key(obj, "f")
                if key not in self.doc.fonts:
                    self.doc.fonts[key] = _font(obj)
                font, size = self.doc.fonts[key], float(operands[1])
            elif op == "Tm":
                tm = tlm = tuple(float(v) for v in operands)  # type: ignore[assignment]
            elif op == "Td" or op == "TD":
                if op == "TD":
                    leading = -float(operands[1])
                tlm = multiply((1, 0, 0, 1, float(operands[0]), float(operands[1])), tlm)
                tm = tlm
            elif op == "T*":
                tlm = multiply((1, 0, 0, 1, 0, -leading), tlm)
                tm = tlm
            elif op == "BT":
                tm = tlm = IDENTITY
            elif op == "Tc":
                char_space = float(operands[0])
            elif op == "Tw":
                word_space = float(operands[0])
            elif op == "Tz":
                hscale = float(operands[0]) / 100
            elif op == "TL":
                leading = float(operands[0])
            elif op == "Ts":
                rise = float(operands[0])
            elif op == "Tr":
                if int(operands[0]) not in (0, 3, 7):
                    raise Unsupported("描边或裁剪文字不受支持")
            elif op == "q":
                stack.append(state.copy())
            elif op == "Q":
                if stack:
                    state = stack.pop()
            elif op == "cm":
                state.ctm = multiply(tuple(float(v) for v in operands), state.ctm)  # type: ignore[arg-type]
            elif op == "w":
                state.width = float(operands[0])
            elif op == "J":
                state.cap = int(operands[0])
            elif op == "j":
                state.join = int(operands[0])
            elif op == "d":
                state.dash = ([float(v) for v in operands[0]], float(operands[1]))
            elif op in ("rg", "g", "k", "sc", "scn"):
                state.fill = _color(list(operands))
            elif op in ("RG", "G", "K", "SC", "SCN"):
                state.stroke = _color(list(operands))
            elif op == "m":
                x, y = float(operands[0]), float(operands[1])
                path.append(("M", *apply(state.ctm, x, y)))
            elif op == "l":
                x, y = float(operands[0]), float(operands[1])
                path.append(("L", *apply(state.ctm, x, y)))
            elif op in ("c", "v", "y"):
                v = [float(o) for o in operands]
                if op == "v":
                    v = [x, y, *v]
                elif op == "y":
                    v = [*v, v[2], v[3]]
                x, y = v[4], v[5]
                path.append(("C", *apply(state.ctm, v[0], v[1]), *apply(state.ctm, v[2], v[3]),
                             *apply(state.ctm, x, y)))
            elif op == "h":
                path.append(("Z",))
            elif op == "re":
                rx, ry, rw, rh = (float(o) for o in operands)
                corners = [(rx, ry), (rx + rw, ry), (rx + rw, ry + rh), (rx, ry + rh)]
                path.append(("M", *apply(state.ctm, *corners[0])))
                path += [("L", *apply(state.ctm, *c)) for c in corners[1:]]
                path.append(("Z",))
                x, y = rx, ry
            elif op in _PAINTS:
                stroke, fill, even_odd, close = _PAINTS[op]
                if close:
                    path.append(("Z",))
                self._paint(path, stroke, fill, even_odd, state)
                path = []
            elif op == "n":
                path = []
            elif op == "Do":
                self._do(resources, operands[0], state, depth)
            elif op == "gs":
                states: Any = resources.get("/ExtGState", {})
                params = states.get(operands[0])
                if params is not None and "/LW" in params:
                    state.width = float(params.LW)
            elif op in _DRAWING:
                raise Unsupported(f"PDF 绘图操作 {op} 不受支持")
            elif op not in _IGNORED:
                raise Unsupported(f"PDF 操作 {op} 不受支持")

    def _show(self, parts: Any, font: Font, size: float, hscale: float, char_space: float,
              word_space: float, rise: float, tm: Matrix, state: _State) -> Matrix:
        codes: list[int] = []
        origins: list[tuple[float, float]] = []
        matrix = multiply(tm, state.ctm)
        if abs(matrix[1]) > 1e-6 or abs(matrix[2]) > 1e-6 or matrix[0] <= 0 or matrix[3] <= 0:
            raise Unsupported("旋转、倾斜或镜像的文字不受支持")
        tx = 0.0
        for part in parts:
            if not isinstance(part, (pikepdf.String, bytes)):
                tx -= float(part) / 1000 * size * hscale
                continue
            for code in bytes(part):
                codes.append(code)
                origins.append(apply(matrix, tx, rise))
                advance = font.widths.get(code, 0.0) / 1000 * size + char_space
                if code == 32:
                    advance += word_space
                tx += advance * hscale
        font.used.update(codes)
        if codes:
            self.items.append(Glyphs(font.key, size * matrix[3],
                                     hscale * matrix[0] / matrix[3], state.fill, codes,
                                     origins))
        return multiply((1, 0, 0, 1, tx, 0), tm)

    def _paint(self, path: list[tuple[Any, ...]], stroke: bool, fill: bool, even_odd: bool,
               state: _State) -> None:
        if not path:
            return
        a, b, c, d = state.ctm[:4]
        scale = abs(a * d - b * c) ** 0.5
        self.items.append(Path(path, stroke, fill, even_odd, state.width * scale,
                               state.stroke, state.fill, state.cap, state.join,
                               ([v * scale for v in state.dash[0]], state.dash[1] * scale)))

    def _do(self, resources: pikepdf.Object, name: Any, state: _State,
            depth: int) -> None:
        xobjects: Any = resources.get("/XObject", {})
        xobject = xobjects.get(name)
        if xobject is None:
            raise Unsupported(f"找不到图像资源 {name}")
        subtype = str(xobject.get("/Subtype"))
        if subtype == "/Image":
            key = _key(xobject, "i")
            self.doc.images[key] = xobject
            self.items.append(Image(key, state.ctm))
        elif subtype == "/Form":
            inner = state.copy()
            matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
            inner.ctm = multiply(matrix, state.ctm)  # type: ignore[arg-type]
            self._run(xobject, xobject.get("/Resources", resources), inner, depth + 1)
        else:
            raise Unsupported(f"XObject 类型 {subtype} 不受支持")


def _outline(pdf: pikepdf.Pdf, pages: dict[tuple[int, int], int]) -> list[OutlineItem]:
    names: dict[str, Any] = {}
    try:
        for name, dest in (pdf.Root.get("/Dests") or {}).items():
            names[str(name)] = dest
    except (AttributeError, TypeError):
        pass

    def dest_of(item: pikepdf.Object) -> tuple[int | None, float | None, float | None]:
        dest = item.get("/Dest")
        action = item.get("/A")
        if dest is None and action is not None and str(action.get("/S")) == "/GoTo":
            dest = action.get("/D")
        if isinstance(dest, (pikepdf.Name, pikepdf.String)):
            dest = names.get(str(dest))
        if isinstance(dest, pikepdf.Dictionary):
            dest = dest.get("/D")
        if not isinstance(dest, pikepdf.Array) or len(dest) < 2:
            return None, None, None
        page = pages.get(dest[0].objgen) if isinstance(dest[0], pikepdf.Dictionary) else None
        if str(dest[1]) == "/XYZ" and len(dest) >= 4:
            left = float(dest[2]) if dest[2] is not None else None
            top = float(dest[3]) if dest[3] is not None else None
            return page, top, left
        return page, None, None

    def walk(first: pikepdf.Object | None, depth: int) -> list[OutlineItem]:
        found: list[OutlineItem] = []
        item, seen = first, 0
        while item is not None and seen < 10000 and depth < 16:
            page, top, left = dest_of(item)
            found.append(OutlineItem(str(item.get("/Title", "")), page, top, left,
                                     walk(item.get("/First"), depth + 1)))
            item, seen = item.get("/Next"), seen + 1
        return found

    outlines = pdf.Root.get("/Outlines")
    return walk(outlines.get("/First"), 0) if outlines is not None else []


def read(data: bytes) -> Document:
    """The PDF's pages, fonts, images, outline and title; raises Unsupported."""
    import io

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as error:
        raise Unsupported(f"无法读取 PDF：{error}") from error
    with pdf:
        title = str(pdf.docinfo.get("/Title", "")) if pdf.docinfo is not None else ""
        doc = Document([], {}, {}, [], title)
        interpreter = _Interpreter(doc)
        doc.pages = [interpreter.page(page) for page in pdf.pages]
        numbers = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        doc.outline = _outline(pdf, numbers)
        doc.images = {key: _image_bytes(obj) for key, obj in doc.images.items()}
    return doc


def _image_bytes(xobject: pikepdf.Object) -> Any:
    """An image as (format, bytes): JPEG kept as it is, anything else as PNG."""
    import io

    from pikepdf import PdfImage

    image = PdfImage(cast(pikepdf.Stream, xobject))
    if str(xobject.get("/Filter", "")) == "/DCTDecode" and "/SMask" not in xobject:
        return ("JPEG", xobject.read_raw_bytes())
    picture = image.as_pil_image()
    if "/SMask" in xobject:
        mask = PdfImage(cast(pikepdf.Stream, xobject.SMask)).as_pil_image().convert("L")
        if mask.size != picture.size:
            mask = mask.resize(picture.size)
        picture = picture.convert("RGBA")
        picture.putalpha(mask)
    elif picture.mode not in ("RGB", "L", "RGBA", "LA", "P", "1"):
        picture = picture.convert("RGB")
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=False, compress_level=6)
    return ("PNG", out.getvalue())
