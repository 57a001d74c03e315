"""Line and page breaks computed on the grid, and the notice's signature page."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qingdan.layout import signature
from qingdan.layout.grid import (
    ALL_WIDE,
    METRICS,
    Line,
    Metrics,
    _break_tokens,
    _sizes,
    break_lines,
    paginate,
    tokens,
    width,
)
from qingdan.layout.notice import NoticeText, signature_lines
from qingdan.layout.signature import NONE, Remedy, choose, layouts
from qingdan.layout.titles import cells

STRICT, HANGING, FALLBACK = METRICS


def test_a_closing_mark_is_carried_down_with_the_character_before_it():
    text = "一" * 28 + "，二"
    assert break_lines(text, 28, 28, STRICT) == ["一" * 27, "一，二"]
    # Word and WPS may hang it in the margin instead.
    assert break_lines(text, 28, 28, HANGING) == ["一" * 28 + "，", "二"]
    # A closing quotation mark cannot start a line nor hang; the opening one before the
    # character it would be carried down with cannot end one: all three go down.
    assert break_lines("一" * 26 + "“二”，三", 28, 28, HANGING) == ["一" * 26, "“二”，三"]


def test_an_opening_mark_never_ends_a_line():
    assert break_lines("一" * 27 + "《二》", 28, 28, STRICT) == ["一" * 27, "《二》"]


def test_latin_words_and_numbers_stay_whole_and_take_half_cells():
    text = "一" * 26 + "2024年"
    assert break_lines(text, 28, 28, STRICT) == ["一" * 26 + "2024", "年"]
    # In the wider fallback digits 2024 no longer fit beside 26 characters.
    assert break_lines(text, 28, 28, FALLBACK) == ["一" * 26, "2024年"]
    assert break_lines("a" * 70, 28, 28, STRICT) == ["a" * 56, "a" * 14]


def test_a_line_that_does_not_fit_starts_the_next_page():
    assert paginate([Line(28.95)] * 23) == [1] * 22 + [2]
    assert paginate([Line(620), Line(28.95), Line(28.95)]) == [1, 2, 2]


def test_signature_lines_with_and_without_a_seal():
    sign, date = signature_lines("中共清河县粮食局委员会", "2024年3月15日")
    assert cells(sign) == 26 and cells(date) == 26 - 11 + 2 + 6.5  # two in, date two further
    sealed_sign, sealed_date = signature_lines("中共清河县粮食局委员会", "2024年3月15日", seal=True)
    assert cells(sealed_date) == 24  # four characters in from the right
    date_start = 24 - 6.5
    sign_start = cells(sealed_sign) - 11
    assert sign_start + 11 / 2 == date_start + 6.5 / 2 or abs(
        (sign_start + 5.5) - (date_start + 3.25)) <= 0.5  # centred over the date


def notice(title: tuple[str, ...], body: tuple[str, ...], notes: int = 1) -> NoticeText:
    sign, date = signature_lines("清河县粮食局", "2024年10月8日")
    names = tuple(f"附件：{n}.某某工作责任清单" for n in range(1, notes + 1))
    return NoticeText(title, "局属各单位：", body, names, sign, date, 1)


FIRST = "现将《清河县粮食局党委意识形态工作责任清单》印发给你们，请遵照执行。"
LONG = "各单位要对照责任清单逐项抓好落实，把意识形态工作纳入党建工作总体布局，与业务工作同部署、同落实。"


def test_a_notice_that_fits_keeps_22_lines():
    assert choose(notice(("关于印发责任清单的通知",), (FIRST,))) == NONE


def test_one_line_over_is_pulled_back_by_tightening():
    text = notice(("关于印发责任清单的通知",), (FIRST, LONG + "执行中遇到的问题，请及时报局办公室。"))
    assert not all(layout.together for layout in layouts(text, NONE))
    remedy = choose(text)
    assert remedy is not None and remedy.pitch < 579 and remedy.split is None
    assert all(layout.together for layout in layouts(text, remedy))


def test_a_body_that_ends_the_page_is_loosened_so_a_line_goes_over():
    title = ("关于印发《清河县粮食局党委", "意识形态工作责任清单》的通知")
    text = notice(title, (FIRST, LONG, LONG, LONG))
    remedy = choose(text)
    assert remedy is not None and remedy.pitch > 579 and remedy.split is None
    assert all(layout.together and layout.signature == 2 for layout in layouts(text, remedy))


def test_where_no_spacing_helps_the_last_paragraph_goes_over_with_the_signature():
    title = ("关于印发《清河县粮食局党委", "意识形态工作责任清单》的通知")
    text = notice(title, (FIRST, LONG))
    assert not any(all(x.together for x in layouts(text, Remedy(pitch, chars)))
                   for pitch in range(530, 638) for chars in (27, 28, 29))
    remedy = choose(text)
    # A page break before LONG's second line: the fewest lines that can go over.
    assert remedy is not None and remedy.split == (1, 26)
    placed = layouts(text, remedy)
    assert all(layout.together and layout.signature == 2 for layout in placed)
    # The hole it leaves at the foot of page 1 is what it costs.
    assert remedy.visibility == signature.visibility(579, 28, max(x.hole for x in placed))


def test_the_least_visible_remedy_wins():
    assert signature.visibility(579, 28) == 0
    assert signature.visibility(579, 29) < signature.visibility(606, 28)  # 3.6 % < 4.5 %
    assert signature.visibility(579, 28, 1) == signature.visibility(579, 28, 2) / 2


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from("一二三，。、；“”《》（）ab12.- "), max_size=120),
       st.sampled_from([28, 26, 25.5, 3, 1.5]), st.sampled_from([28, 24, 2]),
       st.sampled_from(METRICS))
def test_lines_found_by_bisection_are_those_found_token_by_token(
        text: str, first: float, rest: float, metrics: Metrics) -> None:
    pending = tokens(text)
    reference = _break_tokens(list(pending), _sizes(pending, metrics), first, rest, metrics)
    assert break_lines(text, first, rest, metrics) == reference
    assert "".join(reference) == text


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("一二三，。、；：？！“”‘’《》（）〔〕…—　"), max_size=120),
       st.sampled_from([28, 26, 25.5, 3, 1, 0.5]), st.sampled_from([28, 24, 2, 1, 0.5]),
       st.sampled_from(METRICS))
def test_all_wide_text_breaks_as_token_by_token(
        text: str, first: float, rest: float, metrics: Metrics) -> None:
    """The fast path for text whose every character is one cell (ALL_WIDE)."""
    assert ALL_WIDE.fullmatch(text)
    pending = tokens(text)
    reference = _break_tokens(list(pending), _sizes(pending, metrics), first, rest, metrics)
    assert break_lines(text, first, rest, metrics) == reference


def test_every_character_the_fast_path_takes_is_one_cell_everywhere():
    taken = [chr(c) for c in range(0x10000) if ALL_WIDE.fullmatch(chr(c))]
    assert len(taken) > 20000
    for char in taken:
        assert tokens(char) == [char]
        assert all(width(char, m) == 1.0 for m in METRICS), hex(ord(char))


def test_a_character_wider_than_the_line_stands_alone_on_it():
    assert break_lines("一二", 0.5, 0.5, STRICT) == ["一", "二"]
    assert break_lines("ab一", 0.5, 0.5, STRICT) == ["a", "b", "一"]
