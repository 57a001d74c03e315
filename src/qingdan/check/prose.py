"""Source text as the text lints read it: placeholders blanked, offsets kept."""

from __future__ import annotations

from functools import lru_cache

from ..resolve.substitution import blank_templates

CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》—…]"


@lru_cache(maxsize=16384)  # every lint reads the same texts: blank each once
def prose(raw: str) -> str:
    """raw with placeholders blanked out (same length), so offsets stay true; so is a block
    scalar's header line (`>-  # 注释`), whose comment is not text."""
    if raw.startswith(("|", ">")):
        header = raw.find("\n") if "\n" in raw else len(raw)
        raw = "\x00" * header + raw[header:]
    return blank_templates(raw)
