"""Resolve a raw model for its unit: render placeholders in Jinja's sandbox, fill defaults.

User text is rendered with undefined names as errors; a failure points at the placeholder
itself (file, line and column inside the YAML value) and suggests the closest name.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from .diagnostics import Diagnostic, Failed, Location, did_you_mean
from .model import Project, ResponsibilityList, Text, Unit

ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


def context_for(unit: Unit, doc: ResponsibilityList) -> dict[str, Any]:
    """The names a list's text may use."""
    return {"unit": unit.variables(), "topic": doc.topic,
            "basis": "、".join(c.cite() for c in doc.basis)}


def resolve_project(project: Project) -> Project:
    """The project with every list's text rendered; raises Failed with all problems."""
    problems: list[Diagnostic] = []
    lists = tuple(_resolve_list(doc, project.unit, problems) for doc in project.lists)
    if problems:
        raise Failed(problems)
    return dataclasses.replace(project, lists=lists)


def _resolve_list(doc: ResponsibilityList, unit: Unit,
                  problems: list[Diagnostic]) -> ResponsibilityList:
    context = context_for(unit, doc)

    def render(text: Text | None, *, paragraphs: bool = False) -> Text | None:
        if text is None:
            return None
        try:
            value = render_text(text, context)
        except Failed as failed:
            problems.extend(failed.diagnostics)
            return text
        if paragraphs:
            value = "\n".join(one_paragraph(line) for line in value.splitlines() if line.strip())
        else:
            value = one_paragraph(value)
        return dataclasses.replace(text, value=value)

    preamble = doc.preamble
    if preamble is None and doc.basis:
        preamble = Text("根据{{ basis }}精神，结合工作实际，制定如下责任清单。", doc.location)
    roles = tuple(
        dataclasses.replace(
            role, heading=render(role.heading), lead=render(role.lead),
            items=tuple(dataclasses.replace(item, text=render(item.text)) for item in role.items))
        for role in doc.roles)
    return dataclasses.replace(
        doc, title=tuple(render(t) for t in doc.title), roles=roles,
        preamble=render(preamble, paragraphs=True), recipients=render(doc.recipients))


# Whitespace next to a Chinese character or full-width mark: YAML's folded (>) style turns
# line breaks into spaces, which Chinese text must not keep. Spaces between Latin words stay.
CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")


def one_paragraph(value: str) -> str:
    """Join a multi-line value into one paragraph, dropping the spaces folding put in."""
    return CJK_SPACE.sub("", " ".join(line.strip() for line in value.splitlines()).strip())


def render_text(text: Text, context: dict[str, Any]) -> str:
    """Render one piece of user text in the sandbox; raises Failed with a located error."""
    if "{" not in text.value:
        return text.value
    try:
        return ENV.from_string(text.value).render(context)
    except TemplateSyntaxError as exc:
        raise Failed([Diagnostic("E303", f"占位符语法错误：{exc.message}",
                                 _point(text, _nth_line(text.value, exc.lineno)),
                                 hint="占位符写成 {{ unit.name }}，两侧各两个花括号")]) from None
    except UndefinedError as exc:
        name, choices = _undefined(text.value, context)
        if name is None:
            match = re.search(r"'([^']+)' is undefined|no attribute '([^']+)'", str(exc))
            name = next((g for g in match.groups() if g), None) if match else None
        hint = did_you_mean(name.rsplit(".", 1)[-1], choices) if name else None
        hint = hint or (f"可用的名称：{'、'.join(sorted(choices))}" if choices else None)
        raise Failed([Diagnostic("E302", f"占位符中的“{name or '?'}”未定义",
                                 _point(text, name.rsplit(".", 1)[-1] if name else "{{"),
                                 hint=hint)]) from None
    except (SecurityError, OverflowError) as exc:
        raise Failed([Diagnostic("E304", f"占位符使用了不允许的操作：{exc}", _point(text, "{"),
                                 hint="占位符只用来填入 unit.name 等变量")]) from None
    except Exception as exc:  # noqa: BLE001 - any failure of user text is the user's to fix
        raise Failed([Diagnostic("E303", f"占位符无法求值：{exc}", _point(text, "{"),
                                 hint="占位符只用来填入 unit.name 等变量")]) from None


def _nth_line(value: str, lineno: int | None) -> str:
    lines = value.splitlines() or [""]
    line = lines[min(max((lineno or 1) - 1, 0), len(lines) - 1)]
    return line.strip()[:8] or "{"


def _point(text: Text, needle: str) -> Location:
    """The location of needle inside a YAML value, counting quotes and line breaks."""
    loc = text.location
    index = text.raw.find(needle) if text.raw and needle else -1
    if index < 0:
        return loc
    before = text.raw[:index]
    newlines = before.count("\n")
    if newlines == 0:
        return dataclasses.replace(loc, column=loc.column + index)
    return dataclasses.replace(loc, line=loc.line + newlines,
                               column=index - before.rfind("\n"))


def _undefined(source: str, context: dict[str, Any]) -> tuple[str | None, list[str]]:
    """The first dotted name in a template that the context lacks, and what exists there."""
    try:
        tree = ENV.parse(source)
    except TemplateSyntaxError:
        return None, []
    for node in tree.find_all((nodes.Getattr, nodes.Name)):
        dotted = _dotted(node)
        if dotted is None:
            continue
        scope: Any = context
        walked: list[str] = []
        for part in dotted:
            if not isinstance(scope, dict) or part not in scope:
                choices = list(scope) if isinstance(scope, dict) else []
                return ".".join(walked + [part]), choices
            scope = scope[part]
            walked.append(part)
    return None, list(context)


def _dotted(node: nodes.Node) -> list[str] | None:
    parts: list[str] = []
    while isinstance(node, nodes.Getattr):
        parts.append(node.attr)
        node = node.node
    if isinstance(node, nodes.Name) and node.ctx == "load":
        return [node.name, *reversed(parts)]
    return None
