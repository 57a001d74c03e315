"""Page images of documents as LibreOffice lays them out, made in the background.

The HTML view is shown at once; when LibreOffice is installed, the .docx is converted to
PDF and pdftoppm turns each page into a PNG, on one worker thread, newest request first.
Results are kept in memory by the digest of the .docx, so an unchanged document is never
converted twice and nothing is written beside the project. `docx_to_pdf` is the one place
that calls LibreOffice: a long-lived converter can replace it without touching the rest.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DPI = 110  # an A4 page 909 px wide: sharp at the page's on-screen size
KEEP = 40  # documents whose images stay in memory
TIMEOUT = 180  # seconds for one conversion


def soffice() -> str | None:
    """LibreOffice's command, when it is installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    """Whether page images can be made here (LibreOffice and poppler's pdftoppm)."""
    return soffice() is not None and shutil.which("pdftoppm") is not None


def docx_to_pdf(data: bytes, profile: Path) -> bytes:
    """The .docx as a PDF, by LibreOffice in its own profile folder."""
    command = soffice()
    if command is None:
        raise RuntimeError("LibreOffice is not installed")
    with tempfile.TemporaryDirectory(prefix="qingdan-serve-pdf-") as work:
        source = Path(work) / "document.docx"
        source.write_bytes(data)
        _run([command, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
              "--convert-to", "pdf", "--outdir", work, str(source)],
             env={**os.environ, "HOME": str(profile)})
        return (Path(work) / "document.pdf").read_bytes()


_RUNNING: set[subprocess.Popen[bytes]] = set()


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    """Run a converter, remembered so that stopping the preview can end it."""
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env) as process:
        _RUNNING.add(process)
        try:
            _, err = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        finally:
            _RUNNING.discard(process)
        if process.returncode != 0:
            raise RuntimeError(err.decode("utf-8", "replace").strip()[-300:]
                               or f"exit code {process.returncode}")


def stop_converters() -> None:
    """End the conversions this process started that are still running."""
    for process in list(_RUNNING):
        process.terminate()


def pdf_to_pngs(pdf: bytes, dpi: int = DPI) -> list[bytes]:
    """Every page of a PDF as a PNG."""
    with tempfile.TemporaryDirectory(prefix="qingdan-serve-png-") as work:
        source = Path(work) / "document.pdf"
        source.write_bytes(pdf)
        _run(["pdftoppm", "-png", "-r", str(dpi), str(source), str(Path(work) / "p")])
        pages = sorted(Path(work).glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        return [p.read_bytes() for p in pages]


@dataclass(frozen=True)
class Images:
    """One document's pages: PNGs and the PDF they came from (or why there are none)."""

    pdf: bytes = b""
    pngs: tuple[bytes, ...] = ()
    error: str = ""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


class PageImages:
    """Converts documents on one background thread and keeps the results by content."""

    def __init__(self, on_ready: Callable[[str], None],
                 convert: Callable[[bytes, Path], bytes] = docx_to_pdf):
        self.on_ready = on_ready  # called on the worker thread with the digest
        self.convert = convert
        self.enabled = available()
        self._done: OrderedDict[str, Images] = OrderedDict()
        self._queue: OrderedDict[str, bytes] = OrderedDict()
        self._wake = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._profile = tempfile.TemporaryDirectory(prefix="qingdan-serve-office-",
                                                    ignore_cleanup_errors=True)

    def status(self, data: bytes) -> tuple[str, Images | None]:
        """("ready", images), ("pending", None), or ("off", None) without LibreOffice."""
        if not self.enabled:
            return "off", None
        key = digest(data)
        with self._wake:
            if key in self._done:
                self._done.move_to_end(key)
                return "ready", self._done[key]
            self._queue[key] = data
            self._queue.move_to_end(key)  # the page asked for last is converted first
            self._start()
            self._wake.notify()
        return "pending", None

    def get(self, key: str) -> Images | None:
        with self._wake:
            return self._done.get(key)

    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="qingdan-pages",
                                            daemon=True)
            self._thread.start()

    def _work(self) -> None:
        while True:
            with self._wake:
                while not self._queue and not self._stopping:
                    self._wake.wait()
                if self._stopping:
                    return
                key, data = self._queue.popitem(last=True)
            images = self._make(data)
            with self._wake:
                self._done[key] = images
                while len(self._done) > KEEP:
                    self._done.popitem(last=False)
            if not self._stopping:
                self.on_ready(key)

    def _make(self, data: bytes) -> Images:
        try:
            pdf = self.convert(data, Path(self._profile.name))
            return Images(pdf=pdf, pngs=tuple(pdf_to_pngs(pdf)))
        except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
            return Images(error=f"LibreOffice 未能排版：{exc}")

    def close(self) -> None:
        """Stop the worker; a conversion under way finishes (bounded by its timeout)."""
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        stop_converters()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._profile.cleanup()
