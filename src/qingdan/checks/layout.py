"""Layout a reader would see: a notice's signature and date on a page with body text."""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..layout.notice import choose_pitch, notice_text, placements
from ..model import Project


def check_signature_page(resolved: Project) -> list[Diagnostic]:
    """W631 for a notice whose signature and date would stand on a page without body text
    under every line spacing GB/T 9704 allows qingdan to choose (7.3.5)."""
    titles = {d.name: "".join(t.value for t in d.title) for d in resolved.issuable()}
    broken = {d.name for d in resolved.issuable() if any(t.broken for t in d.title)}
    found = []
    for notice in resolved.notices:
        if any(t is not None and t.broken for t in (
                notice.recipients, notice.body, notice.signature, *notice.title)) or any(
                a.value in broken for a in notice.attachments):
            continue  # its text is not final: the placeholders' errors come first
        attached = [titles[a.value] for a in notice.attachments if a.value in titles]
        try:
            text = notice_text(notice, attached)
        except ValueError:
            continue  # a date that does not exist: E603 says so
        if choose_pitch(text) is not None:
            continue
        page = max(p.signature for p in placements(text))
        found.append(Diagnostic(
            "W631", f"通知“{notice.name}”的署名和成文日期将排在第 {page} 页，与正文不在同一页，"
                    "调整行距也不能解决", notice.signature.location,
            hint="增加正文（使正文延续到下一页），或删减正文、附件说明，使署名与正文同页；"
                 "GB/T 9704-2012 7.3.5 要求署名页有正文"))
    return found
