"""Ctrl-C and SIGTERM: both end a run the same way, through every clean-up on the way out.

SIGINT raises KeyboardInterrupt (Python's own handler). While `terminable()` is in effect,
SIGTERM raises `Terminated`, a KeyboardInterrupt, so every `with` block and `finally` that
cleans up after Ctrl-C (temporaries, staged folders, LibreOffice, scratch folders) does so
after a `kill` too, and the CLI says so and exits 143. `holding_interrupts()` keeps both
out of a short, must-finish step (the renames, the clean-up) and delivers them after it.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

PR_SET_PDEATHSIG = 1  # linux/prctl.h
HELD = (signal.SIGINT, signal.SIGTERM)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised as Ctrl-C is, so that every clean-up runs."""


def _terminated(number: int, frame: FrameType | None) -> None:
    raise Terminated


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def terminable() -> Iterator[None]:
    """Within: SIGTERM raises Terminated in the main thread, unless the process already
    handles or ignores it (then that stays)."""
    if not _main_thread() or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return
    signal.signal(signal.SIGTERM, _terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextlib.contextmanager
def holding_interrupts() -> Iterator[None]:
    """Run a short, must-finish step (renames, clean-up) without Ctrl-C or SIGTERM cutting
    it short; a signal that arrives meanwhile is delivered, to the handler it would have
    met, when the step ends."""
    if not _main_thread():
        yield
        return
    caught: list[int] = []

    def hold(number: int, frame: FrameType | None) -> None:
        caught.append(number)

    previous = {number: signal.signal(number, hold) for number in HELD}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    for arrived in dict.fromkeys(caught):
        signal.raise_signal(arrived)


def quiet_worker(parent: int) -> None:
    """Set up a forked build worker: Ctrl-C is the parent's to handle (it stops the pool
    and cleans up), SIGTERM (how the pool stops a worker) ends it at once, and on Linux the
    worker dies with its parent, so a killed build leaves no worker writing on, and no
    BrokenPipe tracebacks."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
