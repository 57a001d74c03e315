"""Paths as messages show them, and where a project keeps its configuration."""

from __future__ import annotations

from pathlib import Path

from .diagnostics import Location

CONFIG_NAME = "qingdan.yaml"


def display_path(path: Path, base: Path | None = None) -> str:
    """A path as the user should see it: relative to the working folder when possible."""
    base = base or Path.cwd()
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


def config_location(path: Path) -> Location:
    """Where a problem of the whole project is reported (a missing tool): its qingdan.yaml."""
    folder = path.parent if path.is_file() else path
    return Location(display_path(folder / CONFIG_NAME) if folder.is_dir() else display_path(path))
