from __future__ import annotations

import pytest

from qingdan.words import numbering


@pytest.mark.parametrize("n, text", [
    (1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"), (99, "九十九"),
    (100, "一百"), (101, "一百零一"), (110, "一百一十"), (111, "一百一十一"),
    (1001, "一千零一"), (1010, "一千零一十"), (2100, "二千一百"),
])
def test_chinese_numerals(n, text):
    assert numbering.chinese(n) == text


def test_labels():
    assert numbering.section(11) == "十一、"
    assert numbering.subsection(2) == "（二）"
    assert numbering.item(3) == "3."
    assert numbering.article(101) == "第一百零一条"


@pytest.mark.parametrize("n", [0, -1, 10000])
def test_out_of_range(n):
    with pytest.raises(ValueError):
        numbering.chinese(n)
