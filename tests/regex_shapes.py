"""A conservative check that a regular expression cannot backtrack over a run of its input:
what `qingdan import` needs of every pattern it runs on imported text (issue 23).

Python's engine backtracks. A pattern is slow on some text of length n when one of its
unbounded repeats (*, +, {m,}) can give back characters that something else wants, or
when a search starts it again from every character of a run. The rules, each enough to
rule out one such shape in the patterns qingdan writes (not a proof for any pattern):

1. adjacent: an unbounded repeat is not followed (through optional items) by another
   unbounded repeat that matches a character it matches: `[\\s　]*(.*)`, `.+?\\s*`;
2. nested: an unbounded repeat inside another one must end at a mandatory item it cannot
   match, so each round's extent is fixed: `(?:“[^”]+”)+` passes, `(?:a+)+` does not;
3. searched: in a pattern not anchored with ^, the first unbounded repeat, when anything
   that can fail follows it, must be entered only at the start of a run of what it
   matches: after a negative lookbehind of its first characters (`(?<!\\d)\\d+分`) or
   after a mandatory item it cannot match (`cite\\('([^']+)'`), never from anywhere
   (`\\d+分` searched in 100,000 digits starts 100,000 times, each to the end of the run).

Character classes are compared on a sample alphabet: the pattern's own literal characters
and range ends, and a fixed set of ASCII, Chinese, punctuation and space characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

try:
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as P  # type: ignore[no-redef]

REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}
ZERO_WIDTH = {"AT", "ASSERT", "ASSERT_NOT"}
SAMPLE = ("abcxX019 \t\n\r\x0b\u3000\xa0.,;:?!()[]{}<>'\"%=*×+-—_/\\#@&"
          "中一二三十百第条章项目部分节款件占综合总得分成绩的为以上下不满“”‘’《》（）【】〔〕"
          "，。；：、！？…￥％＝＞＜－～")

Item = tuple  # (opcode, argument) as sre parses it


def _name(op: object) -> str:
    return str(op)


def _alphabet(pattern: re.Pattern[str]) -> str:
    """The sample, with every literal and range end of the pattern added."""
    found = set(SAMPLE)

    def visit(items) -> None:
        for op, av in items:
            name = _name(op)
            if name in ("LITERAL", "NOT_LITERAL"):
                found.update({chr(av), chr(av + 1) if av + 1 < 0x110000 else chr(av)})
            elif name == "RANGE":
                found.update({chr(av[0]), chr(av[1])})
            elif name == "IN":
                visit(av)
            elif name in REPEATS:
                visit(av[2])
            elif name == "SUBPATTERN":
                visit(av[-1])
            elif name == "BRANCH":
                for alternative in av[1]:
                    visit(alternative)
            elif name in ("ASSERT", "ASSERT_NOT", "ATOMIC_GROUP"):
                visit(av[-1])

    visit(P.parse(pattern.pattern, pattern.flags))
    return "".join(sorted(found))


class Shapes:
    """The rules above applied to one compiled pattern."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.dotall = bool(pattern.flags & re.S)
        self.alphabet = _alphabet(pattern)
        self.problems: list[str] = []

    # --- what an item matches -----------------------------------------------------------

    def _single(self, op: object, av, ch: str) -> bool:
        name = _name(op)
        if name == "LITERAL":
            return ch == chr(av)
        if name == "NOT_LITERAL":
            return ch != chr(av)
        if name == "ANY":
            return self.dotall or ch != "\n"
        if name == "CATEGORY":
            return _category(_name(av), ch)
        if name == "IN":
            negate = any(_name(o) == "NEGATE" for o, _ in av)
            hit = False
            for o, a in av:
                n = _name(o)
                if n == "LITERAL" and ch == chr(a) or n == "RANGE" and a[0] <= ord(ch) <= a[1] \
                        or n == "CATEGORY" and _category(_name(a), ch):
                    hit = True
            return hit != negate
        return False

    def chars(self, item: Item) -> frozenset[str]:
        """Every sample character the item can match anywhere in it."""
        op, av = item
        name = _name(op)
        if name in REPEATS:
            return self.seq_chars(av[2])
        if name in ("SUBPATTERN", "ATOMIC_GROUP"):
            return self.seq_chars(av[-1])
        if name == "BRANCH":
            return frozenset().union(*(self.seq_chars(a) for a in av[1]))
        if name in ZERO_WIDTH or name in ("GROUPREF", "GROUPREF_EXISTS"):
            return frozenset()
        return frozenset(ch for ch in self.alphabet if self._single(op, av, ch))

    def seq_chars(self, items) -> frozenset[str]:
        return frozenset().union(*(self.chars(i) for i in items)) if items else frozenset()

    def first(self, items: list[Item]) -> frozenset[str]:
        """The sample characters a sequence can start with."""
        out: set[str] = set()
        for item in items:
            op, av = item
            name = _name(op)
            if name in ZERO_WIDTH:
                continue
            if name in REPEATS:
                out |= self.first(_flat(av[2]))
            elif name == "BRANCH":
                for alternative in av[1]:
                    out |= self.first(_flat(alternative))
            else:
                out |= self.chars(item)
            if _min(item) > 0:
                break
        return frozenset(out)

    # --- the rules ---------------------------------------------------------------------

    def check(self) -> list[str]:
        top = _flat(P.parse(self.pattern.pattern, self.pattern.flags))
        alternatives = top[0][1][1] if len(top) == 1 and _name(top[0][0]) == "BRANCH" \
            else [top]
        for alternative in alternatives:
            items = _flat(alternative)
            if not (items and _name(items[0][0]) == "AT"
                    and _name(items[0][1]) in ("AT_BEGINNING", "AT_BEGINNING_STRING")):
                self._searched(items)
        self._walk(top, [], False)
        return self.problems

    def _walk(self, items: list[Item], after: list[Item], nested: bool) -> None:
        items = _flat(items)
        for i, item in enumerate(items):
            op, av = item
            name = _name(op)
            rest = items[i + 1:] + after
            if name == "BRANCH":
                for alternative in av[1]:
                    self._walk(list(alternative), rest, nested)
            elif name in REPEATS:
                unbounded = av[1] == C.MAXREPEAT
                if unbounded:
                    self._adjacent(item, rest)
                    if nested:
                        self._ends(item, rest)
                    self._walk(list(av[2]), [], True)
                else:
                    self._walk(list(av[2]), rest, nested)
            elif name == "ATOMIC_GROUP":
                self._walk(list(av[-1]), rest, nested)

    def _adjacent(self, item: Item, rest: list[Item]) -> None:
        mine = self.chars(item)
        for follower in _leading(rest):
            if _unbounded(follower) and mine & self.chars(follower):
                self.problems.append(
                    f"adjacent unbounded repeats over the same characters "
                    f"({''.join(sorted(mine & self.chars(follower)))[:12]!r})")

    def _ends(self, item: Item, rest: list[Item]) -> None:
        mine = self.chars(item)
        for follower in rest:
            if _name(follower[0]) in ZERO_WIDTH:
                continue
            if not self.first([follower]) & mine:
                if _min(follower) > 0:
                    return  # the repeat must stop where this begins: one way to match
                continue
            break
        self.problems.append("an unbounded repeat nested in another, with no mandatory "
                             "item it cannot match after it")

    def _searched(self, items: list[Item]) -> None:
        for i, item in enumerate(items):
            if not _unbounded(item):
                name = _name(item[0])
                if name in REPEATS | {"BRANCH"} and any(_unbounded(x) for x in _all(item)):
                    # The unbounded repeat is inside an alternative or an option: check
                    # the pattern as each way through it reads.
                    ways = item[1][1] if name == "BRANCH" else [item[1][2]] + (
                        [[]] if item[1][0] == 0 else [])
                    for way in ways:
                        self._searched(items[:i] + _flat(way) + items[i + 1:])
                    return
                continue
            rest = items[i + 1:]
            if all(_min(x) == 0 and _name(x[0]) not in ZERO_WIDTH for x in rest):
                return  # nothing after it can fail: the first start that reaches it wins
            before = items[:i]
            guard = before[-1] if before else None
            if guard is not None and _name(guard[0]) == "ASSERT_NOT" and guard[1][0] < 0 \
                    and self.first([item]) <= self.seq_chars(list(guard[1][1])):
                return
            mandatory = [x for x in before if _min(x) > 0]
            if mandatory and not self.chars(mandatory[-1]) & self.chars(item):
                return
            self.problems.append("a searched pattern's first unbounded repeat can start at "
                                 "every character of a run (anchor it or put a negative "
                                 "lookbehind before it)")
            return


def _flat(items) -> list[Item]:
    """The items, groups that are not repeated opened into the sequence around them."""
    out: list[Item] = []
    for op, av in items:
        if _name(op) == "SUBPATTERN":
            out += _flat(av[-1])
        else:
            out.append((op, av))
    return out


def _leading(items: list[Item]) -> Iterator[Item]:
    """The items that can come first: through zero-width and optional ones, up to and
    including the first mandatory one; a branch's alternatives' leading items too."""
    for item in items:
        op, av = item
        name = _name(op)
        if name in ZERO_WIDTH:
            continue
        if name == "BRANCH":
            for alternative in av[1]:
                yield from _leading(_flat(alternative))
        yield item
        if name in REPEATS and av[0] == 0:
            yield from _leading(_flat(av[2]))
        if _min(item) > 0:
            return


def _all(item: Item) -> Iterator[Item]:
    op, av = item
    yield item
    name = _name(op)
    if name in REPEATS:
        for x in av[2]:
            yield from _all(x)
    elif name == "BRANCH":
        for alternative in av[1]:
            for x in alternative:
                yield from _all(x)
    elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
        for x in av[-1]:
            yield from _all(x)


def _unbounded(item: Item) -> bool:
    return _name(item[0]) in REPEATS and item[1][1] == C.MAXREPEAT


def _min(item: Item) -> int:
    op, av = item
    name = _name(op)
    if name in ZERO_WIDTH:
        return 0
    if name in REPEATS:
        return av[0] and av[0] * sum(_min(x) for x in av[2])
    if name in ("SUBPATTERN", "ATOMIC_GROUP"):
        return sum(_min(x) for x in av[-1])
    if name == "BRANCH":
        return min(sum(_min(x) for x in a) for a in av[1])
    return 1


def _category(name: str, ch: str) -> bool:
    kinds = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
             "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}
    if name in kinds:
        return re.fullmatch(kinds[name], ch) is not None
    return unicodedata.category(ch).startswith("L")  # any other category: letters


def problems(pattern: re.Pattern[str]) -> list[str]:
    """What the rules find wrong with pattern (empty: none of the shapes)."""
    return Shapes(pattern).check()
