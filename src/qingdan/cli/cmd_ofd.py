"""The OFD steps of build --ofd and proof --ofd (the CLI is where features meet)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..diagnostics import EXIT_INPUT, Failed
from .common import Progress, chosen_project, print_diagnostics

if TYPE_CHECKING:
    from ..office import Office


def ofds(path: str | None, out_dir: Path, office: Office, fmt: str,
         pdfs_beside: bool) -> list[tuple[Path, bool]]:
    """build --ofd: the OFDs beside the documents; a failure changes no OFD and exits."""
    from ..ofd.build import build_ofds
    from ..paths import config_location

    progress = Progress("生成 OFD")
    try:
        return build_ofds(out_dir, office, config_location(chosen_project(path)), pdfs_beside,
                          progress=progress.step, on_plan=progress.start).written
    except Failed as failed:
        progress.close()
        print_diagnostics(failed.diagnostics, fmt)
        click.echo(f"失败：发现 {len(failed.diagnostics)} 个错误，没有改动任何 OFD。", err=True)
        sys.exit(EXIT_INPUT)
    finally:
        progress.close()


def proof_pages(docx: bytes, pdf: bytes) -> tuple[str, object]:
    """proof --ofd: a document's OFD read back as proof reads a PDF: ("ok", (sizes,
    lines)), or (code, message) when it cannot be made (E461) or is not valid (E462)."""
    from ..ofd import Unsupported
    from ..ofd.build import make_ofd
    from ..ofd.check import lines

    try:
        return "ok", lines(make_ofd(docx, pdf))
    except Unsupported as error:
        return "E461", f"无法转换为 OFD：{error}"
    except ValueError as error:
        return "E462", f"生成的 OFD 不符合 GB/T 33190 的结构：{error}"
