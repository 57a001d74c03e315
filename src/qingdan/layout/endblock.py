"""Where a notice's end block (版记) goes when the set is printed on both sides.

GB/T 9704-2012 puts the 版记 at the foot of the document's last side (7.4), which in a
double-sided set is an even page; its 页码 clause (7.5) says that when a blank page comes
before the 版记's page, neither carries a page number. So, from the page where the text
(the front part, then the attached documents) ends and the room left at its foot:

- HERE: the text ends on an even page with room for the block under it: at its foot;
- NEXT: the text ends on an odd page: the block alone on the next (even) page, numbered
  as any page after text is;
- BLANK: the text ends on an even page without room: a blank page, then the block on the
  even page after it, neither numbered.

NEXT and BLANK put the block in a last section that starts on an even page
(render/endblock.py), so the renderer itself keeps it on an even side; only the page
number depends on the prediction. Where the renderers disagree, LibreOffice's pages
decide (the PDFs are its); where the pages cannot be predicted (a table, a picture),
NEXT. Printed on one side (qingdan.yaml's `printing: {sides: simplex}`), the block stays
at the foot of the last page: HERE.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence

from .notice import END_BLOCK_PT

ANCHOR_PT = 1.0  # the block's anchor paragraph, an exact 1 pt line after the text


class EndPage(enum.Enum):
    HERE = "here"
    NEXT = "next"
    BLANK = "blank"


End = tuple[int, float] | None  # the page the text ends on and the points free under it


def end_page(libreoffice: End, others: Callable[[], Sequence[End]],
             duplex: bool = True) -> EndPage:
    """Where the end block goes, given where the text ends in LibreOffice (None: not known)
    and, asked only when LibreOffice's leaves room at the foot of an even page, where it
    ends under the other renderers. Where they disagree, LibreOffice decides the page
    number, since qingdan's PDFs are its (build --pdf, proof); the even page is the
    renderer's own doing either way."""
    if not duplex:
        return EndPage.HERE
    if libreoffice is None:
        return EndPage.NEXT
    page, free = libreoffice
    if page % 2:
        return EndPage.NEXT
    if free >= END_BLOCK_PT + ANCHOR_PT and all(
            end is not None and end[0] % 2 == 0 and end[1] >= END_BLOCK_PT + ANCHOR_PT
            for end in others()):
        return EndPage.HERE
    return EndPage.BLANK
