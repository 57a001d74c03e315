"""model.evolve stands in for dataclasses.replace on the hot path of resolving units."""

from __future__ import annotations

import dataclasses
import functools
import inspect

import pytest

from qingdan import model
from qingdan.diagnostics import Location
from qingdan.model import Item, Text, evolve


def model_classes() -> list[type]:
    return [c for _, c in inspect.getmembers(model, inspect.isclass)
            if dataclasses.is_dataclass(c) and c.__module__.startswith(model.__name__ + ".")]


def test_every_model_class_is_one_evolve_can_copy():
    classes = model_classes()
    assert len(classes) > 10
    for cls in classes:
        assert cls.__dataclass_params__.frozen, cls  # type: ignore[attr-defined]
        assert not hasattr(cls, "__post_init__"), cls
        assert "__slots__" not in vars(cls), cls
        assert not any(isinstance(v, functools.cached_property) for v in vars(cls).values()), cls


def test_evolve_makes_what_replace_makes():
    where = Location("清单.yaml", 3, 5)
    text = Text("{{ unit.name }}党委", where, raw="{{ unit.name }}党委", offset=7)
    item = Item("i1", text, where)
    for obj, changes in ((text, {"value": "甲党委"}), (text, {"broken": True}),
                         (item, {"text": evolve(text, value="乙")})):
        made, expected = evolve(obj, **changes), dataclasses.replace(obj, **changes)
        assert made == expected and made is not obj
        assert vars(made) == vars(expected)  # compare=False fields too
    assert text.value == "{{ unit.name }}党委"  # the original is untouched
    with pytest.raises(TypeError, match="valeu"):
        evolve(text, valeu="甲")  # as replace would refuse it
