"""qingdan serve: the live preview in the browser."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..diagnostics import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK
from .common import chosen_project, main, path_argument


def _reason(exc: OSError, host: str, port: int) -> str:
    """Why the port could not be opened, in Chinese."""
    import errno
    import socket

    if isinstance(exc, socket.gaierror):
        return f"无法识别地址“{host}”"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"这台计算机没有地址 {host}"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"没有权限使用端口 {port}（1024 以下的端口通常需要管理员权限）"
    return f"系统错误 {errno.errorcode.get(exc.errno or 0, exc.errno)}"


def _say(line: str) -> None:
    click.echo(line)
    sys.stdout.flush()


@main.command()
@path_argument
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              metavar="端口",
              help="端口号；被占用时会提示可用的端口")
@click.option("--host", default="127.0.0.1", show_default=True, metavar="地址",
              help="监听的地址；默认只有本机能打开，改为其他地址会让网络中的他人也能看到")
@click.option("-o", "--output", "out_dir", default="output", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="输出文件夹：预览可以打开其中已生成的文件（不会写入）")
@click.option("--diff", "revision", default=None, metavar="版本",
              help="修订对照所比较的 git 版本，如 HEAD~1、v2023")
def serve(path: str | None, port: int, host: str, out_dir: Path, revision: str | None) -> None:
    """在浏览器中预览：保存源文件后自动重新检查，页面随之更新。

    显示各文档的页面（装有 LibreOffice 时为其排版的页面图，否则为按 GB/T 9704 排出的
    HTML 版式）、全部问题（文件:行:列和所在的源文件行），以及与 git 版本的修订对照。
    预览只读，不改动任何文件。按 Ctrl-C 停止。
    """
    from ..paths import display_path
    from ..serve import pages
    from ..serve.app import Site
    from ..serve.preview import Preview
    from ..serve.server import PortBusy, bind, describe, exposed, url
    from ..serve.server import serve as run_server

    project = chosen_project(path)
    if not project.exists():
        click.echo(f"失败：找不到“{display_path(project)}”。", err=True)
        sys.exit(EXIT_INPUT)
    try:
        sock = bind(host, port)
    except PortBusy as busy:
        again = f"qingdan serve {path + ' ' if path else ''}--port {busy.free}"
        click.echo(f"失败：端口 {busy.port} 已被占用（可能已有一个预览在运行）。"
                   f"请改用端口 {busy.free}：{again}", err=True)
        sys.exit(EXIT_INPUT)
    except OSError as exc:
        click.echo(f"失败：无法在 {host}:{port} 上启动预览：{_reason(exc, host, port)}", err=True)
        sys.exit(EXIT_INPUT)
    if exposed(host):
        click.echo(f"警告：预览监听 {host}，网络中的其他人也能打开它，看到全部源文件和文档。"
                   "只在可信的网络中这样做；仅本机使用时不要加 --host。", err=True)
    preview = Preview(project)
    try:
        update = preview.refresh()
        _say(f"已检查 {display_path(project)}：{describe(update)}")
        if not pages.available():
            _say("未找到 LibreOffice：只显示 HTML 版式"
                 "（安装 LibreOffice 后可看到它排版的页面图）。")
        address = url(host, sock.getsockname()[1])
        run_server(Site(preview, out_dir=out_dir, revision=revision), sock, host, _say,
                   ready=lambda: _say(f"预览地址：{address}  （按 Ctrl-C 停止）"))
    except KeyboardInterrupt:
        click.echo("已停止预览。", err=True)
        sys.exit(EXIT_INTERRUPTED)
    finally:
        sock.close()
    sys.exit(EXIT_OK)
