"""A reworded text written back with the placeholders it had: when a unit rewords
"党支部把意识形态工作纳入…" and the source says "{{ unit.body }}把意识形态工作纳入…", the new
source keeps {{ unit.body }} wherever the rewording left its words alone. An edit that
touches what a placeholder printed makes the text literal there (reported by the caller).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

PLACEHOLDER = re.compile(r"\{\{.*?\}\}", re.S)


def _values(template: str, printed: str) -> list[tuple[int, int, str]] | None:
    """Where each placeholder's words are in printed: (start, end, placeholder source),
    placeholders side by side taken as one; None when the template's literal words do not
    spell printed in order."""
    pieces = PLACEHOLDER.split(template)
    marks = PLACEHOLDER.findall(template)
    literals, groups = [pieces[0]], []  # type: list[str], list[str]
    for mark, literal in zip(marks, pieces[1:], strict=True):
        if groups and not literals[-1] and len(literals) > 1:
            groups[-1] += mark  # {{ unit.short }}{{ unit.body }}: one run of words
            literals[-1] = literal
            continue
        groups.append(mark)
        literals.append(literal)
    if not printed.startswith(literals[0]):
        return None
    at = len(literals[0])
    found = []
    for n, (mark, literal) in enumerate(zip(groups, literals[1:], strict=True)):
        last = n == len(groups) - 1
        end = (len(printed) - len(literal) if last else printed.find(literal, at)
               ) if literal or last else -1
        if end < at or last and not printed.endswith(literal):
            return None
        found.append((at, end, mark))
        at = end + len(literal)
    return found if at == len(printed) else None


def retemplate(template: str, printed: str, new: str) -> tuple[str, bool]:
    """(the source text for new, whether every placeholder of template was kept)."""
    if "{{" not in template or "{%" in template or "{#" in template:
        return new, "{" not in template
    values = _values(template, printed)
    if values is None:
        return new, False
    ops = SequenceMatcher(None, printed, new, autojunk=False).get_opcodes()
    for tag, i1, i2, _, _ in ops:
        if tag == "equal":
            continue
        for start, end, _ in values:
            if (i1 < end and i2 > start) or (i1 == i2 and start < i1 < end) or start == end:
                return new, False
    out = new
    for start, end, mark in reversed(values):
        for tag, i1, i2, j1, _ in ops:
            if tag == "equal" and i1 <= start and end <= i2:
                at = j1 + (start - i1)
                out = out[:at] + mark + out[at + end - start:]
                break
        else:
            return new, False
    return out, True
