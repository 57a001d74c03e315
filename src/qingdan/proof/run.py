"""qingdan proof: render what build would write, print it with LibreOffice, check the pages.

The documents are rendered as `build` renders them, every unit's, into a temporary folder
that is removed afterwards; nothing is written to the output folder or the sources.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import office as pdf
from ..builder.incremental import Job, plan
from ..builder.pipeline import Prepared, apply_settings, build_unit, prepare
from ..builder.run import run_build
from ..diagnostics import Diagnostic, Failed, Location, errors
from ..model import Notice, Project
from ..office import scratch
from ..paths import config_location
from ..resolve.units import resolve_for_unit
from . import docx as docx_text
from .checks import Printed, check
from .fonts import substitutions
from .locate import Locator
from .pages import ENV_PDFTOTEXT, Line, find_pdftotext, read_lines


@dataclass
class ProofResult:
    """What a proof found (warnings only, or it raised), over how many documents and pages."""

    found: list[Diagnostic]
    documents: int
    pages: int
    notes: list[str] = field(default_factory=list)  # what the project accepts, said once


@dataclass
class _Document:
    name: str  # the PDF's path as build would write it, inside the output folder
    data: bytes
    model: Project
    source: str
    docx: Path
    pdf: Path


def require_pdftotext(where: Location) -> str:
    found = find_pdftotext()
    if found is None:
        raise Failed([Diagnostic(
            "E423", "找不到 pdftotext，无法读取 PDF 的页面", where,
            "Debian、Ubuntu 执行 sudo apt-get install poppler-utils；已安装在别处时，"
            f"用环境变量 {ENV_PDFTOTEXT} 指出 pdftotext 的位置")])
    return found


def _model(project: Project, source: str) -> Any:
    documents: list[Any] = [*project.lists, *project.measures, *project.notices]
    return next((d for d in documents if d.name == source), None)


def run_proof(path: Path, strict: bool = False,
              progress: Callable[[int], None] | None = None,
              on_plan: Callable[[int], None] | None = None,
              ofd: Callable[[bytes, bytes], tuple[str, Any]] | None = None) -> ProofResult:
    """Check the printed pages of every document build would write; raises Failed with
    every problem (and the sources' own, as check reports them) when any is an error.
    With ofd (docx, PDF bytes -> ("ok", (sizes, lines)) or (code, message)), each
    document's OFD pages are checked the same way."""
    where = config_location(path)
    office = pdf.require_office(where)
    pdftotext = require_pdftotext(where)
    checked = run_build(path, None, strict=strict)
    prepared = prepare(path)
    jobs, _ = plan(prepared, path, None, {})
    found = list(checked.warnings)
    with scratch.folder("proof") as work:
        documents = _render(prepared, jobs, work)
        if on_plan:
            on_plan(len(documents))
        with pdf.converter(office) as converter:
            failures = {f.src: f.error for f in pdf.reported(
                where, converter.convert, [(d.docx, d.pdf) for d in documents], progress)}
        done = [d for d in documents if d.docx not in failures]
        for doc in documents:
            if doc.docx in failures:
                model = _model(doc.model, doc.source)
                found.append(Diagnostic(
                    "E422", f"LibreOffice 无法把“{doc.name}”转换为 PDF：{failures[doc.docx]}",
                    model.location if model is not None else where,
                    f"用 LibreOffice 打开同名 .docx 查看；转换较慢时可用环境变量 "
                    f"{pdf.ENV_TIMEOUT} 放宽每份文档的时限（秒）"))
        faces, notes = substitutions(((d.data, d.pdf) for d in done), where,
                                     accepted=prepared.project.printing.open_fonts)
        found += faces
        workers = max(1, min(os.cpu_count() or 1, len(done)))
        with ThreadPoolExecutor(workers) as pool:
            read = list(pool.map(lambda d: _read(d, pdftotext), done))
        if ofd is not None:
            found += _ofd_pages(done, ofd, where)
    pages = 0
    for doc, pages_read in zip(done, read, strict=True):
        if isinstance(pages_read, str):
            model = _model(doc.model, doc.source)
            found.append(Diagnostic("E422", f"无法读取“{doc.name}”的页面：{pages_read}",
                                    model.location if model is not None else where,
                                    "确认 poppler-utils 能正常运行"))
            continue
        sizes, lines = pages_read
        pages += len(sizes)
        found += _check(doc, sizes, lines, where)
    found = apply_settings(found, prepared.project.settings)
    if errors(found) or (strict and found):
        raise Failed(found)
    return ProofResult(found, len(documents), pages, notes)


def _ofd_pages(done: list[_Document], ofd: Callable[[bytes, bytes], tuple[str, Any]],
               where: Location) -> list[Diagnostic]:
    """Each document's OFD checked as its PDF is (proof --ofd)."""
    found: list[Diagnostic] = []
    for doc in done:
        name = doc.name.removesuffix(".pdf") + ".ofd"
        code, value = ofd(doc.data, doc.pdf.read_bytes())
        if code != "ok":
            model = _model(doc.model, doc.source)
            found.append(Diagnostic(code, f"{value}（{name}）",
                                    model.location if model is not None else where,
                                    "OFD 由 PDF 的页面转换而来；请报告这份文档"))
            continue
        sizes, lines = value
        found += _check(replace(doc, name=name), sizes, [Line(*line) for line in lines], where)
    return found


def _read(doc: _Document, pdftotext: str) -> tuple[list[tuple[float, float]], list[Line]] | str:
    """The PDF's pages and lines, or why pdftotext could not read them."""
    try:
        return read_lines(doc.pdf, pdftotext)
    except (OSError, subprocess.SubprocessError) as error:
        return str(error)


def _render(prepared: Prepared, jobs: list[Job], scratch: Path) -> list[_Document]:
    """Every unit's documents, as .docx files in the scratch folder."""
    documents: list[_Document] = []
    for job in jobs:
        result = build_unit(prepared, job.unit, job.folder)
        model = resolve_for_unit(prepared.project, prepared.index, job.unit)
        for output in result.outputs:
            n = len(documents)
            stem = output.name.removesuffix(".docx")
            name = f"{job.folder}/{stem}.pdf" if job.folder else f"{stem}.pdf"
            docx = scratch / f"{n}.docx"
            docx.write_bytes(output.data)
            documents.append(_Document(name, output.data, model, output.source, docx,
                                       scratch / f"{n}.pdf"))
    return documents


def _check(doc: _Document, sizes: list[tuple[float, float]], lines: list[Line],
           where: Location) -> list[Diagnostic]:
    model = _model(doc.model, doc.source)
    fallback = model.location if model is not None else where
    printed = Printed(
        name=doc.name, paragraphs=docx_text.paragraphs(doc.data),
        frames=docx_text.frames(doc.data), sizes=sizes, lines=lines,
        locator=Locator(doc.model, fallback),
        notice=model if isinstance(model, Notice) else None, duplex=doc.model.printing.duplex)
    return check(printed)
