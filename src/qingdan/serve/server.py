"""Run the preview: bind the port, check once, serve, re-check on every save, stop cleanly.

uvicorn serves the application on a socket bound here, so a busy port is known before
anything starts and the user can be told which port to use instead. watchfiles reports
saves; each triggers a refresh on a worker thread and one event to the open pages. On
Ctrl-C the event streams are ended first, so uvicorn has no connection to wait for.
"""

from __future__ import annotations

import asyncio
import errno
import signal
import socket
import threading
import traceback
from collections.abc import Callable
from pathlib import Path

import uvicorn

from .app import LOOPBACK, Site, create_app
from .preview import Update

Say = Callable[[str], None]
IGNORED_PREFIXES = (".", "~$", "#")  # hidden files, Word's lock files, editors' backups


class PortBusy(Exception):
    """The port is taken; free is one that was free a moment ago."""

    def __init__(self, port: int, free: int):
        super().__init__(port)
        self.port = port
        self.free = free


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port; PortBusy when another program holds the port."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortBusy(port, free_port(host, port)) from None
        raise
    return sock


def free_port(host: str, after: int) -> int:
    """The first free port after the given one (or any free port the system names)."""
    family = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)[0][0]
    for port in [*range(after + 1, min(after + 21, 65536)), 0]:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    return 0


def url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def exposed(host: str) -> bool:
    return host not in LOOPBACK


def describe(update: Update) -> str:
    """One line about a refresh, for the terminal."""
    problems = f"{update.errors} 个错误，{update.warnings} 个警告"
    if update.failed:
        return f"有错误（{problems}）：页面保持上次检查通过时的样子"
    return f"{len(update.changed)} 份文档有变化，{problems}（{update.seconds:.1f} 秒）"


class _Server(uvicorn.Server):
    """uvicorn's server, ending the preview's event streams as soon as Ctrl-C arrives."""

    def __init__(self, config: uvicorn.Config, on_exit: Callable[[], None]):
        super().__init__(config)
        self.on_exit = on_exit
        self.interrupted = False

    def handle_exit(self, sig: int, frame: object) -> None:  # type: ignore[override]
        self.interrupted = self.interrupted or sig == signal.SIGINT
        super().handle_exit(sig, frame)  # type: ignore[arg-type]
        self.on_exit()


def serve(site: Site, sock: socket.socket, host: str, say: Say,
          ready: Callable[[], None] = lambda: None) -> None:
    """Serve until Ctrl-C (which then propagates as KeyboardInterrupt); ready is called
    once the sources are watched and requests are answered."""
    app = create_app(site, None if exposed(host) else set(LOOPBACK))
    config = uvicorn.Config(app, log_level="warning", log_config=None, access_log=False,
                            lifespan="off", timeout_graceful_shutdown=2,
                            server_header=False)
    # A plain loop rather than asyncio.run: asyncio.run answers SIGINT by cancelling the
    # task, which would cut the cleanup below short; here uvicorn's handler takes Ctrl-C and
    # the KeyboardInterrupt it leaves runs through the cleanup like any exception.
    # uvicorn also stops on SIGTERM and then raises it again; as an exception (not the
    # default instant exit) it too lets the cleanup run: temporary folders, LibreOffice.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminated)
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(_main(site, config, sock, say, ready))
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


def _terminated(sig: int, frame: object) -> None:
    raise SystemExit(128 + sig)


async def _main(site: Site, config: uvicorn.Config, sock: socket.socket, say: Say,
                ready: Callable[[], None]) -> None:
    loop = asyncio.get_running_loop()
    site.hub.loop = loop
    stop = asyncio.Event()

    def on_exit() -> None:
        site.hub.stop()
        loop.call_soon_threadsafe(stop.set)

    server = _Server(config, on_exit)
    watcher = asyncio.create_task(watch(site, stop, say))

    async def started() -> None:
        while not server.started and not stop.is_set():
            await asyncio.sleep(0.02)
        if server.started:
            ready()

    announce = asyncio.create_task(started())
    try:
        await server.serve(sockets=[sock])
        if server.interrupted:
            # uvicorn raises SIGINT again once stopped, which only gives KeyboardInterrupt
            # where SIGINT was not ignored when Python started (a background job ignores it).
            raise KeyboardInterrupt
    finally:
        announce.cancel()
        stop.set()
        site.close()  # first: it ends the event streams and any LibreOffice still running
        watcher.cancel()
        await asyncio.gather(watcher, announce, return_exceptions=True)


def watched_folders(site: Site) -> list[Path]:
    """The project folder (sources sit at its top level) and the folders of its own
    templates; not the output folder."""
    root = site.preview.root
    folders = {root}
    for template in site.preview.templates():
        if root in template.resolve().parents:
            folders.add(template.resolve().parent)
    return sorted(folders)


def _relevant(site: Site, path: str) -> bool:
    file = Path(path)
    if file.name.startswith(IGNORED_PREFIXES) or file.suffix not in (".yaml", ".yml", ".docx"):
        return False
    out = site.out_dir.resolve() if site.out_dir else None
    return out is None or out not in file.resolve().parents


async def watch(site: Site, stop: asyncio.Event, say: Say) -> None:
    """Refresh on every save until stopped; the folders are looked at again after each
    refresh, since qingdan.yaml may name templates elsewhere."""
    from watchfiles import awatch

    while not stop.is_set():
        folders = watched_folders(site)
        async for changes in awatch(*folders, stop_event=stop, recursive=False, step=50,
                                    watch_filter=lambda _, path: _relevant(site, path)):
            names = "、".join(sorted({Path(p).name for _, p in changes}))
            site.hub.publish("checking", {"files": names})
            try:
                update = await asyncio.to_thread(site.preview.refresh)
            except Exception:  # noqa: BLE001 - a bug in a stage must not stop the preview
                traceback.print_exc()
                say(f"已保存 {names}：检查时出现内部错误（见上面的信息），预览继续运行")
                continue
            site.announce(update)
            say(f"{site.preview.state.checked} 已保存 {names}：{describe(update)}")
            if watched_folders(site) != folders:
                break

