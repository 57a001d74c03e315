"""The built example through LibreOffice: 22 lines of 28 characters, inside the margins."""

from __future__ import annotations

import os
import shutil
from collections import Counter

import pytest

from pdfmeasure import BOTTOM, LEFT, MM, RIGHT, TOP, lines, to_pdf

TOLERANCE = 0.5  # points; glyph boxes are rounded by poppler

needs_office = pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice is not installed (scripts/test.sh installs it)")


@pytest.fixture(scope="module")
def measured(example_docx, tmp_path_factory):
    pdf = to_pdf(example_docx, tmp_path_factory.mktemp("pdf"))
    return lines(pdf)


@needs_office
def test_full_pages_hold_22_lines_and_no_page_more(measured):
    pages, found = measured
    assert pages >= 2, "the example spans several pages, so a full page can be measured"
    for page in range(1, pages + 1):
        slots = [ln.slot for ln in found if ln.page == page and ln.in_body]
        assert max(slots) <= 21, f"page {page} has a line past the 22nd"
        assert len(slots) == len(set(slots)), f"page {page} has two lines on one grid line"
        if page < pages:
            assert max(slots) == 21, f"page {page} is not full: it stops at line {max(slots) + 1}"


@needs_office
def test_full_lines_hold_28_characters_and_no_line_more(measured):
    _, found = measured
    body = [ln for ln in found if ln.in_body]
    assert max(ln.cells for ln in body) <= 28
    # Counted from the margin, indentation included, most lines are a paragraph's full
    # lines, and a full line is 28 characters (27 where a closing mark moved down).
    widths = Counter(round(ln.columns) for ln in body)
    assert max(widths) <= 28, widths
    assert widths.most_common(1)[0][0] == 28, widths


@needs_office
def test_text_stays_inside_the_margins(measured):
    _, found = measured
    for ln in (ln for ln in found if ln.in_body):
        assert ln.x0 >= LEFT - TOLERANCE, ln
        assert ln.x1 <= RIGHT + TOLERANCE, ln
        assert ln.y0 >= TOP - TOLERANCE, ln
        assert ln.y1 <= BOTTOM + TOLERANCE, ln


@needs_office
def test_sections_in_order_and_page_numbers_alternate(measured):
    pages, found = measured
    text = "".join(ln.text for ln in found if ln.in_body)
    headings = ["一、局党委", "二、局党委书记", "三、局党委副书记", "四、其他党委班子成员"]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    for page in range(1, pages + 1):
        [footer] = [ln for ln in found if ln.page == page and not ln.in_body]
        assert footer.text.replace(" ", "") == f"—{page}—"
        assert footer.y0 - BOTTOM == pytest.approx(7 * MM, abs=2 * MM)
        if page % 2:
            assert footer.x1 == pytest.approx(RIGHT - 14, abs=2), "odd pages: right, one in"
        else:
            assert footer.x0 == pytest.approx(LEFT + 14, abs=2), "even pages: left, one in"
