"""proof's font check: every face a PDF prints in place of one its document names (W960).

Where a document's GB face (仿宋_GB2312, 方正小标宋简体, …) is not installed, LibreOffice
prints an open face of the font profile (office/fonts.py) instead. The pages then hold
the right lines but not the face the office sends out, so each substitution seen in a PDF
is a warning that names the face to install, once for all documents.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from ..diagnostics import Diagnostic, Location
from ..office import fonts

HINT = ("正式印发前请在本机安装{face}（字体文件放入 ~/.local/share/fonts 或 /usr/local/share/"
        "fonts 后执行 fc-cache -f；Windows 中右键字体文件选“安装”），安装后 PDF 自动改用它；"
        "见 docs/PDF与校对.md“字体”")


def _requested(docx: bytes) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        parts = [archive.read(n) for n in archive.namelist()
                 if n.startswith("word/") and n.endswith(".xml")]
    return fonts.docx_fonts(parts)


def substitutions(documents: Iterable[tuple[bytes, Path]], where: Location,
                  accepted: bool = False) -> tuple[list[Diagnostic], list[str]]:
    """W960 for every face the documents name that their PDFs print in another face; when
    the project accepts the open faces (printing: {fonts: open}), a note for each instead.
    A face no document named is a warning either way."""
    seen: dict[tuple[str, str], int] = {}
    strangers: dict[str, int] = {}
    for docx, pdf in documents:
        asked = _requested(docx)
        printed = fonts.pdf_fonts(pdf.read_bytes())
        for family in printed - asked:
            faces = [f for f in fonts.stands_for(family)
                     if {f.name, *f.aliases} & asked]
            for face in faces:
                key = (face.name, family)
                seen[key] = seen.get(key, 0) + 1
            if not faces and not fonts.face(family):
                strangers[family] = strangers.get(family, 0) + 1
    notes = [f"字体“{face}”没有安装，PDF 中以“{family}”代替（{count} 份 PDF）"
             for (face, family), count in sorted(seen.items())]
    found = [] if accepted else [
        Diagnostic("W960", f"文档所用的{note}", where,
                   HINT.format(face=face))
        for note, (face, _) in zip(notes, sorted(seen), strict=True)]
    found += [Diagnostic("W960", f"PDF 中用了文档没有指定的字体“{family}”（{count} 份 PDF）",
                         where, "文档中有些字不在所用字体（或其替代字体）之中，多为特殊符号，"
                         "LibreOffice 改用了别的字体：核对这些字在 PDF 中的样子；替代字体没有"
                         "装全时执行 bash scripts/install-fonts.sh")
              for family, count in sorted(strangers.items())]
    return found, notes if accepted else []
