"""The fast schema gate (fastjsonschema) says "valid" exactly when jsonschema does.

schema.validate skips the slow, detailed validation when the compiled gate accepts a
source; a source the gate accepted but jsonschema would reject would lose its errors.
Real sources of every kind are mutated at random (keys dropped or added, values of the
wrong type, empty, or malformed) and both validators must agree on every mutant.
"""

from __future__ import annotations

import copy
from pathlib import Path

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE, REPO
from qingdan.load import schema
from qingdan.load.source import load_file

SOURCES = [
    (EXAMPLE / "qingdan.yaml", "project"),
    (EXAMPLE / "意识形态工作责任清单.yaml", "list"),
    (EXAMPLE / "意识形态工作责任制考核办法.yaml", "measures"),
    (EXAMPLE / "印发通知.yaml", "notice"),
    (EXAMPLE / "单位名册.yaml", "roster"),
    (REPO / "tests" / "fixtures" / "structures" / "实施意见.yaml", "measures"),
    (REPO / "tests" / "fixtures" / "structures" / "实施细则.yaml", "measures"),
]
DATA = [(load_file(Path(p)).data, kind) for p, kind in SOURCES]  # dates stay text
ODD = st.one_of(st.none(), st.booleans(), st.integers(-5, 200), st.floats(allow_nan=False),
                st.text(max_size=5), st.just(""), st.just("-bad id"), st.lists(st.integers(),
                                                                                 max_size=2),
                st.dictionaries(st.sampled_from(["id", "text", "x", "heading"]),
                                st.text(max_size=3), max_size=2))


def paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths(value, prefix + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from paths(value, prefix + (i,))


def mutate(data, path, action, value):
    data = copy.deepcopy(data)
    if not path:
        return value if action == "replace" else data
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    key = path[-1]
    if action == "replace":
        parent[key] = value
    elif action == "delete":
        del parent[key]
    elif action == "add" and isinstance(parent, dict):
        parent[f"{key}_x"] = value
    return data


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(DATA) - 1), st.integers(0, 10_000),
       st.sampled_from(["replace", "delete", "add"]), ODD)
def test_the_gate_agrees_with_jsonschema(which, where, action, value):
    data, kind = DATA[which]
    every = list(paths(data))
    mutant = mutate(data, every[where % len(every)], action, value)
    slow = jsonschema.Draft202012Validator(schema.schema(kind)).is_valid(mutant)
    assert schema.is_valid(kind, mutant) == slow


def test_the_sources_themselves_are_valid():
    for data, kind in DATA:
        assert schema.is_valid(kind, data)


def test_every_editor_line_names_a_schema_that_exists():
    """The bundled projects' `# yaml-language-server: $schema=…` lines (the README tells
    users to write them) point at the schemas where they are."""
    import re

    named = 0
    for folder in (REPO / "checklists", REPO / "tests" / "fixtures"):
        for source in folder.rglob("*.yaml"):
            first = source.read_text("utf-8").split("\n", 1)[0]
            found = re.match(r"# yaml-language-server: \$schema=(\S+)", first)
            if found:
                named += 1
                assert (source.parent / found[1]).resolve().is_file(), (source, found[1])
    assert named >= 14  # the two editions of the example at least
