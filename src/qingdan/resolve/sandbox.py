"""Jinja's sandbox with a work budget: user text and .docx templates are untrusted input.

Jinja's SandboxedEnvironment stops attribute tricks (`__class__`) and caps `range`, but
`{{ 'a' * 10**9 }}`, `{{ 'x'|center(10**9) }}`, nested loops and a string doubled in a
loop still take minutes or gigabytes. Here every render gets a Budget:

- any value the template makes (by an operator, a filter, a method, `~`) may hold at most
  `size` characters or items, counted through nested lists and dicts, and the render may
  make `produced` in all; the output may hold `output`;
- every loop step and every call spends one of `steps` (a call ten);
- integers stay below 2**`bits`; a width (center, indent, format specs, …) below `width`.

Sizes are predicted before an operation runs where the operation itself would be the
bomb (repeat, pad, replace, join, format), and checked on every result. Going over any
limit raises BudgetExceeded, which the caller reports as a located diagnostic (E305 for
text, E504 for a template). Statements that need a loader (include, import, extends)
are refused when the text is compiled. The immutable variant of the sandbox is used, so
no list or dict can be grown in place.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from collections import abc, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from jinja2 import TemplateSyntaxError, nodes
from jinja2.runtime import Context, markup_join, str_join
from jinja2.sandbox import (
    ImmutableSandboxedEnvironment,
    SandboxedEnvironment,
    modifies_known_mutable,
)
from jinja2.visitor import NodeTransformer


class BudgetExceeded(Exception):
    """A render went over its budget; the message is Chinese, for the user."""


@dataclass(frozen=True)
class Limits:
    size: int  # characters or items in one value
    produced: int  # characters or items made in one render
    output: int  # characters of one render's output
    steps: int  # loop steps and calls (a call counts 10)
    bits: int = 4096  # of an integer
    width: int = 10_000  # a pad, indent, repeat count or format width


TEXT_LIMITS = Limits(size=1_000_000, produced=10_000_000, output=1_000_000, steps=100_000)
TEMPLATE_LIMITS = Limits(size=64_000_000, produced=256_000_000, output=64_000_000,
                         steps=1_000_000)

# Filters and methods whose integer arguments are widths or counts of what they make.
WIDTHS = {"center", "ljust", "rjust", "zfill", "indent", "expandtabs", "batch", "slice",
          "tojson", "pprint", "wordwrap", "truncate", "range"}
FORMATS = {"format", "format_map"}
PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\*|\d*)(?:\.(\*|\d*))?")
BRACE_FIELD = re.compile(r"\{[^{}]*\}|\{[^{}]*\{")
DIGITS = re.compile(r"\d+")
FORBIDDEN = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)
MUTABLE_KINDS = (abc.MutableSet, abc.MutableMapping, abc.MutableSequence, deque)
_SAFE: dict[tuple[type, str], bool] = {}
MAX_REMEMBERED = 65536
PLAIN_VALUES = frozenset({str, int, float, bool, type(None), tuple, list, dict})


class Budget:
    """What one render may still spend."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.steps = limits.steps
        self.produced = limits.produced

    def step(self, cost: int = 1) -> None:
        self.steps -= cost
        if self.steps < 0:
            raise BudgetExceeded(f"计算量超过上限（{self.limits.steps:,} 步），"
                                 "可能是循环或递归过多")

    def make(self, size: int) -> None:
        if size > self.limits.size:
            raise BudgetExceeded(f"生成的内容过大（{size:,} 个字符或元素，上限 "
                                 f"{self.limits.size:,}）")
        self.produced -= size
        if self.produced < 0:
            raise BudgetExceeded(f"生成的内容总量超过上限（{self.limits.produced:,} 个字符"
                                 "或元素）")


_CURRENT: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("budget", default=None)


@contextlib.contextmanager
def budget(limits: Limits) -> Iterator[Budget]:
    """A fresh budget for the renders inside the block."""
    spent = Budget(limits)
    token = _CURRENT.set(spent)
    try:
        yield spent
    finally:
        _CURRENT.reset(token)


def _current() -> Budget:
    # Outside a render (Jinja folding constants while compiling) the strictest applies.
    return _CURRENT.get() or Budget(TEXT_LIMITS)


def deep_size(value: Any, cap: int) -> int:
    """Characters and items in value, nested containers included; stops counting past cap."""
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += len(item)
            stack.extend(item)
        elif isinstance(item, dict):
            total += len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, int) and not isinstance(item, bool):
            total += item.bit_length() // 3 + 1
        else:
            total += 1
        if total > cap:
            return total
    return total


def _format_width(pattern: str, percent: bool) -> int:
    """The widths and precisions a format string asks for, summed; refuses `*` widths and
    nested fields, whose size only the arguments would tell."""
    if percent:
        total = 0
        for width, precision in PERCENT_SPEC.findall(pattern):
            if "*" in (width, precision):
                raise BudgetExceeded("格式中不能用“*”指定宽度")
            total += int(width or 0) + int(precision or 0)
        return total
    total = 0
    for field in BRACE_FIELD.findall(pattern):
        if field.count("{") > 1:
            raise BudgetExceeded("格式中不能嵌套“{}”")
        spec = field.partition(":")[2]
        total += sum(int(d) for d in DIGITS.findall(spec))
    return total


class GuardedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox with a per-render budget; see the module docstring."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, limits: Limits, **options: Any):
        super().__init__(finalize=self._finalize, **options)
        self.limits = limits
        self.globals.pop("lipsum", None)
        self.globals["range"] = self._range
        self.filters = {name: self._guard_filter(name, func)
                        for name, func in self.filters.items()}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """The immutable sandbox's rule, remembered by the object's type and the attribute
        (it runs for every attribute a template reads). Jinja's rule looks at nothing
        else: the name, and what kind of object it is (a function, a method, a type, a
        frame, a mutable collection…)."""
        key = (type(obj), attr)
        safe = _SAFE.get(key)
        if safe is None:
            if len(_SAFE) >= MAX_REMEMBERED:  # names come from sources: keep it bounded
                _SAFE.clear()
            safe = _SAFE[key] = self._safe(obj, attr, value)
        return safe

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Jinja's sandboxed `obj.attribute`, quicker for what templates read all the time:
        an attribute the rule above has already allowed on this type, holding plain data
        (never a method, so never str.format, which Jinja wraps)."""
        if _SAFE.get((type(obj), attribute)):
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                pass
            else:
                if type(value) in PLAIN_VALUES:
                    return value
        return super().getattr(obj, attribute)

    def _safe(self, obj: Any, attr: str, value: Any) -> bool:
        if not SandboxedEnvironment.is_safe_attribute(self, obj, attr, value):
            return False
        return not isinstance(obj, MUTABLE_KINDS) or not modifies_known_mutable(obj, attr)

    # --- compiling: loops and `~` go through the budget; no loader statements --------

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for node in tree.find_all(FORBIDDEN):
            raise TemplateSyntaxError("不能使用 include、import、extends", node.lineno,
                                      name, filename)
        result = _Budgeted(self).visit(tree)
        assert isinstance(result, nodes.Template)
        return result

    def render_within(self, template: Any, context: dict[str, Any]) -> str:
        """template.render(context) within this environment's limits."""
        token = _CURRENT.set(Budget(self.limits))  # not budget(): this runs per text
        try:
            return str(template.render(context))
        finally:
            _CURRENT.reset(token)

    def concat(self, parts: Iterable[Any]) -> str:  # type: ignore[override]
        """The output of a render (and of a block or macro), bounded as it is joined."""
        limit = _current().limits.output
        room, pieces, stream = limit, [], iter(parts)
        while chunk := list(islice(stream, 512)):  # counted a chunk at a time: cheap
            room -= sum(map(len, chunk))
            if room < 0:
                raise BudgetExceeded(f"生成的文字超过上限（{limit:,} 个字符）")
            pieces += chunk
        return "".join(pieces)

    def qingdan_iter(self, iterable: Iterable[Any]) -> Iterator[Any]:
        spent = _current()
        for item in iterable:
            spent.step()
            yield item

    def qingdan_concat(self, *parts: Any) -> str:
        spent = _current()
        size = sum(deep_size(p, spent.limits.size) for p in parts)
        spent.make(size)
        return (markup_join if self.autoescape else str_join)(parts)

    # --- running: every call, operator and filter is charged ---------------------------

    def _finalize(self, value: Any) -> Any:
        if type(value) is str and len(value) <= self.limits.size:
            return value  # the common case, without the general count
        spent = _current()
        size = deep_size(value, spent.limits.size)
        if size > spent.limits.size:
            spent.make(size)  # raises
        return value

    def _range(self, *args: int) -> range:
        spent = _current()
        self._widths("range", args)
        made = range(*args)
        spent.step(len(made) // 10)
        spent.make(len(made))
        return made

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        own = getattr(__obj, "__self__", None) is __self
        if own:
            return super().call(__context, __obj, *args, **kwargs)
        spent = _current()
        spent.step(10)
        method = getattr(__obj, "__wrapped__", __obj)
        name = getattr(method, "__name__", "")
        owner = getattr(method, "__self__", None)
        if isinstance(owner, (str, list, tuple, dict)):
            __self._predict(name, owner, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        spent.make(deep_size(result, spent.limits.size))
        return result

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        spent = _current()
        cap = spent.limits.size
        if operator == "*":
            count = right if isinstance(left, (str, list, tuple)) else left
            seq = left if isinstance(left, (str, list, tuple)) else right
            if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
                spent.make(deep_size(seq, cap) * max(count, 0))
            elif isinstance(left, int) and isinstance(right, int):
                self._bits(abs(left).bit_length() + abs(right).bit_length())
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):
            if abs(left) > 1 and right > 0:
                self._bits(abs(left).bit_length() * min(right, 1 << 40))
        elif operator == "+" and isinstance(left, (str, list, tuple)):
            spent.make(deep_size(left, cap) + deep_size(right, cap))
        elif operator == "%" and isinstance(left, str):
            self._predict("format", left, right if isinstance(right, tuple) else (right,), {},
                          percent=True)
        result = super().call_binop(context, operator, left, right)
        if isinstance(result, (str, list, tuple)):
            spent.make(deep_size(result, cap))
        return result

    def _guard_filter(self, name: str, func: Any) -> Any:
        environment = self

        def guarded(*args: Any, **kwargs: Any) -> Any:
            spent = _current()
            spent.step(10)
            values = [a for a in args if not _is_jinja_internal(a)]
            if values:
                environment._predict(name, values[0], tuple(values[1:]), kwargs,
                                     percent=name == "format")
            result = func(*args, **kwargs)
            spent.make(deep_size(result, spent.limits.size))
            return result

        for attribute in ("jinja_pass_arg", "__name__", "__doc__"):
            if hasattr(func, attribute):
                setattr(guarded, attribute, getattr(func, attribute))
        return guarded

    def _predict(self, name: str, subject: Any, args: tuple[Any, ...], kwargs: dict[str, Any],
                 percent: bool = False) -> None:
        """Refuse a filter or method call whose result could exceed the size limit: its
        size is at most the subject's times one plus everything the arguments add."""
        spent = _current()
        cap = spent.limits.size
        everything = (*args, *kwargs.values())
        self._widths(name, everything)
        grows = 1
        for arg in everything:
            if isinstance(arg, int) and not isinstance(arg, bool) and name in WIDTHS:
                grows += abs(arg)
            else:
                grows += deep_size(arg, cap)
        if name in FORMATS and isinstance(subject, str):
            grows += _format_width(subject, percent)
        spent_size = (deep_size(subject, cap) + 1) * grows
        if spent_size > cap:
            spent.make(spent_size)  # raises

    def _widths(self, name: str, args: Iterable[Any]) -> None:
        for arg in args:
            if (isinstance(arg, int) and not isinstance(arg, bool) and name in WIDTHS
                    and abs(arg) > self.limits.width):
                raise BudgetExceeded(f"{name} 的参数 {arg:,} 过大（上限 {self.limits.width:,}）")

    def _bits(self, bits: int) -> None:
        if bits > self.limits.bits:
            raise BudgetExceeded(f"数值过大（约 {bits:,} 位二进制，上限 {self.limits.bits:,}）")


def _is_jinja_internal(value: Any) -> bool:
    """The context or environment Jinja passes to some filters before the value."""
    return isinstance(value, (Context, nodes.EvalContext, GuardedEnvironment))


class _Budgeted(NodeTransformer):
    """Rewrites a template so every loop step and every `~` passes through the budget."""

    def __init__(self, environment: GuardedEnvironment):
        self.environment = environment

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = self._own_call("qingdan_iter", [node.iter], node.lineno)  # type: ignore[list-item]
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return self._own_call("qingdan_concat", list(node.nodes), node.lineno)

    def _own_call(self, name: str, args: list[nodes.Expr], lineno: int) -> nodes.Call:
        call = nodes.Call(nodes.EnvironmentAttribute(name), args, [], None, None)
        call.set_lineno(lineno)
        call.set_environment(self.environment)
        return call

