"""qingdan serve as a user meets it: the real command on a free port, opened in headless
Chromium (Debian's package, driven by Playwright; no browser is downloaded), a source
edited while the page is open, and Ctrl-C."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import EXAMPLE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="Chromium is not installed (scripts/test.sh installs Debian's chromium)")
# Playwright drives the system browser; these keep it from reaching the network.
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]
LIST = "意识形态工作责任清单.yaml"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """`qingdan serve` running in its own process, as a user starts it."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "qingdan", "serve", str(folder), "--port", str(self.port)],
            cwd=folder.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        assert self.process.stdout is not None
        self.lines: list[str] = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.lines.append(line)
            if "预览地址" in line:
                return
        self.process.kill()
        raise AssertionError("serve did not start: " + "".join(self.lines)
                             + self.process.stderr.read())  # type: ignore[union-attr]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def interrupt(self) -> tuple[int, str, str]:
        """Ctrl-C, as a terminal sends it: (exit code, rest of stdout, stderr)."""
        self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=15)
        return self.process.returncode, out, err


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """The example with a typo planted in the list (W902), so a diagnostic shows."""
    target = tmp_path_factory.mktemp("serve") / "示例"
    shutil.copytree(EXAMPLE, target)
    source = target / LIST
    source.write_text(source.read_text("utf-8").replace(
        "接受监督和评议", "按受监督和评议", 1), "utf-8")
    return target


@pytest.fixture(scope="module")
def server(folder: Path) -> Iterator[Server]:
    running = Server(folder)
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.communicate()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM or "/usr/bin/chromium",
                                              args=BROWSER_ARGS)
        yield launched
        launched.close()


def test_the_page_shows_documents_and_problems_and_follows_an_edit(server, folder, browser,
                                                                   tmp_path):
    # bypass_csp only lets Playwright's own wait_for_function run; the page is as served.
    page = browser.new_page(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server.url + "/")
    assert "清河县粮食局党委意识形态工作责任清单" in page.inner_text("#qv-nav")
    assert page.locator("#qv-nav a[href^='/doc/']").count() == 20
    problems = page.inner_text("#qv-problems")
    assert "W902" in problems
    assert f"{LIST}:" in problems and "按受监督和评议" in problems  # file:line:col, the line

    page.evaluate("localStorage.setItem('qv-view', 'html')")
    page.goto(server.url + "/doc/-/" + quote("意识形态工作责任清单"))
    page.wait_for_function("document.querySelectorAll('.qv-pages .qd-page').length >= 2")
    first = page.locator(".qv-pages .qd-page").first
    assert "一、局党委意识形态工作主体责任清单" in first.inner_text()
    assert "— 1 —" in first.inner_text()

    source = folder / LIST
    text = source.read_text("utf-8")
    source.write_text(text.replace("牢牢掌握意识形态工作的领导权", "牢牢把握意识形态工作的领导权"),
                      "utf-8")
    page.wait_for_function(
        "document.querySelector('.qv-pages').textContent.includes('牢牢把握意识形态工作的领导权')",
        timeout=15000)
    shot = tmp_path / "预览.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000  # kept as the test's artefact under pytest's tmp

    source.write_text(text.replace("{{ unit.channels }}", "{{ unit.chanels }}", 1), "utf-8")
    page.wait_for_function("document.querySelector('#qv-problems .qv-error') !== null",
                           timeout=15000)
    assert "有 " in page.inner_text("#qv-status") and "E302" in page.inner_text("#qv-problems")
    assert "牢牢把握意识形态工作的领导权" in page.inner_text(".qv-pages")  # the last good pages
    page.screenshot(path=str(tmp_path / "错误.png"))
    source.write_text(text, "utf-8")
    page.wait_for_function("document.querySelector('#qv-problems .qv-error') === null",
                           timeout=15000)
    assert errors == []


def test_paths_that_leave_the_project_are_refused_as_sent(server, folder):
    """Raw requests, "../" not normalised away as a browser would."""
    (folder.parent / "secret.yaml").write_text("kind: secret", "utf-8")
    for path in ("/files/../secret.yaml", "/source/../secret.yaml", "/files/%2e%2e/secret.yaml",
                 "/files/" + quote(str(folder.parent / "secret.yaml"))):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        assert response.status == 404, path
        assert b"kind: secret" not in response.read()
        connection.close()


def test_ctrl_c_stops_cleanly(server):
    stream = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    stream.request("GET", "/events")  # a page left open: its event stream must not hold
    assert b"event: hello" in stream.getresponse().read1()  # the server up
    started = time.monotonic()
    code, out, err = server.interrupt()
    assert time.monotonic() - started < 5
    assert code == 130
    assert err.strip() == "已停止预览。"
    assert "Traceback" not in out + err
