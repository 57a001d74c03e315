"""Make docs/images/预览.png, the README's picture of `qingdan serve`.

    .venv/bin/python scripts/preview_screenshot.py

Runs `qingdan serve` on a copy of the bundled example with one typo planted (so a warning
shows with its source line), opens the responsibility list in Debian's headless Chromium
through Playwright (no browser is downloaded) and saves the window. Needs `chromium`
(scripts/test.sh installs it).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
TARGET = REPO / "docs" / "images" / "预览.png"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("需要 chromium：apt-get install chromium", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "example"
        shutil.copytree(REPO / "checklists" / "example", folder)
        source = folder / "意识形态工作责任清单.yaml"
        source.write_text(source.read_text("utf-8").replace("接受监督", "按受监督", 1), "utf-8")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "qingdan", "serve", "example", "--port", str(port)],
            cwd=work, stdout=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            assert server.stdout is not None
            for line in server.stdout:
                if "预览地址" in line:
                    break
            shoot(chromium, f"http://127.0.0.1:{port}/doc/-/{quote('意识形态工作责任清单')}")
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=15)
    print(f"已生成：{TARGET.relative_to(REPO)}")
    return 0


def shoot(chromium: str, url: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1360, "height": 860}, bypass_csp=True)
        page.goto(url)
        page.evaluate("localStorage.setItem('qv-view', 'html')")
        page.goto(url)
        page.wait_for_function("document.querySelectorAll('.qv-pages .qd-page').length > 1")
        page.evaluate("document.querySelector('.qv-warnings').open = true")
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(TARGET))
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
