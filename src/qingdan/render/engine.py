"""docxtpl templates compiled once and rendered many times.

docxtpl's own render opens the .docx with python-docx, re-parses and re-serialises every
part, and compiles the Jinja source, for every document: about 30 ms each. For a roster of
a thousand units that dominates the build. Here a template is prepared once: docxtpl's
tag preprocessing (patch_xml: {%p %}, {%tr %}, {% vm %} …) runs once, Jinja compiles once,
and the unchanged parts of the package are deflated once. Rendering a document is then a
Jinja render of the body plus a zip assembled from ready pieces: the same template
language and the same output, a few milliseconds each.

The zip is written with fixed timestamps and a fixed entry order, so equal input gives
equal bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError, UndefinedError

from ..diagnostics import Diagnostic, Failed, Location
from ..paths import display_path
from ..resolve.sandbox import TEMPLATE_LIMITS, BudgetExceeded, GuardedEnvironment
from .comments import has_comments, repacked, without_comments
from .package import check_xml, read_package
from .stamp import CUSTOM_PART, PACKAGE_RELS, STAMP, declarations, stamp_parts
from .zipout import Entry, assemble, deflate, stored

BODY_PART = "word/document.xml"
CONTENT_TYPES = "[Content_Types].xml"
BODY_RELS = "word/_rels/document.xml.rels"
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
EMPTY_RUN = re.compile(r'<w:r><w:t(?: xml:space="preserve")?></w:t></w:r>')
# Characters XML 1.0 does not allow (C0 controls but tab and line breaks, surrogates,
# U+FFFE and U+FFFF).
XML_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
STYLE_REF = re.compile(r'(<w:(?:pStyle|rStyle|tblStyle) w:val=")([^"]+)(")')


def environment() -> GuardedEnvironment:
    """Template text a clerk can edit runs sandboxed with a work budget (sandbox.py), and
    undefined names are errors."""
    return GuardedEnvironment(TEMPLATE_LIMITS, undefined=StrictUndefined, autoescape=True)


def _numbered(source: str) -> str:
    """A part's template source with a line for each paragraph, as docxtpl compiles it, so a
    syntax error's line number points near the paragraph it is in. qingdan compiles the
    source as it is: the newlines docxtpl then takes out of every rendered part would only
    cost time."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", source)


# docxtpl's escapes for a literal {{ … in a template's text, printed by Jinja itself.
ESCAPED_MARKS = {"{_{": "{{ '{{' }}", "}_}": "{{ '}}' }}", "{_%": "{{ '{%' }}",
                 "%_}": "{{ '%}' }}"}
ESCAPED = re.compile("|".join(map(re.escape, ESCAPED_MARKS)))


def _unescaped(source: str) -> str:
    """A part's template source that prints docxtpl's escaped marks as what they stand for.
    docxtpl replaces them in the rendered part, where a source's own text would be changed
    too; qingdan prints a source's text as it is written."""
    return ESCAPED.sub(lambda m: ESCAPED_MARKS[m.group(0)], source)


def _located(env: GuardedEnvironment, source: str,
             error: TemplateSyntaxError) -> tuple[str, str]:
    """Where a syntax error is, as text near it, and what it is: the source is compiled
    again a paragraph a line for that."""
    numbered = _numbered(source)
    try:
        env.from_string(numbered)
    except TemplateSyntaxError as exc:
        return _near(numbered, exc.lineno), exc.message or ""
    return "", error.message or ""


def _near(source: str, lineno: int | None) -> str:
    if not lineno:
        return ""
    lines = source.splitlines()[max(lineno - 2, 0):lineno + 1]
    text = "".join(re.sub(r"<[^>]+>", "", line).strip() for line in lines)
    return f"（在“{text[:40]}”附近）" if text else ""


@dataclass(frozen=True)
class Part:
    """A part added to one rendered package, which the body refers to by relationship id:
    a picture at word/media/… that the body shows with <a:blip r:embed="{rel_id}"/>."""

    name: str
    data: bytes
    content_type: str
    rel_id: str
    rel_type: str = IMAGE_REL


def with_parts(package: dict[str, bytes], parts: Sequence[Part]) -> dict[str, bytes]:
    """The content types and the body's relationships with the added parts declared."""
    types = package[CONTENT_TYPES].decode("utf-8")
    overrides = "".join(f'<Override PartName={quoteattr("/" + p.name)} '
                        f'ContentType={quoteattr(p.content_type)}/>' for p in parts)
    rels = package.get(BODY_RELS, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                       b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                       b'relationships"></Relationships>').decode("utf-8")
    links = "".join(f'<Relationship Id={quoteattr(p.rel_id)} Type={quoteattr(p.rel_type)} '
                    f'Target={quoteattr(p.name.removeprefix("word/"))}/>' for p in parts)
    return {CONTENT_TYPES: types.replace("</Types>", overrides + "</Types>").encode("utf-8"),
            BODY_RELS: rels.replace("</Relationships>", links + "</Relationships>").encode("utf-8")}


@dataclass
class Rendered:
    """A rendered document: the .docx bytes and its body, for embedding in a notice."""

    data: bytes
    body: str  # the body's paragraphs and tables, without the section properties


class CompiledTemplate:
    """A .docx template ready to render many documents; see the module docstring."""

    def __init__(self, path: Path):
        self.path = path
        self.where = Location(display_path(path))
        self.env = env = environment()
        data, parts = read_package(path, self.where)  # names, sizes and XML checked
        if has_comments(parts):  # a note about the template, for no document (comments.py)
            parts = without_comments(parts)
            data = repacked(parts)
        names = list(parts)
        document = parts.get(BODY_PART, b"").decode("utf-8")
        if "<w:body" not in document or "</w:body>" not in document:
            raise Failed([Diagnostic(
                "E507", "Word 模板的 document.xml 没有使用 w: 前缀（或没有正文）", self.where,
                hint="在 Word 中打开模板并另存为 .docx")])
        try:
            tpl = DocxTemplate(io.BytesIO(data))
            tpl.init_docx()
            body = tpl.get_xml()
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            raise Failed([Diagnostic("E503", "Word 模板无法打开：不是有效的 .docx 文件",
                                     self.where, hint="模板须是 Word 保存的 .docx 文件")]) from None
        except Exception:  # noqa: BLE001 - python-docx raises several kinds on a bad package
            raise Failed([Diagnostic("E503", "Word 模板无法打开：不是有效的 .docx 文件",
                                     self.where, hint="模板须是 Word 保存的 .docx 文件")]) from None
        section = body.rfind("<w:sectPr")
        self.section = body[section:body.rindex("</w:body>")] if section >= 0 else ""
        self.prefix = document[:document.index("<w:body")]
        self.suffix = document[document.rindex("</w:body>") + len("</w:body>"):]
        # docxtpl's preprocessing of each part ({%p %}, {{r }} …), as its render_xml_part
        # does before compiling.
        sources = {BODY_PART: tpl.patch_xml(body)}
        for name in names:
            if name != BODY_PART and name.endswith(".xml") and (
                    name.startswith("word/header") or name.startswith("word/footer")
                    or name == "docProps/core.xml") and b"{" in parts[name]:
                sources[name] = tpl.patch_xml(parts[name].decode("utf-8"))
        self.templates: dict[str, Template] = {}
        for name, source in sources.items():
            source = _unescaped(source)
            try:
                template = env.from_string(source)
            except RecursionError:  # a run of "{" or nested blocks past Jinja's parser
                raise Failed([Diagnostic(
                    "E501", "Word 模板语法错误：标记嵌套过深", self.where,
                    hint="检查模板中 {{ }} 和 {%p %} 标记是否配对")]) from None
            except TemplateSyntaxError as exc:
                near, message = _located(env, source, exc)
                raise Failed([Diagnostic(
                    "E501", f"Word 模板语法错误{near}：{message}", self.where,
                    hint="检查模板中 {{ }} 和 {%p %} 标记是否配对")]) from None
            self.templates[name] = template
        self.order = names
        self.static = {name: deflate(name, data) for name, data in parts.items()
                       if name not in self.templates}
        self.package = {name: parts[name] for name in (CONTENT_TYPES, BODY_RELS, PACKAGE_RELS,
                                                       CUSTOM_PART) if name in parts}
        self.styles = style_ids(parts.get("word/styles.xml", b""))
        self._declarations: dict[str, Entry] | None = None

    def _render_part(self, name: str, context: dict[str, Any], hint: str) -> str:
        template = self.templates[name]
        try:
            xml = self.env.render_within(template, context)
        except BudgetExceeded as exc:
            raise Failed([Diagnostic("E504", f"Word 模板的计算量或生成内容超出限制：{exc}",
                                     self.where, hint="检查模板中的循环和 {{ }} 标记")]) from None
        except UndefinedError as exc:
            match = re.search(r"'([^']+)' is undefined|attribute '([^']+)'", exc.message or "")
            what = next((g for g in match.groups() if g), "?") if match else "?"
            raise Failed([Diagnostic("E502", f"Word 模板中的“{what}”未定义", self.where,
                                     hint=hint)]) from None
        except TemplateError as exc:
            raise Failed([Diagnostic("E501", f"Word 模板错误：{exc}", self.where)]) from None
        except Exception as exc:  # noqa: BLE001 - a clerk's template may fail in any way
            raise Failed([Diagnostic("E501", f"Word 模板无法渲染：{exc}", self.where,
                                     hint="检查模板中的 {{ }} 和 {%p %} 标记")]) from None
        # docxtpl's {{r …}} leaves empty runs without properties around the inserted ones.
        if "></w:t></w:r>" in xml:
            xml = EMPTY_RUN.sub("", xml)
        if not any(mark in xml for mark in "\n\t\a\f"):
            return xml  # nothing for docxtpl's listing pass to turn into breaks or tabs
        return DocxTemplate.resolve_listing(None, xml)  # type: ignore[arg-type]

    def render(self, context: dict[str, Any], parts: Sequence[Part] = (),
               body_filter: Callable[[str], str] | None = None, hint: str = "",
               late_parts: Callable[[], Sequence[Part]] | None = None) -> Rendered:
        """Render one document from plain data, adding parts its body refers to (pictures);
        raises Failed on a template error (hint: the names a template of this kind may
        use, for E502). body_filter, if given, rewrites the rendered body before it is
        packed; late_parts then gives the parts that rewrite refers to."""
        rendered = {name: self._render_part(name, context, hint) for name in self.templates}
        body = rendered[BODY_PART]
        if body_filter is not None:
            body = body_filter(body)
        if late_parts is not None:
            parts = [*parts, *late_parts()]
        rendered[BODY_PART] = self.prefix + body + self.suffix
        declared = with_parts(self.package, parts) if parts else {}
        return Rendered(self._pack(rendered, declared, parts), inner_body(body))

    def _pack(self, rendered: dict[str, str], declared: dict[str, bytes] | None = None,
              parts: Sequence[Part] = ()) -> bytes:
        """The package: rendered and re-declared parts (each checked to parse before it is
        packed), the static ones, and the added parts (pictures); inside a build's
        `stamping`, the properties that say whose document it is (render/stamp.py)."""
        declared = dict(declared or {})
        extra: list[Entry] = []
        packed: dict[str, Entry] = {}
        for name, xml in rendered.items():
            payload, utf8 = _encoded(xml)
            check_xml(name, payload, self.where, utf8=utf8)
            packed[name] = deflate(name, payload)
        fixed = dict(self.static)
        stamp = STAMP.get()
        if stamp is not None and PACKAGE_RELS in self.package:
            body = packed[BODY_PART]  # its checksum and size are the digest: no hashing
            custom, declarations = stamp_parts(self.package, declared, body.crc, body.size,
                                               stamp)
            if declarations:  # pictures re-declared the content types: per document
                declared.update(declarations)
            else:  # the same for every document of this template: deflated once
                fixed.update(self._stamp_declarations())
            if CUSTOM_PART in self.static:
                declared[CUSTOM_PART] = custom  # the template's own, ours added: checked below
            else:
                extra.append(_stamp_entry(custom, self.where))
        entries = []
        for name in self.order:
            if name in packed:
                entries.append(packed[name])
            elif name in declared:
                payload = declared.pop(name)
                check_xml(name, payload, self.where)
                entries.append(deflate(name, payload))
            else:
                entries.append(fixed[name])
        for name, payload in declared.items():  # a new part: rels, properties
            check_xml(name, payload, self.where)
            entries.append(deflate(name, payload))
        entries += extra
        entries += [deflate(part.name, part.data) for part in parts]
        return assemble(entries)

    def _stamp_declarations(self) -> dict[str, Entry]:
        """[Content_Types].xml and _rels/.rels declaring the properties part, checked and
        deflated once per template."""
        if self._declarations is None:
            made = declarations(self.package, {})
            for name, payload in made.items():
                check_xml(name, payload, self.where)
            self._declarations = {name: deflate(name, payload) for name, payload in made.items()}
        return self._declarations

    def style_id(self, name: str) -> str:
        """The id of a style named name (Word shows names; the XML refers to ids)."""
        for ident, style in self.styles.items():
            if style == name:
                return ident
        return name

    def with_body(self, content: str, context: dict[str, Any], hint: str = "") -> bytes:
        """A document of this template's styles and page setup with the given body content,
        for documents built paragraph by paragraph (the tracked-changes redline); the
        template's other parts (properties, footers) are rendered with context."""
        body = f"<w:body>{content}{self.section}</w:body>"
        rendered = {name: self._render_part(name, context, hint) for name in self.templates
                    if name != BODY_PART}
        rendered[BODY_PART] = self.prefix + body + self.suffix
        return self._pack(rendered)

    def adopt(self, body: str, styles: dict[str, str]) -> str:
        """Another template's body, its style references mapped to this template by name."""
        by_name = {name: ident for ident, name in self.styles.items()}

        def swap(match: re.Match[str]) -> str:
            name = styles.get(match.group(2))
            ident = by_name.get(name, match.group(2)) if name else match.group(2)
            return f"{match.group(1)}{ident}{match.group(3)}"

        return STYLE_REF.sub(swap, body)


def _stamp_entry(custom: bytes, where: Location) -> Entry:
    """The properties part, stored. It is a constant skeleton around escaped values, so
    what a parse could find wrong in it is a character XML refuses in a value: looked for
    instead of parsing the part (which took longer than the rest of the stamp); found, the
    part goes through check_xml, which says where (E508)."""
    if XML_REFUSED.search(custom.decode("utf-8", "surrogatepass")):
        check_xml(CUSTOM_PART, custom, where)
    return stored(CUSTOM_PART, custom)


def _encoded(xml: str) -> tuple[bytes, bool]:
    """A rendered part's bytes, and whether they are known to be UTF-8: a lone surrogate
    from a template is encoded as it is, for check_xml to refuse."""
    try:
        return xml.encode("utf-8"), True
    except UnicodeEncodeError:
        return xml.encode("utf-8", "surrogatepass"), False


def inner_body(body: str) -> str:
    """The content of a rendered <w:body>: its children without the section properties."""
    start = body.index(">", body.index("<w:body")) + 1
    end = body.rindex("</w:body>")
    content = body[start:end]
    section = content.rfind("<w:sectPr")
    return content[:section] if section >= 0 else content


def style_ids(styles_xml: bytes) -> dict[str, str]:
    """Style id -> style name, from a styles part."""
    text = styles_xml.decode("utf-8", "replace")
    found = {}
    for match in re.finditer(r'<w:style [^>]*w:styleId="([^"]+)"[^>]*>.*?<w:name w:val="([^"]+)"',
                             text, re.S):
        found[match.group(1)] = match.group(2)
    return found


_CACHE: dict[tuple[Path, int, int], CompiledTemplate] = {}


def compiled(path: Path) -> CompiledTemplate:
    """The compiled template for a path, reused while the file is unchanged (so a build
    compiles each template once, before it forks its workers)."""
    stat = path.stat()
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in _CACHE:
        _CACHE[key] = CompiledTemplate(path)
    return _CACHE[key]
