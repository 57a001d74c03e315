"""The font profile: which open face prints where a document's GB face is not installed.

Documents name the faces offices have (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312,
宋体). Where one is missing, LibreOffice asks fontconfig for a substitute, and fontconfig's
own preferences gave Noto Sans CJK for everything: sans-serif body text, one face for
title, body and headings. The profile gives each face an ordered list of open faces of
the same style with Simplified Chinese glyphs, as a fontconfig file that LibreOffice reads
(FONTCONFIG_FILE); the real face, where installed, always wins, since LibreOffice asks
for a substitute only for a face it cannot find. Faces for other regions (Noto CJK JP, KR,
TC, HK; AR PL TW and HK) are rejected outright, so not even a missing glyph falls back to
them.

Fandol faces come first where there is one: LibreOffice 7.4 names an embedded Noto CJK
face after the collection's first font ("NotoSerifCJKjp-…") even when it printed the SC
face's glyphs, which makes a PDF's font list say Japanese. Noto's SC faces follow, as the
fallback for characters outside GB 2312.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from dataclasses import dataclass
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Face:
    """A face documents name, and the open faces that print in its place."""

    name: str
    aliases: tuple[str, ...]  # other names of the same face (Word's altName, English)
    substitutes: tuple[str, ...]  # open faces, best first
    bold: bool = False  # the substitutes' bold weight stands in (a heavy title face)


# The last substitute of each face is a Noto SC face: it also prints what the others lack
# (Fandol covers GB 2312 only).
PROFILE = (
    Face("仿宋_GB2312", ("仿宋", "FangSong_GB2312", "FangSong", "仿宋_GB18030"),
         ("FandolFang", "Noto Serif CJK SC")),
    Face("方正小标宋简体", ("方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "FZXiaoBiaoSong-B05",
                          "FZXBSJW--GB1-0"),
         ("FandolSong", "Noto Serif CJK SC"), bold=True),
    Face("黑体", ("SimHei", "黑体_GB2312"), ("FandolHei", "WenQuanYi Zen Hei", "Noto Sans CJK SC")),
    Face("楷体_GB2312", ("楷体", "KaiTi_GB2312", "KaiTi", "楷体_GB18030"),
         ("AR PL UKai CN", "LXGW WenKai", "FandolKai", "Noto Serif CJK SC")),
    Face("宋体", ("SimSun", "新宋体", "NSimSun"),
         ("FandolSong", "AR PL UMing CN", "Noto Serif CJK SC")),
)
# Faces with another region's glyph forms, never used.
REJECTED = tuple(
    [f"Noto {kind} CJK {region}" for kind in ("Sans", "Serif", "Sans Mono")
     for region in ("JP", "KR", "TC", "HK")]
    + [f"AR PL {face} {region}" for face in ("UKai", "UMing") for region in ("TW", "HK", "TW MBE")]
    + [f"Source Han {kind}{region}" for kind in ("Sans", "Serif")
       for region in ("", " JP", " K", " KR", " TC", " HC", " TW", " HK")])

# How the faces are named inside a PDF (the PostScript name, without the subset tag).
_PDF_NAMES = {
    "FandolFang": "FandolFang", "FandolSong": "FandolSong", "FandolHei": "FandolHei",
    "FandolKai": "FandolKai", "UKaiCN": "AR PL UKai CN", "LXGWWenKai": "LXGW WenKai",
    "UMingCN": "AR PL UMing CN", "WenQuanYiZenHei": "WenQuanYi Zen Hei",
    "NotoSerifCJK": "Noto Serif CJK SC", "NotoSansCJK": "Noto Sans CJK SC",
}


def face(name: str) -> Face | None:
    """The profile's face a document names (by any of its names)."""
    return next((f for f in PROFILE if name == f.name or name in f.aliases), None)


def fontconfig(include: str = "/etc/fonts/fonts.conf") -> str:
    """The fontconfig file LibreOffice reads: the system's configuration, then, for every
    name of every face, its substitutes bound as strongly as the name itself (else a font
    that merely covers the language would outrank them); the heavy faces' weight; the
    other regions' faces rejected."""
    out = ['<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
           "<fontconfig>", f'  <include ignore_missing="yes">{escape(include)}</include>']
    for entry in PROFILE:
        accept = "".join(f"<family>{escape(s)}</family>" for s in entry.substitutes)
        for name in (entry.name, *entry.aliases):
            out.append(f'  <alias binding="strong"><family>{escape(name)}</family>'
                       f"<accept>{accept}</accept></alias>")
            if entry.bold:
                out.append(f'  <match target="pattern"><test name="family"><string>'
                           f"{escape(name)}</string></test><edit name=\"weight\" "
                           'mode="assign" binding="strong"><const>bold</const></edit></match>')
    rejected = "".join(f'<pattern><patelt name="family"><string>{escape(name)}</string>'
                       "</patelt></pattern>" for name in REJECTED)
    out += [f"  <selectfont><rejectfont>{rejected}</rejectfont></selectfont>", "</fontconfig>"]
    return "\n".join(out) + "\n"


@functools.lru_cache(maxsize=1)
def installed() -> frozenset[str]:
    """Every family name fontconfig knows on this machine (empty without fc-list)."""
    program = shutil.which("fc-list")
    if program is None:
        return frozenset()
    try:
        listed = subprocess.run([program, "--format", "%{family}\n"], capture_output=True,
                                timeout=60, check=True).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(name.strip() for line in listed.splitlines() for name in line.split(","))


def substitute(entry: Face) -> str | None:
    """The first substitute of the face installed here, None when none is."""
    have = installed()
    return next((s for s in entry.substitutes if s in have), None)


def missing() -> list[Face]:
    """The faces of the profile not installed here under any of their names."""
    have = installed()
    return [f for f in PROFILE if not ({f.name, *f.aliases} & have)]


def pdf_family(name: str) -> str:
    """A PDF font's family as fontconfig names it, from its PostScript name
    ("BAAAAA+FandolFang-Regular" -> "FandolFang")."""
    base = re.sub(r"^[A-Z]{6}\+", "", name)
    for prefix, family in _PDF_NAMES.items():
        if base.startswith(prefix):
            return family
    return base.split("-")[0]


def stands_for(family: str) -> list[Face]:
    """The faces of the profile that family is a substitute for."""
    return [f for f in PROFILE if family in f.substitutes]


def identity() -> str:
    """What decides which face prints: the profile and the faces installed (so installing
    a licensed face makes every PDF again)."""
    have = installed()
    names = sorted({n for f in PROFILE for n in (f.name, *f.aliases, *f.substitutes)})
    return fontconfig() + "".join(f"{n}={n in have}\n" for n in names)


def pdf_fonts(data: bytes) -> set[str]:
    """The fonts a PDF embeds, as fontconfig families (what pdffonts lists, without the
    subset tag: "BAAAAA+FandolFang-Regular" -> "FandolFang")."""
    import io

    import pikepdf

    names: set[str] = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font" \
                    and "/BaseFont" in obj:
                names.add(pdf_family(str(obj.BaseFont).lstrip("/")))
    return names


_RFONTS = re.compile(rb"<w:rFonts\b[^>]*>")
_FONT_ATTR = re.compile(rb'w:(?:ascii|hAnsi|eastAsia|cs)="([^"]+)"')


def docx_fonts(parts: list[bytes]) -> set[str]:
    """The faces a .docx's parts (styles, document, headers, footers) name."""
    return {m.group(1).decode("utf-8", "replace") for part in parts
            for element in _RFONTS.finditer(part) for m in _FONT_ATTR.finditer(element.group())}
