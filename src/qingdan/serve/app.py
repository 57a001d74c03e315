"""The preview's web application: read-only pages, server-sent events, nothing else.

Every page is rendered by Jinja with autoescape on, and the Content-Security-Policy
allows only the preview's own script and stylesheets, so a source's text can never run
as markup. Files are served only from the project and the output folder (files.py), and
requests must name this computer as their host (host[:port], a loopback name, exactly),
so another web site cannot read the preview by pointing a domain name at 127.0.0.1.

Another web site can still make the browser *send* requests here (a link, an image, a
form). Work that writes to the disk or starts a program - taking a git revision out,
laying a document out with LibreOffice - is therefore done only for the preview's own
page (`from_page`): a request carrying the run's token, which only the preview's pages
hold (another site cannot read them), or one the browser itself marks as coming from this
origin or from the user (Fetch Metadata, `Sec-Fetch-Site: same-origin` or `none`, which
no page can forge). Anything else gets the page without that work, and a button to ask
for it.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import re
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from .diffs import Comparisons, default_revision
from .files import contained, media_type
from .pages import PageImages
from .preview import Preview, Update
from .views import asset, by_line, diagnostic_views, page, source_files

STATIC = {
    "preview.css": ("qingdan.serve", "static/preview.css", "text/css; charset=utf-8"),
    "preview.js": ("qingdan.serve", "static/preview.js", "text/javascript; charset=utf-8"),
    "gbt9704.css": ("qingdan.render", "html_templates/gbt9704.css", "text/css; charset=utf-8"),
}
HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; script-src 'self'; style-src 'self'; "
                                "img-src 'self'; connect-src 'self'; base-uri 'none'; "
                                "form-action 'self'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}
# A Host header: a name or an IPv4 address, or an IPv6 address in brackets; a port.
HOST = re.compile(r"^(?P<name>\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::[0-9]{1,5})?$")
TOKEN_HEADER = "x-qingdan-token"
OWN_FETCHES = {"same-origin", "none"}  # Sec-Fetch-Site: from this origin, or the user's own


class Hub:
    """The open event streams; publish() may be called from any thread."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.queues: set[asyncio.Queue[str | None]] = set()
        self.stopping = False

    def publish(self, event: str, data: dict[str, object]) -> None:
        message = f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
        self._each(message)

    def stop(self) -> None:
        self.stopping = True
        self._each(None)

    def _each(self, message: str | None) -> None:
        loop = self.loop
        if loop is None or loop.is_closed():
            return
        for queue in list(self.queues):
            loop.call_soon_threadsafe(queue.put_nowait, message)


@dataclass
class Site:
    """Everything the pages are made from."""

    preview: Preview
    out_dir: Path | None = None
    revision: str | None = None  # --diff
    hub: Hub = field(default_factory=Hub)
    images: PageImages | None = None
    comparisons: Comparisons | None = None
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))  # this run's

    def __post_init__(self) -> None:
        if self.images is None:
            self.images = PageImages(lambda key: self.hub.publish("pages", {"key": key}))
        if self.comparisons is None:
            self.comparisons = Comparisons(self.preview.path, self.revision)

    def announce(self, update: Update) -> None:
        self.hub.publish("update", {
            "generation": update.generation, "changed": update.changed,
            "failed": update.failed, "errors": update.errors, "warnings": update.warnings})

    def close(self) -> None:
        self.hub.stop()
        assert self.images is not None and self.comparisons is not None
        self.images.close()
        self.comparisons.close()


def from_page(request: Request, token: str) -> bool:
    """Whether a request comes from the preview's own page (see the module docstring)."""
    given = request.query_params.get("t") or request.headers.get(TOKEN_HEADER) or ""
    if hmac.compare_digest(given.encode("utf-8", "replace"), token.encode()):
        return True
    return request.headers.get("sec-fetch-site", "") in OWN_FETCHES


def create_app(site: Site, allowed_hosts: set[str] | None = None) -> ASGIApp:
    """The application; allowed_hosts None accepts any Host (the server is exposed)."""

    def html(request: Request, template: str, status: int = 200, **context: object) -> Response:
        state = site.preview.state
        views = diagnostic_views(state.diagnostics, site.preview.root)
        body = page(template, state=state, views=views, root=site.preview.root,
                    files=source_files(site.preview.root, state, views),
                    current=request.url.path, token=site.token, **context)
        return HTMLResponse(body, status_code=status, headers=HEADERS)

    def missing(request: Request, what: str = "页面") -> Response:
        return html(request, "missing.html", status=404, what=what, kind="missing")

    async def index(request: Request) -> Response:
        built = await asyncio.to_thread(built_files, site.out_dir)
        return html(request, "index.html", kind="index", built=built,
                    out_dir=str(site.out_dir or ""))

    async def document(request: Request) -> Response:
        doc = site.preview.state.document(request.path_params["doc"])
        if doc is None:
            return missing(request, "文档")
        assert site.images is not None
        key = _digest(doc.docx) if doc.docx else ""
        if doc.docx is None or not site.images.enabled:
            status, images = "off", None
        elif from_page(request, site.token):  # LibreOffice runs for the own page only
            status, images = site.images.status(doc.docx)
        else:  # what is made already; the page's script asks for the rest with the token
            images = site.images.get(key)
            status = "ready" if images is not None else "ask"
        return html(request, "document.html", kind="document", doc=doc, images=images,
                    image_status=status, images_key=key)

    async def docx(request: Request) -> Response:
        doc = site.preview.state.document(request.path_params["doc"])
        if doc is None or doc.docx is None:
            return missing(request, "文档")
        name = quote(f"{doc.title}.docx")
        return Response(doc.docx, headers={
            **HEADERS, "Content-Disposition": f"attachment; filename*=UTF-8''{name}"},
            media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")

    async def page_image(request: Request) -> Response:
        assert site.images is not None
        images = site.images.get(request.path_params["key"])
        number = request.path_params["number"]
        if images is None or not 1 <= number <= len(images.pngs):
            return missing(request, "页面图")
        return Response(images.pngs[number - 1], media_type="image/png", headers=HEADERS)

    async def page_pdf(request: Request) -> Response:
        assert site.images is not None
        images = site.images.get(request.path_params["key"])
        if images is None or not images.pdf:
            return missing(request, "PDF")
        return Response(images.pdf, media_type="application/pdf", headers=HEADERS)

    async def diff(request: Request) -> Response:
        wanted = request.query_params.get("rev", "").strip()
        revision = wanted or site.revision or default_revision(site.preview.path)
        comparison = None
        if revision:
            assert site.comparisons is not None
            comparison = await asyncio.to_thread(
                site.comparisons.compare, revision, site.preview.state.generation,
                from_page(request, site.token))
        return html(request, "diff.html", kind="diff", revision=revision or "",
                    comparison=comparison, confirm=bool(revision) and comparison is None)

    async def source(request: Request) -> Response:
        rel = request.path_params["path"]
        path = contained(site.preview.root, rel)
        if path is None or path.suffix not in (".yaml", ".yml"):
            return missing(request, "源文件")
        lines = path.read_bytes().decode("utf-8-sig", "replace").splitlines()
        state = site.preview.state
        marks = by_line(diagnostic_views(state.diagnostics, site.preview.root),
                        path.relative_to(site.preview.root.resolve()).as_posix())
        return html(request, "source.html", kind="source", file=rel, lines=lines, marks=marks)

    def raw(base: Path | None):
        async def serve(request: Request) -> Response:
            path = contained(base, request.path_params["path"]) if base else None
            if path is None:
                return missing(request, "文件")
            kind, inline = media_type(path)
            headers = dict(HEADERS)
            if not inline:
                headers["Content-Disposition"] = (
                    f"attachment; filename*=UTF-8''{quote(path.name)}")
            return Response(path.read_bytes(), media_type=kind, headers=headers)
        return serve

    async def static(request: Request) -> Response:
        entry = STATIC.get(request.path_params["name"])
        if entry is None:
            return missing(request, "文件")
        package, name, kind = entry
        return Response(asset(package, name), media_type=kind,
                        headers={**HEADERS, "Cache-Control": "no-cache"})

    async def events(request: Request) -> Response:
        hub = site.hub
        hub.loop = asyncio.get_running_loop()
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        hub.queues.add(queue)

        async def stream() -> AsyncIterator[str]:
            try:
                hello = {"generation": site.preview.state.generation}
                yield f"retry: 1000\nevent: hello\ndata: {json.dumps(hello)}\n\n"
                while not hub.stopping:
                    try:
                        message = await asyncio.wait_for(queue.get(), timeout=15)
                    except TimeoutError:
                        yield ": 保持连接\n\n"
                        continue
                    if message is None:
                        break
                    yield message
            finally:
                hub.queues.discard(queue)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={**HEADERS, "X-Accel-Buffering": "no"})

    async def favicon(request: Request) -> Response:
        return Response(status_code=204, headers=HEADERS)

    async def not_found(request: Request, exc: Exception) -> Response:
        return missing(request)

    routes = [
        Route("/", index), Route("/doc/{doc:path}", document),
        Route("/docx/{doc:path}", docx),
        Route("/pages/{key:str}/{number:int}.png", page_image),
        Route("/pages/{key:str}.pdf", page_pdf),
        Route("/diff", diff), Route("/source/{path:path}", source),
        Route("/files/{path:path}", raw(site.preview.root)),
        Route("/output/{path:path}", raw(site.out_dir)),
        Route("/static/{name:str}", static), Route("/events", events),
        Route("/favicon.ico", favicon),
    ]
    app = Starlette(routes=routes, exception_handlers={404: not_found, 405: not_found})
    return HostCheck(app, allowed_hosts)


def built_files(out_dir: Path | None, limit: int = 200) -> list[str]:
    """The documents an earlier `qingdan build` left in the output folder."""
    if out_dir is None or not out_dir.is_dir():
        return []
    found = []
    for path in sorted(out_dir.rglob("*.docx")):
        rel = path.relative_to(out_dir)
        if not any(p.startswith(".") for p in rel.parts) and contained(out_dir, rel.as_posix()):
            found.append(rel.as_posix())
            if len(found) == limit:
                break
    return found


def _digest(data: bytes) -> str:
    from .pages import digest

    return digest(data)


def host_name(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The name in the request's one Host header, when it is exactly host[:port]."""
    hosts = [value for key, value in headers if key.lower() == b"host"]
    if len(hosts) != 1:
        return None
    match = HOST.match(hosts[0].decode("latin-1").lower())
    return match["name"] if match else None


class HostCheck:
    """Refuse a request whose Host header is not this computer (DNS rebinding)."""

    def __init__(self, app: ASGIApp, allowed: set[str] | None):
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.allowed is not None:
            if host_name(scope["headers"]) not in self.allowed:
                response = PlainTextResponse("请用 http://127.0.0.1 打开预览。", status_code=400)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
