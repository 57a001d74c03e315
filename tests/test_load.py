"""The loader: marks for every value, duplicate keys, and safety against hostile YAML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qingdan.diagnostics import Failed
from qingdan.load.source import load_text


def load(text: str):
    return load_text(text, Path("x.yaml"), "x.yaml")


def test_values_and_keys_keep_line_and_column():
    source = load("a:\n  b:\n    - c: 1\n      d: 文字\n")
    assert source.data == {"a": {"b": [{"c": 1, "d": "文字"}]}}
    assert str(source.at(("a", "b", 0, "d"))) == "x.yaml:4:10"
    assert str(source.at(("a", "b", 0, "d"), key=True)) == "x.yaml:4:7"
    # A path that does not exist falls back to its nearest parent.
    assert str(source.at(("a", "b", 0, "missing"))) == "x.yaml:3:7"


def test_duplicate_keys_are_errors_at_every_depth():
    with pytest.raises(Failed) as caught:
        load("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    found = [(d.code, d.location.line) for d in caught.value.diagnostics]
    assert found == [("E102", 4), ("E102", 5)]


def test_dates_stay_as_written():
    assert load("date: 2019-04-22\n").data == {"date": "2019-04-22"}


def test_a_bom_is_accepted():
    assert load("\ufeffa: 1\n").data == {"a": 1}


def test_python_tags_are_refused_not_constructed():
    with pytest.raises(Failed) as caught:
        load("a: !!python/object/apply:os.system ['echo hacked']\n")
    [diag] = caught.value.diagnostics
    assert diag.code == "E101" and diag.location.line == 1


def test_alias_bombs_are_stopped():
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        refs = ",".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    with pytest.raises(Failed) as caught:
        load("\n".join(lines) + "\n")
    assert caught.value.diagnostics[0].code == "E101"


def test_small_aliases_still_work():
    assert load("a: &x 文字\nb: *x\n").data == {"a": "文字", "b": "文字"}


def test_several_documents_are_refused():
    with pytest.raises(Failed) as caught:
        load("a: 1\n---\nb: 2\n")
    [diag] = caught.value.diagnostics
    assert diag.code == "E101" and "一个文件只能有一个" in diag.message


def test_empty_file_loads_as_nothing():
    assert load("").data is None


def test_only_true_and_false_are_booleans():
    # YAML 1.1 reads off/yes/no as booleans; a clerk writing W901: off means the word.
    assert load("a: off\nb: yes\nc: true\nd: False\n").data == {
        "a": "off", "b": "yes", "c": True, "d": False}


BROKEN_YAML = {
    "tab": "a:\n\tb: 1\n",
    "colon in Chinese text": "text: 中文: 说明\n",
    "unquoted placeholder then text": "text: {{ unit.name }}的清单\n",
    "unquoted placeholder": "text: {{ unit.name }}\n",
    "unclosed quote": 'text: "abc\nb: 2\n',
    "indent": "a:\n  b: 1\n c: 2\n",
    "sequence indent": "a:\n  - 1\n - 2\n",
    "duplicate anchor": "a: &x 1\nb: &x 2\n",
    "undefined alias": "a: *x\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "flow sequence": "a: [1, 2\nb: 3\n",
    "flow mapping": "a: {b: 1\nc: 2\n",
    "at sign": "a: @b\n",
    "backtick": "a: `b\n",
    "bad escape": 'a: "\\q"\n',
    "bad hex escape": 'a: "\\x4"\n',
    "block indicator zero": "a: |0\n  x\n",
    "block header": "a: |x\n  x\n",
    "tag": "a: !<foo bar\n",
    "empty anchor": "a: &\n",
    "content after end": "a: 1\n...\nb\n",
    "control character": "a: \x07\n",
    "sequence after mapping": "a: b\n- c\n",
    "key inside value": "a: b: c\n",
    "quoted document separator": 'a: "x\n---\n"\n',
    "unknown tag": "a: !!python/object:os.system ls\n",
    "merge of a scalar": "a: &x {b: 1}\nc:\n  <<: 5\n",
}


@pytest.mark.parametrize("name", sorted(BROKEN_YAML))
def test_every_yaml_error_is_told_in_chinese_with_its_place(name: str):
    with pytest.raises(Failed) as raised:
        load_text(BROKEN_YAML[name], Path("x.yaml"), "x.yaml")
    for diag in raised.value.diagnostics:
        assert re.search(r"[\u4e00-\u9fff]", diag.message), diag.message
        assert not re.search(r"\b(?:expected|found|while|scanning|parsing|mapping|could)\b",
                             diag.message + (diag.hint or "")), diag.message
        assert diag.location.line >= 1 and diag.code.startswith("E1")
