"""A build's stay in its output folder: checks before writing, the lock, the temporaries,
and leaving the disk as it was when the build fails or is interrupted.

The output folder may hold links and files of the user's; a link is never written
through (E411), a name already taken by a file or folder of another kind is reported
(E413), and an operating-system error while writing becomes a located diagnostic (E412,
E414, E415) instead of a traceback. Only one qingdan writes a folder at a time (E416).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import signal
import stat
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType

from .diagnostics import Diagnostic, Failed, Location
from .load import display_path
from .writer import (
    holds,
    refuse_link,
    sweep,
    sync_file_system,
    temporary_beside,
)

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; concurrent builds are the user's lookout
    fcntl = None  # type: ignore[assignment]

NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
NO_ACCESS = {errno.EACCES, errno.EPERM, errno.EROFS}
PR_SET_PDEATHSIG = 1  # linux/prctl.h
CLASH = {errno.EEXIST, errno.EISDIR, errno.ENOTDIR, errno.ENOTEMPTY}


def os_problem(exc: OSError, where: Path) -> Diagnostic:
    """A located diagnostic for an operating-system error met while writing where."""
    at = Location(shown(Path(exc.filename) if exc.filename else where))
    if exc.errno == errno.ELOOP:
        return Diagnostic("E411", "输出位置是符号链接，qingdan 不会经由链接写入", at,
                          hint="删除该链接，或把输出文件夹（-o）直接指向要写入的位置")
    if exc.errno == errno.ENAMETOOLONG:
        return Diagnostic("E412", "输出路径过长，超出了文件系统的限制", at,
                          hint="把输出文件夹（-o）放在较短的路径下，或缩短单位名称、标题")
    if exc.errno in CLASH:
        return Diagnostic("E413", "输出位置已有同名的文件或文件夹", at,
                          hint="移走或改名该文件（文件夹），或换一个输出文件夹")
    if exc.errno in NO_SPACE:
        return Diagnostic("E415", "磁盘空间不足（或超出了磁盘配额）", at,
                          hint="清理磁盘后重新生成；已有的文件没有改动")
    if exc.errno == errno.EROFS:
        reason = "所在的文件系统是只读的"
    elif exc.errno in NO_ACCESS:
        reason = "没有写入权限"
    else:
        reason = f"系统错误 {errno.errorcode.get(exc.errno or 0, exc.errno)}"
    return Diagnostic("E414", f"无法写入输出文件夹：{reason}", at,
                      hint="检查输出文件夹的权限，或换一个输出文件夹")


def shown(path: Path) -> str:
    """A path as the user should see it, a link named as itself, not as its target."""
    path = Path(os.path.abspath(path))
    return str(Path(display_path(path.parent)) / path.name)


def stage(target: Path, data: bytes) -> Path | None:
    """A temporary beside target holding data, or None when target already holds it.
    Raises OSError for a link (ELOOP) or a folder (EISDIR) in target's place."""
    status = refuse_link(target)
    if status is not None and not stat.S_ISREG(status.st_mode):
        raise OSError(errno.EISDIR, "a folder or special file", str(target))
    if status is not None and holds(target, data):
        return None
    return temporary_beside(target, data, sync=False)  # synced at once by commit()


def folder_problem(folder: Path) -> Diagnostic | None:
    """What stops a build writing into folder (a unit's), if anything."""
    try:
        status = refuse_link(folder)
    except OSError as exc:
        return os_problem(exc, folder)
    if status is not None and not stat.S_ISDIR(status.st_mode):
        return os_problem(OSError(errno.ENOTDIR, "a file", str(folder)), folder)
    return None


class Staging:
    """The output folder for one build; see the module docstring.

    Used as a context manager: on leaving without commit(), every temporary this build or
    its workers made in the folders it writes is removed, and every folder it created.
    """

    def __init__(self, out_dir: Path, writing: Iterable[str], keeping: Iterable[str] = ()):
        """writing: the unit folders this build writes; keeping: those it leaves as they
        are (swept of stale temporaries all the same)."""
        self.out_dir = out_dir
        self.units = [out_dir / name for name in dict.fromkeys(writing) if name]
        self.kept = [out_dir / name for name in dict.fromkeys(keeping) if name]
        self.created: list[Path] = []
        self.temporaries: list[str | Path] = []  # names: thousands of them
        self.committed = False
        self._lock: int | None = None

    def __enter__(self) -> Staging:
        missing = []
        probe = self.out_dir.absolute()
        while not os.path.lexists(probe) and probe.parent != probe:
            missing.append(probe)
            probe = probe.parent
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise Failed([os_problem(exc, self.out_dir)]) from None
        self.created = missing  # deepest first
        try:
            self._take_lock()
        except BaseException:
            self._remove_created()  # and nothing else: the folder may be another run's
            raise
        for folder in [self.out_dir, *self.units, *self.kept]:  # what killed runs left
            if folder_problem(folder) is None:
                sweep(folder)
        return self

    def check(self) -> list[Diagnostic]:
        """Links and clashes where the build's unit folders go; notes the new ones."""
        found = []
        for folder in self.units:
            problem = folder_problem(folder)
            if problem is not None:
                found.append(problem)
            elif not os.path.lexists(folder):
                self.created.insert(0, folder)
        return found

    def commit(self, renames: list[tuple[str, str]]) -> None:
        """Flush the staged files to disk, then rename each into place, Ctrl-C held off
        until the last rename; the renames are flushed after."""
        with _holding_interrupts():
            try:
                folders = {Path(final).parent for final, _ in renames}
                devices = {os.stat(folder).st_dev: folder for folder in folders}
                for folder in devices.values():  # one flush per file system
                    sync_file_system(folder)
                for final, staged in renames:
                    os.replace(staged, final)
                for folder in devices.values():  # and the renames, as one flush again
                    sync_file_system(folder)
            except OSError as exc:
                raise Failed([os_problem(exc, self.out_dir)]) from None
            self.committed = True

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 trace: TracebackType | None) -> None:
        try:
            if not self.committed:
                with _holding_interrupts():
                    self._clean()
        finally:
            if self._lock is not None:
                os.close(self._lock)

    def _clean(self) -> None:
        for tmp in self.temporaries:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        for folder in [self.out_dir, *self.units]:  # what workers wrote and never reported
            if folder_problem(folder) is None:
                sweep(folder)
        self._remove_created()

    def _remove_created(self) -> None:
        for folder in self.created:  # deepest first; only if left empty
            with contextlib.suppress(OSError):
                folder.rmdir()

    def _take_lock(self) -> None:
        if fcntl is None:
            return
        try:
            self._lock = os.open(self.out_dir, os.O_RDONLY)
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if self._lock is not None:
                os.close(self._lock)
                self._lock = None
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise Failed([Diagnostic(
                    "E416", "输出文件夹正被另一个 qingdan 进程写入",
                    Location(shown(self.out_dir)),
                    hint="等另一个生成结束后再运行，或换一个输出文件夹")]) from None
            raise Failed([os_problem(exc, self.out_dir)]) from None


@contextlib.contextmanager
def _holding_interrupts() -> Iterator[None]:
    """Run a short, must-finish step (renames, clean-up) without Ctrl-C cutting it short;
    an interrupt that arrives meanwhile is delivered when the step ends."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def quiet_worker(parent: int) -> None:
    """Set up a forked build worker: Ctrl-C is the parent's to handle (it stops the pool
    and cleans up), and on Linux the worker dies with its parent, so a killed build
    leaves no worker writing on, and no BrokenPipe tracebacks."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
