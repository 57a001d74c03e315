from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qingdan.layout.titles import CAPACITY, WORDS, balance_title, cells, penalties, shaped

# Titles of real documents of other offices (the samples in /work/shared/samples), as a
# notice issuing them would be titled, and the bundled example's.
REAL = [
    "关于印发《高新区思想政治工作目标管理考核实施办法》的通知",
    "关于印发《新乡市党委（党组）意识形态工作责任制市直单位测评体系（试行）》的通知",
    "关于印发《乡党建工作责任制考核办法》和《意识形态工作责任清单》的通知",
    "关于落实意识形态工作责任制的考核办法",
    "关于加强律师公证普法网法制宣传工作的意见",
    "关于印发《清河县粮食局党委意识形态工作责任清单》和《清河县粮食局意识形态工作责任制考核办法》的通知",
    "关于印发《高新区思想政治工作目标管理考核实施办法》和《高新区思想政治工作责任清单》的通知",
    "关于开展2025年度意识形态工作责任制考核工作的通知",
]


@pytest.mark.parametrize("title, expected", [
    ("清河县粮食局党委意识形态工作责任清单", ["清河县粮食局党委意识形态工作责任清单"]),
    ("关于印发《高新区思想政治工作目标管理考核实施办法》的通知",
     ["关于印发《高新区思想政治工作", "目标管理考核实施办法》的通知"]),
    # Three lines, longest in the middle (a 菱形), where the even split (17, 15, 17)
    # would be shortest in the middle.
    ("关于印发《清河县粮食局党委意识形态工作责任清单》和《清河县粮食局意识形态工作责任制考核办法》的通知",
     ["关于印发《清河县粮食局党委", "意识形态工作责任清单》和《清河县粮食局", "意识形态工作责任制考核办法》的通知"]),
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
    assert shaped(widths) and max(widths) - min(widths) <= 6


def test_given_lines_are_kept():
    assert balance_title(["甲", "乙"]) == ["甲", "乙"]


def test_shapes():
    assert shaped([14, 16, 18]) and shaped([18, 16, 14]) and shaped([14, 18, 16])
    assert shaped([15, 15, 15]) and shaped([12, 16, 16, 13]) and shaped([20])
    assert not shaped([17, 15, 17]) and not shaped([16, 12, 14, 18]) and not shaped([14, 18, 12, 15])


def words_kept(title: str, lines: list[str]) -> bool:
    """No break inside a known word, where one line break could have avoided it."""
    cost = penalties(title)
    at = 0
    for line in lines[:-1]:
        at += len(line)
        if cost[at] >= 50:
            return False
    return True


@pytest.mark.parametrize("title", REAL)
def test_real_titles_are_trapezoids_or_diamonds_and_keep_words(title):
    lines = balance_title([title])
    widths = [cells(line) for line in lines]
    assert "".join(lines) == title and shaped(widths), lines
    assert all(width <= CAPACITY for width in widths)
    assert words_kept(title, lines), lines


PIECES = [*WORDS, "关于", "印发", "清河县", "粮食局", "高新区", "党工委", "的通知", "的意见", "和",
          "、", "（试行）", "2025年度"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=4, max_size=24),
       st.lists(st.sampled_from(PIECES), min_size=1, max_size=6))
def test_generated_titles_are_never_hourglasses(first, second):
    title = "关于印发《" + "".join(first) + "》和《" + "".join(second) + "》的通知"
    lines = balance_title([title])
    widths = [cells(line) for line in lines]
    assert "".join(lines) == title
    assert all(width <= CAPACITY for width in widths), lines
    assert shaped(widths), lines
