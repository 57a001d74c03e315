"""Find LibreOffice and a Python that can drive it; report them missing in Chinese.

The one place that knows where LibreOffice is, for every command that uses it: `build
--pdf`, `proof`, `serve`'s page images and `import` of .doc, .wps and .odt files.
QINGDAN_SOFFICE names the program (import's --soffice too), QINGDAN_UNO_PYTHON the Python.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ..diagnostics import Diagnostic, Failed, Location
from . import profile

HERE = Path(__file__).parent
BRIDGE = HERE / "bridge.py"
# The code whose change means every PDF is made again.
PDF_CODE = [HERE / name for name in ("bridge.py", "pool.py", "profile.py", "fonts.py",
                                      "launch.py", "pdfnorm.py")]

ENV_SOFFICE = "QINGDAN_SOFFICE"  # the soffice program to use
ENV_PYTHON = "QINGDAN_UNO_PYTHON"  # a Python that can import uno
INSTALL_HINT = ("Debian、Ubuntu 执行 sudo apt-get install libreoffice-writer-nogui python3-uno；"
                "Windows、macOS 从 https://zh-cn.libreoffice.org 下载安装 LibreOffice")


class OfficeError(Exception):
    """LibreOffice is missing or unusable: a code, a Chinese message and a hint."""

    def __init__(self, code: str, message: str, hint: str):
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint


@dataclass(frozen=True)
class Office:
    """A LibreOffice installation and the Python that drives it."""

    soffice: str  # the program as given or found
    python: str

    @property
    def program(self) -> str:
        """What a worker starts: soffice.bin beside the soffice found (the wrapper
        scripts would be a process that outlives the worker), else the program itself."""
        real = Path(os.path.realpath(self.soffice))
        binary = real.with_name("soffice.bin")  # Linux and the BSDs; elsewhere as found
        return str(binary) if real.name == "soffice" and binary.is_file() else self.soffice

    @functools.cached_property
    def identity(self) -> str:
        """Changes when LibreOffice is upgraded, qingdan's PDF code or profile changes, or
        a face of the font profile is installed or removed."""
        digest = hashlib.sha256()
        program = Path(os.path.realpath(self.soffice))
        for file in (program, program.with_name("soffice.bin")):
            with contextlib.suppress(OSError):
                stat = file.stat()
                digest.update(f"{file}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        for code in PDF_CODE:
            digest.update(code.read_bytes())
        digest.update(profile.identity().encode())
        return digest.hexdigest()


def _candidates() -> list[str]:
    found = [shutil.which(name) for name in ("soffice", "libreoffice")]
    if sys.platform == "darwin":
        found.append("/Applications/LibreOffice.app/Contents/MacOS/soffice")
    elif sys.platform == "win32":
        for root in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
            if root:
                found.append(str(Path(root, "LibreOffice", "program", "soffice.exe")))
    return [f for f in found if f and Path(f).is_file()]


def _pythons(soffice: str) -> list[str]:
    """Pythons that may import uno: LibreOffice's own (Windows, macOS), then the system's."""
    program = Path(os.path.realpath(soffice)).parent
    own = [program / "python.exe", program / "python", program.parent / "Resources" / "python"]
    system = ["/usr/bin/python3", shutil.which("python3") or ""]
    return [str(p) for p in own if p.is_file()] + [p for p in system if p and Path(p).is_file()]


def _imports_uno(python: str) -> bool:
    try:
        return subprocess.run([python, "-c", "import uno"], capture_output=True,
                              timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def find_office(soffice: str | None = None) -> Office:
    """The LibreOffice to convert with (soffice: a program the user named, else
    QINGDAN_SOFFICE, else found); raises OfficeError (E421) with the install command."""
    given = soffice or os.environ.get(ENV_SOFFICE, "")
    if given and not Path(given).is_file():
        given = shutil.which(given) or given
    named = "--soffice 所指的" if soffice else f"环境变量 {ENV_SOFFICE} 所指的"
    return _find(given, os.environ.get(ENV_PYTHON, ""), named)


@functools.lru_cache(maxsize=8)
def _find(soffice_given: str, python_given: str, named: str) -> Office:
    if soffice_given:
        if not Path(soffice_given).is_file():
            raise OfficeError("E421", f"找不到 LibreOffice：{named}“{soffice_given}”不存在",
                              INSTALL_HINT)
        soffice = soffice_given
    else:
        found = _candidates()
        if not found:
            raise OfficeError("E421", "找不到 LibreOffice（soffice）",
                              f"{INSTALL_HINT}；已安装在别处时，用环境变量 {ENV_SOFFICE} "
                              "指出 soffice 的位置")
        soffice = found[0]
    pythons = [python_given] if python_given else _pythons(soffice)
    for python in pythons:
        if _imports_uno(python):
            return Office(soffice, python)
    raise OfficeError("E421", "找到了 LibreOffice，但找不到能调用它的 Python 接口（uno）",
                      "Debian、Ubuntu 执行 sudo apt-get install python3-uno；"
                      f"也可用环境变量 {ENV_PYTHON} 指出能 import uno 的 Python")


def require_office(where: Location, soffice: str | None = None) -> Office:
    """find_office, with a missing LibreOffice reported at where (raises Failed)."""
    try:
        return find_office(soffice)
    except OfficeError as error:
        raise Failed([Diagnostic(error.code, error.message, where, error.hint)]) from None


T = TypeVar("T")


def reported(where: Location, call: Callable[..., T], *args: Any) -> T:
    """call(*args), with LibreOffice failing to start reported at where (raises Failed)."""
    try:
        return call(*args)
    except OfficeError as error:
        raise Failed([Diagnostic(error.code, error.message, where, error.hint)]) from None
