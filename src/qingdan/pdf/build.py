"""build --pdf: a PDF beside every .docx the build wrote, converted only when it changed.

The output folder's `.qingdan-pdf.json` records, for each .docx, the digest it had when its
PDF was made, the PDF's size and time, and which LibreOffice (and qingdan PDF code) made
it. A PDF whose .docx, converter and file are as recorded is not converted again. PDFs are
renamed into place only when every conversion succeeded; otherwise none is touched.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .. import office as pdf
from ..builder.manifest import recorded_documents
from ..diagnostics import Location
from ..office import scratch
from ..write.staging import Staging

MANIFEST = ".qingdan-pdf.json"


@dataclass
class PdfResult:
    written: list[tuple[Path, bool]]  # every PDF of the build, and whether it changed
    converted: int


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stamp(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def _load(out_dir: Path, office: pdf.Office) -> dict[str, Any]:
    try:
        data = json.loads((out_dir / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != 1 \
            or data.get("office") != office.identity:
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def _current(docx: Path, entry: Any, digest: str) -> bool:
    target = docx.with_suffix(".pdf")
    try:
        return (isinstance(entry, dict) and entry.get("docx") == digest
                and entry.get("pdf") == _stamp(target))
    except OSError:
        return False


def build_pdfs(out_dir: Path, office: pdf.Office, where: Location,
               progress: Callable[[int], None] | None = None,
               on_plan: Callable[[int], None] | None = None) -> PdfResult:
    """Convert the documents of the last build in out_dir whose PDF is missing or stale;
    raises Failed when any could not be converted (E422, located at the .docx) or
    LibreOffice would not start (E424, located at where)."""
    recorded = _load(out_dir, office)
    documents = [d for d in recorded_documents(out_dir) if d.is_file()]
    # As recorded_documents makes them: absolute, `..` kept (resolving it would also
    # resolve links, and the names would no longer be below the folder).
    names = {d: d.relative_to(out_dir.absolute()).as_posix() for d in documents}
    digests = {d: _digest(d) for d in documents}
    todo = [d for d in documents if not _current(d, recorded.get(names[d]), digests[d])]
    if on_plan:
        on_plan(len(todo))
    folders = sorted({str(PurePosixPath(name).parent) for name in names.values()} - {"."})
    # Locked for the whole step, so no build changes a .docx under the conversion.
    with Staging(out_dir, folders) as staging, scratch.folder("pdf") as work:
        jobs = [(d, work / f"{i}.pdf") for i, d in enumerate(todo)]
        pdf.convert_to_pdf(office, jobs, where, progress)
        # Every PDF or none, the manifest last; each scratch PDF exists (the converter
        # checked). A rename keeps the size and time: the temporary's stamp is the PDF's.
        staged = {docx: staging.stage(docx.with_suffix(".pdf"), scratch_pdf.read_bytes())
                  for docx, scratch_pdf in jobs}
        files = {}
        for docx in documents:
            with contextlib.suppress(OSError):
                files[names[docx]] = {"docx": digests[docx],
                                      "pdf": _stamp(staged.get(docx) or docx.with_suffix(".pdf"))}
        staging.stage(out_dir / MANIFEST, json.dumps(
            {"format": 1, "office": office.identity, "files": files}, ensure_ascii=False,
            indent=1, sort_keys=True).encode("utf-8"))
        staging.commit()
    return PdfResult([(d.with_suffix(".pdf"), staged.get(d) is not None)
                      for d in documents], len(todo))
