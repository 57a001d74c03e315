from __future__ import annotations

import pytest

from qingdan.titles import CAPACITY, balance_title, cells


@pytest.mark.parametrize("title, expected", [
    ("清河县粮食局党委意识形态工作责任清单", ["清河县粮食局党委意识形态工作责任清单"]),
    ("关于印发《高新区思想政治工作目标管理考核实施办法》的通知",
     ["关于印发《高新区思想政治工作", "目标管理考核实施办法》的通知"]),
])
def test_balanced_lines(title, expected):
    assert balance_title([title]) == expected


def test_lines_fit_keep_marks_and_read_back():
    title = "关于印发《清河县粮食局党委意识形态工作责任清单》和《清河县粮食局意识形态工作责任制考核办法》的通知"
    lines = balance_title([title])
    assert "".join(lines) == title
    assert all(cells(line) <= CAPACITY for line in lines)
    assert not any(line[0] in "》）”，、。的" for line in lines[1:])
    assert not any(line[-1] in "《（“" for line in lines)
    widths = [cells(line) for line in lines]
    assert max(widths) - min(widths) <= 4


def test_given_lines_are_kept():
    assert balance_title(["甲", "乙"]) == ["甲", "乙"]
