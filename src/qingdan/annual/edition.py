"""The edition a project folder holds: its year, and the edition before it.

The year is qingdan.yaml's `year:`, or else the year of the earliest 成文日期 among the
project's notices (a pending date with its year, 2025-待定, counts). The previous
edition is qingdan.yaml's `previous:`, written by `qingdan new-year`: a folder (relative
to qingdan.yaml) or a git revision (v2024), which `qingdan diff` compares with when it
is given no versions.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path

from ..diagnostics import Diagnostic, Failed, Location
from ..load.source import load_file
from ..model import Notice
from ..paths import CONFIG_NAME, display_path


def edition_year(given: int | None, notices: Iterable[Notice]) -> int | None:
    """qingdan.yaml's year, else the year of the earliest notice date that has one."""
    if given is not None:
        return given
    years = [int(n.date.value[:4]) for n in notices if n.date.value[:4].isdigit()]
    return min(years) if years else None


def project_root(path: Path) -> Path:
    return path if path.is_dir() else path.parent


def recorded_previous(root: Path) -> tuple[str, Location] | None:
    """qingdan.yaml's `previous:` and where it is written; None when it has none."""
    config = root / CONFIG_NAME
    if not config.is_file():
        return None
    source = load_file(config)
    value = source.data.get("previous") if isinstance(source.data, dict) else None
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip(), source.at(("previous",))


def previous_version(project: Path, stack: ExitStack) -> Path:
    """The folder holding the previous edition of a project (a git revision is written
    out to a temporary folder that closes with stack); raises Failed with E647."""
    from ..diff.versions import resolve_version

    root = project_root(project)
    recorded = recorded_previous(root)
    if recorded is None:
        raise Failed([Diagnostic(
            "E647", "没有记录上一版本：qingdan.yaml 中没有 previous",
            Location(display_path(root / CONFIG_NAME)),
            hint="写出要比较的两个版本：qingdan diff 旧版本 新版本；qingdan new-year 会记下"
                 "上一版本（previous: v2024 或 previous: ../上一年度文件夹）")])
    value, where = recorded
    folder = root / value
    if folder.is_dir():
        return folder
    try:
        return resolve_version(value, root.resolve(), stack, cwd=root)
    except Failed:
        raise Failed([Diagnostic(
            "E647", f"找不到上一版本“{value}”：既不是文件夹（相对 qingdan.yaml），"
                    "也不是本仓库的 git 版本", where,
            hint="文件夹移动过时改写 previous；git 标签可用 git tag 查看")]) from None
