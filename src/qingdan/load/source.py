"""YAML text -> plain data with a line/column mark for every key and value.

PyYAML builds nodes with marks and then throws the marks away; it also lets a repeated
mapping key silently replace the first. Here the node tree is composed safely (no
object construction), walked once, and every value is recorded by its path, so later
stages can point at the exact key or value that is wrong.

A clean document (almost every source) is read in one pass over the parser's events
instead (yamlread.py); this module's careful reading runs when that one gives up, and
gives the diagnostics.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostic, Failed, Location
from ..paths import display_path
from . import yamlerrors
from .yamlread import (
    MAX_DEPTH,
    MAX_EVENTS,
    MAX_NODES,
    MERGE_TAG,
    NOT_XML,
    STR_TAG,
    STR_TAGS,
    NotClean,
    Path_,
    Span,
    read_clean,
)
from .yamlread import CLoader as _CLoader
from .yamlread import Loader as _Loader

# A source larger than this is refused before it is parsed (README, "限制").
MAX_SOURCE_BYTES = 8 * 1024 * 1024


@dataclass
class Source:
    """One loaded file: its data and the span of every value and key, by path."""

    path: Path
    display: str
    text: str
    data: Any
    values: dict[Path_, int] = field(default_factory=dict)  # packed spans (Span.pack)
    keys: dict[Path_, int] = field(default_factory=dict)

    def at(self, path: Path_, key: bool = False) -> Location:
        """The location of a value (or of its key), falling back to the nearest parent."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe not in table and probe:
            probe = probe[:-1]
        found = table.get(probe) or self.values.get(probe)
        if found is None:
            return Location(self.display)
        span = Span.unpack(found)
        return Location(self.display, span.line, span.column)

    def span(self, path: Path_) -> Span | None:
        found = self.values.get(tuple(path))
        return None if found is None else Span.unpack(found)

    def key_spans(self) -> Iterator[tuple[Path_, Span]]:
        return ((path, Span.unpack(found)) for path, found in self.keys.items())


def _span(node: yaml.Node) -> Span:
    start = node.start_mark
    return Span(start.line + 1, start.column + 1, start.index, node.end_mark.index)


class _Walker:
    """Turns a composed node tree into plain data, recording spans and duplicate keys."""

    def __init__(self, source: Source):
        self.source = source
        self.loader = _Loader("")
        self.budget = MAX_NODES
        self.open: set[int] = set()
        self.problems: list[Diagnostic] = []

    def walk(self, node: yaml.Node, path: Path_) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _TooBig(node)
        if len(path) > MAX_DEPTH or id(node) in self.open:
            raise _TooDeep(node, id(node) in self.open)
        self.source.values[path] = _span(node).pack()
        if node.tag.startswith("!") or node.tag not in _Loader.yaml_constructors:
            raise yaml.constructor.ConstructorError(
                None, None, f"不支持的标记 {node.tag}", node.start_mark)
        if isinstance(node, yaml.ScalarNode):
            value = node.value if node.tag == STR_TAG else self._scalar(node)
            self._check_characters(value, node)
            return value
        self.open.add(id(node))  # an alias inside its own anchor would never end
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            return [self.walk(item, path + (i,)) for i, item in enumerate(node.value)]
        finally:
            self.open.discard(id(node))

    def _check_characters(self, value: Any, node: yaml.Node) -> None:
        bad = NOT_XML.search(value) if isinstance(value, str) else None
        if bad is not None:
            self.problems.append(Diagnostic(
                "E104", f"文字中有 Word 文件不允许的字符 U+{ord(bad.group(0)):04X}",
                self._loc(node), hint="删去该字符（多由 \\x01、\\u0000 等转义写法带入）"))

    def _scalar(self, node: yaml.Node) -> Any:
        # Dates stay as the text the clerk wrote; rendering decides their format.
        if node.tag in STR_TAGS:
            return str(node.value)
        return self.loader.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Span] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                if self.source.text.startswith("{{", key_node.start_mark.index - 1):
                    self.problems.append(Diagnostic(
                        "E101", "YAML 语法错误：以“{{”开头的文字没有加引号，被读成了花括号映射",
                        self._loc(key_node), hint="以“{{”开头的文字要整段加引号，例如 "
                        "text: \"{{ unit.name }}……\""))
                else:
                    self.problems.append(Diagnostic(
                        "E101", "键必须是简单的文字", self._loc(key_node),
                        hint="不要用列表或映射作键"))
                continue
            if key_node.tag == MERGE_TAG:
                self.problems.append(Diagnostic(
                    "E107", "不支持 YAML 的合并键“<<”", self._loc(key_node),
                    hint="把要共用的内容在各处直接写出"))
                continue
            raw_key = self._scalar(key_node)
            if raw_key is None:
                self.problems.append(Diagnostic(
                    "E107", "键不能为空（null 或 ~）", self._loc(key_node),
                    hint="写出键名，如 name:；要写字面的 null 请加引号：\"null\":"))
                continue
            self._check_characters(raw_key, key_node)
            key = str(raw_key)
            span = _span(key_node)
            if key in first_seen:
                first = first_seen[key]
                self.problems.append(Diagnostic(
                    "E102", f"键“{key}”重复出现", self._loc(key_node),
                    hint=f"第一次出现在第 {first.line} 行；PyYAML 会静默保留后一个，"
                         "请合并或删除其中一个"))
                continue
            first_seen[key] = span
            self.source.keys[path + (key,)] = span.pack()
            result[key] = self.walk(value_node, path + (key,))
        return result

    def _loc(self, node: yaml.Node) -> Location:
        span = _span(node)
        return Location(self.source.display, span.line, span.column)


class _TooBig(Exception):
    def __init__(self, node: yaml.Node):
        self.node = node


class _TooDeep(Exception):
    def __init__(self, node: yaml.Node, cyclic: bool):
        self.node = node
        self.cyclic = cyclic


def read_text(path: Path, display: str) -> str:
    """Read a UTF-8 file (a BOM is allowed); anything else is a diagnostic, not a crash."""
    try:
        raw = read_bounded(path, display)
    except OSError as exc:
        raise Failed([Diagnostic("E103", f"无法读取文件：{exc.strerror or exc}",
                                 Location(display))]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise Failed([Diagnostic(
            "E103", "文件不是 UTF-8 编码", Location(display, line, column),
            hint="在编辑器中以“UTF-8”编码另存（WPS、记事本的“另存为”里可选）")]) from None


def read_bounded(path: Path, display: str) -> bytes:
    """A regular file's bytes, refusing one past MAX_SOURCE_BYTES (and a pipe or device,
    which could block or never end)."""
    # Non-blocking, so a named pipe cannot stall the open; refused just below.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise OSError(0, "不是普通文件（是管道、设备或文件夹）")
        raw = handle.read(MAX_SOURCE_BYTES + 1)
    if len(raw) > MAX_SOURCE_BYTES:
        raise Failed([Diagnostic(
            "E105", f"源文件过大（超过 {MAX_SOURCE_BYTES // 2**20} MB）", Location(display),
            hint="把内容拆成几个源文件；单位名册可以分成多个 kind: roster 文件")])
    return raw


def _count(text: str, loader: type) -> tuple[Any, int, int]:
    """Walk the parser's events until the nesting passes MAX_DEPTH or the events MAX_EVENTS:
    the event where that happened, the depth and the count (None when neither did)."""
    depth = events = 0
    for event in yaml.parse(text, Loader=loader):
        events += 1
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if depth > MAX_DEPTH or events > MAX_EVENTS:
            return event, depth, events
    return None, depth, events


def _too_deep(display: str, mark: Any) -> Failed:
    loc = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display)
    return Failed([Diagnostic("E106", f"嵌套超过 {MAX_DEPTH} 层", loc,
                              hint="检查括号是否配对、缩进是否层层加深")])


def _shape(text: str, display: str) -> None:
    """Refuse, before the tree is built, a document nested deeper than MAX_DEPTH or with
    more than MAX_EVENTS parts: libyaml's composer recurses in C and would crash, and
    composing is slow. Counting parser events is cheap and needs no recursion."""
    try:
        event, depth, _ = _count(text, _CLoader)
    except yaml.YAMLError as exc:
        if "nesting depth" not in str(getattr(exc, "problem", "") or ""):
            return  # reported by the parse that follows
        # libyaml 0.2.5 as PyYAML 6.0.3+ bundles it refuses flow nesting past 1,000 while
        # scanning ahead, before the event that passes MAX_DEPTH is seen. The Python
        # parser is a state machine (no recursion): count again with it to point at the
        # level where MAX_DEPTH was passed.
        mark = getattr(exc, "problem_mark", None)  # a MarkedYAMLError's, as the text says
        if len(text) > 2**20:
            raise _too_deep(display, mark) from None
        try:
            event, depth, _ = _count(text, _Loader)
        except (yaml.YAMLError, RecursionError):
            raise _too_deep(display, mark) from None
    if event is None:
        return
    if depth > MAX_DEPTH:
        raise _too_deep(display, event.start_mark)
    mark = event.start_mark
    loc = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display)
    raise Failed([Diagnostic("E105", f"源文件的内容过多（超过 {MAX_EVENTS} 个键和值）", loc,
                             hint="把内容拆成几个源文件")])


def load_text(text: str, path: Path, display: str) -> Source:
    """Parse YAML text into a Source; raises Failed with every problem found."""
    source = Source(path=path, display=display, text=text, data=None)
    values: dict[Path_, int] = {}
    keys: dict[Path_, int] = {}
    try:
        source.data = read_clean(text, values, keys)
    except NotClean:  # read again the careful way, for its diagnostics
        source.data = None
    else:
        source.values, source.keys = values, keys
        return source
    _shape(text, display)
    try:
        try:
            root = yaml.compose(text, Loader=_CLoader)
        except yaml.YAMLError as c_error:
            if len(text) > 2**20:
                raise
            # Errors are rare: parse again in Python for its fuller messages.
            try:
                root = yaml.compose(text, Loader=_Loader)
            except RecursionError:  # the Python composer recurses: keep libyaml's word
                raise c_error from None
    except yaml.MarkedYAMLError as exc:
        raise Failed([_syntax_error(exc, text, display)]) from None
    except yaml.reader.ReaderError as exc:
        before = text[:exc.position]
        loc = Location(display, before.count("\n") + 1, exc.position - before.rfind("\n"))
        raise Failed([Diagnostic(
            "E101", yamlerrors.message(exc), loc,
            hint="删除这个字符（通常是从网页或文档复制时带进来的）")]) from None
    except yaml.YAMLError as exc:
        raise Failed([Diagnostic("E101", yamlerrors.message(exc), Location(display))]) from None
    if root is None:
        return source
    walker = _Walker(source)
    try:
        source.data = walker.walk(root, ())
    except _TooBig as big:
        raise Failed([Diagnostic("E101", "文件展开后过大（别名嵌套过多）", walker._loc(big.node),
                                 hint="不要用 YAML 别名（*name）层层引用")]) from None
    except _TooDeep as deep:
        message = "别名引用了它自身所在的内容" if deep.cyclic else f"嵌套超过 {MAX_DEPTH} 层"
        raise Failed([Diagnostic("E106", message, walker._loc(deep.node),
                                 hint="不要在锚点（&name）的内容里引用它自己（*name）"
                                 if deep.cyclic else "检查缩进是否层层加深")]) from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        loc = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display)
        problem = exc.problem or ""
        if "merge" in problem:
            message, hint = "YAML 语法错误：不支持合并键“<<:”", "把要合并的内容直接写出来"
        elif problem.startswith("不支持"):
            message, hint = f"YAML 语法错误：{problem}", "不要使用“!”开头的标记"
        else:
            message, hint = "YAML 语法错误：无法识别的值", "检查该行的写法，文字可加引号"
        raise Failed([Diagnostic("E101", message, loc, hint=hint)]) from None
    if walker.problems:
        raise Failed(walker.problems)
    return source


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, display: str) -> Diagnostic:
    """E101 where the mistake is: where the construct left open begins (a quote or a
    bracket that never closes, a line read as the start of a key that never got its
    colon), else where the parser stopped."""
    mark = exc.problem_mark or exc.context_mark
    context = exc.context or ""
    if ("quoted scalar" in context or "simple key" in context) and exc.context_mark:
        mark = exc.context_mark
    message, hint = yamlerrors.message(exc), yamlerrors.hint(exc, text)
    if "quoted scalar" not in context and len(text) <= 2**20:
        found = yamlerrors.left_open(exc, text)
        if found is not None:
            mark, message = found
            hint = yamlerrors.open_hint(text, mark)
    loc = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display)
    return Diagnostic("E101", message, loc, hint=hint)


def load_file(path: Path, display: str | None = None) -> Source:
    """Read and parse one YAML file."""
    display = display or display_path(path)
    return load_text(read_text(path, display), path, display)
