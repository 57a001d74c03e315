"""Page images of documents as LibreOffice lays them out, made in the background.

The HTML view is shown at once; when LibreOffice is installed, the .docx is converted to
PDF by the same converter as `build --pdf` (qingdan.office: the same profile, fonts and
Chinese-Latin spacing, so the images and the PDF download print as build's PDFs do) and
pdftoppm turns each page into a PNG, on one worker thread, newest request first. Results
are kept in memory by the digest of the .docx, so an unchanged document is never converted
twice and nothing is written beside the project.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from .. import office
from ..office import scratch

DPI = 110  # an A4 page 909 px wide: sharp at the page's on-screen size
KEEP = 40  # documents whose images stay in memory
TIMEOUT = 180  # seconds for pdftoppm


def available() -> bool:
    """Whether page images can be made here (LibreOffice and poppler's pdftoppm)."""
    try:
        office.find_office()
    except office.OfficeError:
        return False
    return shutil.which("pdftoppm") is not None


class Printer:
    """.docx bytes -> PDF bytes on one LibreOffice worker, started on first use and kept
    until close."""

    def __init__(self) -> None:
        self.converter: office.Converter | None = None
        self.closed = False
        self.lock = threading.Lock()

    def __call__(self, data: bytes) -> bytes:
        with self.lock:
            if self.closed:
                raise RuntimeError("预览已停止")
            if self.converter is None:
                self.converter = office.Converter(office.find_office(), workers=1)
            converter = self.converter
        with scratch.folder("serve") as work:
            source, target = work / "document.docx", work / "document.pdf"
            source.write_bytes(data)
            try:
                failures = converter.convert([(source, target)])
            except office.OfficeError as error:
                raise RuntimeError(error.message) from None
            if failures:
                raise RuntimeError(failures[0].error)
            return target.read_bytes()

    def close(self) -> None:
        with self.lock:
            self.closed = True
            converter, self.converter = self.converter, None
        if converter is not None:
            converter.close()


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
    with scratch.folder("serve") as work:
        source = work / "document.pdf"
        source.write_bytes(pdf)
        _run(["pdftoppm", "-png", "-r", str(dpi), str(source), str(work / "p")])
        pages = sorted(work.glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
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
                 convert: Callable[[bytes], bytes] | None = None):
        self.on_ready = on_ready  # called on the worker thread with the digest
        self.printer = Printer() if convert is None else None
        self.convert: Callable[[bytes], bytes] = convert or self.printer  # type: ignore[assignment]
        self.enabled = available()
        self._done: OrderedDict[str, Images] = OrderedDict()
        self._queue: OrderedDict[str, bytes] = OrderedDict()
        self._wake = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None

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
            pdf = self.convert(data)
            return Images(pdf=pdf, pngs=tuple(pdf_to_pngs(pdf)))
        except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
            return Images(error=f"LibreOffice 未能排版：{exc}")

    def close(self) -> None:
        """Stop the worker; a conversion under way finishes (bounded by its timeout)."""
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        stop_converters()
        if self.printer is not None:
            self.printer.close()  # ends a conversion under way with its worker
        if self._thread is not None:
            self._thread.join(timeout=5)
