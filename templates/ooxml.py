"""The package around the document: the parts python-docx's skeleton gets wrong, rewritten.

python-docx saves from a default package made on a Mac with Word 2010: a font table that
names Times New Roman, Calibri and ＭＳ 明朝 but none of the Chinese faces, settings in
compatibility mode 14 with a Japanese theme language, a theme, a stale
stylesWithEffects.xml, a bibliography customXml item, list styles with numbering, and
extended properties that claim "Microsoft Macintosh Word". `clean_package` keeps only what
the templates use and writes the rest here, so a clerk's Word and WPS find a substitute for
every font (altName, charset 86 = GB2312, panose) and open the file without 兼容模式.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
WORD_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# The faces the templates name, with what Word writes for them on a Chinese Windows:
# the alternative name used when the face is missing (stock Windows has 仿宋 and 楷体 but
# not the _GB2312 faces, and no 方正 face at all), the PANOSE class, the family and pitch,
# and the Unicode/code-page signature (GB2312, charset 86).
FONTS = (
    ("仿宋_GB2312", "仿宋", "02010609030101010101", "modern", "fixed",
     ("00000001", "080E0000", "00000010", "00000000", "00040000", "00000000")),
    ("方正小标宋简体", "宋体", "02000000000000000000", "auto", "variable",
     ("00000001", "08000000", "00000000", "00000000", "00040000", "00000000")),
    ("黑体", "SimHei", "02010609060101010101", "modern", "fixed",
     ("800002BF", "38CF7CFA", "00000016", "00000000", "00040001", "00000000")),
    ("楷体_GB2312", "楷体", "02010609030101010101", "modern", "fixed",
     ("00000001", "080E0000", "00000010", "00000000", "00040000", "00000000")),
    ("宋体", "SimSun", "02010600030101010101", "auto", "variable",
     ("00000003", "288F0000", "00000016", "00000000", "00040001", "00000000")),
)

XML_HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"


def font_table() -> bytes:
    """word/fontTable.xml naming every face the templates use."""
    entries = []
    for name, alt, panose, family, pitch, sig in FONTS:
        usb0, usb1, usb2, usb3, csb0, csb1 = sig
        entries.append(
            f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/>'
            f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/>'
            f'<w:sig w:usb0="{usb0}" w:usb1="{usb1}" w:usb2="{usb2}" w:usb3="{usb3}" '
            f'w:csb0="{csb0}" w:csb1="{csb1}"/></w:font>')
    return (XML_HEAD + f'<w:fonts xmlns:w="{W}">' + "".join(entries) + "</w:fonts>").encode()


def settings() -> bytes:
    """word/settings.xml: odd/even footers, no punctuation compression, Word 2013+ layout
    (compatibilityMode 15, so Word does not open the file in 兼容模式), Chinese theme fonts."""
    compat = "".join(
        f'<w:compatSetting w:name="{name}" w:uri="http://schemas.microsoft.com/office/word" '
        f'w:val="{value}"/>'
        for name, value in (("compatibilityMode", "15"),
                            ("overrideTableStyleFontSizeAndJustification", "1"),
                            ("enableOpenTypeFeatures", "1"), ("doNotFlipMirrorIndents", "1"),
                            ("differentiateMultirowTableHeaders", "1")))
    return (XML_HEAD + f'<w:settings xmlns:w="{W}">'
            '<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>'
            '<w:evenAndOddHeaders/><w:characterSpacingControl w:val="doNotCompress"/>'
            f"<w:compat><w:useFELayout/>{compat}</w:compat>"
            '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
            '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>'
            "</w:settings>").encode()


def app_properties() -> bytes:
    """docProps/app.xml: which program made the file, and nothing it cannot know (pages,
    words and editing time depend on the application that lays the document out)."""
    return (XML_HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
            '2006/extended-properties"><Application>qingdan</Application>'
            "<DocSecurity>0</DocSecurity></Properties>").encode()


def core_properties() -> bytes:
    """docProps/core.xml: the title (filled in per document) and the program that wrote it
    last; no dates, since a document's dates are its 成文日期, not its build time."""
    return (XML_HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
            'package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            "<dc:title>{{ title }}</dc:title><cp:lastModifiedBy>qingdan</cp:lastModifiedBy>"
            "</cp:coreProperties>").encode()


def theme() -> bytes:
    """word/theme/theme1.xml: a plain theme whose East Asian fonts are the GB/T 9704 faces.
    No style uses theme fonts; the part is there because validators and some readers
    expect the main document to have one."""
    colors = "".join(
        f"<a:{name}><a:srgbClr val=\"{value}\"/></a:{name}>" for name, value in (
            ("dk1", "000000"), ("lt1", "FFFFFF"), ("dk2", "1F1F1F"), ("lt2", "EEEEEE"),
            ("accent1", "C00000"), ("accent2", "1F4E79"), ("accent3", "548235"),
            ("accent4", "BF8F00"), ("accent5", "7030A0"), ("accent6", "2E75B6"),
            ("hlink", "0563C1"), ("folHlink", "954F72")))

    def fonts(kind: str, east: str) -> str:
        return (f'<a:{kind}><a:latin typeface="Times New Roman"/><a:ea typeface="{east}"/>'
                f'<a:cs typeface=""/><a:font script="Hans" typeface="{east}"/></a:{kind}>')

    solid = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = f'<a:ln w="6350">{solid}</a:ln>'
    return (XML_HEAD + '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
            ' name="qingdan"><a:themeElements>'
            f'<a:clrScheme name="qingdan">{colors}</a:clrScheme>'
            f'<a:fontScheme name="qingdan">{fonts("majorFont", "方正小标宋简体")}'
            f'{fonts("minorFont", "仿宋_GB2312")}</a:fontScheme>'
            f'<a:fmtScheme name="qingdan"><a:fillStyleLst>{solid * 3}</a:fillStyleLst>'
            f"<a:lnStyleLst>{line * 3}</a:lnStyleLst>"
            f"<a:effectStyleLst>{'<a:effectStyle><a:effectLst/></a:effectStyle>' * 3}"
            f"</a:effectStyleLst><a:bgFillStyleLst>{solid * 3}</a:bgFillStyleLst>"
            "</a:fmtScheme></a:themeElements></a:theme>").encode()


REPLACED = {"word/fontTable.xml": font_table, "word/settings.xml": settings,
            "word/theme/theme1.xml": theme,
            "docProps/app.xml": app_properties, "docProps/core.xml": core_properties}
DROPPED_PREFIXES = ("customXml/", "docProps/thumbnail")
DROPPED = {"word/stylesWithEffects.xml", "word/webSettings.xml"}
CONTENT_TYPES = {
    "word/document.xml":
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "word/styles.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
    "word/settings.xml":
        "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
    "word/fontTable.xml":
        "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml",
    "word/theme/theme1.xml": "application/vnd.openxmlformats-officedocument.theme+xml",
    "word/numbering.xml":
        "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
    "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    "docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
}
FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
HEADER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"




def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# Built-in styles every template keeps: the defaults, and Table Grid (tables of any kind
# may be embedded in a notice).
KEPT_BUILT_IN = {"Normal", "Default Paragraph Font", "Normal Table", "No List", "Table Grid"}


def prune_styles(styles: bytes, keep: set[str]) -> bytes:
    """Keep the styles named in keep (qingdan's own: a notice embeds documents that use the
    other templates' styles), the built-ins above and what all those are based on; drop
    the latent-style table and the rest of python-docx's 160 built-in styles."""
    root = etree.fromstring(styles)
    by_id = {s.get(f"{{{W}}}styleId"): s for s in root.iter(f"{{{W}}}style")}
    wanted = {ident for ident, style in by_id.items()
              if style.find(f"{{{W}}}name") is not None
              and style.find(f"{{{W}}}name").get(f"{{{W}}}val") in keep | KEPT_BUILT_IN}
    pending = list(wanted)
    while pending:
        style = by_id.get(pending.pop())
        if style is None:
            continue
        for tag in ("basedOn", "next", "link"):
            ref = style.find(f"{{{W}}}{tag}")
            if ref is not None and ref.get(f"{{{W}}}val") not in wanted:
                wanted.add(ref.get(f"{{{W}}}val"))
                pending.append(ref.get(f"{{{W}}}val"))
    for ident, style in by_id.items():
        if ident not in wanted:
            root.remove(style)
    for latent in root.findall(f"{{{W}}}latentStyles"):
        root.remove(latent)
    # A kept style may still point at a dropped one through next/link: drop the pointer.
    for style in root.iter(f"{{{W}}}style"):
        for tag in ("next", "link"):
            ref = style.find(f"{{{W}}}{tag}")
            if ref is not None and ref.get(f"{{{W}}}val") not in wanted:
                style.remove(ref)
    return _serialise(root)


def _rels(data: bytes, base: str, present: set[str]) -> bytes:
    """A relationships part without the relationships whose target part is gone."""
    root = etree.fromstring(data)
    for rel in list(root):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        resolved = posixpath.normpath(posixpath.join(base, target)).lstrip("/")
        if resolved not in present:
            root.remove(rel)
    return _serialise(root)


def _content_types(present: list[str]) -> bytes:
    overrides = []
    for name in present:
        kind = CONTENT_TYPES.get(name)
        if kind is None and name.startswith("word/footer"):
            kind = FOOTER_TYPE
        if kind is None and name.startswith("word/header"):
            kind = HEADER_TYPE
        if kind:
            overrides.append(f'<Override PartName="/{name}" ContentType="{kind}"/>')
    return (XML_HEAD + f'<Types xmlns="{CT}">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(overrides) + "</Types>").encode()


def clean_package(data: bytes, styles: set[str]) -> bytes:
    """python-docx's saved package with only the parts the templates use, the foreign ones
    rewritten (see the module docstring), and only the named styles (and built-ins) kept;
    part order kept, zip times left to the caller."""
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: source.read(name) for name in source.namelist()}
    for name in list(parts):
        if name in DROPPED or name.startswith(DROPPED_PREFIXES):
            del parts[name]
    parts.update({name: make() for name, make in REPLACED.items()})
    parts["word/styles.xml"] = prune_styles(parts["word/styles.xml"], styles)
    if not any(b"<w:numPr" in parts[n] for n in ("word/styles.xml", "word/document.xml")):
        parts.pop("word/numbering.xml", None)
    present = set(parts)
    for name in list(parts):
        if name.endswith(".rels"):
            folder = posixpath.dirname(posixpath.dirname(name))
            parts[name] = _rels(parts[name], folder, present)
    parts["[Content_Types].xml"] = _content_types(list(parts))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in ["[Content_Types].xml", *(n for n in source.namelist() if n in parts
                                               and n != "[Content_Types].xml")]:
            target.writestr(name, parts[name])
    return out.getvalue()
