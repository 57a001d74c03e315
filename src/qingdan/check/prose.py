"""Source text as the text lints read it: placeholders blanked, offsets kept."""

from __future__ import annotations

from functools import lru_cache

from ..resolve.substitution import blank_templates

# Chinese text and its marks; the full-width forms but their digits and Latin letters
# (０.５ is a number, not Chinese text: its point is no 句号, W901).
CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uffef“”‘’《》—…]"


def _header(raw: str) -> int:
    """How many leading characters of raw are no text: a block scalar's header line (| or
    >, with its comment), an anchor or a tag (&a, !!str) with what follows it on its line
    when that is a header, a comment or nothing (the text starts on the next line)."""
    at = 0
    while at < len(raw) and raw[at] in "&!":
        while at < len(raw) and raw[at] not in " \t\n":
            at += 1
        while at < len(raw) and raw[at] in " \t":
            at += 1
    if at < len(raw) and raw[at] not in "|>#\n":
        return at  # &a 加强……: the text follows on the same line
    if at == 0 and not raw.startswith(("|", ">")):
        return 0
    return raw.find("\n") if "\n" in raw else len(raw)


@lru_cache(maxsize=16384)  # every lint reads the same texts: blank each once
def prose(raw: str) -> str:
    """raw with placeholders blanked out (same length), so offsets stay true; so is a block
    scalar's header line (`>-  # 注释`), whose comment is not text."""
    header = _header(raw)  # also after an anchor or a tag: &a |-, !!str >, &a  # 注释
    if header:
        raw = "\x00" * header + raw[header:]
    return blank_templates(raw)
