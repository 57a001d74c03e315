""".docx -> PDF (and old formats -> .docx) through LibreOffice: one long-lived worker per
core for a whole batch.

Each worker is `bridge.py` run by a Python that can `import uno`, started by launch.py
(no network, dies with qingdan) in a scratch folder of its own (scratch.py) that holds the
private profile (profile.py: no links loaded, the font profile) and LibreOffice's
temporary files. A worker that dies or hangs is killed with its soffice and started
again, and the document is tried once more. Every PDF is made byte-stable (pdfnorm.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import launch, profile, scratch
from .find import BRIDGE, INSTALL_HINT, Office, OfficeError
from .pdfnorm import normalise

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

    def __init__(self, office: Office, settings: tuple[str, ...] = profile.ALL,
                 isolate: bool = True):
        self.folder = scratch.make("office")
        self.pipe = f"qingdan-{os.getpid()}-{uuid.uuid4().hex[:16]}"
        user, fonts = profile.write(self.folder, settings)
        scratch.note_sockets(self.folder, profile.sockets(user, self.pipe, launch.uid(isolate)))
        (self.folder / "tmp").mkdir()
        env = {**os.environ, "FONTCONFIG_FILE": str(fonts), "SAL_ENABLE_FILE_LOCKING": "1",
               "TMPDIR": str(self.folder / "tmp")}
        self.process = launch.popen(
            [office.python, str(BRIDGE), office.program, self.pipe, str(user),
             str(os.getpid())], env, isolate)
        self.answers: queue.Queue[dict[str, Any] | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.office_pid = 0

    def wait_ready(self) -> None:
        """Wait for LibreOffice to answer; raises OfficeError (E424), the worker killed."""
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

    def convert(self, job: Job, wait: float) -> str | None:
        """None when the job's dst was written, else LibreOffice's error; raises _Dead."""
        assert self.process.stdin is not None
        request = {"src": str(job.src), "dst": str(job.dst), "load": job.load,
                   "store": job.store, "pdf": job.store == PDF, "pictures": job.pictures}
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
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
        scratch.remove(self.folder)  # with the sockets a killed soffice leaves behind


PDF = "writer_pdf_Export"
DOCX = "MS Word 2007 XML"


@dataclass(frozen=True)
class Job:
    """One conversion: src read with the import filter load ("" lets LibreOffice detect
    it), dst written with the export filter store; pictures False removes every picture
    first (for the importer, which reads text only: a linked one is then never loaded)."""

    src: Path
    dst: Path
    load: str = DOCX
    store: str = PDF
    pictures: bool = True


@dataclass(frozen=True)
class Failure:
    """A document that could not be converted, even after a restart."""

    src: Path
    error: str


class Converter:
    """A pool of LibreOffice workers, started on first use and kept for every batch."""

    def __init__(self, office: Office, workers: int | None = None,
                 settings: tuple[str, ...] = profile.ALL, isolate: bool = True):
        """settings and isolate: every layer of protection unless a test asks for less."""
        self.office = office
        self.settings, self.isolate = settings, isolate
        self.size = max(1, workers or os.cpu_count() or 1)
        self.idle: list[_Worker] = []
        self.live: list[_Worker] = []  # every worker started and not yet stopped
        self.lock = threading.Lock()
        self.closed = False

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the idle workers; kill those still converting (an interrupted batch), whose
        threads then find the pool closed and end."""
        with self.lock:
            self.closed = True
            idle, busy = self.idle, [w for w in self.live if w not in self.idle]
            self.idle, self.live = [], []
        for worker in busy:
            worker.kill()
        for worker in idle:
            worker.stop()

    def _take(self) -> _Worker:
        with self.lock:
            if self.idle:
                return self.idle.pop()
        return self._start()

    def _start(self) -> _Worker:
        """A new worker, known to the pool from the moment its process exists, so that
        closing the pool (an interrupt) ends it even while it is starting."""
        if self.closed:
            raise OfficeError("E424", "LibreOffice 已停止", "")
        worker = _Worker(self.office, self.settings, self.isolate)
        with self.lock:
            closed = self.closed
            if not closed:
                self.live.append(worker)
        if closed:
            worker.kill()
            raise OfficeError("E424", "LibreOffice 已停止", "")
        try:
            worker.wait_ready()
        except OfficeError:
            with self.lock:
                if worker in self.live:
                    self.live.remove(worker)
            raise
        return worker

    def _drop(self, worker: _Worker) -> None:
        worker.kill()
        with self.lock:
            if worker in self.live:
                self.live.remove(worker)

    def convert(self, jobs: list[tuple[Path, Path]] | list[Job],
                progress: Callable[[int], None] | None = None) -> list[Failure]:
        """Convert each job (a (docx, pdf) pair is a Job to PDF), on as many workers as
        there are cores (at most one per document); written PDFs are normalised. Raises
        OfficeError when no worker can start at all."""
        todo: queue.Queue[Job] = queue.Queue()
        for job in jobs:
            todo.put(job if isinstance(job, Job) else Job(*job))
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
                    job = todo.get_nowait()
                except queue.Empty:
                    break
                try:
                    again, problem = self._one(worker, job, wait)
                except Exception as error:  # never lose a document with its thread
                    self._drop(worker)
                    failures.append(Failure(job.src, f"{type(error).__name__}: {error}"))
                    return
                if problem is not None:
                    failures.append(Failure(job.src, problem))
                if progress:
                    progress(1)
                if again is None:
                    return
                worker = again
            with self.lock:
                keep = not self.closed
                if keep:
                    self.idle.append(worker)
            if not keep:
                worker.kill()

        threads = [threading.Thread(target=run) for _ in range(min(self.size, len(jobs)))]
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                thread.join()
        except BaseException:  # Ctrl-C (or SIGTERM): end every worker, wait for the threads
            self.close()  # (Python would not wait for a thread whose join was interrupted)
            for thread in threads:
                thread.join(timeout=60)
            raise
        if not todo.empty() and start_errors:
            raise start_errors[0]
        while not todo.empty():  # every worker gave up: what is left is not converted
            failures.append(Failure(todo.get_nowait().src, "LibreOffice 无法继续转换"))
        return sorted(failures, key=lambda f: str(f.src))

    def _one(self, worker: _Worker, job: Job,
             wait: float) -> tuple[_Worker | None, str | None]:
        """Convert with a restart and one retry when the worker dies; (worker, error),
        worker None when it could not be started again."""
        for attempt in (1, 2):
            try:
                problem = worker.convert(job, wait)
                if problem is None and job.store == PDF:
                    try:
                        job.dst.write_bytes(normalise(job.dst.read_bytes()))
                    except Exception as error:  # no file, or not a PDF pikepdf can read
                        problem = f"LibreOffice 生成的 PDF 无法读取（{error}）"
                elif problem is None and not job.dst.is_file():
                    problem = "LibreOffice 没有写出文件"
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

