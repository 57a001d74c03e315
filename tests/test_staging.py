"""Issues 23 and 26: one staging discipline for every command that writes.

sheets, score, build --pdf, diff, report, fmt, import and new-year write through
staging.py like build does: the folder's lock, the sweep of what a killed run left, every
file renamed into place only when all are staged, and the same clean-up on SIGTERM as on
Ctrl-C. Runs that must be killed half way are slowed down in a child process by a patch
of the staging step, so the moment is certain rather than raced.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLE, REPO, run_cli
from qingdan.write.staging import MARKER

SLOW = """
import sys, time
import qingdan.write.staging as staging
*owner, name = sys.argv[1].split(".")
holder = getattr(staging, owner[0]) if owner else staging
real = getattr(holder, name)
marker = sys.argv[2]
def slow(*args, **options):
    made = real(*args, **options)
    open(marker, "w").close()  # a temporary exists now
    time.sleep(60)
    return made
setattr(holder, name, slow)
sys.argv = ["qingdan", *sys.argv[3:]]
from qingdan.cli import run
run()
"""


def temporaries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.tmp")) if folder.exists() else []


def slowed(tmp_path: Path, patched: str, *args: str, cwd: Path = REPO) -> subprocess.Popen:
    """qingdan args in a child process whose `staging.<patched>` (a function, or a method
    as Class.name) stops for a minute after its first call; returns once that call is
    done."""
    marker = tmp_path / "staged"
    child = subprocess.Popen([sys.executable, "-c", SLOW, patched, str(marker), *args],
                             cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             start_new_session=True)
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return child


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """The shared text sample 000, copied: a child process gets only scratch files."""
    from test_import import SAMPLE

    copy = tmp_path / "来文.txt"
    shutil.copyfile(SAMPLE["000"], copy)
    return copy


def test_sheets_killed_leaves_temporaries_the_next_run_sweeps(project, tmp_path):
    out = tmp_path / "评分"
    child = slowed(tmp_path, "stage", "sheets", str(project), "-o", str(out))
    os.kill(child.pid, signal.SIGKILL)
    child.communicate()
    assert temporaries(out)  # what kill -9 leaves: nothing can clean up after it
    result = run_cli("sheets", str(project), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert temporaries(out) == []
    assert len(list(out.glob("*.xlsx"))) == 4  # one for each unit of the roster


def test_sigterm_cleans_up_as_ctrl_c_does(project, tmp_path):
    out = tmp_path / "a" / "评分"
    child = slowed(tmp_path, "stage", "sheets", str(project), "-o", str(out))
    assert temporaries(out)
    os.kill(child.pid, signal.SIGTERM)
    stdout, stderr = child.communicate(timeout=60)
    assert child.returncode == 143
    assert stderr.decode() == "已终止：没有写入未完成的文件。\n"
    assert not (tmp_path / "a").exists()  # the folders it made went with the temporaries


def test_sigterm_during_build_pdf_changes_no_pdf(project, tmp_path):
    """The PDFs of build --pdf go through the same staging: a SIGTERM between staging and
    renaming leaves no PDF and no temporary."""
    from conftest import office_missing

    if office_missing():
        pytest.skip(office_missing())
    out = tmp_path / "out"
    (project / "单位名册.yaml").unlink()
    child = slowed(tmp_path, "Staging.stage", "build", str(project), "-o", str(out), "--pdf")
    assert len(temporaries(out)) == 1  # the first PDF is staged; the documents are built
    os.kill(child.pid, signal.SIGTERM)
    _, stderr = child.communicate(timeout=120)
    assert child.returncode == 143, stderr.decode()
    assert temporaries(out) == [] and not list(out.rglob("*.pdf"))
    assert len(list(out.glob("*.docx"))) == 4  # the documents stay, built and renamed


def test_a_second_writer_of_the_same_folder_is_refused(project, tmp_path):
    out = tmp_path / "评分"
    child = slowed(tmp_path, "stage", "sheets", str(project), "-o", str(out))
    try:
        result = run_cli("sheets", str(project), "-o", str(out))
        assert result.exit_code == 1 and "error[E416]" in result.stderr
    finally:
        os.kill(child.pid, signal.SIGTERM)
        child.communicate(timeout=60)


def test_import_force_writes_no_partial_project(tmp_path, sample):
    """A link where one of the project's files goes: refused (E411) before any file of the
    project is written."""
    out = tmp_path / "导入"
    out.mkdir()
    (out / "说明.txt").write_text("别人的文件", "utf-8")
    victim = tmp_path / "别处.yaml"
    victim.write_text("别人的配置\n", "utf-8")
    (out / "qingdan.yaml").symlink_to(victim)
    result = run_cli("import", str(sample), "-o", str(out), "--force")
    assert result.exit_code == 1 and "error[E411]" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["qingdan.yaml", "说明.txt"]
    assert victim.read_text("utf-8") == "别人的配置\n"


def test_import_builds_a_new_project_whole_and_sweeps_a_killed_one(tmp_path, sample):
    """A new project is built under a hidden name and renamed into place: killed half way,
    no half project stands under its name, and the next import sweeps what was left
    (only a folder with qingdan's marker, never one of the user's)."""
    out = tmp_path / "导入"
    child = slowed(tmp_path, "NewFolder.write", "import", str(sample), "-o", str(out))
    os.kill(child.pid, signal.SIGKILL)
    child.communicate()
    assert not out.exists()
    [stale] = [p for p in tmp_path.iterdir() if p.name.startswith(".导入.")]
    assert (stale / MARKER).exists()
    mine = tmp_path / ".笔记.0123abcd.tmp"  # the user's, however alike: no marker
    mine.mkdir()
    result = run_cli("import", str(sample), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert not stale.exists() and mine.is_dir()
    assert (out / "qingdan.yaml").is_file() and not (out / MARKER).exists()


def test_outputs_and_new_folders_honour_the_umask(project, tmp_path):
    import qingdan.write.files as writer

    old = os.umask(0o027)
    writer.new_file_mode.cache_clear()
    try:
        assert run_cli("sheets", str(project), "-o", str(tmp_path / "评分")).exit_code == 0
        assert run_cli("new-year", "2025", str(project), "--copy").exit_code == 0
    finally:
        os.umask(old)
        writer.new_file_mode.cache_clear()
    edition = tmp_path / "project-2025"
    assert stat.S_IMODE(edition.stat().st_mode) == 0o750  # not mkdtemp's 0700
    assert {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "评分").iterdir()} == {0o640}
