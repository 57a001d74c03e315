"""build --ofd: an OFD beside every .docx the build wrote, made only when it changed.

The OFD is made from the document's PDF: the PDF beside it when build --pdf made it in the
same run, else one converted into a scratch folder and dropped. The output folder's
`.qingdan-ofd.json` records, for each .docx, its digest when its OFD was made, the OFD's
size and time, and which LibreOffice and OFD code made it. Every OFD is checked against
the schemas before anything is renamed; a failure leaves every OFD as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .. import office as pdf
from ..builder.manifest import recorded_documents
from ..diagnostics import Diagnostic, Failed, Location
from ..office import scratch as scratch_folders
from ..paths import display_path
from ..write.interrupts import quiet_worker
from ..write.staging import Staging
from . import Unsupported, convert
from .check import validate
from .docinfo import Described, describe, inherit

MANIFEST = ".qingdan-ofd.json"
VERSION = "1"  # of the converter: a new one remakes every OFD


@dataclass
class OfdResult:
    written: list[tuple[Path, bool]]  # every OFD of the build, and whether it changed
    converted: int


def _stamp(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def _load(out_dir: Path, identity: str) -> dict[str, Any]:
    try:
        data = json.loads((out_dir / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != 1 or data.get("office") != identity:
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def _current(docx: Path, entry: Any, digest: str) -> bool:
    try:
        return (isinstance(entry, dict) and entry.get("docx") == digest
                and entry.get("ofd") == _stamp(docx.with_suffix(".ofd")))
    except OSError:
        return False


def make_ofd(docx: bytes, pdf_bytes: bytes, described: Described | None = None) -> bytes:
    """One document's OFD from its .docx and PDF; raises Unsupported, or Failed-worthy
    ValueError when the package made would not be valid (a bug)."""
    described = described or describe(docx, pdf_bytes)
    data = convert(pdf_bytes, described.info, described.frames)
    problems = validate(data)
    if problems:
        raise ValueError("；".join(problems[:3]))
    return data


def build_ofds(out_dir: Path, office: pdf.Office, where: Location, pdfs_beside: bool,
               progress: Callable[[int], None] | None = None,
               on_plan: Callable[[int], None] | None = None) -> OfdResult:
    """Make the OFDs of the last build in out_dir that are missing or stale; raises Failed
    (E461 for what OFD cannot carry, E462 for a package that would not be valid, E422 and
    E424 from the PDF conversion)."""
    identity = f"{office.identity}|ofd{VERSION}"
    recorded = _load(out_dir, identity)
    documents = [d for d in recorded_documents(out_dir) if d.is_file()]
    names = {d: d.relative_to(out_dir.resolve()).as_posix() for d in documents}
    data = {d: d.read_bytes() for d in documents}
    digests = {d: hashlib.sha256(data[d]).hexdigest() for d in documents}
    todo = [d for d in documents if not _current(d, recorded.get(names[d]), digests[d])]
    if on_plan:
        on_plan(len(todo))
    folders = sorted({str(PurePosixPath(n).parent) for n in names.values()} - {"."})
    with Staging(out_dir, folders) as staging, scratch_folders.folder("ofd") as scratch:
        pdfs = _pdfs(todo, office, where, pdfs_beside, scratch)
        described = _described(todo, data, pdfs)
        made: dict[Path, bytes] = {}
        found: list[Diagnostic] = []
        jobs = [(data[d], pdfs[d], described[d]) for d in todo]
        for docx, (code, value) in zip(todo, _converted(jobs), strict=True):
            if code == "ok":
                made[docx] = value
            elif code == "E461":
                found.append(Diagnostic("E461", f"无法转换为 OFD：{value}",
                                        Location(display_path(docx)),
                                        "OFD 输出支持文字、线条、图片；模板中的旋转文字、渐变等"
                                        "请改为普通文字或图片"))
            else:
                found.append(Diagnostic("E462", f"生成的 OFD 不符合 GB/T 33190 的结构：{value}",
                                        Location(display_path(docx)),
                                        "这是 qingdan 的缺陷，请报告并附上这份文档"))
            if progress:
                progress(1)
        if found:
            raise Failed(found)
        staged = {docx: staging.stage(docx.with_suffix(".ofd"), ofd) for docx, ofd in made.items()}
        files = {}
        for docx in documents:
            with contextlib.suppress(OSError):
                files[names[docx]] = {"docx": digests[docx],
                                      "ofd": _stamp(staged.get(docx) or docx.with_suffix(".ofd"))}
        staging.stage(out_dir / MANIFEST, json.dumps(
            {"format": 1, "office": identity, "files": files}, ensure_ascii=False, indent=1,
            sort_keys=True).encode("utf-8"))
        staging.commit()
    return OfdResult([(d.with_suffix(".ofd"), staged.get(d) is not None) for d in documents],
                     len(todo))


def _one(job: tuple[bytes, bytes, Described]) -> tuple[str, Any]:
    """One document's OFD, or why not: ("ok", bytes), ("E461", message), ("E462", ...)."""
    try:
        return "ok", make_ofd(*job)
    except Unsupported as error:
        return "E461", str(error)
    except ValueError as error:
        return "E462", str(error)


def _converted(jobs: list[tuple[bytes, bytes, Described]]) -> list[tuple[str, Any]]:
    """Every job's result, in order: on every core when there are several documents (the
    OFD step should cost a fraction of the PDF conversion it follows)."""
    workers = min(os.cpu_count() or 1, len(jobs) // 4)
    if workers < 2:
        return [_one(job) for job in jobs]
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=quiet_worker, initargs=(os.getpid(),)) as pool:
        return pool.map(_one, jobs, chunksize=1)


def _pdfs(todo: list[Path], office: pdf.Office, where: Location, beside: bool,
          scratch: Path) -> dict[Path, bytes]:
    """Each document's PDF: the one beside it (build --pdf just made it), else converted."""
    if beside:
        return {docx: docx.with_suffix(".pdf").read_bytes() for docx in todo}
    jobs = [(docx, scratch / f"{i}.pdf") for i, docx in enumerate(todo)]
    pdf.convert_to_pdf(office, jobs, where)
    return {docx: target.read_bytes() for docx, target in jobs}


def _described(todo: list[Path], data: dict[Path, bytes],
               pdfs: dict[Path, bytes]) -> dict[Path, Described]:
    """Each document's DocInfo; documents a notice of the same folder issues take its
    organ and date."""
    result: dict[Path, Described] = {}
    by_folder: dict[Path, list[Path]] = {}
    for docx in todo:
        by_folder.setdefault(docx.parent, []).append(docx)
    for folder, members in by_folder.items():
        siblings = {d: describe(d.read_bytes(), b"") for d in folder.glob("*.docx")
                    if d not in members and d.is_file()}
        own = {d: describe(data[d], pdfs[d]) for d in members}
        merged = inherit({str(k): v for k, v in {**siblings, **own}.items()})
        result.update({d: merged[str(d)] for d in members})
    return result
