"""build --pdf: a PDF beside every .docx, through long-lived LibreOffice workers; incremental,
byte-stable, and a crash costs one restart, not the batch."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLE, office_missing, run_cli
from qingdan import office as pdf
from qingdan.proof.pages import read_lines

needs_office = pytest.mark.skipif(office_missing() is not None, reason=str(office_missing()))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    """The example built with --pdf, as the README shows; (output folder, what it printed)."""
    out = tmp_path_factory.mktemp("pdf") / "output"
    result = run_cli("build", "-o", str(out), "--pdf")
    assert result.exit_code == 0, result.output
    return out, result.stdout


@needs_office
def test_every_document_gets_its_pdf(built):
    out, printed = built
    documents = sorted(out.rglob("*.docx"))
    assert len(documents) == 20
    for document in documents:
        target = document.with_suffix(".pdf")
        assert target.read_bytes().startswith(b"%PDF-"), target
        assert f"已生成：{target}" in printed, printed
    _, lines = read_lines(out / "清河县粮食局党委意识形态工作责任清单.pdf", "pdftotext")
    assert lines[0].text == "清河县粮食局党委意识形态工作责任清单"


@needs_office
def test_no_space_between_chinese_and_digits(built):
    """LibreOffice ignores the .docx's autoSpaceDE/DN; the converter turns its own spacing
    off, so the date prints as one word, as in Word."""
    out, _ = built
    [notice] = out.glob("关于印发*.pdf")
    _, lines = read_lines(notice, "pdftotext")
    texts = [ln.text for ln in lines]
    assert "2024年3月15日" in texts, [t for t in texts if "2024" in t]
    assert any("清粮党发〔2024〕3号" == t for t in texts)


@needs_office
def test_an_unchanged_build_converts_nothing(built):
    out, _ = built
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")}
    started = time.monotonic()
    result = run_cli("build", "-o", str(out), "--pdf")
    assert result.exit_code == 0, result.output
    assert "已生成" not in result.stdout
    assert result.stdout.count(".pdf") == 20 and "未变化" in result.stdout
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")} == stamps
    assert time.monotonic() - started < 5


@needs_office
def test_converting_again_gives_the_same_bytes(built):
    """The worker has converted other documents since (LibreOffice numbers embedded fonts
    per process), and the PDF is still byte for byte the same."""
    out, _ = built
    [notice] = out.glob("关于印发*.pdf")
    before = notice.read_bytes()
    notice.unlink()
    result = run_cli("build", "-o", str(out), "--pdf")
    assert result.exit_code == 0, result.output
    assert f"已生成：{notice}" in result.stdout
    assert notice.read_bytes() == before


def test_missing_libreoffice_is_reported_before_anything_is_written(tmp_path):
    out = tmp_path / "out"
    result = run_cli("build", "-o", str(out), "--pdf",
                     env={pdf.ENV_SOFFICE: str(tmp_path / "no-soffice")})
    assert result.exit_code == 1
    assert "checklists/example/qingdan.yaml:1:1: error[E421]" in result.stderr
    assert "sudo apt-get install libreoffice-writer-nogui python3-uno" in result.stderr
    assert not out.exists()


@needs_office
def test_a_failed_conversion_changes_no_pdf(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("qingdan.yaml", "意识形态工作责任清单.yaml"):
        shutil.copy(EXAMPLE / name, project / name)
    out = tmp_path / "out"
    assert run_cli("build", str(project), "-o", str(out), "--pdf").exit_code == 0
    [target] = out.glob("*.pdf")
    before = target.read_bytes()
    source = project / "意识形态工作责任清单.yaml"
    source.write_text(source.read_text("utf-8").replace("话语权", "主动权"), "utf-8")
    result = run_cli("build", str(project), "-o", str(out), "--pdf",
                     env={pdf.ENV_TIMEOUT: "0.001"})
    assert result.exit_code == 1
    assert "error[E422]" in result.stderr and "没有改动任何 PDF" in result.stderr
    assert target.read_bytes() == before
    assert not list(out.glob(".*.tmp"))


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@needs_office
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_crash_mid_batch_is_restarted_and_the_document_retried(built, tmp_path):
    """LibreOffice is killed after the first document; the next one is converted by a new
    LibreOffice, and no document of the batch fails."""
    out, _ = built
    documents = sorted(out.glob("*.docx"))[:3]
    jobs = [(d, tmp_path / f"{i}.pdf") for i, d in enumerate(documents)]
    killed: list[int] = []
    with pdf.Converter(pdf.find_office(), workers=1) as converter:

        def crash(_: int) -> None:
            if not killed:
                [worker] = converter.live
                office = [worker.office_pid, *_children(worker.office_pid)]
                for pid in office:
                    os.kill(pid, signal.SIGKILL)
                killed.extend(office)

        failures = converter.convert(jobs, progress=crash)
        assert killed and converter.live[0].office_pid not in killed
    assert failures == []
    for _, target in jobs:
        assert target.read_bytes().startswith(b"%PDF-")
