""".docx -> PDF through LibreOffice, one long-lived worker per core for a whole batch.

Each worker is `unobridge.py` run by a Python that can `import uno`; it starts its own
soffice (headless, a private profile in a temporary folder, listening on a named pipe that
only this user can open) and converts on request. A worker that dies or hangs is killed
with its soffice and started again, and the document is tried once more.

LibreOffice's PDFs differ from run to run (a creation date, a random document ID, and a
per-process counter inside embedded Type 1 fonts); `normalise` removes those, so the same
.docx gives the same bytes.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ..diagnostics import Diagnostic, Failed, Location

BRIDGE = Path(__file__).with_name("unobridge.py")
ENV_SOFFICE = "QINGDAN_SOFFICE"  # the soffice program to use
ENV_PYTHON = "QINGDAN_UNO_PYTHON"  # a Python that can import uno
ENV_TIMEOUT = "QINGDAN_PDF_TIMEOUT"  # seconds one document may take
TIMEOUT = 120.0
START_TIMEOUT = 90.0
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

    soffice: str
    python: str

    @functools.cached_property
    def identity(self) -> str:
        """Changes when LibreOffice is upgraded or qingdan's PDF code changes."""
        digest = hashlib.sha256()
        program = Path(os.path.realpath(self.soffice))
        for file in (program, program.with_name("soffice.bin"), BRIDGE, Path(__file__)):
            with contextlib.suppress(OSError):
                stat = file.stat()
                digest.update(f"{file}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        digest.update(BRIDGE.read_bytes() + Path(__file__).read_bytes())
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


def find_office() -> Office:
    """The LibreOffice to convert with; raises OfficeError (E421) with the install command."""
    return _find(os.environ.get(ENV_SOFFICE, ""), os.environ.get(ENV_PYTHON, ""))


@functools.lru_cache(maxsize=8)
def _find(soffice_given: str, python_given: str) -> Office:
    if soffice_given:
        if not Path(soffice_given).is_file():
            raise OfficeError("E421", f"找不到 LibreOffice：环境变量 {ENV_SOFFICE} 所指的"
                              f"“{soffice_given}”不存在，无法生成 PDF", INSTALL_HINT)
        soffice = soffice_given
    else:
        found = _candidates()
        if not found:
            raise OfficeError("E421", "找不到 LibreOffice（soffice），无法生成 PDF",
                              f"{INSTALL_HINT}；已安装在别处时，用环境变量 {ENV_SOFFICE} "
                              "指出 soffice 的位置")
        soffice = found[0]
    pythons = [python_given] if python_given else _pythons(soffice)
    for python in pythons:
        if _imports_uno(python):
            return Office(soffice, python)
    raise OfficeError("E421", "找到了 LibreOffice，但找不到能调用它的 Python 接口（uno），"
                      "无法生成 PDF",
                      "Debian、Ubuntu 执行 sudo apt-get install python3-uno；"
                      f"也可用环境变量 {ENV_PYTHON} 指出能 import uno 的 Python")


def require_office(where: Location) -> Office:
    """find_office, with a missing LibreOffice reported at where (raises Failed)."""
    try:
        return find_office()
    except OfficeError as error:
        raise Failed([Diagnostic(error.code, error.message, where, error.hint)]) from None


T = TypeVar("T")


def reported(where: Location, call: Callable[..., T], *args: Any) -> T:
    """call(*args), with LibreOffice failing to start reported at where (raises Failed)."""
    try:
        return call(*args)
    except OfficeError as error:
        raise Failed([Diagnostic(error.code, error.message, where, error.hint)]) from None


def timeout() -> float:
    """Seconds one document may take before its worker is restarted."""
    try:
        return max(float(os.environ.get(ENV_TIMEOUT, TIMEOUT)), 0.001)
    except ValueError:
        return TIMEOUT


def _running(group: int) -> bool:
    """Whether a process of the group is still running (zombies aside: where nothing reaps
    orphans, they stay). Without /proc, whether the group exists at all."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(group, 0)
        except OSError:
            return False
        return True
    for stat in proc.glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group and fields[0] != "Z":
                return True
    return False


class _Dead(Exception):
    """The worker stopped answering or its LibreOffice died."""


class _Worker:
    """One bridge process and the soffice it started, in their own process group."""

    def __init__(self, office: Office):
        self.profile = tempfile.mkdtemp(prefix="qingdan-office-")
        self.pipe = f"qingdan-{os.getpid()}-{uuid.uuid4().hex[:16]}"
        self.process = subprocess.Popen(
            [office.python, str(BRIDGE), office.soffice, self.pipe, self.profile],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, encoding="utf-8", start_new_session=True)
        self.answers: queue.Queue[dict[str, Any] | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        ready = self._answer(START_TIMEOUT)
        if not ready or not ready.get("ready"):
            self.kill()
            why = ready.get("error", "") if ready else "没有应答"
            raise OfficeError("E424", f"LibreOffice 无法启动：{why}",
                              f"确认 LibreOffice 能正常运行；{INSTALL_HINT}")
        self.office_pid = int(ready["pid"])

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with contextlib.suppress(ValueError):
                self.answers.put(json.loads(line))
        self.answers.put(None)  # the bridge exited

    def _answer(self, wait: float) -> dict[str, Any] | None:
        try:
            return self.answers.get(timeout=wait)
        except queue.Empty:
            return None

    def convert(self, src: Path, dst: Path, wait: float) -> str | None:
        """None when dst was written, else LibreOffice's error; raises _Dead."""
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps({"src": str(src), "dst": str(dst)}) + "\n")
            self.process.stdin.flush()
        except OSError as error:
            raise _Dead(str(error)) from error
        answer = self._answer(wait)
        if answer is None:
            raise _Dead("超时" if self.process.poll() is None else "进程退出")
        if answer.get("ok"):
            return None
        if answer.get("fatal"):
            raise _Dead(str(answer.get("error")))
        return str(answer.get("error"))

    def stop(self) -> None:
        """Let LibreOffice quit cleanly (end of input), then make sure it did."""
        with contextlib.suppress(OSError):
            if self.process.stdin:
                self.process.stdin.close()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
        self.kill()

    def kill(self) -> None:
        """End the bridge and its soffice (the process group this worker started), then
        remove the profile and the sockets a killed soffice leaves behind."""
        if sys.platform != "win32":
            with contextlib.suppress(OSError):
                os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        if sys.platform != "win32":
            deadline = time.monotonic() + 5
            while _running(self.process.pid) and time.monotonic() < deadline:
                time.sleep(0.05)  # until soffice.bin has gone too
            for socket in self._sockets():
                with contextlib.suppress(OSError):
                    if socket.is_socket():
                        socket.unlink()
        shutil.rmtree(self.profile, ignore_errors=True)

    def _sockets(self) -> list[Path]:
        """Where LibreOffice puts its sockets: the UNO pipe, and the single-instance pipe
        named after an MD5 of the profile's URL (UTF-16, bytes as unpadded hex)."""
        url = Path(self.profile).as_uri()
        digest = hashlib.md5(url.encode("utf-16-le"), usedforsecurity=False).digest()
        ipc = "SingleOfficeIPC_" + "".join(format(b, "x") for b in digest)
        return [Path(root, f"OSL_PIPE_{os.getuid()}_{name}")
                for root in ("/tmp", "/var/tmp") for name in (self.pipe, ipc)]


@dataclass(frozen=True)
class Failure:
    """A document that could not be converted, even after a restart."""

    src: Path
    error: str


class Converter:
    """A pool of LibreOffice workers, started on first use and kept for every batch."""

    def __init__(self, office: Office, workers: int | None = None):
        self.office = office
        self.size = max(1, workers or os.cpu_count() or 1)
        self.idle: list[_Worker] = []
        self.live: list[_Worker] = []  # every worker started and not yet stopped
        self.lock = threading.Lock()

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self.lock:
            workers, self.idle, self.live = self.idle, [], []
        for worker in workers:
            worker.stop()

    def _take(self) -> _Worker:
        with self.lock:
            if self.idle:
                return self.idle.pop()
        return self._start()

    def _start(self) -> _Worker:
        worker = _Worker(self.office)
        with self.lock:
            self.live.append(worker)
        return worker

    def _drop(self, worker: _Worker) -> None:
        worker.kill()
        with self.lock:
            if worker in self.live:
                self.live.remove(worker)

    def convert(self, jobs: list[tuple[Path, Path]],
                progress: Callable[[int], None] | None = None) -> list[Failure]:
        """Convert each (docx, pdf) pair, on as many workers as there are cores (at most
        one per document); written PDFs are normalised. Raises OfficeError when no worker
        can start at all."""
        todo: queue.Queue[tuple[Path, Path]] = queue.Queue()
        for job in jobs:
            todo.put(job)
        failures: list[Failure] = []
        start_errors: list[OfficeError] = []
        wait = timeout()

        def run() -> None:
            try:
                worker = self._take()
            except OfficeError as cannot:
                start_errors.append(cannot)
                return
            while True:
                try:
                    src, dst = todo.get_nowait()
                except queue.Empty:
                    break
                again, problem = self._one(worker, src, dst, wait)
                if problem is not None:
                    failures.append(Failure(src, problem))
                if progress:
                    progress(1)
                if again is None:
                    return
                worker = again
            with self.lock:
                self.idle.append(worker)

        threads = [threading.Thread(target=run) for _ in range(min(self.size, len(jobs)))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if not todo.empty() and start_errors:
            raise start_errors[0]
        return sorted(failures, key=lambda f: str(f.src))

    def _one(self, worker: _Worker, src: Path, dst: Path,
             wait: float) -> tuple[_Worker | None, str | None]:
        """Convert with a restart and one retry when the worker dies; (worker, error),
        worker None when it could not be started again."""
        for attempt in (1, 2):
            try:
                problem = worker.convert(src, dst, wait)
                if problem is None:
                    dst.write_bytes(normalise(dst.read_bytes()))
                return worker, problem
            except _Dead as dead:
                self._drop(worker)
                try:
                    worker = self._start()
                except OfficeError as error:
                    return None, error.message
                if attempt == 2:
                    return worker, f"LibreOffice 重启后仍然失败（{dead}）"
        raise AssertionError("unreachable")


_KEPT: list[Converter] = []


@contextlib.contextmanager
def converter(office: Office) -> Iterator[Converter]:
    """A converter for one command; the kept-open one when `kept_open` is active."""
    if _KEPT and _KEPT[-1].office == office:
        yield _KEPT[-1]
        return
    with Converter(office) as conv:
        yield conv


@contextlib.contextmanager
def kept_open(office: Office) -> Iterator[Converter]:
    """Keep one converter across commands run in this process (the tests start
    LibreOffice once this way)."""
    with Converter(office) as conv:
        _KEPT.append(conv)
        try:
            yield conv
        finally:
            _KEPT.remove(conv)


# --- byte-stable output -------------------------------------------------------------------

_EEXEC_KEY, _C1, _C2 = 55665, 52845, 22719
_UNIQUE_ID = re.compile(rb"/UniqueID \d+ def")


def _decrypt(data: bytes) -> bytes:
    r, out = _EEXEC_KEY, bytearray(len(data))
    for i, c in enumerate(data):
        out[i] = c ^ (r >> 8)
        r = ((c + r) * _C1 + _C2) & 0xFFFF
    return bytes(out)


def _encrypt(data: bytes) -> bytes:
    r, out = _EEXEC_KEY, bytearray(len(data))
    for i, p in enumerate(data):
        c = p ^ (r >> 8)
        out[i] = c
        r = ((c + r) * _C1 + _C2) & 0xFFFF
    return bytes(out)


def _fixed_id(match: re.Match[bytes]) -> bytes:
    """The same UniqueID for every font, with as many digits (lengths stay the same)."""
    digits = len(match.group()) - len(b"/UniqueID  def")
    return b"/UniqueID 4" + b"0" * (digits - 1) + b" def"


def _stable_type1(data: bytes, clear: int, secret: int) -> bytes:
    """A Type 1 font file with LibreOffice's per-process UniqueID counter set to one value,
    in the clear part and inside the eexec-encrypted part."""
    head, body, tail = data[:clear], data[clear:clear + secret], data[clear + secret:]
    plain = _decrypt(body)
    fixed = _UNIQUE_ID.sub(_fixed_id, plain)
    body = body if fixed == plain else _encrypt(fixed)
    return _UNIQUE_ID.sub(_fixed_id, head) + body + tail


def normalise(data: bytes) -> bytes:
    """LibreOffice's PDF without what changes between runs: the creation date, the
    document ID (made from the content instead) and Type 1 fonts' UniqueID counter."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and "/Length2" in obj and "/Length1" in obj:
                font = obj.read_bytes()
                stable = _stable_type1(font, int(obj.Length1), int(obj.Length2))
                if stable != font:
                    obj.write(zlib.compress(stable, 6), filter=pikepdf.Name.FlateDecode)
        for key in ("/CreationDate", "/ModDate"):
            if key in pdf.docinfo:
                del pdf.docinfo[key]
        for key in ("/ID", "/DocChecksum"):
            if key in pdf.trailer:
                del pdf.trailer[key]
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()
