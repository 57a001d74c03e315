"""Shared fixtures: the repository's paths and a built copy of the bundled example."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from qingdan.cli import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "checklists" / "example"

# A shell without job control starts a background job (`pytest … &`) with SIGINT ignored,
# and Python then installs no KeyboardInterrupt handler; children inherit the ignoring.
# The tests of Ctrl-C (the build's cleanup, serve's shutdown) need the terminal's default.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None):
    """Run the qingdan command in-process, as a user would from cwd (with env added)."""
    runner = CliRunner()
    old = Path.cwd()
    os.chdir(cwd or REPO)
    try:
        return runner.invoke(main, list(args), catch_exceptions=False, env=env)
    finally:
        os.chdir(old)


def office_missing() -> str | None:
    """Why LibreOffice cannot convert here (None when it can); CI must have it."""
    from qingdan import office as pdf

    try:
        pdf.find_office()
    except pdf.OfficeError as error:
        return None if os.environ.get("CI") else f"{error.message} (scripts/test.sh installs it)"
    return None


@pytest.fixture(scope="session", autouse=True)
def office_workers():
    """One pool of LibreOffice workers for every command the tests run in this process:
    started on first use, stopped at the end of the session."""
    from qingdan import office as pdf

    try:
        office = pdf.find_office()
    except pdf.OfficeError:
        yield None
        return
    with pdf.kept_open(office) as converter:
        yield converter


@pytest.fixture(scope="session")
def example_dir(tmp_path_factory) -> Path:
    """The bundled example built once, by the same command the README shows."""
    out = tmp_path_factory.mktemp("example-output")
    result = run_cli("build", "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def example_docx(example_dir: Path) -> Path:
    """The example's responsibility list."""
    return example_dir / "清河县粮食局党委意识形态工作责任清单.docx"


@pytest.fixture(scope="session")
def notice_docx(example_dir: Path) -> Path:
    [docx] = example_dir.glob("关于印发*的通知.docx")
    return docx


@pytest.fixture(scope="session")
def sheet_docx(example_dir: Path) -> Path:
    return example_dir / "清河县粮食局意识形态工作责任制考核评分表.docx"
