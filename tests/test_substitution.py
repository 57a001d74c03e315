"""Text that only fills in names is rendered without running Jinja (issue 15's speed): the
result must be exactly what the sandboxed template gives, and anything the fast path is
not sure of must go to Jinja, which renders it or reports it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qingdan.diagnostics import Failed, Location
from qingdan.model import Text
from qingdan.resolve.resolver import ENV, render_text
from qingdan.resolve.substitution import fill, pieces

CONTEXT: dict[str, Any] = {
    "unit": {"name": "清河县粮食局", "short": "粮食局", "vars": {"书记": "张三", "items": "项"},
             "body": "党委"},
    "year": 2025,
}


def jinja(source: str, context: dict[str, Any]) -> str:
    return ENV.render_within(ENV.from_string(source), context)


def text(value: str) -> Text:
    return Text(value, Location("清单.yaml", 3, 9))


@pytest.mark.parametrize("source", [
    "{{ unit.name }}{{ unit.body }}意识形态工作责任清单",
    "{{unit.name}}{{unit.name}}",
    "{{ year }}年度",
    "{{- unit.short -}}  的\n",
    "由{{ unit.vars.书记 }}负责\n\n",
    "{% raw %}{{ unit.name }}{% endraw %}和{{ unit.short }}",
    "{# 注释 #}{{ unit.name }}",
    "{{ unit.vars.items }}",  # a key named like a dict method: Jinja gives the method
])
def test_the_fast_path_gives_what_jinja_gives(source: str) -> None:
    assert render_text(text(source), CONTEXT) == jinja(source, CONTEXT)


def test_only_plain_names_take_the_fast_path() -> None:
    assert pieces(ENV, "{{ unit.name }}党委") == (("unit", "name"), "党委")
    for source in ("{{ unit.name | upper }}", "{{ ref('x') }}", "{{ year - 1 }}",
                   "{% if year %}a{% endif %}", "{{ unit['name'] }}", "{{ '常量' }}",
                   "{{ unit.name "):
        assert pieces(ENV, source) is None, source


@pytest.mark.parametrize("context", [
    {"unit": {"name": ["不是文字"]}},          # a list prints as Jinja prints it
    {"unit": {"name": True}},                   # a bool is not an integer here
    {"unit": {"name": "x" * 2_000_000}},        # over the size limit: Jinja reports E305
    {"unit": {}},                               # missing: Jinja reports E302
    {"unit": "清河县"},                          # not a mapping
])
def test_anything_unsure_goes_to_jinja(context: dict[str, Any]) -> None:
    parts = pieces(ENV, "{{ unit.name }}")
    assert parts is not None
    assert fill(ENV, parts, context) is None
    try:
        expected: str | None = jinja("{{ unit.name }}", context)
    except Exception:  # noqa: BLE001 - Jinja's own failure becomes a diagnostic
        expected = None
    if expected is None:
        with pytest.raises(Failed):
            render_text(text("{{ unit.name }}"), context)
    else:
        assert render_text(text("{{ unit.name }}"), context) == expected


def test_the_items_key_is_not_read_as_a_key() -> None:
    parts = pieces(ENV, "{{ unit.vars.items }}")
    assert parts is not None and fill(ENV, parts, CONTEXT) is None


NAMES = st.sampled_from(["unit", "year", "unit.name", "unit.short", "unit.vars.书记",
                         "unit.vars.items", "unit.missing", "unit.body", "unit.keys"])
LITERALS = st.text(st.sampled_from("党委，。{}#%-\n 甲乙"), max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(LITERALS, NAMES, st.sampled_from(["", "-"])), max_size=4),
       LITERALS)
def test_generated_texts_render_alike(parts: list[tuple[str, str, str]], tail: str) -> None:
    source = "".join(f"{lit}{{{{{trim} {name} {trim}}}}}" for lit, name, trim in parts) + tail
    try:  # text without a placeholder is never a template: it stays as written
        expected: str | None = jinja(source, CONTEXT) if "{" in source else source
    except Exception:  # noqa: BLE001
        expected = None
    try:
        got: str | None = render_text(text(source), CONTEXT)
    except Failed:
        got = None
    assert got == expected
