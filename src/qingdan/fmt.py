"""qingdan fmt: fix what is safe to fix mechanically, in place, only when asked.

Only half-width punctuation inside Chinese text is changed, character for character at
the offsets the loader recorded, so comments, quoting, indentation and key order stay
exactly as the clerk wrote them. The file itself stays the same file: a symbolic link's
target is fixed (the link stays), and its mode, owner and hard links are kept.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .checks.text import Fix, punctuation_fixes
from .load import display_path, load_text, read_text
from .project import CONFIG_NAME, load_project, source_files
from .writer import rewrite_in_place


def apply_fixes(text: str, fixes: list[Fix]) -> str:
    """text with each fix applied (offsets refer to the original text)."""
    out = list(text)
    for fix in fixes:
        if out[fix.offset] != fix.old:
            raise ValueError(f"offset {fix.offset} holds {out[fix.offset]!r}, not {fix.old!r}")
        out[fix.offset] = fix.new
    return "".join(out)


def format_project(path: Path, write: bool) -> list[tuple[str, int]]:
    """Fix every file of a project; returns (file, number of fixes) for each changed file."""
    project, _ = load_project(path)
    root, files = source_files(path)
    by_display = {display_path(f): f for f in [root / CONFIG_NAME, *files]}
    grouped: dict[str, list[Fix]] = defaultdict(list)
    only = display_path(path) if path.is_file() else None
    for fix in punctuation_fixes(project):
        if only in (None, fix.path):
            grouped[fix.path].append(fix)
    # Fix every file in memory first and check each still parses; only then write any.
    staged = []
    for display, fixes in sorted(grouped.items()):
        file = by_display[display]
        fixed = apply_fixes(read_text(file, display), fixes)
        load_text(fixed, file, display)  # raises Failed if a fix broke the YAML
        bom = "\ufeff" if file.read_bytes().startswith(b"\xef\xbb\xbf") else ""
        staged.append((file, display, (bom + fixed).encode("utf-8"), len(fixes)))
    if write:
        for file, _, data, _ in staged:
            rewrite_in_place(file, data)  # through a link, keeping mode, owner, hard links
    return [(display, count) for _, display, _, count in staged]

