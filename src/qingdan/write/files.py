"""The file-level half of writing (staging.py is the run-level half): safe names,
temporaries, flushing, reproducible zips.

The output folder is treated as untrusted ground: a name never leaves its folder, nothing
is read or written through a symbolic link below it, a temporary file is flushed to disk
before it is renamed into place, and new files get the mode the umask gives (not the
0600 of mkstemp). Temporaries are named `.NAME.XXXXXXXX.tmp`, so a later run can sweep
what a killed one left behind.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import hashlib
import io
import os
import re
import shutil
import stat
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks
    fcntl = None  # type: ignore[assignment]

# Names Windows refuses as file names, whatever the extension.
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
            *(f"LPT{i}" for i in range(1, 10))}
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
# File systems allow 255 bytes a name, and a Chinese character takes 3 in UTF-8. A name
# keeps room for ".docx", a "（12）" that tells two documents apart, and the temporary
# file's ".NAME.XXXXXXXX.tmp".
MAX_NAME_BYTES = 200
NAME_LIMIT = 255
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# What temporary_beside leaves when a run is killed before its rename: a document, a
# workbook, a PDF, a manifest, a CSV, or a source rewritten in place (fmt, new-year).
TEMPORARY = re.compile(r"^\.(.+\.(?:docx|json|pdf|xlsx|csv|yaml|yml))\.[a-z0-9_]{8}\.tmp$")
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
MARKER = ".qingdan-staging"  # inside a NewFolder's staged folder: the sweep's proof
STAGED = re.compile(r"^\..+\.[0-9a-f]{8}\.tmp$")  # a NewFolder's staged folder


def safe_filename(name: str) -> str:
    """A file name made from a title or unit name that cannot leave its folder."""
    name = unicodedata.normalize("NFC", name)
    name = UNSAFE.sub("_", name).strip().strip(".").strip()
    # Lone surrogates and other characters no file system can store in UTF-8.
    name = name.encode("utf-8", "replace").decode("utf-8")
    if not name or set(name) <= {"_", "."}:
        name = "未命名"
    if name.split(".")[0].upper() in RESERVED:
        name = f"_{name}"
    return fit_name(name)


def fit_name(name: str, limit: int = MAX_NAME_BYTES) -> str:
    """name, or its start and a short hash of the whole when it is longer than limit bytes,
    so two long titles that begin alike still get different names."""
    if len(name.encode("utf-8")) <= limit:
        return name
    tail = "…" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:6]
    room = limit - len(tail.encode("utf-8"))
    head = name.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip(" ._")
    return head + tail


def inside(folder: Path, name: str) -> Path:
    """folder/name for a single plain name; anything that could leave folder is refused."""
    if (not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name
            or Path(name).is_absolute()):
        raise ValueError(f"{name!r} escapes {folder}")
    return folder.absolute() / name


@functools.cache
def new_file_mode() -> int:
    """The mode a new file gets under the process's umask (0644 under umask 022)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def refuse_link(path: Path) -> os.stat_result | None:
    """path's own status (None if absent); raises OSError(ELOOP) if it is a symbolic link."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(status.st_mode):
        raise OSError(errno.ELOOP, "a symbolic link", str(path))
    return status


def holds(path: Path, data: bytes) -> bool:
    """Whether path is a regular file holding exactly data (never read through a link)."""
    status = refuse_link(path)
    if status is None or not stat.S_ISREG(status.st_mode) or status.st_size != len(data):
        return False
    fd = os.open(path, os.O_RDONLY | NOFOLLOW)
    with os.fdopen(fd, "rb") as handle:
        return handle.read(len(data) + 1) == data


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a .docx with fixed timestamps and modes, so equal content gives equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def _prefix(name: str) -> str:
    """The temporary's prefix for a file name, shortened if the name is near the limit."""
    return "." + fit_name(name, NAME_LIMIT - len(".XXXXXXXX.tmp") - 2) + "."


def temporary_beside(path: Path, data: bytes, mode: int | None = None,
                     sync: bool = True) -> Path:
    """Write data to a new temporary file next to path, to be renamed into place later.

    With sync, the data is on disk (fsync) when this returns; a caller writing many files
    passes False and calls sync_file_system once before renaming them. A failure leaves
    no temporary behind."""
    parent = path.parent
    parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=_prefix(path.name), suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), new_file_mode() if mode is None else mode)
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def sync_file_system(folder: Path) -> None:
    """Flush every file written on folder's file system: one syncfs (Linux) instead of an
    fsync for each of thousands of documents; elsewhere a sync of all file systems."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        os.sync()
        return
    try:
        if sys.platform.startswith("linux"):
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.syncfs(fd) == 0:
                return
        os.sync()
    finally:
        os.close(fd)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (the renames in it) to disk, where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the files themselves are synced
    finally:
        os.close(fd)


def sweep(folder: Path) -> int:
    """Remove the temporaries a killed run left in folder; returns how many."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if TEMPORARY.match(entry.name) and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
                removed += 1
            except OSError:
                pass
    return removed


def reserve(path: Path, size: int) -> None:
    """Make sure size bytes fit in path's file before it is rewritten in place."""
    status = os.stat(path)
    if hasattr(os, "posix_fallocate") and size > status.st_size:
        fd = os.open(path, os.O_WRONLY)
        try:
            os.posix_fallocate(fd, 0, size)
        finally:
            os.close(fd)


def overwrite(path: Path, data: bytes) -> None:
    """Write data over path's own inode (its hard links see it), flushed."""
    fd = os.open(path, os.O_WRONLY)
    try:
        done = 0
        while done < len(data):
            done += os.pwrite(fd, data[done:], done)
        os.ftruncate(fd, len(data))
        os.fsync(fd)
    finally:
        os.close(fd)


def sweep_folders(parent: Path) -> int:
    """Remove the staged folders killed runs left in parent (NewFolder's): a hidden
    `.NAME.XXXXXXXX.tmp` folder holding the marker, that no running qingdan holds locked."""
    removed = 0
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return 0
    for entry in entries:
        if not (STAGED.match(entry.name) and entry.is_dir(follow_symlinks=False)
                and os.path.isfile(os.path.join(entry.path, MARKER))):
            continue
        try:
            fd = os.open(entry.path, os.O_RDONLY)
        except OSError:
            continue
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # another run's, at work
        try:
            shutil.rmtree(entry.path, ignore_errors=True)
            removed += 1
        finally:
            os.close(fd)
    return removed
