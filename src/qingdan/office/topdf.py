"""Documents to PDF in one batch, each failure a located diagnostic: the one conversion
build --pdf and build --ofd share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..diagnostics import Diagnostic, Failed, Location
from ..paths import display_path
from .find import Office, reported
from .pool import ENV_TIMEOUT, converter


def convert_to_pdf(office: Office, jobs: list[tuple[Path, Path]], where: Location,
                   progress: Callable[[int], None] | None = None) -> None:
    """Convert each (.docx, .pdf) pair on LibreOffice's workers; raises Failed with E422 at
    each document that could not be converted, or E424 at where when LibreOffice would
    not start."""
    if not jobs:
        return
    with converter(office) as pool:
        failures = reported(where, pool.convert, jobs, progress)
    if failures:
        raise Failed([Diagnostic(
            "E422", f"LibreOffice 无法把它转换为 PDF：{f.error}", Location(display_path(f.src)),
            f"用 LibreOffice 打开这份文档查看；转换较慢时可用环境变量 {ENV_TIMEOUT} "
            "放宽每份文档的时限（秒）") for f in failures])
