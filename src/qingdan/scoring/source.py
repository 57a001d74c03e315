"""The results notice (kind: results, read by load/results.py), checked and rendered once
the results are known: who issues the 考核结果通报 and what it says.

It is a notice without attachments of its own: letterhead, number, title, recipients,
body, signature and date, as a clerk writes a 通知. `build` only validates it (the file
sits among the other sources); `score` renders it once the results are known. Its body
may use {{ results }} on a line of its own (the units by grade go there, or after the
body when it is left out), {{ assessment }}, {{ count }}, {{ summary }}, {{ year }} and
{{ unit.* }}. A date or number still 待定 makes it a draft, as for any notice.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..check.consistency import check_print_date, check_signature
from ..check.docnumber import check_date, check_number
from ..check.drafts import check_notice
from ..check.text import lint_texts
from ..check.wording import check_usage
from ..diagnostics import Diagnostic, Failed, did_you_mean
from ..load.results import ResultsSource, source_texts
from ..model import Measures, Notice, Text
from ..resolve.resolver import one_paragraph, render_text

MARKER = "\ue000results\ue000"  # where {{ results }} stood, until the lines replace it
DEFAULT_ATTACHMENT = "各单位考核得分情况"


def check_source(results: ResultsSource, assessments: list[Measures]) -> list[Diagnostic]:
    """Dates, document number, punctuation and typos, and the assessment it names."""
    notice = results.notice
    found = check_date(notice.date) + check_date(notice.print_date) + check_notice(notice)
    if notice.number is not None and "{" not in notice.number.value:
        found += check_number(notice.number, notice.date, pending=True)
    found += lint_texts(source_texts(results)) + check_usage(source_texts(results))
    found += check_print_date(notice)
    if "{" not in notice.mark.value + notice.signature.value:  # else checked once rendered
        found += check_signature(notice)
    names = [m.name for m in assessments]
    if results.assessment is not None and results.assessment.value not in names:
        found.append(Diagnostic(
            "E735", f"考核结果通报所指的考核办法“{results.assessment.value}”不存在",
            results.assessment.location,
            hint=did_you_mean(results.assessment.value, names) or
            f"写考核办法的源文件名（不含 .yaml）：{'、'.join(names)}"))
    elif results.assessment is None and len(names) > 1:
        found.append(Diagnostic(
            "E735", "项目中有多份考核办法，考核结果通报须写明 assessment",
            results.notice.location, hint=f"assessment 写其中之一：{'、'.join(names)}"))
    return found


def reports_on(results: ResultsSource, assessment: str) -> bool:
    return results.assessment is None or results.assessment.value == assessment


def render_source(results: ResultsSource, context: dict[str, Any],
                  lines: list[str]) -> tuple[Notice, str]:
    """The notice with every text rendered and the results lines in the body, and the
    attachment's title; raises Failed with every problem."""
    problems: list[Diagnostic] = []
    notice = results.notice
    context = context | {"results": MARKER}

    def render(text: Text | None, paragraphs: bool = False) -> Any:
        if text is None:
            return None
        try:
            value = render_text(text, context)
        except Failed as failed:
            problems.extend(failed.diagnostics)
            return text
        if paragraphs:
            value = "\n".join(one_paragraph(v) for v in value.splitlines() if v.strip())
        else:
            value = one_paragraph(value)
        return dataclasses.replace(text, value=value)

    body: Text = render(notice.body, paragraphs=True)
    paragraphs = body.paragraphs()
    if MARKER in paragraphs:
        at = paragraphs.index(MARKER)
        paragraphs[at:at + 1] = lines
    else:
        paragraphs += lines
    if any(MARKER in p for p in paragraphs):
        problems.append(Diagnostic(
            "E735", "{{ results }} 须单独写成一行（一段）", notice.body.locate("results"),
            hint="在正文中另起一行，只写 {{ results }}"))
    attachment = render(results.attachment)
    rendered = dataclasses.replace(
        notice, title=tuple(render(t) for t in notice.title), mark=render(notice.mark),
        number=render(notice.number), recipients=render(notice.recipients),
        signature=render(notice.signature), copy_to=render(notice.copy_to),
        printer=render(notice.printer),
        body=dataclasses.replace(body, value="\n".join(paragraphs)))
    if problems:
        raise Failed(problems)
    return rendered, attachment.value if attachment is not None else DEFAULT_ATTACHMENT
