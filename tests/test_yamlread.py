"""The one-pass reader of clean documents (yamlread.read_clean) gives exactly what the
careful reader gives (data, types, every span, in the same order), and leaves everything
else to it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from qingdan.load import source as load
from qingdan.load.yamlread import NotClean, read_clean

SOURCES = sorted(p for folder in ("checklists", "tests/cases", "tests/fixtures")
                 for p in (REPO / folder).rglob("*.y*ml"))


def careful(text: str) -> load.Source | str:
    """What the careful reader gives: a Source, or its diagnostics as text."""
    def refuse(*args):
        raise NotClean

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(load, "read_clean", refuse)
        try:
            return load.load_text(text, Path("x.yaml"), "x.yaml")
        except load.Failed as failed:
            return "\n".join(str(d) for d in failed.diagnostics)


def same(text: str) -> bool:
    """True when the one-pass reader took the document (and then agrees entirely)."""
    values: dict = {}
    keys: dict = {}
    try:
        data = read_clean(text, values, keys)
    except NotClean:
        return False
    expected = careful(text)
    assert isinstance(expected, load.Source), expected
    assert repr(data) == repr(expected.data)  # repr: 1 and 1.0 and True differ
    assert list(values.items()) == list(expected.values.items())
    assert list(keys.items()) == list(expected.keys.items())
    return True


def test_sources_of_the_repository_read_alike():
    assert len(SOURCES) > 100
    taken = [path for path in SOURCES
             if same(load.read_text(path, str(path)))]
    assert len(taken) > 0.8 * len(SOURCES)  # most are clean; the rest are error cases


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n",                      # a repeated key
    "a: &x [1]\nb: *x\n",                # anchors and aliases
    "a: !!str 1\n",                      # a tag
    "<<: {a: 1}\n",                      # a merge key
    "~: 1\n",                            # a null key
    "? [a]\n: 1\n",                      # a list as a key
    "title: {{ unit.name }}\n",          # an unquoted placeholder: a mapping as a key
    'a: "\\x01"\n',                      # a character Word cannot store
    "a: 1\n---\nb: 2\n",                 # two documents
    "a: [1\n",                           # a syntax error
    "a:\n" + "".join(f"{' ' * i}- \n" for i in range(1, 70)),  # nested too deep
])
def test_anything_unusual_is_left_to_the_careful_reader(text):
    with pytest.raises(NotClean):
        read_clean(text, {}, {})


SCALARS = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
    st.sampled_from(["1", "1.5", "-3", "true", "false", "off", "yes", "null", "~", "",
                     "2024-03-15", "0x1F", "1e3", ".inf", "中文", "'引号'", "a: b", "- x"]),
)
KEYS = st.one_of(st.text(alphabet="abc中文1", min_size=1, max_size=4),
                 st.sampled_from(["1", "2024-01-01", "true", "1.5"]))
DATA = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)), max_leaves=20)


def dump(value, indent: int = 0) -> str:
    """Block YAML with plain, quoted and literal scalars, as clerks write it."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return " {}"
        return "\n" + "".join(f"{pad}{k}:{dump(v, indent + 2)}\n" for k, v in value.items())
    if isinstance(value, list):
        if not value:
            return " []"
        return "\n" + "".join(f"{pad}-{dump(v, indent + 2)}\n" for v in value)
    if value == "~" or re.fullmatch(r"[\w.\-]+", value) and not value.startswith(("-", ".")):
        return f" {value}"  # plain: resolved as text, number, boolean, null or date
    return " " + '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(DATA)
def test_generated_documents_read_alike(data):
    text = "root:" + dump(data, 2).replace("\n\n", "\n")
    assert same(text), text
