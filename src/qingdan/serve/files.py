"""Which files the preview may serve, and how: only under the project or the output
folder, never through "..", an absolute path, a hidden name or a link that leads out."""

from __future__ import annotations

import mimetypes
from pathlib import Path, PurePosixPath

# Served inline; anything else is a download, so no file under the project can run as a
# page of the preview (an .html or .svg there would otherwise share its origin).
INLINE = {".yaml": "text/plain; charset=utf-8", ".yml": "text/plain; charset=utf-8",
          ".txt": "text/plain; charset=utf-8", ".md": "text/plain; charset=utf-8",
          ".csv": "text/plain; charset=utf-8", ".json": "text/plain; charset=utf-8",
          ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
          ".pdf": "application/pdf"}


def contained(root: Path, relative: str) -> Path | None:
    """root/relative when that is a regular file inside root, else None.

    Refused: an empty or absolute path, a drive or backslash, "..", a part that starts
    with "." (.git, .env), and any path whose real location (links followed) leaves root.
    """
    if not relative or "\\" in relative or "\x00" in relative:
        return None
    pure = PurePosixPath(relative)
    if pure.is_absolute() or any(p in ("", "..") or p.startswith(".") or ":" in p
                                 for p in pure.parts):
        return None
    try:
        base = root.resolve(strict=True)
        target = (base / pure).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if base not in target.parents or not target.is_file():
        return None
    return target


def media_type(path: Path) -> tuple[str, bool]:
    """(content type, whether to show it in the browser rather than download it)."""
    inline = INLINE.get(path.suffix.lower())
    if inline:
        return inline, True
    guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if guessed.startswith("text/") or "html" in guessed or "svg" in guessed:
        guessed = "application/octet-stream"
    return guessed, False


def relative_to(root: Path, display: str) -> str | None:
    """A diagnostic's path (as printed: relative to the working folder) inside root."""
    path = Path(display)
    try:
        full = (path if path.is_absolute() else Path.cwd() / path).resolve()
        return full.relative_to(root.resolve()).as_posix()
    except (OSError, ValueError):
        return None
