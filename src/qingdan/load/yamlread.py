"""The YAML rules qingdan reads by, and the one-pass reader for clean documents.

Almost every source is a clean document: plain keys, no anchors or aliases, no tags, no
duplicate keys, nothing Word cannot store. `read_clean` turns libyaml's parser events
straight into data and spans, without building PyYAML's node tree first (which costs more
than the parse itself for a long list or roster). On anything else it gives up
(`NotClean`), and source.py reads the document the careful way, with every diagnostic.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

import yaml

Path_ = tuple[str | int, ...]

# A guard against "billion laughs": aliases may be expanded at most this many nodes.
MAX_NODES = 200_000
MAX_EVENTS = 250_000  # keys, values and collection marks, before aliases are expanded
MAX_DEPTH = 64
# Characters XML 1.0 (and so Word) does not allow in text; YAML's "\x01" or "\ud800" escapes
# make them.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
STR_TAG = "tag:yaml.org,2002:str"
MERGE_TAG = "tag:yaml.org,2002:merge"
STR_TAGS = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary"}  # kept as written


class Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false, so `off`, `yes`, `no` stay text."""


# libyaml parses a large roster several times faster and keeps the same marks.
_Composer = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CLoader(_Composer):  # type: ignore[misc, valid-type]
    """The same resolution rules on libyaml's parser, when PyYAML was built with it."""


for _cls in (Loader, CLoader):
    _cls.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _cls.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"))

_RESOLVERS: dict[Any, list[tuple[str, re.Pattern[str]]]] = Loader.yaml_implicit_resolvers
_WILDCARD = _RESOLVERS.get(None, [])


class Span(NamedTuple):
    """Where a node starts (1-based line and column) and its character range in the file
    (end -1 while a collection is still open)."""

    line: int
    column: int
    start: int
    end: int

    def pack(self) -> int:
        """The span as one integer, as a source's tables keep it: a roster records a
        hundred thousand spans, and one integer takes a quarter of a tuple of four."""
        return packed(*self)

    @classmethod
    def unpack(cls, value: int) -> Span:
        return cls(value >> 97, value >> 65 & _MASK32, value >> 33 & _MASK32,
                   (value & _MASK33) - 1)


_MASK32, _MASK33 = (1 << 32) - 1, (1 << 33) - 1


def packed(line: int, column: int, start: int, end: int) -> int:
    """Span(line, column, start, end).pack(), without making the Span."""
    return (line << 97) | (column << 65) | (start << 33) | (end + 1)


def packed_end(value: int, end: int) -> int:
    """A packed span with its end set."""
    return (value & ~_MASK33) | (end + 1)


class NotClean(Exception):
    """The document needs the careful reader (or has an error for it to report)."""


def reads_as_text(plain: str) -> bool:
    """Whether a plain scalar reads as a string, by the rules the loader uses."""
    return _plain_tag(plain.strip()) == STR_TAG


def _plain_tag(value: str) -> str:
    """The tag of a plain scalar, as PyYAML's resolver gives it (Resolver.resolve)."""
    for tag, regexp in _RESOLVERS.get(value[:1] if value else "", []) + _WILDCARD:
        if regexp.match(value):
            return tag
    return STR_TAG


def read_clean(text: str, values: dict[Path_, int], keys: dict[Path_, int]) -> Any:
    """A clean document's data, its spans recorded in values and keys exactly as the
    careful reader records them; raises NotClean otherwise (values and keys are then
    half filled: the caller starts again with empty ones)."""
    constructor = Loader("")
    events: Iterator[Any] = yaml.parse(text, Loader=CLoader)
    root: Any = None
    # Open collections: [container, path, pending key, start event, the pending key's path]
    stack: list[list[Any]] = []
    count = 0
    try:
        for event in events:
            count += 1
            kind = type(event)
            if kind is yaml.ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    raise NotClean
                value = event.value
                tag = _plain_tag(value) if event.implicit[0] else STR_TAG
                start = event.start_mark
                span = packed(start.line + 1, start.column + 1, start.index,
                              event.end_mark.index)
                if stack and stack[-1][2] is None and type(stack[-1][0]) is dict:
                    # A key: text, or a number or date used as one; never merge or null.
                    if tag in (MERGE_TAG, "tag:yaml.org,2002:null"):
                        raise NotClean
                    key = value if tag == STR_TAG else str(_construct(constructor, tag, event))
                    if key in stack[-1][0] or NOT_XML.search(key):
                        raise NotClean
                    stack[-1][2] = key
                    stack[-1][4] = stack[-1][1] + (key,)  # the value's path too: one tuple
                    keys[stack[-1][4]] = span
                    continue
                if tag != STR_TAG:
                    value = _construct(constructor, tag, event)
                elif NOT_XML.search(value):
                    raise NotClean
                path = _place(stack, value)
                values[path] = span
                if not stack:
                    root = value
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH:
                    raise NotClean
                if stack and stack[-1][2] is None and type(stack[-1][0]) is dict:
                    raise NotClean  # a list or mapping as a key
                container: Any = {} if kind is yaml.MappingStartEvent else []
                path = _place(stack, container)
                start = event.start_mark
                values[path] = packed(start.line + 1, start.column + 1, start.index, -1)
                if not stack:
                    root = container
                stack.append([container, path, None, event, None])
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                path = stack.pop()[1]
                values[path] = packed_end(values[path], event.end_mark.index)
            elif kind is yaml.AliasEvent:
                raise NotClean
            elif kind is yaml.DocumentStartEvent and count > 2:
                raise NotClean  # a second document: the careful reader reports it
            if count > MAX_EVENTS:
                raise NotClean
    except yaml.YAMLError:
        raise NotClean from None
    if count > 0 and len(values) > MAX_NODES:
        raise NotClean
    return root


def _place(stack: list[list[Any]], value: Any) -> Path_:
    """Put a value in the open collection (under its pending key); its path."""
    if not stack:
        return ()
    top = stack[-1]
    container = top[0]
    if type(container) is dict:
        key = top[2]
        container[key] = value
        top[2] = None
        return top[4]  # type: ignore[no-any-return]
    container.append(value)
    return top[1] + (len(container) - 1,)


def _construct(constructor: Loader, tag: str, event: Any) -> Any:
    """A number, boolean, null or date, as the careful reader makes it."""
    if tag in STR_TAGS:
        return event.value
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    return constructor.construct_object(node, deep=True)
