"""Scratch folders that a killed qingdan does not leave behind for ever.

Every temporary folder qingdan makes for LibreOffice and its conversions is named
`qingdan-<kind>-<pid>-<random>` in the system's temporary folder and holds `.owner`, a
file its process keeps locked (flock) while the folder is in use. The kernel drops the
lock when the process dies, however it dies, so the next qingdan that makes a scratch
folder removes every folder whose lock it can take: a folder of a live process is never
touched, whatever its age. The folder may list, in `.sockets`, the sockets a LibreOffice
started there opens in /tmp; they go with it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no sweeping, folders are still removed when done
    fcntl = None  # type: ignore[assignment]

PREFIX = "qingdan-"
KINDS = ("office", "pdf", "proof", "import", "serve")
OWNER = ".owner"
SOCKETS = ".sockets"

_held: dict[str, int] = {}  # folder -> the descriptor holding its lock
_lock = threading.Lock()
_swept = False


def make(kind: str) -> Path:
    """A new scratch folder of this process, locked as its own."""
    sweep()
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{kind}-{os.getpid()}-"))
    if fcntl is not None:
        # Locked under a temporary name, then renamed: a sweeper never sees an unlocked
        # .owner of a live folder.
        claim = folder / ".owner-new"
        fd = os.open(claim, os.O_CREAT | os.O_WRONLY | os.O_CLOEXEC, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.rename(claim, folder / OWNER)
        with _lock:
            _held[str(folder)] = fd
    return folder


def remove(folder: Path) -> None:
    """Remove a scratch folder of this process, and the sockets it lists."""
    _remove_sockets(folder)
    shutil.rmtree(folder, ignore_errors=True)
    with _lock:
        fd = _held.pop(str(folder), None)
    if fd is not None:
        os.close(fd)


@contextlib.contextmanager
def folder(kind: str) -> Iterator[Path]:
    """A scratch folder for the block, removed after it."""
    made = make(kind)
    try:
        yield made
    finally:
        remove(made)


def note_sockets(folder: Path, sockets: list[Path]) -> None:
    """Record sockets that belong with the folder (a killed soffice leaves them)."""
    (folder / SOCKETS).write_text("".join(f"{s}\n" for s in sockets), "utf-8")


def _remove_sockets(folder: Path) -> None:
    with contextlib.suppress(OSError):
        for line in (folder / SOCKETS).read_text("utf-8").splitlines():
            socket = Path(line)
            if socket.name.startswith("OSL_PIPE_") and socket.is_socket():
                socket.unlink()


def sweep(root: Path | None = None) -> list[Path]:
    """Remove the scratch folders of qingdan processes that have ended (once a process,
    unless root is given); the folders removed."""
    global _swept
    if fcntl is None or (root is None and _swept):
        return []
    _swept = root is None or _swept
    base = root or Path(tempfile.gettempdir())
    removed = []
    with contextlib.suppress(OSError):
        for entry in base.iterdir():
            kind = entry.name[len(PREFIX):].split("-", 1)[0]
            if not entry.name.startswith(PREFIX) or kind not in KINDS:
                continue
            if _stale(entry):
                _remove_sockets(entry)
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    return removed


def _stale(entry: Path) -> bool:
    """Whether the folder's owner has ended: its lock can be taken."""
    assert fcntl is not None
    if str(entry) in _held or entry.is_symlink() or not entry.is_dir():
        return False
    try:
        fd = os.open(entry / OWNER, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return False  # not ours, or being made
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)
