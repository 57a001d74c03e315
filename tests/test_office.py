"""LibreOffice never reads a local file or the network on behalf of a document (issue 23).

A local HTTP server counts the requests LibreOffice makes. Each layer of protection is
shown on its own, against a control run without it that does fetch or embed (so the
test could fail): the profile's settings (office/profile.py), the network namespace
(office/launch.py), and, before LibreOffice is reached, templates refused (E509) and
imported files stripped of their links.
"""

from __future__ import annotations

import base64
import http.server
import io
import re
import shutil
import subprocess
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLE, REPO, office_missing, run_cli
from linkfiles import linked_docx, linked_odt, linked_template, png, tiny_project
from qingdan import office
from qingdan.office import launch, links, profile

needs_office = pytest.mark.skipif(office_missing() is not None, reason=str(office_missing()))


@pytest.fixture
def server(tmp_path) -> Iterator[tuple[str, list[str]]]:
    """A web server on 127.0.0.1 that answers every request with a picture and counts them."""
    picture = png(tmp_path / "served.png", (255, 0, 0)).read_bytes()
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(picture)

        do_HEAD = do_POST = do_PROPFIND = do_OPTIONS = do_GET  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    finally:
        httpd.shutdown()
        httpd.server_close()


def images(pdf: Path) -> int:
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                            check=True).stdout.splitlines()
    return len(listed) - 2


def convert(jobs: list[office.Job], settings: tuple[str, ...], isolate: bool) -> None:
    with office.Converter(office.find_office(), 1, settings, isolate) as converter:
        assert converter.convert(jobs) == []


LAYERS = {  # name -> (profile settings, network namespace)
    "every layer": (profile.ALL, True),
    "links: BlockUntrustedRefererLinks": (("links",), False),
    "proxy: a closed proxy for every protocol": (("proxy",), False),
    "network namespace": ((), True),
}
NETWORK = {  # what blocks a fetch of a .doc's linked picture (the links setting does not)
    k: v for k, v in LAYERS.items() if not k.startswith("links")}


def isolation_or_skip(isolate: bool) -> None:
    if isolate and not launch.isolation():
        pytest.skip("no user and network namespaces here: the profile's settings still hold")


@needs_office
@pytest.mark.parametrize("layer", LAYERS)
def test_a_picture_linked_to_an_address_is_never_fetched(layer, server, tmp_path):
    settings, isolate = LAYERS[layer]
    isolation_or_skip(isolate)
    url, hits = server
    source = linked_docx(tmp_path / "web.docx", f"{url}/picture.png")
    convert([office.Job(source, tmp_path / "web.pdf")], settings, isolate)
    assert hits == []
    assert images(tmp_path / "web.pdf") == 0


@needs_office
def test_without_protection_libreoffice_fetches_and_embeds(server, tmp_path):
    """The control: what every test here guards against does happen without the layers."""
    url, hits = server
    web = linked_docx(tmp_path / "web.docx", f"{url}/picture.png")
    local = linked_docx(tmp_path / "local.docx", png(tmp_path / "seal.png", (0, 0, 255)).as_uri())
    convert([office.Job(web, tmp_path / "web.pdf"), office.Job(local, tmp_path / "local.pdf")],
            (), False)
    assert hits
    assert images(tmp_path / "web.pdf") == images(tmp_path / "local.pdf") == 1


@needs_office
@pytest.mark.parametrize("layer", ["every layer", "links: BlockUntrustedRefererLinks"])
def test_a_picture_linked_to_a_local_file_is_never_read(layer, tmp_path):
    settings, isolate = LAYERS[layer]
    isolation_or_skip(isolate)
    local = linked_docx(tmp_path / "local.docx", png(tmp_path / "seal.png", (0, 0, 255)).as_uri())
    convert([office.Job(local, tmp_path / "local.pdf")], settings, isolate)
    assert images(tmp_path / "local.pdf") == 0


@needs_office
@pytest.mark.parametrize("layer", NETWORK)
def test_a_doc_linked_picture_is_never_fetched(layer, server, tmp_path):
    """Word 97's importer loads linked pictures without naming the document, so the links
    setting does not stop it: the proxy and the namespace do."""
    settings, isolate = NETWORK[layer]
    isolation_or_skip(isolate)
    url, hits = server
    made = tmp_path / "made.doc"
    convert([office.Job(linked_odt(tmp_path / "links.odt", f"{url}/doc.png"), made, load="writer8",
                        store="MS Word 97")], profile.ALL, True)
    assert hits == [] and made.read_bytes().startswith(b"\xd0\xcf\x11\xe0")
    convert([office.Job(made, tmp_path / "made.pdf", load="")], settings, isolate)
    assert hits == []


def project(tmp_path: Path, template: Path | None = None) -> Path:
    """The example, with a custom list template when given."""
    folder = tmp_path / "project"
    shutil.copytree(EXAMPLE, folder)
    if template is not None:
        config = folder / "qingdan.yaml"
        config.write_text(config.read_text("utf-8") + f"templates:\n  list: {template}\n",
                          "utf-8")
    return folder


@needs_office
@pytest.mark.parametrize("command", [["build", ".", "--pdf", "-o", "out"], ["proof", "."]])
def test_a_template_linking_an_address_is_refused_unfetched(command, server, tmp_path):
    url, hits = server
    folder = project(tmp_path, linked_template(tmp_path / "web.docx", f"{url}/t.png"))
    result = run_cli(*command, cwd=folder)
    assert result.exit_code == 1
    assert "error[E509]" in result.stderr and f"{url}/t.png" in result.stderr
    assert hits == []


@needs_office
def test_a_template_linking_a_local_picture_is_refused_and_no_pdf_shows_it(tmp_path):
    seal = png(tmp_path / "印章.png", (0, 0, 255))
    folder = project(tmp_path, linked_template(tmp_path / "seal.docx", seal.as_uri()))
    result = run_cli("build", ".", "--pdf", "-o", "out", cwd=folder)
    assert result.exit_code == 1
    assert "error[E509]" in result.stderr and "链接的图片" in result.stderr
    assert str(seal) in result.stderr
    assert not list(folder.rglob("*.pdf"))
    # Were it let through, LibreOffice would still not read the picture (shown by
    # test_a_picture_linked_to_a_local_file_is_never_read).


def test_a_template_with_corrupt_compressed_data_is_a_located_error(tmp_path):
    base = (REPO / "templates" / "responsibility-list.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    broken = bytearray(base)
    broken[start + 20:start + 60] = bytes(40)  # deflate data made nonsense, sizes kept
    (tmp_path / "broken.docx").write_bytes(bytes(broken))
    folder = project(tmp_path, tmp_path / "broken.docx")
    result = run_cli("build", ".", "-o", "out", cwd=folder)
    assert result.exit_code == 1, result.output
    assert "broken.docx:1:1: error[E503]" in result.stderr
    assert "Traceback" not in result.output


@needs_office
def test_import_fetches_nothing_and_says_what_it_removed(server, tmp_path):
    url, hits = server
    seal = png(tmp_path / "seal.png", (0, 0, 255)).as_uri()
    odt = linked_odt(tmp_path / "通知.odt", f"{url}/odt.png", seal)
    web = tmp_path / "网页.doc"
    web.write_text("<html><body><p>关于做好意识形态工作的通知</p><p>各单位：</p>"
                   f'<p>现将有关事项通知如下。</p><img src="{url}/html.png">'
                   f'<iframe src="{url}/frame.html"></iframe></body></html>', "utf-8")
    old = tmp_path / "旧文件.doc"
    convert([office.Job(odt, old, load="writer8", store="MS Word 97")], profile.ALL, True)
    for source in (odt, web, old):
        result = run_cli("import", str(source), "-o", str(tmp_path / f"out-{source.stem}"))
        assert result.exit_code == 0, result.output
    assert hits == []
    result = run_cli("import", str(odt), "-o", str(tmp_path / "again"))
    assert f"“链接的图片或对象”——已去除，导入时不读取文件之外的内容：{url}/odt.png" \
        in result.stdout
    assert f"“链接的内容”——已去除，导入时不读取文件之外的内容：{seal}" in result.stdout
    result = run_cli("import", str(web), "-o", str(tmp_path / "web-again"))
    assert "内容其实是网页，已按网页导入" in result.stdout


def test_rtf_fields_and_templates_are_removed_before_libreoffice_sees_them():
    rtf = (rb'{\rtf1\ansi{\*\template C:\\t.dotx}{\field{\*\fldinst INCLUDEPICTURE '
           rb'"file:///etc/seal.png" \\d}{\fldrslt {x}}}\par{\field{\*\fldinst {INCLUDE}'
           rb'{TEXT "/etc/passwd"}}{\fldrslt shown}}\par text\par}')
    stripped, refs = links.strip_rtf(rtf)
    assert b"fldinst" not in stripped and b"template" not in stripped
    assert b"passwd" not in stripped and b"seal" not in stripped
    assert b"shown" in stripped and b"text" in stripped
    assert len(refs) == 3


def test_docx_fields_that_read_files_are_found_and_emptied():
    body = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            '<w:body><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>'
            'INCLUDE</w:instrText></w:r><w:r><w:instrText>TEXT "c:\\\\x.docx"</w:instrText>'
            '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>shown</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
            '<w:p><w:fldSimple w:instr=" PAGE "/></w:p></w:body></w:document>')
    parts = {"word/document.xml": body.encode()}
    [ref] = links.docx_refs(parts)
    assert ref.target.startswith("INCLUDETEXT")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        out.writestr("word/document.xml", body)
    stripped, refs = links.strip_docx(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(stripped)) as archive:
        text = archive.read("word/document.xml").decode()
    assert "INCLUDE" not in text and "shown" in text and "PAGE" in text and refs


@needs_office
def test_serve_prints_its_pages_as_build_does(notice_docx, tmp_path):
    """serve's page images and PDF download come from the same converter as build --pdf:
    the same spacing between Chinese and digits, the same faces, byte for byte."""
    from qingdan.proof.pages import read_lines
    from qingdan.serve.pages import PageImages

    ready: list[str] = []
    images = PageImages(ready.append)
    try:
        assert images.status(notice_docx.read_bytes()) == ("pending", None)
        deadline = time.monotonic() + 120  # a hang guard
        while not ready and time.monotonic() < deadline:
            time.sleep(0.1)
        made = images.get(ready[0])
        assert made is not None and made.pdf and made.pngs, made
    finally:
        images.close()
    served = tmp_path / "served.pdf"
    served.write_bytes(made.pdf)
    texts = [line.text for line in read_lines(served, "pdftotext")[1]]
    assert "2024年3月15日" in texts and "清粮党发〔2024〕3号" in texts
    built = tmp_path / "built.pdf"
    convert([office.Job(notice_docx, built)], profile.ALL, True)
    assert served.read_bytes() == built.read_bytes()


@needs_office
def test_build_pdf_into_a_folder_given_with_dotdot(tmp_path):
    """`-o ../out` once crashed in pdfbuild (ValueError) after the .docx were written."""
    folder = tiny_project(tmp_path / "project")
    for _ in range(2):  # the second time from the manifest: nothing converted again
        result = run_cli("build", ".", "-o", "../out", "--pdf", cwd=folder)
        assert result.exit_code == 0, result.output
    pdf = tmp_path / "out" / "局党委意识形态工作责任清单.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert re.search(r"未变化：.*/\.\./out/局党委意识形态工作责任清单\.pdf", result.stdout)


@needs_office
def test_a_garbled_doc_is_reported_at_the_users_file(tmp_path):
    garbled = tmp_path / "旧文件.doc"
    garbled.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 64)
    result = run_cli("import", garbled.name, "-o", "out", cwd=tmp_path)
    assert result.exit_code == 1, result.stdout[:300]
    assert result.stderr.startswith("旧文件.doc:1:1: error[E431]"), result.stderr
    assert "source" not in result.stderr and "qingdan-" not in result.stderr


@needs_office
def test_without_unshare_libreoffice_runs_as_it_is(monkeypatch, example_docx, tmp_path):
    """Where no network namespace can be made, the worker starts without one, silently,
    and the profile's settings still block fetching."""
    monkeypatch.setattr(launch.shutil, "which", lambda name: None)
    launch.isolation.cache_clear()
    try:
        assert launch.isolation() == ()
        convert([office.Job(example_docx, tmp_path / "list.pdf")], profile.ALL, True)
        assert (tmp_path / "list.pdf").read_bytes().startswith(b"%PDF-")
    finally:
        monkeypatch.undo()
        launch.isolation.cache_clear()


def test_a_single_file_web_page_named_doc_is_read_as_the_page(tmp_path):
    """Word's 单个文件网页 saved as .doc (MHTML) is read by the importer's HTML reader;
    LibreOffice never sees it."""
    page = ("<html><body><p>关于做好意识形态工作的通知</p><p>各单位：</p>"
            "<p>现将有关事项通知如下。</p><img src=\"http://127.0.0.1:9/x.png\"></body></html>")
    mhtml = ("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n"
             "--b\r\nContent-Type: text/html; charset=\"utf-8\"\r\n"
             "Content-Transfer-Encoding: base64\r\n\r\n"
             + base64.encodebytes(page.encode()).decode().replace("\n", "\r\n")
             + "\r\n--b--\r\n")
    (tmp_path / "通知.doc").write_text(mhtml, "utf-8")
    result = run_cli("import", "通知.doc", "-o", "out", "--soffice", "/nonexistent", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "单个文件网页（MHT），已按网页导入" in result.stdout
    assert "现将有关事项通知如下" in next((tmp_path / "out").glob("关于*.yaml")).read_text("utf-8")
