"""The only module that writes files: safe names, atomic replacement, reproducible zips."""

from __future__ import annotations

import io
import os
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path

# Names Windows refuses as file names, whatever the extension.
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
            *(f"LPT{i}" for i in range(1, 10))}
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
MAX_NAME = 120
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def safe_filename(name: str) -> str:
    """A file name made from a title or unit name that cannot leave its folder."""
    name = unicodedata.normalize("NFC", name)
    name = UNSAFE.sub("_", name).strip().strip(".").strip()
    name = name[:MAX_NAME]
    if not name or set(name) <= {"_", "."}:
        name = "未命名"
    if name.split(".")[0].upper() in RESERVED:
        name = f"_{name}"
    return name


def inside(folder: Path, name: str) -> Path:
    """folder/name, refusing anything that would resolve outside folder."""
    target = (folder / name).resolve()
    if folder.resolve() not in target.parents:
        raise ValueError(f"{name!r} escapes {folder}")
    return target


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a .docx with fixed timestamps and modes, so equal content gives equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def write_atomic(path: Path, data: bytes) -> bool:
    """Write data to path through a temporary file and a rename; False if already equal."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def temporary_beside(path: Path, data: bytes) -> Path:
    """Write data to a new temporary file next to path, to be renamed into place later."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return Path(tmp)
