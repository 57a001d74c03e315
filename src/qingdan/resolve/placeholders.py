"""One piece of user text rendered in Jinja's sandbox, and its failure as a located
diagnostic: an undefined name with the closest one suggested, a syntax error at its line,
a refused operation, a budget exceeded. Text that only names values is filled without a
template (substitution.py). resolver.py resolves whole projects through render_text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, UndefinedError, nodes
from jinja2.sandbox import SecurityError

from ..diagnostics import Diagnostic, Failed, did_you_mean
from ..load.source import NOT_XML
from ..model import Text
from .refs import RefError
from .sandbox import TEXT_LIMITS, BudgetExceeded, GuardedEnvironment
from .substitution import Pieces, dotted, fill, pieces

# The sandbox with a work budget per text (sandbox.py): sources are untrusted input.
ENV = GuardedEnvironment(TEXT_LIMITS, undefined=StrictUndefined, autoescape=False)


def render_text(text: Text, context: dict[str, Any]) -> str:
    """Render one piece of user text in the sandbox; raises Failed with a located error."""
    if "{" not in text.value:
        return text.value
    parts = _substitution(text.value)
    if parts is not None:
        filled = fill(ENV, parts, context)
        if filled is not None and NOT_XML.search(filled) is None:
            return filled  # names filled in, exactly as Jinja would
    try:
        value = ENV.render_within(_template(text.value), context)
    except RefError as exc:
        raise Failed([Diagnostic(exc.code, exc.message, text.locate(exc.needle),
                                 hint=exc.hint)]) from None
    except TemplateSyntaxError as exc:
        raise Failed([Diagnostic("E303", f"占位符语法错误：{exc.message}",
                                 text.locate(_nth_line(text.value, exc.lineno)),
                                 hint="占位符写成 {{ unit.name }}，两侧各两个花括号")]) from None
    except UndefinedError as exc:
        name, choices = _undefined(text.value, context)
        if name is None:
            match = re.search(r"'([^']+)' is undefined|no attribute '([^']+)'", str(exc))
            name = next((g for g in match.groups() if g), None) if match else None
        hint = did_you_mean(name.rsplit(".", 1)[-1], choices) if name else None
        hint = hint or (f"可用的名称：{'、'.join(sorted(choices))}" if choices else None)
        raise Failed([Diagnostic("E302", f"占位符中的“{name or '?'}”未定义",
                                 text.locate(name.rsplit(".", 1)[-1] if name else "{{"),
                                 hint=hint)]) from None
    except BudgetExceeded as exc:
        raise Failed([Diagnostic("E305", f"占位符的计算量或结果超出限制：{exc}", text.locate("{"),
                                 hint="占位符只用来填入 unit.name 等变量，不要用它生成大段文字")]) \
            from None
    except (SecurityError, OverflowError) as exc:
        raise Failed([Diagnostic("E304", f"占位符使用了不允许的操作：{exc}", text.locate("{"),
                                 hint="占位符只用来填入 unit.name 等变量")]) from None
    except (RecursionError, SyntaxError):  # a run of "{", "(" or blocks past Jinja or Python
        raise Failed([Diagnostic("E303", "占位符无法求值：括号或标记嵌套过深", text.locate("{"),
                                 hint="占位符写成 {{ unit.name }}，两侧各两个花括号；"
                                      "文字中的花括号写成 {{ '{' }}")]) from None
    except Exception as exc:  # noqa: BLE001 - any failure of user text is the user's to fix
        raise Failed([Diagnostic("E303", f"占位符无法求值：{exc}", text.locate("{"),
                                 hint="占位符只用来填入 unit.name 等变量")]) from None
    bad = NOT_XML.search(value)
    if bad is not None:
        raise Failed([Diagnostic(
            "E306", f"占位符生成了 Word 文件不允许的字符 U+{ord(bad.group(0)):04X}",
            text.locate("{"), hint="检查占位符中的转义写法（如 \\x01）")])
    return value


@lru_cache(maxsize=4096)
def _substitution(source: str) -> Pieces | None:
    return pieces(ENV, source)


@lru_cache(maxsize=4096)
def _template(source: str) -> Template:
    """User text compiled once, however many units render it."""
    return ENV.from_string(source)


def _nth_line(value: str, lineno: int | None) -> str:
    lines = value.splitlines() or [""]
    line = lines[min(max((lineno or 1) - 1, 0), len(lines) - 1)]
    return line.strip()[:8] or "{"


def _undefined(source: str, context: dict[str, Any]) -> tuple[str | None, list[str]]:
    """The first dotted name in a template that the context lacks, and what exists there."""
    try:
        tree = ENV.parse(source)
    except (TemplateSyntaxError, RecursionError):
        return None, []
    for node in tree.find_all((nodes.Getattr, nodes.Name)):
        path = dotted(node)
        if path is None:
            continue
        scope: Any = context
        walked: list[str] = []
        for part in path:
            if not isinstance(scope, dict) or part not in scope:
                choices = list(scope) if isinstance(scope, dict) else []
                return ".".join(walked + [part]), choices
            scope = scope[part]
            walked.append(part)
    return None, list(context)
