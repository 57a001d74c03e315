"""Issue 10, the output side: nothing written outside, nothing left behind.

Each test is a regression test for one item of the issue (the number in its name): git
revisions that climb out of their folder, links in the output folder, operating-system
errors, long names, interruptions, fmt writing in place, and fsync before rename.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import docx
import pytest

from conftest import EXAMPLE, REPO, run_cli
from qingdan.write.files import MAX_NAME_BYTES, NAME_LIMIT, fit_name, safe_filename, sweep

LIST = "意识形态工作责任清单.yaml"
LIST_DOC = "清河县粮食局党委意识形态工作责任清单.docx"


def tree(folder: Path) -> dict[str, tuple[str, bytes]]:
    """Every entry under folder (links not followed): its kind and content."""
    out: dict[str, tuple[str, bytes]] = {}
    if not os.path.lexists(folder):
        return out
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            out[str(path.relative_to(folder))] = ("link", os.readlink(path).encode())
        elif path.is_dir():
            out[str(path.relative_to(folder))] = ("dir", b"")
        else:
            out[str(path.relative_to(folder))] = ("file", path.read_bytes())
    return out


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*.tmp")] if folder.exists() else []


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(EXAMPLE, target)
    return target


def touch_source(project: Path) -> None:
    """Change a text every document shows, so the next build rewrites them all."""
    source = project / LIST
    text = source.read_text("utf-8")
    source.write_text(text.replace("牢牢掌握", "始终牢牢掌握", 1), "utf-8")


def roster(project: Path, units: int) -> None:
    """Replace the example's roster with `units` copies of its first unit (a fork pool from
    8), each with its own name and 发文字号."""
    import yaml

    first = yaml.safe_load((project / "单位名册.yaml").read_text("utf-8"))["units"][0]
    entries = []
    for i in range(units):
        unit = dict(first, id=f"u{i:03d}", name=f"清河县第{i + 1}基层单位")
        unit["vars"] = dict(first.get("vars", {}), 发文字号=f"清粮机支发〔2024〕{i + 1}号")
        entries.append(unit)
    (project / "单位名册.yaml").write_text(
        yaml.safe_dump({"kind": "roster", "units": entries}, allow_unicode=True), "utf-8")


# --- 1. git revisions --------------------------------------------------------------------


def git(repo: Path, *args: str, stdin: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    return subprocess.run(["git", *args], cwd=repo, input=stdin, capture_output=True,
                          text=True, check=True, env=env).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(EXAMPLE, repo / "proj")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    return repo


def hostile_commit(repo: Path, entry: str) -> str:
    """A commit holding proj and a tree with `entry` (a mktree line for one more entry)."""
    project_tree = git(repo, "rev-parse", "HEAD:proj")
    root = git(repo, "mktree", stdin=f"040000 tree {project_tree}\tproj\n{entry}\n")
    commit = git(repo, "commit-tree", root, "-m", "evil")
    git(repo, "update-ref", "refs/heads/evil", commit)
    return commit


def test_1_diff_refuses_a_revision_whose_names_climb_out(repo: Path, tmp_path: Path):
    # The revision is extracted to TMPDIR/qingdan-XXXX/, so x/../../ lands in TMPDIR.
    escaped = Path(tempfile.gettempdir()) / f"PWNED-{tmp_path.parent.name}-{tmp_path.name}.yaml"
    blob = git(repo, "hash-object", "-w", "--stdin", stdin="pwned: 1\n")
    inner = git(repo, "mktree", stdin=f"100644 blob {blob}\t{escaped.name}\n")
    middle = git(repo, "mktree", stdin=f"040000 tree {inner}\t..\n")
    outer = git(repo, "mktree", stdin=f"040000 tree {middle}\t..\n")
    hostile_commit(repo, f"040000 tree {outer}\tx")
    result = run_cli("diff", "evil", "HEAD", "--project", ".", cwd=repo)
    assert result.exit_code == 1
    assert "error[E108]" in result.stderr and "x/../../" in result.stderr
    assert not escaped.exists()


def test_1_diff_refuses_links_in_a_revision(repo: Path):
    blob = git(repo, "hash-object", "-w", "--stdin", stdin="/etc/passwd")
    link_tree = git(repo, "mktree", stdin=f"120000 blob {blob}\t名册.yaml\n")
    hostile_commit(repo, f"040000 tree {link_tree}\tlinked")
    result = run_cli("diff", "evil:linked", "HEAD:proj", cwd=repo)
    assert result.exit_code == 1
    assert "error[E108]" in result.stderr and "linked/名册.yaml" in result.stderr


def test_12_diff_of_one_file_at_a_revision_loads_its_project(repo: Path):
    result = run_cli("diff", f"HEAD:proj/{LIST}", f"HEAD:proj/{LIST}", cwd=repo)
    assert result.exit_code == 0, result.output
    assert "E401" not in result.output and "E312" not in result.output
    assert "条目没有变化" in result.stdout


# --- 2. links in the output folder --------------------------------------------------------


def test_2_links_in_the_output_folder_are_never_written_through(project: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert run_cli("build", str(project), "-o", str(out)).exit_code == 0
    victim = tmp_path / "victim"
    victim.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("keep me", "utf-8")
    shutil.rmtree(out / "清河县储备粮库")
    (out / "清河县储备粮库").symlink_to(victim)
    (out / LIST_DOC).unlink()
    (out / LIST_DOC).symlink_to(secret)
    touch_source(project)
    before = tree(out)
    result = run_cli("build", str(project), "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr.count("error[E411]") == 2
    assert f"{LIST_DOC}:1:1: error[E411]" in result.stderr
    assert "清河县储备粮库:1:1: error[E411]" in result.stderr
    assert list(victim.iterdir()) == []
    assert secret.read_text("utf-8") == "keep me"
    assert tree(out) == before


# --- 3. a failed build writes nothing -----------------------------------------------------


@pytest.mark.parametrize("number, code", [
    (errno.ENOSPC, "E415"), (errno.EDQUOT, "E415"), (errno.EACCES, "E414"),
    (errno.EROFS, "E414"), (errno.ENAMETOOLONG, "E412"), (errno.EIO, "E414"),
])
def test_3_operating_system_errors_leave_the_disk_as_it_was(project, tmp_path, monkeypatch,
                                                            number, code):
    out = tmp_path / "out"
    assert run_cli("build", str(project), "-o", str(out)).exit_code == 0
    touch_source(project)
    (out / "清河县储备粮库").rename(out / "gone")  # so the build must create a folder again
    before = tree(out)
    import qingdan.write.staging as staging

    real = staging.temporary_beside
    calls = []

    def failing(path, data, **options):
        calls.append(path)
        if len(calls) == 7:  # after some temporaries and a new folder were made
            raise OSError(number, os.strerror(number), str(path))
        return real(path, data, **options)

    monkeypatch.setattr(staging, "temporary_beside", failing)
    result = run_cli("build", str(project), "-o", str(out))
    assert result.exit_code == 1
    assert f"error[{code}]" in result.stderr and "Traceback" not in result.output
    assert tree(out) == before


def test_3_a_failed_build_into_a_new_folder_creates_nothing(project, tmp_path, monkeypatch):
    import qingdan.write.staging as staging

    def full(path, data, **options):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(staging, "temporary_beside", full)
    out = tmp_path / "a" / "b" / "out"
    result = run_cli("build", str(project), "-o", str(out))
    assert result.exit_code == 1 and "error[E415]" in result.stderr
    assert not (tmp_path / "a").exists()


def test_3_a_failed_rename_removes_every_temporary(project, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert run_cli("build", str(project), "-o", str(out)).exit_code == 0
    touch_source(project)
    real = os.replace

    def refusing(src, dst):
        if str(dst).endswith(".docx") and "储备粮库" in str(dst):
            raise OSError(errno.EACCES, "Permission denied", str(dst))
        return real(src, dst)

    monkeypatch.setattr("qingdan.write.staging.os.replace", refusing)
    result = run_cli("build", str(project), "-o", str(out))
    assert result.exit_code == 1 and "error[E414]" in result.stderr
    assert temporaries(out) == []


def test_3_a_unit_folder_named_like_a_document_gets_its_own_name(project, tmp_path):
    names = (project / "单位名册.yaml").read_text("utf-8")
    (project / "单位名册.yaml").write_text(
        names.replace("name: 清河县储备粮库", f"name: {LIST_DOC.upper()}"), "utf-8")
    out = tmp_path / "out"
    result = run_cli("build", str(project), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert (out / LIST_DOC).is_file()
    assert (out / f"{LIST_DOC[:-5]}_docx").is_dir()


def test_3_stale_temporaries_of_a_killed_build_are_swept(project, tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", str(project), "-o", str(out)).exit_code == 0
    stale = [out / f".{LIST_DOC}.ab12cd34.tmp", out / "清河县储备粮库" / ".x.docx.zz_9abcd.tmp",
             out / ".qingdan-manifest.json.k3j4h5g6.tmp"]
    for path in stale:
        path.write_bytes(b"half")
    mine = out / ".notes.tmp"  # not of qingdan's naming: left alone
    mine.write_bytes(b"user")
    result = run_cli("build", str(project), "-o", str(out))
    assert result.exit_code == 0
    assert not any(p.exists() for p in stale) and mine.exists()


def test_3_second_build_into_the_same_folder_is_refused(project, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    holder = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        result = run_cli("build", str(project), "-o", str(out))
    finally:
        os.close(holder)
    assert result.exit_code == 1 and "error[E416]" in result.stderr
    assert list(out.iterdir()) == []


# --- 4. names ------------------------------------------------------------------------------


def test_4_long_chinese_names_fit_the_file_system(project, tmp_path):
    long_unit = "清河县人民政府办公室机关事务服务中心后勤保障科党支部"  # 26 characters
    names = (project / "单位名册.yaml").read_text("utf-8")
    (project / "单位名册.yaml").write_text(
        names.replace("name: 清河县储备粮库", f"name: {long_unit}"), "utf-8")
    out = tmp_path / "out"
    result = run_cli("build", str(project), "-o", str(out))
    assert result.exit_code == 0, result.output
    folder = out / long_unit
    notice = [p for p in folder.iterdir() if p.name.startswith("关于印发")]
    assert len(notice) == 1
    name = notice[0].name
    assert len(name.encode()) <= MAX_NAME_BYTES + len(".docx")
    assert len(f".{name}.abcdefgh.tmp".encode()) <= NAME_LIMIT
    assert name.startswith(f"关于印发《{long_unit}") and "…" in name
    docx.Document(str(notice[0]))  # a whole, readable document


def test_4_shortened_names_keep_their_start_and_differ():
    first = "关于印发" + "甲" * 100 + "的通知"
    second = "关于印发" + "甲" * 100 + "的决定"
    a, b = safe_filename(first), safe_filename(second)
    assert a != b and a.startswith("关于印发甲甲") and b.startswith("关于印发甲甲")
    assert len(a.encode()) <= MAX_NAME_BYTES and len(b.encode()) <= MAX_NAME_BYTES
    assert fit_name("短名称") == "短名称"
    assert safe_filename("\ud800坏") == "?坏"  # no lone surrogate reaches the file system


def test_4_names_that_differ_only_in_case_get_different_files(project, tmp_path):
    names = (project / "单位名册.yaml").read_text("utf-8")
    names = names.replace("name: 清河县储备粮库", "name: Unit A").replace(
        "name: 清河县粮食局机关", "name: UNIT a")
    (project / "单位名册.yaml").write_text(names, "utf-8")
    out = tmp_path / "out"
    assert run_cli("build", str(project), "-o", str(out)).exit_code == 0
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert "UNIT a" in folders and "Unit A（2）" in folders


# --- 5. Ctrl-C and kill -9 -----------------------------------------------------------------


def test_5_ctrl_c_cleans_up_and_exits_130(project, tmp_path, monkeypatch):
    """Ctrl-C while forked workers hold temporaries: one Chinese line, exit 130, nothing
    left, no worker left running."""
    roster(project, 12)
    out = tmp_path / "out"
    marker = tmp_path / "written"
    import qingdan.builder.run as build

    real = build.stage

    def slow(target, data):  # runs in the forked workers, which inherit the patch
        tmp = real(target, data)
        marker.touch()  # a temporary exists now
        time.sleep(30)
        return tmp

    monkeypatch.setattr(build, "stage", slow)
    monkeypatch.setattr(build.os, "cpu_count", lambda: 2)

    def interrupt():
        deadline = time.monotonic() + 20
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(os.getpid(), signal.SIGINT)  # process-directed: the main thread takes it

    threading.Thread(target=interrupt, daemon=True).start()
    started = time.monotonic()
    result = run_cli("build", str(project), "-o", str(out))
    assert time.monotonic() - started < 15
    assert result.exit_code == 130
    assert result.stderr == "已中断：没有写入未完成的文件。\n"
    assert not out.exists()  # the folder it created is gone too


def test_5_kill_9_leaves_no_worker_and_the_next_build_sweeps(project, tmp_path):
    roster(project, 40)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "qingdan", "build", str(project), "-o", str(out)]
    child = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             start_new_session=True)
    deadline = time.monotonic() + 60
    while not temporaries(out) and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(child.pid, signal.SIGKILL)
    _, stderr = child.communicate()
    time.sleep(0.5)
    alive = subprocess.run(["ps", "-o", "stat=", "-g", str(child.pid)], capture_output=True,
                           text=True).stdout.split()
    assert all(state.startswith("Z") for state in alive)  # workers died with the parent
    assert b"Traceback" not in stderr and b"BrokenPipe" not in stderr
    result = run_cli("build", str(project), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert temporaries(out) == []


def test_5_the_command_says_everything_before_its_quick_exit(project, tmp_path):
    """A check or build ends with os._exit (cli.run): its piped output must all be out,
    and its worker pool gone."""
    roster(project, 12)
    out = tmp_path / "out"
    for args, said in ((["check", str(project)], "检查通过：52 份文档"),
                       (["build", str(project), "-o", str(out)], "已生成 52 份文档")):
        done = subprocess.run([sys.executable, "-m", "qingdan", *args], cwd=REPO,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert said in done.stdout
    assert len(list(out.glob("*/*.docx"))) == 48 and (out / ".qingdan-manifest.json").exists()


# --- 10. fmt and file modes ----------------------------------------------------------------


def test_10_fmt_keeps_the_file_its_mode_links_and_comments(project, tmp_path):
    source = project / LIST
    text = source.read_text("utf-8").replace("text: >-", "text: >-  # 注释(不要改)", 1)
    text = text.replace("牢牢掌握", "牢牢掌握,", 1)
    real = tmp_path / "real.yaml"
    real.write_text(text, "utf-8")
    os.chmod(real, 0o640)
    hard = tmp_path / "hard.yaml"
    os.link(real, hard)
    source.unlink()
    source.symlink_to(real)
    result = run_cli("fmt", str(project))
    assert result.exit_code == 0, result.output
    assert "已改正" in result.stdout
    assert source.is_symlink() and os.readlink(source) == str(real)
    fixed = real.read_text("utf-8")
    assert "牢牢掌握，" in fixed and "# 注释(不要改)" in fixed
    assert hard.read_text("utf-8") == fixed and os.stat(real).st_nlink == 2
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o640


def test_10_fmt_keeps_the_mode_of_an_ordinary_file(project):
    source = project / LIST
    source.write_text(source.read_text("utf-8").replace("牢牢掌握", "牢牢掌握,", 1), "utf-8")
    os.chmod(source, 0o664)
    inode = os.stat(source).st_ino
    assert run_cli("fmt", str(project)).exit_code == 0
    assert "牢牢掌握，" in source.read_text("utf-8")
    assert stat.S_IMODE(os.stat(source).st_mode) == 0o664
    assert os.stat(source).st_ino != inode  # replaced atomically, not rewritten in place


def test_10_outputs_honour_the_umask(project, tmp_path):
    import qingdan.write.files as writer

    old = os.umask(0o027)
    writer.new_file_mode.cache_clear()
    try:
        out = tmp_path / "out"
        assert run_cli("build", str(project), "-o", str(out)).exit_code == 0
    finally:
        os.umask(old)
        writer.new_file_mode.cache_clear()
    files = [p for p in out.rglob("*") if p.is_file()]
    assert files and {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o640}


# --- 12. fsync before rename ---------------------------------------------------------------


def test_12_every_file_is_on_disk_before_it_is_renamed(project, tmp_path, monkeypatch):
    """The build's temporaries are flushed (one syncfs for the file system) before the
    first rename."""
    events: list[str] = []
    import qingdan.write.staging as staging

    real_sync, real_replace = staging.sync_file_system, os.replace
    monkeypatch.setattr(staging, "sync_file_system",
                        lambda folder: (events.append("sync"), real_sync(folder)))
    monkeypatch.setattr(staging.os, "replace",
                        lambda src, dst: (events.append("rename"), real_replace(src, dst)))
    result = run_cli("build", str(project), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert events[0] == "sync" and events.count("rename") == 21  # 20 documents, the manifest


def test_12_a_single_file_is_flushed_before_its_rename(tmp_path, monkeypatch):
    """A CSV (report -o), like a build's documents, is on disk before it is renamed."""
    import qingdan.write.staging as staging
    from qingdan.write.staging import write_all

    events: list[str] = []
    real_sync, real_replace = staging.sync_file_system, os.replace
    monkeypatch.setattr(staging, "sync_file_system",
                        lambda folder: (events.append("sync"), real_sync(folder)))
    monkeypatch.setattr(staging.os, "replace",
                        lambda src, dst: (events.append("rename"), real_replace(src, dst)))
    assert write_all(tmp_path, [(tmp_path / "a.csv", b"x")])
    assert events == ["sync", "rename", "sync"]


def test_sweep_removes_only_qingdan_temporaries(tmp_path):
    names = [".a.docx.abcdefgh.tmp", ".a.docx.tmp", ".a.txt.abcdefgh.tmp", "a.docx"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / ".b.docx.12345678.tmp").symlink_to(tmp_path / "a.docx")
    assert sweep(tmp_path) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[1:] + [".b.docx.12345678.tmp"])
