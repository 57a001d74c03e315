"""qingdan.yaml's `wording` (the project's glossary) and `repealed` (documents no longer in
force), built from what the schema accepted."""

from __future__ import annotations

from typing import Any

from ..model import Repeal, Wording, WordingRule
from .builders import Reader


def build_wording(reader: Reader) -> Wording:
    """The glossary's rules: each variant of a required form, and each forbidden form."""
    data = reader.source.data.get("wording")
    if not isinstance(data, dict) or not reader.ok(("wording",)):
        return Wording()
    rules: list[WordingRule] = []
    required = data.get("required")
    names: list[str] = []
    if isinstance(required, dict) and reader.ok(("wording", "required")):
        for right, variants in required.items():
            path = ("wording", "required", right)
            if not reader.ok(path):
                continue
            names.append(str(right))
            listed = [variants] if isinstance(variants, str) else list(variants)
            for i, wrong in enumerate(listed):
                at = path if isinstance(variants, str) else path + (i,)
                rules.append(WordingRule(str(wrong), str(right), reader.source.at(at)))
    forbidden: Any = data.get("forbidden")
    if reader.ok(("wording", "forbidden")):
        if isinstance(forbidden, dict):
            for wrong, right in forbidden.items():
                path = ("wording", "forbidden", wrong)
                if reader.ok(path):
                    rules.append(WordingRule(str(wrong), str(right) if right else None,
                                             reader.source.at(path, key=True)))
        elif isinstance(forbidden, list):
            for i, wrong in enumerate(forbidden):
                if reader.ok(("wording", "forbidden", i)):
                    rules.append(WordingRule(str(wrong), None,
                                             reader.source.at(("wording", "forbidden", i))))
    # A form of spaces names no wording (it would match indentation): left out.
    return Wording(rules=tuple(r for r in rules if r.wrong.strip() and r.wrong != r.right),
                   required=tuple(names))


def build_repealed(reader: Reader) -> tuple[Repeal, ...]:
    """The documents a project adds to qingdan's registry of repealed ones."""
    entries = reader.source.data.get("repealed")
    if not isinstance(entries, list) or not reader.ok(("repealed",)):
        return ()
    found = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not reader.ok(("repealed", i)):
            continue
        if not str(entry["title"]).strip().strip("《》"):
            continue  # a title of spaces names nothing
        edition = entry.get("edition")
        found.append(Repeal(
            title=str(entry["title"]).strip().strip("《》"), date=_day(str(entry["date"])),
            replacement=str(entry["replacement"]) if entry.get("replacement") else None,
            edition=str(edition) if edition is not None else None,
            number=str(entry["number"]) if entry.get("number") else None,
            location=reader.source.at(("repealed", i, "title"))))
    return tuple(found)


def _day(value: str) -> str:
    """2023-1-1 as 2023-01-01, so dates compare as strings."""
    parts = value.strip().split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return value
    return f"{int(parts[0]):04d}-{int(parts[1]):02d}-{int(parts[2]):02d}"
