"""Starting a LibreOffice worker so that it has no network and dies with qingdan.

- No network: on Linux, where unprivileged user namespaces are allowed, the worker runs
  under `unshare --net --map-root-user`: a network namespace of its own with only a
  loopback interface that is down, so not even 127.0.0.1 answers. Where that is not
  possible (no unshare, namespaces disabled, another system) the worker starts as it is,
  silently: the profile's settings (profile.py) still block what they block.
- Dies with its parent: every level qingdan starts asks the kernel for SIGKILL when its
  parent dies (PR_SET_PDEATHSIG): the bridge, and the soffice.bin the bridge starts
  directly (not through the oosplash wrapper, which would be a level that outlives it).
  The kernel counts the *thread* that started a process as its parent, so workers are
  started by one long-lived thread (`_Spawner`), never by the pool's short-lived ones.
  The bridge also ends LibreOffice when its standard input closes, and each worker runs
  in a process group of its own that qingdan kills as a whole.
"""

from __future__ import annotations

import functools
import os
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any


@functools.lru_cache(maxsize=1)
def isolation() -> tuple[str, ...]:
    """The command prefix that takes the network away, or () where it cannot be done."""
    if not sys.platform.startswith("linux"):
        return ()
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    prefix = (unshare, "--net", "--map-root-user")
    try:
        done = subprocess.run([*prefix, "true"], capture_output=True, timeout=30,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return ()
    return prefix if done.returncode == 0 else ()


def uid(isolate: bool) -> int:
    """The user id LibreOffice sees (it names its sockets after it)."""
    return 0 if isolate and isolation() else os.getuid()


class _Spawner:
    """One thread that starts every worker process, and lives as long as qingdan."""

    def __init__(self) -> None:
        self.requests: queue.Queue[tuple[Callable[[], Any], Future[Any]]] = queue.Queue()
        threading.Thread(target=self._run, name="qingdan-office-spawner", daemon=True).start()

    def _run(self) -> None:
        while True:
            start, done = self.requests.get()
            try:
                done.set_result(start())
            except BaseException as error:  # handed to the caller
                done.set_exception(error)

    def call(self, start: Callable[[], Any]) -> Any:
        done: Future[Any] = Future()
        self.requests.put((start, done))
        return done.result()


_SPAWNER: list[_Spawner] = []
_SPAWNER_LOCK = threading.Lock()


def popen(command: list[str], env: dict[str, str], isolate: bool = True) -> subprocess.Popen[str]:
    """Start a worker: without network where possible (isolate False: with it, for the
    tests that show what the profile's settings block on their own), in a process group
    of its own, from the spawner thread (so PR_SET_PDEATHSIG, which the bridge sets on
    itself, ties it to qingdan rather than to a thread that may end)."""
    with _SPAWNER_LOCK:
        if not _SPAWNER:
            _SPAWNER.append(_Spawner())
    full = [*(isolation() if isolate else ()), *command]

    def start() -> subprocess.Popen[str]:
        return subprocess.Popen(
            full, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, encoding="utf-8", start_new_session=True, env=env)

    process: subprocess.Popen[str] = _SPAWNER[0].call(start)
    return process
