"""Resolve a raw model for its unit: render placeholders in Jinja's sandbox, fill defaults.

Each text is rendered by placeholders.render_text, with undefined names as errors located
at the placeholder itself. Text may call ref('id') for a numbered reference and cite('key')
for a cited document; assessment measures may also use weight('id'), points('id'), total,
formula and grades. A text that fails is kept broken, and what is made from it is listed
with its problem rather than reported again (Resolver).
"""

from __future__ import annotations

import dataclasses
import operator
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar, overload

from ..diagnostics import Diagnostic, Failed, Location, did_you_mean, errors
from ..model import (
    Measures,
    Node,
    Notice,
    Project,
    ResponsibilityList,
    Section,
    Text,
    Unit,
    evolve,
    known_body,
)
from ..words import dates
from .context import assessment_names, issued_titles, work_names
from .placeholders import ENV, render_text  # noqa: F401 - ENV for the tests and callers
from .refs import Index, RefError
from .substitution import template_spans

T = TypeVar("T")

# Whitespace next to a Chinese character or full-width mark: YAML's folded (>) style turns
# line breaks into spaces, which Chinese text must not keep. Spaces between Latin words stay.
# The second branch starts only where a run of spaces starts: tried from each space of a
# run followed by ASCII, it was quadratic in the run.
CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+|(?<!\s)\s+(?=[^\x00-\x7f])")


def one_paragraph(value: str) -> str:
    """Join a multi-line value into one paragraph, dropping the spaces folding put in."""
    return CJK_SPACE.sub("", " ".join(line.strip() for line in value.splitlines()).strip())


@lru_cache(maxsize=8192)
def settled(value: str, paragraphs: bool) -> str:
    """A rendered text as it is printed: one paragraph, or (paragraphs) one per line."""
    if paragraphs:
        return "\n".join(one_paragraph(line) for line in value.splitlines() if line.strip())
    return one_paragraph(value)


class Resolver:
    """Renders every text of a project, collecting problems instead of stopping at one.

    A text whose placeholders fail is kept as written and marked broken, and the problems
    it raised are remembered as the root cause of whatever is made from it: a notice title
    generated from a broken list title, a body that prints {{ attachments }}. Those are
    marked broken too (so no later check reports their leftovers), and their places are
    added to the root diagnostic (Diagnostic.also) instead of being reported again.
    """

    def __init__(self, project: Project, index: Index):
        self.project = project
        self.index = index
        self.registry = {d.key: d for d in project.documents if d.key}
        self.cited: set[str] = set()
        self.problems: list[Diagnostic] = []
        # id of a broken resolved Text -> (that Text, the indices of the problems it raised)
        self.roots: dict[int, tuple[Text, list[int]]] = {}
        self.also: dict[int, list[Location]] = {}  # problem index -> places it also affects
        # Context names whose value was made from broken texts (while resolving a notice).
        self.tainted: dict[str, list[Text]] = {}

    def base_context(self, doc_name: str) -> dict[str, Any]:
        unit = self.project.unit
        assert unit is not None, "a project is resolved for one unit"
        found = {"unit": unit.variables(),
                 "ref": lambda key: self.index.resolve(key, doc_name).ref,
                 "cite": self.cite}
        if self.project.year is not None:
            found["year"] = self.project.year  # {{ year }}年度, {{ year - 1 }}
        return found

    def cite(self, key: str) -> str:
        if key not in self.registry:
            if isinstance(key, str) and key and self.project.unread_mentions(key):
                return "《？》"  # registered, perhaps, in a part that could not be read
            raise RefError("E312", f"文件简称“{key}”未在 qingdan.yaml 的 documents 中登记",
                           str(key), did_you_mean(str(key), self.registry))
        self.cited.add(key)
        return self.registry[key].cite()

    def derived(self, causes: list[Text], place: Location) -> None:
        """place holds something made from the broken texts causes: list it with their
        problems."""
        for cause in causes:
            for index in self.roots.get(id(cause), (cause, []))[1]:
                places = self.also.setdefault(index, [])
                if place not in places:
                    places.append(place)

    def diagnostics(self) -> list[Diagnostic]:
        """Every problem found, each with the places its cause also affects."""
        return [d.affecting(self.also[i]) if i in self.also else d
                for i, d in enumerate(self.problems)]

    @overload
    def render(self, text: Text, context: dict[str, Any], *,
               paragraphs: bool = False) -> Text: ...

    @overload
    def render(self, text: None, context: dict[str, Any], *,
               paragraphs: bool = False) -> None: ...

    def render(self, text: Text | None, context: dict[str, Any], *,
               paragraphs: bool = False) -> Text | None:
        if text is None:
            return None
        if "{" not in text.value:  # no placeholder: the same for every unit
            value = settled(text.value, paragraphs)
            return text if value == text.value else evolve(text, value=value)
        try:
            value = render_text(text, context)
        except Failed as failed:
            start = len(self.problems)
            self.problems.extend(failed.diagnostics)
            broken = evolve(text, broken=True)
            self.roots[id(broken)] = (broken, list(range(start, len(self.problems))))
            return broken
        if self.tainted:
            names = [name for name in self.tainted if _mentions(text.value, name)]
            if names:  # it printed a value made from broken text: not final either
                for name in names:
                    self.derived(self.tainted[name], text.locate(name))
                return evolve(text, broken=True)
        return evolve(text, value=settled(value, paragraphs))

    def resolve_list(self, doc: ResponsibilityList) -> ResponsibilityList:
        for cited in doc.basis:
            if cited.key:
                self.cited.add(cited.key)
        context = self.base_context(doc.name) | {
            "topic": doc.topic, "basis": "、".join(c.cite(with_organ=True) for c in doc.basis)}
        preamble = doc.preamble
        if preamble is None and doc.basis:
            preamble = Text("根据{{ basis }}精神，结合工作实际，制定如下责任清单。", doc.location)
        render = self._bind(context)
        self._generated_headings(doc)
        roles = tuple(
            _with(role, heading=render(role.heading), lead=render(role.lead),
                  items=_kept(tuple(_with(item, text=render(item.text)) for item in role.items),
                              role.items))
            for role in doc.roles)
        return evolve(
            doc, title=tuple(render(t) for t in doc.title), roles=roles,
            preamble=self.render(preamble, context, paragraphs=True),
            recipients=render(doc.recipients))

    def _generated_headings(self, doc: ResponsibilityList) -> None:
        """A standard role's heading is generated from the unit's organisation type, which
        reads well only for the known types; any other needs a heading in the source."""
        unit = self.project.unit
        if unit is None or known_body(unit.body) or isinstance(unit, UnknownUnit):
            return
        for role in doc.roles:
            if role.standard and not role.heading.raw:
                self.problems.append(Diagnostic(
                    "E203", f"党组织类型“{unit.body}”不是常见类型，不能自动生成角色“{role.id}”"
                            "一节的标题", role.location,
                    hint=f"在 roles 的 {role.id} 下写 heading:（本节标题），"
                         "或把 body 写成党委、党组、党总支、党支部、党工委等"))

    def resolve_measures(self, doc: Measures) -> Measures:
        context = self.base_context(doc.name)
        if doc.scoring is not None:
            context |= assessment_names(doc)
        render = self._bind(context)

        def node(n: Node) -> Node:
            return _with(n, heading=render(n.heading), criteria=render(n.criteria),
                         text=self.render(n.text, context, paragraphs=True),
                         children=_kept(tuple(node(c) for c in n.children), n.children))

        return evolve(
            doc, title=tuple(render(t) for t in doc.title),
            preamble=self.render(doc.preamble, context, paragraphs=True),
            content=tuple(node(n) for n in doc.content))

    def resolve_notice(self, doc: Notice, titles: dict[str, str],
                       broken: dict[str, list[Text]]) -> Notice:
        """broken: the title texts that failed to render, by document name."""
        issued = issued_titles(doc, titles)
        causes = [t for a in doc.attachments for t in broken.get(a.value, ())]
        self.tainted = {"attachments": causes} if causes else {}
        context = (self.base_context(doc.name) | {"attachments": issued}
                   | work_names(self.project, doc))
        render = self._bind(context)
        if doc.title:
            title = tuple(render(t) for t in doc.title)
        else:
            title = (Text(f"关于印发{issued}的通知", doc.location, broken=bool(causes)),)
            for attachment in doc.attachments:  # the generated title is made from them
                if attachment.value in broken:
                    self.derived(broken[attachment.value], attachment.location)
        try:
            return self._notice(doc, title, context)
        finally:
            self.tainted = {}

    def _notice(self, doc: Notice, title: tuple[Text, ...], context: dict[str, Any]) -> Notice:
        render = self._bind(context)
        return evolve(
            doc, title=title, mark=render(doc.mark), number=render(doc.number),
            recipients=render(doc.recipients), signature=render(doc.signature),
            body=self.render(doc.body, context, paragraphs=True),
            copy_to=render(doc.copy_to), printer=render(doc.printer),
            sections=_sections(
                doc.sections, lambda text, paras: self.render(text, context, paragraphs=paras),
                self.project.year))

    def _bind(self, context: dict[str, Any]) -> Callable[[Text | None], Any]:
        return lambda text: self.render(text, context)

    def unused_documents(self) -> list[Diagnostic]:
        """Registered documents nothing cites: probably a leftover or a forgotten citation.
        Not reported for one a part that could not be read, or a text that failed to
        render, mentions: that may be where it is cited."""
        unrendered = [t.value for t, _ in self.roots.values()]
        return [Diagnostic("W313", f"登记的文件“{d.key}”从未被引用", d.location,
                           hint=f"在文中写 {{{{ cite('{d.key}') }}}}，或从 documents 中删除")
                for d in self.project.documents if d.key and d.key not in self.cited
                and not self.project.unread_mentions(d.key)
                and not any(d.key in value for value in unrendered)]


def resolve_project(project: Project, index: Index) -> tuple[Project, list[Diagnostic]]:
    """The project with every text rendered, and warnings; raises Failed on errors."""
    resolved, found = resolve_all(project, index)
    if errors(found):
        raise Failed(found)
    return resolved, found


def resolve_all(project: Project, index: Index) -> tuple[Project, list[Diagnostic]]:
    """The project with every text rendered that can be, and every problem found: a text
    whose placeholders fail keeps its source value and is marked broken."""
    resolver = Resolver(project, index)
    lists = tuple(resolver.resolve_list(doc) for doc in project.lists)
    measures = tuple(resolver.resolve_measures(doc) for doc in project.measures)
    issuable = evolve(project, lists=lists, measures=measures).issuable()
    titles = {doc.name: "".join(t.value for t in doc.title) for doc in issuable}
    broken = {doc.name: [t for t in doc.title if t.broken] for doc in issuable
              if any(t.broken for t in doc.title)}
    notices = tuple(resolver.resolve_notice(doc, titles, broken) for doc in project.notices)
    resolved = evolve(project, lists=lists, measures=measures, notices=notices)
    return resolved, resolver.diagnostics() + resolver.unused_documents()


UNKNOWN = "？"


class _AnyKey(dict[str, Any]):
    """A mapping that has every key, its value unknown."""

    def __missing__(self, key: str) -> str:
        return UNKNOWN


class UnknownUnit(Unit):
    """The unit when qingdan.yaml cannot say it (it does not load, or its unit is broken)
    and no roster gives one: every field and var is there, its value unknown."""

    def variables(self) -> dict[str, object]:
        fields = ("name", "short", "body", "superior", "channels")
        return {**dict.fromkeys(fields, UNKNOWN), "vars": _AnyKey(), "leaders": _AnyKey()}


def check_without_unit(project: Project, index: Index) -> list[Diagnostic]:
    """What resolving finds in a project that has no unit to resolve for (undefined names
    other than the unit's, ref(), cite()): its texts are checked all the same. The
    checks on resolved text are not run: they would judge the stand-in values."""
    stand_in = evolve(project, unit=UnknownUnit(name=UNKNOWN, body=UNKNOWN),
                      year=project.year if project.year is not None else 0)
    return resolve_all(stand_in, index)[1]


def _with(obj: T, **fields: Any) -> T:
    """obj with fields replaced, or obj itself when each is the very value it holds (most
    text has no placeholder and resolves to itself)."""
    if all(getattr(obj, name) is value for name, value in fields.items()):
        return obj
    return evolve(obj, **fields)


def _kept(new: tuple[T, ...], old: tuple[T, ...]) -> tuple[T, ...]:
    """old where new holds the same objects: so an unchanged parent stays itself."""
    return old if len(new) == len(old) and all(map(operator.is_, new, old)) else new


def _mentions(value: str, name: str) -> bool:
    """Whether a placeholder in value names name ({{ attachments }}, {% if attachments %})."""
    if name not in value:
        return False
    word = re.compile(rf"(?<![\w.]){re.escape(name)}(?!\w)")
    return any(word.search(value, start, end) for start, end in template_spans(value, ("{{", "{%")))


def _sections(sections: tuple[Section, ...], render: Callable[[Text | None, bool], Any],
              year: int | None) -> tuple[Section, ...]:
    """Sections with every text rendered (render(text, paragraphs)) and every stage's date
    in Chinese (without the edition's year)."""
    return tuple(dataclasses.replace(
        section, heading=render(section.heading, False), text=render(section.text, True),
        schedule=tuple(dataclasses.replace(
            stage, name=render(stage.name, False), task=render(stage.task, False),
            to=render(stage.to, False),
            when=dataclasses.replace(stage.when, value=dates.display(stage.when.value, year)))
            for stage in section.schedule)) for section in sections)
