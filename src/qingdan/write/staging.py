"""Every write qingdan makes to the disk, all or nothing, and the disk as it was when a run
fails, is interrupted (Ctrl-C) or terminated (SIGTERM).

Two shapes, one discipline:

- `Staging(folder)`: files written into a folder that may hold others (a build's documents,
  the scoring workbooks, the PDFs, a CSV, sources rewritten as the user asked). Each file
  is staged beside its target as `.NAME.XXXXXXXX.tmp`, and all are renamed into place
  only when every one is staged. `write_all` is the short way to use it.
- `NewFolder(target)`: a folder that must not exist yet (an imported project, next year's
  edition), built whole under a hidden sibling name and renamed into place in one step,
  so no half project ever stands under its name.

Both take the folder's lock (only one qingdan writes a folder at a time, E416), sweep what
a killed run left there, remove everything they made when leaving without commit (an
error, Ctrl-C, SIGTERM), never write through a link (E411), report a name taken by a file
or folder of another kind (E413), and turn an operating-system error into a located
diagnostic (E412, E414, E415) instead of a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from types import TracebackType

from ..diagnostics import Diagnostic, Failed, Location
from ..paths import display_path
from .files import (
    MARKER,
    NOFOLLOW,
    fit_name,
    holds,
    new_file_mode,
    overwrite,
    refuse_link,
    reserve,
    sweep,
    sweep_folders,
    sync_file_system,
    sync_folder,
    temporary_beside,
)
from .interrupts import holding_interrupts, terminable

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; concurrent runs are the user's lookout
    fcntl = None  # type: ignore[assignment]

NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
NO_ACCESS = {errno.EACCES, errno.EPERM, errno.EROFS}
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


def stage(target: Path, data: bytes, mode: int | None = None) -> Path | None:
    """A temporary beside target holding data, or None when target already holds it.
    Raises OSError for a link (ELOOP) or a folder (EISDIR) in target's place."""
    status = refuse_link(target)
    if status is not None and not stat.S_ISREG(status.st_mode):
        raise OSError(errno.EISDIR, "a folder or special file", str(target))
    if status is not None and holds(target, data):
        return None
    return temporary_beside(target, data, mode=mode, sync=False)  # synced by commit()


def folder_problem(folder: Path) -> Diagnostic | None:
    """What stops a run writing into folder (a unit's), if anything."""
    try:
        status = refuse_link(folder)
    except OSError as exc:
        return os_problem(exc, folder)
    if status is not None and not stat.S_ISDIR(status.st_mode):
        return os_problem(OSError(errno.ENOTDIR, "a file", str(folder)), folder)
    return None


class _Lock:
    """An exclusive flock on a folder, E416 when another qingdan holds it."""

    def __init__(self) -> None:
        self.fd: int | None = None

    def take(self, folder: Path) -> None:
        if fcntl is None:
            return
        try:
            self.fd = os.open(folder, os.O_RDONLY)
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            self.release()
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise Failed([Diagnostic(
                    "E416", "输出文件夹正被另一个 qingdan 进程写入", Location(shown(folder)),
                    hint="等另一个运行结束后再试，或换一个输出文件夹")]) from None
            raise Failed([os_problem(exc, folder)]) from None

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _make_missing(folder: Path) -> list[Path]:
    """Create folder and its missing parents (the umask's mode); the ones created, deepest
    first, so a failed run can remove them again."""
    missing = []
    probe = folder.absolute()
    while not os.path.lexists(probe) and probe.parent != probe:
        missing.append(probe)
        probe = probe.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise Failed([os_problem(exc, folder)]) from None
    return missing


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:  # deepest first; only if left empty
        with contextlib.suppress(OSError):
            folder.rmdir()


class Staging:
    """Files written into one folder, every one or none; see the module docstring.

    Used as a context manager: on leaving without commit(), every temporary this run or
    its workers made in the folders it writes is removed, and every folder it created.
    """

    def __init__(self, out_dir: Path, writing: Iterable[str] = (), keeping: Iterable[str] = ()):
        """writing: the folders below out_dir this run writes (unit folders, "" for out_dir
        itself); keeping: those it leaves as they are (swept of stale temporaries all the
        same)."""
        self.out_dir = out_dir
        self.units = [out_dir / name for name in dict.fromkeys(writing) if name]
        self.kept = [out_dir / name for name in dict.fromkeys(keeping) if name]
        self.created: list[Path] = []
        self.temporaries: list[str | Path] = []  # names: thousands of them
        self.renames: list[tuple[str, str]] = []  # (final, staged)
        self.in_place: list[tuple[Path, bytes]] = []  # hard-linked sources (stage_source)
        self.committed = False
        self._lock = _Lock()
        self._signals = contextlib.ExitStack()

    def __enter__(self) -> Staging:
        self._signals.enter_context(terminable())
        try:
            self.created = _make_missing(self.out_dir)
            try:
                self._lock.take(self.out_dir)
            except BaseException:
                _remove_empty(self.created)  # and nothing else: the folder may be another run's
                raise
        except BaseException:
            self._signals.close()
            raise
        for folder in [self.out_dir, *self.units, *self.kept]:  # what killed runs left
            if folder_problem(folder) is None:
                sweep(folder)
        return self

    def check(self) -> list[Diagnostic]:
        """Links and clashes where the run's folders go; notes the new ones."""
        found = []
        for folder in self.units:
            problem = folder_problem(folder)
            if problem is not None:
                found.append(problem)
            elif not os.path.lexists(folder):
                self.created.insert(0, folder)
        return found

    def stage(self, target: Path, data: bytes, mode: int | None = None) -> Path | None:
        """Stage data for target (the umask's mode unless given); its temporary, or None
        when target already holds data. Raises Failed for a link, a clash, a full disk."""
        try:
            tmp = stage(target, data, mode)
        except OSError as exc:
            raise Failed([os_problem(exc, target)]) from None
        if tmp is not None:
            self.temporaries.append(tmp)
            self.renames.append((str(target), str(tmp)))
        return tmp

    def stage_source(self, file: Path, data: bytes) -> None:
        """Stage a source's new content as the user asked (fmt, new-year): through a
        symbolic link to its target, keeping the file's mode and owner; a file with
        several hard links is written in place at commit, so the links stay one file."""
        real = Path(os.path.realpath(file))
        try:
            status = os.stat(real)
            if holds(real, data):
                return
            if status.st_nlink > 1:
                self.in_place.append((real, data))
                return
            tmp = temporary_beside(real, data, mode=stat.S_IMODE(status.st_mode), sync=False)
        except OSError as exc:
            raise Failed([os_problem(exc, file)]) from None
        self.temporaries.append(tmp)
        if hasattr(os, "chown"):
            with contextlib.suppress(PermissionError):  # only root may give a file away
                os.chown(tmp, status.st_uid, status.st_gid)
        self.renames.append((str(real), str(tmp)))

    def commit(self, renames: Iterable[tuple[str, str]] = ()) -> None:
        """Flush the staged files to disk, then rename each into place (those staged here,
        then renames: the build's workers'), Ctrl-C and SIGTERM held off until the last;
        the renames are flushed after."""
        pending = [*self.renames, *renames]
        with holding_interrupts():
            try:
                folders = {Path(final).parent for final, _ in pending}
                folders |= {real.parent for real, _ in self.in_place}
                devices = {os.stat(folder).st_dev: folder for folder in folders}
                for folder in devices.values():  # one flush per file system
                    sync_file_system(folder)
                for real, data in self.in_place:  # the room for them, before any change
                    reserve(real, len(data))
                for final, staged in pending:
                    os.replace(staged, final)
                for real, data in self.in_place:
                    overwrite(real, data)
                for folder in devices.values():  # and the renames, as one flush again
                    sync_file_system(folder)
            except OSError as exc:
                raise Failed([os_problem(exc, self.out_dir)]) from None
            self.committed = True

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 trace: TracebackType | None) -> None:
        try:
            if not self.committed:
                with holding_interrupts():
                    self._clean()
        finally:
            self._lock.release()
            self._signals.close()

    def _clean(self) -> None:
        for tmp in self.temporaries:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        for folder in [self.out_dir, *self.units]:  # what workers wrote and never reported
            if folder_problem(folder) is None:
                sweep(folder)
        _remove_empty(self.created)


def write_all(out_dir: Path, outputs: Iterable[tuple[Path, bytes]]) -> set[Path]:
    """Write every file (each somewhere below out_dir) or none, through a Staging of
    out_dir; the targets that changed. Raises Failed with a located diagnostic."""
    outputs = list(outputs)
    base = out_dir.absolute()
    folders = {os.path.relpath(target.absolute().parent, base) for target, _ in outputs}
    with Staging(out_dir, sorted(f for f in folders if f != ".")) as staging:
        blocked = staging.check()
        if blocked:
            raise Failed(blocked)
        changed = {target for target, data in outputs if staging.stage(target, data)}
        staging.commit()
    return changed


class NewFolder:
    """A folder that must not exist yet, made whole; see the module docstring.

    The files are written into `.NAME.XXXXXXXX.tmp` beside the target, which holds a marker
    file and is locked while in use, so that a later run can tell a killed run's folder
    from anything of the user's and sweep it.
    """

    def __init__(self, target: Path):
        self.target = target
        self.parent = target.absolute().parent
        self.staged = self.parent  # set on entry
        self.created: list[Path] = []
        self.committed = False
        self._lock = _Lock()
        self._signals = contextlib.ExitStack()

    def __enter__(self) -> NewFolder:
        self._signals.enter_context(terminable())
        try:
            self.created = _make_missing(self.parent)
            sweep_folders(self.parent)
            self._refuse_taken()
            name = fit_name(self.target.name, 200)
            for _ in range(100):
                self.staged = self.parent / f".{name}.{secrets.token_hex(4)}.tmp"
                try:
                    os.mkdir(self.staged)  # the umask's mode, like every output folder
                    break
                except FileExistsError:
                    continue
            self._lock.take(self.staged)
            (self.staged / MARKER).touch()
        except OSError as exc:
            self.__exit__(None, None, None)
            raise Failed([os_problem(exc, self.target)]) from None
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def write(self, relative: str, data: bytes, mode: int | None = None) -> Path:
        """Create relative (a plain path below the folder) holding data, with mode (the
        umask's by default); the path it will have once committed."""
        parts = PurePosixPath(relative).parts
        if not parts or any(p in ("", ".", "..") or "\\" in p for p in parts) \
                or PurePosixPath(relative).is_absolute() or parts == (MARKER,):
            raise ValueError(f"{relative!r} leaves its folder")
        path = self.staged.joinpath(*parts)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, 0o600)
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(handle.fileno(), new_file_mode() if mode is None else mode)
                handle.write(data)
        except OSError as exc:
            raise Failed([os_problem(exc, self.target.joinpath(*parts))]) from None
        return self.target.absolute().joinpath(*parts)

    def commit(self) -> None:
        """Flush the files, then rename the folder into place (E413 if something took the
        name meanwhile)."""
        with holding_interrupts():
            try:
                sync_file_system(self.staged)
                self._refuse_taken()
                (self.staged / MARKER).unlink()
                os.rename(self.staged, self.target)
                sync_folder(self.parent)
            except OSError as exc:
                raise Failed([os_problem(exc, self.target)]) from None
            self.committed = True

    def _refuse_taken(self) -> None:
        if os.path.lexists(self.target):
            raise OSError(errno.EEXIST, "exists", str(self.target))

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 trace: TracebackType | None) -> None:
        try:
            if not self.committed:
                with holding_interrupts():
                    if self.staged != self.parent:
                        shutil.rmtree(self.staged, ignore_errors=True)
                    _remove_empty(self.created)
        finally:
            self._lock.release()
            self._signals.close()
