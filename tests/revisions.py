"""Accept or reject every tracked revision of a .docx file: the product's own check
(qingdan.diff.revisions, which every redline passes before it is written) on a path."""

from __future__ import annotations

from pathlib import Path

from qingdan.diff.revisions import settle as settle_package


def settle(path: Path, accept: bool) -> list[str]:
    """The non-empty paragraph texts after accepting (or rejecting) every revision."""
    return settle_package(path.read_bytes(), accept)
