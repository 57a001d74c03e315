"""qingdan serve, in process: what the pages show, what the server refuses, what an edit
re-renders. The real browser and the real server are in test_serve_browser.py."""

from __future__ import annotations

import http.client
import io
import os
import re
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
from html import unescape
from pathlib import Path
from urllib.parse import quote

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from conftest import EXAMPLE, REPO, run_cli
from qingdan.serve.app import LOOPBACK, Site, create_app
from qingdan.serve.pages import PageImages, available
from qingdan.serve.preview import Preview

LIST = "意识形态工作责任清单.yaml"
LIST_DOC = "/doc/-/意识形态工作责任清单"
LIST_URL = quote(LIST)
needs_office = pytest.mark.skipif(
    not available() and not os.environ.get("CI"),
    reason="LibreOffice or pdftoppm is not installed (scripts/test.sh installs them)")


def project(tmp_path: Path) -> Path:
    folder = tmp_path / "项目"
    shutil.copytree(EXAMPLE, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def client(folder: Path, out_dir: Path | None = None, revision: str | None = None,
           images: PageImages | None = None) -> tuple[TestClient, Site]:
    preview = Preview(folder)
    preview.refresh()
    site = Site(preview, out_dir=out_dir, revision=revision,
                images=images or PageImages(lambda key: None))
    site.images.enabled = images is not None  # type: ignore[union-attr]
    app = create_app(site, set(LOOPBACK))
    return TestClient(app, base_url="http://127.0.0.1:8000"), site


def text_of(html: str) -> str:
    """What a reader sees of a page: tags dropped, entities decoded."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def shown_paragraphs(page: str) -> list[str]:
    """The non-empty paragraphs of a document's flow (the 版记 aside), as text."""
    flow = page.split('<div class="qd-flow', 1)[1].split('<div class="qd-end', 1)[0]
    found = [text_of(p) for p in re.findall(r"<p class=\"qd-[^\"]*\"[^>]*>(.*?)</p>", flow, re.S)]
    return [t for t in found if t.strip()]


@pytest.mark.parametrize("folder", [EXAMPLE, REPO / "tests" / "fixtures" / "structures"],
                         ids=["example", "structures"])
def test_every_page_shows_the_text_and_labels_of_its_docx(folder):
    """Lists, measures (articles, outline, run-in headings, 款), sheets and notices: the
    HTML view's paragraphs are the .docx's, labels and signature spacing included."""
    preview = Preview(folder)
    preview.refresh()
    documents = [d for d in preview.state.documents() if d.unit == "-"]
    assert documents and all(d.docx for d in documents)
    for doc in documents:
        shown = shown_paragraphs(str(doc.html.flow()))
        printed = [p.text.replace("\t", "") for p in docx.Document(io.BytesIO(doc.docx)).paragraphs
                   if p.text.strip()]
        assert shown == printed, doc.id


def test_document_page_is_the_html_view_of_the_list(tmp_path):
    web, _ = client(project(tmp_path))
    page = web.get(LIST_DOC)
    assert page.status_code == 200
    shown = shown_paragraphs(page.text)
    assert "一、局党委意识形态工作主体责任清单" in shown
    assert any(t.startswith("1.牢牢掌握意识形态工作的领导权") for t in shown)
    notice = shown_paragraphs(web.get("/doc/-/印发通知").text)
    assert notice.index("附件1") < notice.index("一、局党委意识形态工作主体责任清单")


def test_index_lists_every_units_documents_and_the_warnings_with_their_line(tmp_path):
    folder = project(tmp_path)
    edit(folder / LIST, "每年至少两次专题研究", "按受每年至少两次专题研究")  # W902 typo
    web, _ = client(folder)
    page = web.get("/").text
    for unit in ("清河县粮食局（本单位）", "清河县粮食局机关", "清河县储备粮库"):
        assert unit in text_of(page)
    assert page.count('href="/doc/') >= 2 * 20  # side panel and table: 20 documents each
    assert "W902" in page and "按受" in page
    line = next(n for n, t in enumerate((folder / LIST).read_text("utf-8").splitlines(), 1)
                if "按受" in t)
    assert f'href="/source/{LIST_URL}#L{line}"' in page
    source = web.get(f"/source/{LIST_URL}").text
    assert f'id="L{line}" class="qv-marked"' in source
    assert source.count("qv-marked") == 1 and "W902" in source


def test_text_from_sources_is_never_markup(tmp_path):
    folder = project(tmp_path)
    edit(folder / LIST, "专题汇报一次意识形态工作情况", "专题汇报一次<script>alert(1)</script><b>x</b>情况,重大")
    edit(folder / LIST, "牢牢掌握意识形态工作的领导权、管理权、话语权。",
         "牢牢掌握意识形态工作的领导权、管理权、话语权，<img src=x onerror=alert(2)>")
    web, _ = client(folder)
    for path in (LIST_DOC, "/", f"/source/{LIST_URL}", "/doc/-/印发通知"):
        page = web.get(path).text
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>x" not in page
    page = web.get(LIST_DOC).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;" in page
    index = web.get("/").text  # W901 for the half-width comma, its source line escaped
    assert "W901" in index and "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    assert "script-src 'self'" in web.get("/").headers["content-security-policy"]


def test_files_only_under_the_project_and_the_output_folder(tmp_path):
    folder = project(tmp_path)
    out = tmp_path / "output"
    out.mkdir()
    (out / "清单.docx").write_bytes(b"PK")
    (tmp_path / "secret.yaml").write_text("kind: secret", "utf-8")
    (folder / "逃出.yaml").symlink_to(tmp_path / "secret.yaml")
    (folder / ".env").write_text("TOKEN=1", "utf-8")
    (folder / "page.html").write_text("<script>alert(1)</script>", "utf-8")
    web, _ = client(folder, out_dir=out)
    assert web.get("/files/qingdan.yaml").text.startswith("# yaml-language-server")
    assert web.get("/output/清单.docx").content == b"PK"
    html_file = web.get("/files/page.html")
    assert html_file.headers["content-type"] == "application/octet-stream"
    assert html_file.headers["content-disposition"].startswith("attachment")
    refused = ["/files/%2E%2E/secret.yaml", "/files/..%2Fsecret.yaml",
               f"/files/{tmp_path.as_posix()}/secret.yaml", "/files//etc/passwd",
               "/files/%2Fetc%2Fpasswd", "/files/逃出.yaml", "/files/.env",
               "/source/逃出.yaml", "/source/%2E%2E/secret.yaml", "/output/%2E%2E/项目/qingdan.yaml",
               "/output/%2E%2E/secret.yaml", "/files/..\\secret.yaml"]
    for path in refused:
        response = web.get(path)
        assert response.status_code == 404, path
        assert "kind: secret" not in response.text and "TOKEN" not in response.text


def test_another_host_name_is_refused(tmp_path):
    web, _ = client(project(tmp_path))
    assert web.get("/", headers={"host": "evil.example:8000"}).status_code == 400
    assert web.get("/", headers={"host": "localhost:8000"}).status_code == 200


@pytest.mark.parametrize("host, status", [
    ("127.0.0.1", 200), ("127.0.0.1:8000", 200), ("localhost:8000", 200), ("[::1]:8000", 200),
    ("LOCALHOST:8000", 200),
    ("127.0.0.1:1@evil.com", 400), ("127.0.0.1.evil.com", 400), ("127.0.0.1:8000:80", 400),
    ("localhost:8000/x", 400), ("[::1]x", 400), ("::1", 400), ("127.0.0.1 ", 400),
    ("localhost.", 400), ("evil.com#127.0.0.1", 400), ("", 400), ("127.0.0.1:", 400),
])
def test_host_is_host_and_port_exactly(tmp_path, host, status):
    web, _ = client(project(tmp_path))
    assert web.get("/", headers={"host": host}).status_code == status


def test_two_host_headers_are_refused():
    from qingdan.serve.app import host_name

    assert host_name([(b"host", b"127.0.0.1:8000")]) == "127.0.0.1"
    assert host_name([(b"host", b"127.0.0.1:8000"), (b"host", b"evil.com")]) is None
    assert host_name([]) is None


def commits(tmp_path: Path, count: int) -> Path:
    """A repository holding the example project, one commit for each of count edits."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo / "项目", ignore=shutil.ignore_patterns("考核评分"))
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    for n in range(count):
        edit(repo / "项目" / LIST, "牢牢掌握", f"第{n}次牢牢掌握") if n else None
        subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
        subprocess.run(["git", "commit", "-qm", f"{n}"], cwd=repo, check=True, env=env)
    return repo


def test_a_revision_is_taken_out_only_for_the_own_page(tmp_path, monkeypatch):
    """A link from another web site (or an old browser with no Fetch Metadata and no
    token) gets the page and a button, never a git extract; the page's own form (its
    token) or a request the browser marks as same-origin gets the comparison."""
    repo = commits(tmp_path, 3)
    monkeypatch.chdir(repo)
    web, site = client(repo / "项目")
    assert site.comparisons is not None
    try:
        for headers in ({"sec-fetch-site": "cross-site"}, {"sec-fetch-site": "same-site"}, {}):
            page = web.get("/diff", params={"rev": "HEAD~1"}, headers=headers).text
            assert "这个链接不是从预览页面打开的" in page and "<del>" not in page
            assert site.comparisons.extracted() == []
        page = web.get("/diff", params={"rev": "HEAD~1", "t": site.token}).text
        assert "与“HEAD~1”相比" in page and "<ins>" in page
        assert len(site.comparisons.extracted()) == 1
        page = web.get("/diff", params={"rev": "HEAD~2"},
                       headers={"sec-fetch-site": "same-origin"}).text
        assert "<ins>" in page and len(site.comparisons.extracted()) == 2
        token = re.search(r'name="t" value="([^"]+)"', page)
        assert token and token[1] == site.token  # the form carries it
        # Taken out already: shown to anyone, nothing new is written.
        assert "<ins>" in web.get("/diff", params={"rev": "HEAD~1"}).text
        assert len(site.comparisons.extracted()) == 2
    finally:
        site.close()


def test_revision_extracts_are_bounded_reused_and_removed_at_stop(tmp_path, monkeypatch):
    """40 requests for 8 revisions: at most MAX_EXTRACTS folders on disk at any time, the
    oldest removed first; one commit under two names is one extract; none after stop."""
    from qingdan.serve.diffs import MAX_EXTRACTS

    repo = commits(tmp_path, 9)
    monkeypatch.chdir(repo)
    web, site = client(repo / "项目")
    assert site.comparisons is not None
    seen: set[Path] = set()
    try:
        for n in [*range(1, 9)] * 5:
            page = web.get("/diff", params={"rev": f"HEAD~{n}", "t": site.token}).text
            assert "<ins>" in page
            seen.update(site.comparisons.extracted())
            assert sum(1 for folder in seen if folder.exists()) <= MAX_EXTRACTS
        kept = site.comparisons.extracted()
        assert len(kept) == MAX_EXTRACTS and all(folder.exists() for folder in kept)
        commit = subprocess.run(["git", "rev-parse", "HEAD~8"], cwd=repo, capture_output=True,
                                text=True, check=True).stdout.strip()
        web.get("/diff", params={"rev": commit, "t": site.token})  # HEAD~8, the newest kept
        assert site.comparisons.extracted() == kept
    finally:
        site.close()
    assert seen and not any(folder.exists() for folder in seen)


def test_libreoffice_runs_only_for_the_own_page(tmp_path):
    web, site = client(project(tmp_path))
    assert site.images is not None
    asked: list[bytes] = []
    site.images.enabled = True
    site.images.status = lambda data: (asked.append(data), ("pending", None))[1]  # type: ignore[method-assign]
    site.images.get = lambda key: None  # type: ignore[method-assign]
    page = web.get(LIST_DOC, headers={"sec-fetch-site": "cross-site"}).text
    assert 'data-images="ask"' in page and asked == []
    assert asked == [] and 'data-images="ask"' in web.get(LIST_DOC).text
    web.get(LIST_DOC, headers={"x-qingdan-token": site.token})  # the page's script asks
    web.get(LIST_DOC, headers={"sec-fetch-site": "same-origin"})
    assert len(asked) == 2


def test_an_error_keeps_the_last_good_pages_and_an_edit_renders_only_what_changed(tmp_path):
    folder = project(tmp_path)
    preview = Preview(folder)
    first = preview.refresh()
    assert len(first.changed) == 20 and not first.failed
    before = {d.id: d.version for d in preview.state.documents()}

    edit(folder / LIST, "{{ unit.channels }}", "{{ unit.chanels }}")
    broken = preview.refresh()
    assert broken.failed and broken.changed == []
    assert {d.id: d.version for d in preview.state.documents()} == before
    assert preview.state.errors and {d.code for d in preview.state.errors} == {"E302"}

    edit(folder / LIST, "{{ unit.chanels }}", "{{ unit.channels }}")
    assert preview.refresh().changed == []  # back as it was: nothing to reload

    edit(folder / "单位名册.yaml", "防止出现错误导向。", "防止出现任何错误导向。")
    changed = preview.refresh().changed
    # One unit's overlay: its list and the notice that carries it, nothing else.
    assert changed == ["jiancezhan/印发通知", "jiancezhan/意识形态工作责任清单"]
    doc = preview.state.document("jiancezhan/意识形态工作责任清单")
    assert doc is not None and "防止出现任何错误导向" in doc.html.markup


def test_diff_page_marks_insertions_and_deletions(tmp_path):
    revisions = REPO / "tests" / "fixtures" / "revision"
    web, _ = client(revisions / "2024", revision=str(revisions / "2023"))
    page = web.get("/diff").text
    assert "<del>" in page and "<ins>" in page and "（新增）" in page and "（删除）" in page
    assert "按上级新要求" in page  # the item's own note
    typed = web.get("/diff", params={"rev": "--output=/tmp/x"}).text
    assert "不是可用的 git 版本名" in typed
    assert "还没有选定比较的版本" in client(project(tmp_path))[0].get("/diff").text


def test_second_serve_on_a_busy_port_names_a_free_one(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", str(project(tmp_path)), "--port", str(port))
    assert result.exit_code == 1
    match = re.search(r"端口 (\d+) 已被占用.*请改用端口 (\d+)：qingdan serve .* --port (\d+)",
                      result.output)
    assert match and match[1] == str(port) and match[2] == match[3] != str(port)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", int(match[2])))  # it was indeed free


@needs_office
def test_libreoffice_page_images_arrive_in_the_background(tmp_path):
    ready: list[str] = []
    images = PageImages(ready.append)
    web, site = client(project(tmp_path), images=images)
    try:
        own = {"sec-fetch-site": "same-origin"}  # as the browser marks the page's own links
        page = web.get("/doc/-/意识形态工作责任制考核办法/sheet", headers=own).text
        assert "正在用 LibreOffice 排版" in page  # the HTML view is there at once
        deadline = time.monotonic() + 60
        while not ready and time.monotonic() < deadline:
            time.sleep(0.1)
        page = web.get("/doc/-/意识形态工作责任制考核办法/sheet", headers=own).text
        pngs = re.findall(r'src="(/pages/\w+/\d+\.png)"', page)
        assert pngs, page
        first = web.get(pngs[0])
        assert first.headers["content-type"] == "image/png"
        assert first.content.startswith(b"\x89PNG")
    finally:
        site.close()


def test_index_links_the_files_an_earlier_build_wrote(tmp_path):
    out = tmp_path / "output"
    (out / "单位").mkdir(parents=True)
    (out / "单位" / "清单.docx").write_bytes(b"PK")
    (out / ".qingdan-manifest.json").write_text("{}", "utf-8")
    web, _ = client(project(tmp_path), out_dir=out)
    page = web.get("/").text
    assert f'href="/output/{quote("单位/清单.docx")}"' in page and "manifest" not in page
    assert web.get(f"/output/{quote('单位/清单.docx')}").content == b"PK"


def test_help_is_chinese():
    result = run_cli("serve", "--help")
    assert result.exit_code == 0
    assert "在浏览器中预览" in result.output and "显示本帮助并退出" in result.output


yaml_ish = st.text(alphabet=string.printable + "：，。“”{}%-[]:&*!|>'\"\t中文清单<>", max_size=200)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=yaml_ish)
def test_any_source_text_gives_a_page_not_a_crash(text, tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copy(EXAMPLE / "qingdan.yaml", folder / "qingdan.yaml")
    (folder / "清单.yaml").write_text("kind: list\n" + text, "utf-8")
    web, _ = client(folder)
    for path in ("/", "/doc/-/清单", f"/source/{quote('清单.yaml')}"):
        assert web.get(path).status_code in (200, 404)


def test_another_host_warns_that_the_preview_is_exposed(tmp_path):
    """127.0.0.2 stands in for a network address: still this computer, not loopback's name."""
    server = subprocess.Popen(
        [sys.executable, "-m", "qingdan", "serve", str(project(tmp_path)), "--host", "127.0.0.2",
         "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert server.stderr is not None and server.stdout is not None
        warning = server.stderr.readline()
        assert warning.startswith("警告：预览监听 127.0.0.2，网络中的其他人也能打开它")
        address = next(line for line in server.stdout if "预览地址" in line)
        port = int(re.search(r"127\.0\.0\.2:(\d+)/", address)[1])  # type: ignore[index]
        connection = http.client.HTTPConnection("127.0.0.2", port, timeout=10)
        connection.request("GET", "/")  # any host name is accepted once exposed
        assert connection.getresponse().status == 200
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=15)
    assert server.returncode == 130
