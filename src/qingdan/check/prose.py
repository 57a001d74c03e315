"""Source text as the text lints read it: placeholders blanked, offsets kept."""

from __future__ import annotations

from functools import lru_cache

from ..resolve.substitution import blank_templates

# Chinese text and its marks; the full-width forms but their digits and Latin letters
# (０.５ is a number, not Chinese text: its point is no 句号, W901).
CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uffef“”‘’《》—…]"


def _block_header(raw: str) -> bool:
    """Whether raw is a block scalar: | or >, maybe after an anchor or a tag (&a |-)."""
    at = 0
    while at < len(raw) and raw[at] in "&!":
        while at < len(raw) and raw[at] not in " \t\n":
            at += 1
        while at < len(raw) and raw[at] in " \t":
            at += 1
    return at < len(raw) and raw[at] in "|>"


@lru_cache(maxsize=16384)  # every lint reads the same texts: blank each once
def prose(raw: str) -> str:
    """raw with placeholders blanked out (same length), so offsets stay true; so is a block
    scalar's header line (`>-  # 注释`), whose comment is not text."""
    if _block_header(raw):  # also after an anchor or a tag: &a |-, !!str >
        header = raw.find("\n") if "\n" in raw else len(raw)
        raw = "\x00" * header + raw[header:]
    return blank_templates(raw)
