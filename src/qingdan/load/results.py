"""The results notice source (kind: results), read as written: who issues the 考核结果通报
and what it says, its texts still holding their placeholders. `build` only validates it;
`score` renders it once the results are known (scoring/source.py); `fmt` and `new-year`
edit its texts like any other source's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Failed
from ..model import Notice, Text
from ..paths import display_path
from . import schema
from .builders import Reader
from .project import source_files
from .source import load_file, load_text


@dataclass(frozen=True)
class ResultsSource:
    """A results notice as written: its texts still hold their placeholders."""

    name: str
    notice: Notice
    assessment: Text | None
    attachment: Text | None


def results_sources(root: Path, texts: dict[Path, str] | None = None) -> list[ResultsSource]:
    """Every kind: results source of the project; raises Failed on a broken one.
    texts: file contents to use instead of what is on disk (fmt's corrected text)."""
    _, files = source_files(root)
    found: list[ResultsSource] = []
    problems: list[Diagnostic] = []
    for file in files:
        try:
            source = (load_text(texts[file], file, display_path(file)) if texts and file in texts
                      else load_file(file))
        except Failed as failed:
            problems += failed.diagnostics
            continue
        if not isinstance(source.data, dict) or source.data.get("kind") != "results":
            continue
        checked = schema.validate(source, "results")
        if checked.diagnostics:
            problems += checked.diagnostics
            continue
        data = source.data
        reader = Reader(source, checked)

        def text(key: str, data: dict[str, Any] = data, reader: Reader = reader) -> Text:
            return reader.t(data[key], (key,))

        notice = Notice(
            name=source.path.stem, mark=text("mark"), recipients=text("recipients"),
            body=text("body"), signature=text("signature"), date=text("date"),
            attachments=(), location=source.at(()), title=reader.title(data),
            number=reader.text(data, "number", ()), copy_to=reader.text(data, "copy_to", ()),
            printer=reader.text(data, "printer", ()),
            print_date=reader.text(data, "print_date", ()), draft=reader.text(data, "draft", ()))
        found.append(ResultsSource(source.path.stem, notice,
                                   reader.text(data, "assessment", ()),
                                   reader.text(data, "attachment", ())))
    if problems:
        raise Failed(problems)
    return found


def source_texts(results: ResultsSource) -> list[Text]:
    """The texts a clerk wrote in a results source, for lints and `qingdan fmt`."""
    notice = results.notice
    return [notice.mark, notice.recipients, notice.body, notice.signature, *notice.title,
            *(t for t in (notice.number, notice.copy_to, notice.printer, results.attachment)
              if t)]
