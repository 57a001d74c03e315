"""A killed qingdan leaves no LibreOffice running and no folder behind (issue 23).

A real `qingdan build --pdf` runs as a subprocess with its own temporary folder (TMPDIR);
once its soffice.bin runs it is killed with SIGKILL (or SIGTERM), every process it had
started must be gone shortly after (a deadline guards against a hang, it is no timing
test), and the next run sweeps the folders the killed one could not remove.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLE, office_missing
from qingdan.office import scratch

needs_office = pytest.mark.skipif(
    office_missing() is not None or not sys.platform.startswith("linux"),
    reason=str(office_missing() or "needs Linux's /proc"))
QINGDAN = Path(sys.executable).with_name("qingdan")
DEADLINE = 60  # seconds: a hang guard, never reached when all is well


def children() -> dict[int, list[int]]:
    """Every running process's children, from /proc (zombies left out: they are dead)."""
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z":
            tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def descendants(pid: int) -> set[int]:
    tree, found, todo = children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    running = {p for kids in children().values() for p in kids}
    return pids & running


def command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def start_build(tmp_path: Path) -> tuple[subprocess.Popen[bytes], Path]:
    temp = tmp_path / "tmp"
    temp.mkdir(exist_ok=True)
    project = tmp_path / "project"
    if not project.exists():
        shutil.copytree(EXAMPLE, project)
    env = {**os.environ, "TMPDIR": str(temp)}
    process = subprocess.Popen([str(QINGDAN), "build", ".", "--pdf", "-o", "out"], cwd=project,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, temp


def wait_for_soffice(process: subprocess.Popen[bytes]) -> set[int]:
    """The processes of the build's tree once a soffice.bin runs among them."""
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        tree = descendants(process.pid)
        if any("soffice.bin" in command(p) for p in tree):
            return tree
        assert process.poll() is None, "the build ended before LibreOffice started"
        time.sleep(0.05)
    raise AssertionError("LibreOffice never started")


def wait_gone(pids: set[int]) -> set[int]:
    deadline = time.monotonic() + DEADLINE
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive(pids)


@needs_office
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["kill -9", "SIGTERM"])
def test_a_killed_build_leaves_no_libreoffice_and_no_folder(how, tmp_path):
    process, temp = start_build(tmp_path)
    tree = wait_for_soffice(process)
    assert any("bridge.py" in command(p) for p in tree)
    process.send_signal(how)
    code = process.wait(timeout=DEADLINE)
    assert code == (-signal.SIGKILL if how == signal.SIGKILL else 143)
    assert wait_gone(tree) == set(), [command(p) for p in alive(tree)]
    left = sorted(p.name for p in temp.iterdir())
    if how == signal.SIGTERM:  # handled as Ctrl-C: it cleaned up itself
        assert left == []
        return
    assert any(name.startswith(f"qingdan-office-{process.pid}-") for name in left), left
    # The next run sweeps what the killed one left, and leaves nothing of its own.
    again, _ = start_build(tmp_path)
    assert again.wait(timeout=600) == 0
    assert sorted(p.name for p in temp.iterdir()) == []


def test_the_sweep_spares_live_folders_and_others(tmp_path):
    """A folder whose owner is alive stays, whatever its age; a folder of another name or
    without the owner's lock is not qingdan's to remove."""
    mine = scratch.make("office")
    try:
        dead = tmp_path / "qingdan-office-999999-dead"
        dead.mkdir()
        (dead / scratch.OWNER).write_text("")  # nobody holds its lock
        unowned = tmp_path / "qingdan-office-1-unowned"
        unowned.mkdir()
        other = tmp_path / "qingdan-bench-1-other"
        other.mkdir()
        (other / scratch.OWNER).write_text("")
        live = tmp_path / mine.name
        shutil.copytree(mine, live)
        holder = subprocess.Popen(
            [sys.executable, "-c", "import fcntl, sys, time; f = open(sys.argv[1]); "
             "fcntl.flock(f, fcntl.LOCK_EX); print(flush=True); time.sleep(60)",
             str(live / scratch.OWNER)], stdout=subprocess.PIPE)
        assert holder.stdout is not None and holder.stdout.readline()
        try:
            assert scratch.sweep(tmp_path) == [dead]
        finally:
            holder.kill()
            holder.wait()
        assert unowned.exists() and other.exists() and live.exists()
        assert scratch.sweep(tmp_path) == [live]  # its owner has ended now
    finally:
        scratch.remove(mine)
    assert not mine.exists()
