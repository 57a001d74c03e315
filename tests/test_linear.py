"""Checking and building take time linear in a source's text (issue 23: a small input
must never hang). Nothing is timed: the regular expressions that run on source text are
held to shapes that cannot backtrack over a run (tests/regex_shapes.py), the template-mark
scanner that replaced a quadratic pattern is compared with it, and the line breaker's
work on a word longer than a line is counted at n and 4n."""

from __future__ import annotations

import importlib
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from qingdan.layout import grid
from qingdan.resolve.substitution import blank_templates, template_spans
from regex_shapes import problems

# Modules whose patterns run on what a source holds (text, keys, dates, numbers).
ON_SOURCE_TEXT = [
    "qingdan.check.text", "qingdan.check.marks", "qingdan.check.prose",
    "qingdan.check.arithmetic", "qingdan.check.docnumber",
    "qingdan.check.coverage", "qingdan.check.notice", "qingdan.check.work",
    "qingdan.check.drafts", "qingdan.resolve.resolver", "qingdan.resolve.refs",
    "qingdan.resolve.placeholders", "qingdan.load.builders", "qingdan.load.formats",
    "qingdan.rewrite.fmt", "qingdan.words.numbering", "qingdan.words.dates",
    "qingdan.words.drafts", "qingdan.layout.titles", "qingdan.annual.newyear",
]
# Shapes the conservative check cannot see are linear, each with its reason.
LINEAR_BY_ARGUMENT = {
    # findall consumes a run whole; after a separator the next letters are mandatory.
    r"[A-Za-z0-9]+(?:[.\-/][A-Za-z0-9]+)*|.",
    # Starts only at a "%"; everything after it is optional, so a match never fails.
    r"%(?:\([^)]*\))?[-+ #0]*(\*|\d*)(?:\.(\*|\d*))?",
}

OLD_MARKS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def test_no_pattern_on_source_text_can_backtrack_over_a_run():
    found = {}
    for name in ON_SOURCE_TEXT:
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str) \
                    and value.pattern not in LINEAR_BY_ARGUMENT:
                if problems(value):
                    found[f"{name}.{attribute}"] = (value.pattern, problems(value))
    assert not found, found


def test_the_shape_check_sees_the_patterns_that_hung():
    for pattern in (OLD_MARKS, re.compile(r"(\d+(?:\.\d+)?)\s*[%％﹪]"),
                    re.compile(r"\s*(?:—+|－|～|~|至)\s*"),
                    re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")):
        assert problems(pattern), pattern.pattern


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="{}%#ab\n ", max_size=40))
def test_template_marks_are_found_as_the_old_pattern_found_them(text):
    assert template_spans(text) == [m.span() for m in OLD_MARKS.finditer(text)]
    assert blank_templates(text) == OLD_MARKS.sub(lambda m: "\x00" * len(m.group(0)), text)
    assert blank_templates(text, "", ("{{",)) == re.sub(r"\{\{.*?\}\}", "", text, flags=re.S)


def test_marks_never_closed_are_scanned_once():
    """20,000 openers that never close: each is looked at once (the old pattern searched
    to the end of the text from every one of them)."""
    assert template_spans("{{" * 20_000 + "{%" * 20_000) == []
    assert template_spans("{{" * 20_000 + "}}") == [(0, 40_002)]


def test_a_word_longer_than_many_lines_is_cut_in_one_pass(monkeypatch):
    """A line of digits n long is measured character by character a bounded number of
    times per character: the work at 4n is about four times the work at n."""
    calls = []
    real = grid.width

    def counted(text, metrics):
        calls.append(len(text))
        return real(text, metrics)

    monkeypatch.setattr(grid, "width", counted)
    work = []
    for n in (5_000, 20_000):
        calls.clear()
        lines = grid.break_lines("中文" + "1" * n + "。", 28, 28, grid.METRICS[0])
        assert "".join(lines) == "中文" + "1" * n + "。"
        assert all(len(line) <= 60 for line in lines)
        work.append(sum(calls))
    assert work[1] < 4.5 * work[0], work
