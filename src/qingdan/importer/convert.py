"""Old Word (.doc) and WPS (.wps) files -> .docx bytes, through LibreOffice's converter.

Each conversion runs soffice headless in a private, throw-away profile (so it neither
touches nor waits for the user's own LibreOffice) on a copy with a plain name, inside a
temporary folder that is removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .read import failed

TIMEOUT = 180  # seconds for one conversion
INSTALL = "sudo apt-get install libreoffice-writer-nogui"


def find_soffice(given: str | None = None) -> str | None:
    """The LibreOffice program: the one given, else soffice or libreoffice on PATH."""
    if given:
        return shutil.which(given) or (given if Path(given).is_file() else None)
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(path: Path, display: str, soffice: str | None = None) -> bytes:
    """The file converted to .docx by LibreOffice; Failed (E434, E431) when it cannot be."""
    program = find_soffice(soffice)
    if program is None:
        where = f"“{soffice}”" if soffice else "LibreOffice（soffice）"
        raise failed("E434", f"读取 {path.suffix} 文件需要 LibreOffice，但找不到{where}",
                     display, f"安装 LibreOffice（Debian、Ubuntu：{INSTALL}；Windows、macOS："
                     "从 LibreOffice 官网安装），或在 Word、WPS 中把文件另存为 .docx 再导入")
    with tempfile.TemporaryDirectory(prefix="qingdan-import-") as scratch:
        folder = Path(scratch)
        source = folder / f"source{path.suffix.lower()}"
        shutil.copyfile(path, source)
        profile = folder / "profile"
        try:
            subprocess.run(
                [program, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                 "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir",
                 str(folder / "out"), str(source)],
                check=True, capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL,
                env={**os.environ, "HOME": str(folder)})
        except subprocess.TimeoutExpired:
            raise failed("E431", f"LibreOffice 转换超时（{TIMEOUT} 秒）", display,
                         "在 Word 或 WPS 中把文件另存为 .docx 再导入") from None
        except (subprocess.CalledProcessError, OSError) as exc:
            raise failed("E431", f"LibreOffice 无法转换这个文件：{exc}", display,
                         "文件可能已损坏；在 Word 或 WPS 中打开后另存为 .docx 再导入") from None
        result = folder / "out" / "source.docx"
        if not result.is_file():
            raise failed("E431", "LibreOffice 没有转换出 .docx（文件可能已损坏或不是 Word 文件）",
                         display, "在 Word 或 WPS 中打开后另存为 .docx 再导入")
        return result.read_bytes()
