""".docx -> PDF through LibreOffice, one long-lived worker per core for a whole batch.

Each worker is `unobridge.py` run by a Python that can `import uno`; it starts its own
soffice (headless, a private profile in a temporary folder, listening on a named pipe that
only this user can open) and converts on request. A worker that dies or hangs is killed
with its soffice and started again, and the document is tried once more. Every PDF is
made byte-stable (pdfnorm.py). Finding LibreOffice is office.py's.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .office import (
    BRIDGE,
    ENV_PYTHON,
    ENV_SOFFICE,
    INSTALL_HINT,
    Office,
    OfficeError,
    find_office,
    reported,
    require_office,
)
from .pdfnorm import normalise

__all__ = ["ENV_PYTHON", "ENV_SOFFICE", "ENV_TIMEOUT", "Converter", "Failure", "Office",
           "OfficeError", "converter", "find_office", "kept_open", "normalise", "reported",
           "require_office"]

ENV_TIMEOUT = "QINGDAN_PDF_TIMEOUT"  # seconds one document may take
TIMEOUT = 120.0
START_TIMEOUT = 90.0


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
                try:
                    again, problem = self._one(worker, src, dst, wait)
                except Exception as error:  # never lose a document with its thread
                    self._drop(worker)
                    failures.append(Failure(src, f"{type(error).__name__}: {error}"))
                    return
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
        while not todo.empty():  # every worker gave up: what is left is not converted
            failures.append(Failure(todo.get_nowait()[0], "LibreOffice 无法继续转换"))
        return sorted(failures, key=lambda f: str(f.src))

    def _one(self, worker: _Worker, src: Path, dst: Path,
             wait: float) -> tuple[_Worker | None, str | None]:
        """Convert with a restart and one retry when the worker dies; (worker, error),
        worker None when it could not be started again."""
        for attempt in (1, 2):
            try:
                problem = worker.convert(src, dst, wait)
                if problem is None:
                    try:
                        dst.write_bytes(normalise(dst.read_bytes()))
                    except Exception as error:  # no file, or not a PDF pikepdf can read
                        problem = f"LibreOffice 生成的 PDF 无法读取（{error}）"
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

