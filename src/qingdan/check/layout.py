"""Layout a reader would see: a notice's signature and date on a page with body text."""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..layout import signature
from ..layout.notice import notice_text
from ..model import Project


def check_signature_page(resolved: Project) -> list[Diagnostic]:
    """E631 for a notice whose signature and date would stand on a page without body text
    whatever line spacing, character spacing or page break GB/T 9704 lets qingdan choose
    (7.3.5); W631 instead when qingdan.yaml says `printing: {signature_alone: warning}`."""
    titles = {d.name: "".join(t.value for t in d.title) for d in resolved.issuable()}
    broken = {d.name for d in resolved.issuable() if any(t.broken for t in d.title)}
    duplex = resolved.printing.duplex
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
        if signature.choose(text, duplex) is not None:
            continue
        short = signature.shortfall(text, duplex)
        ways = []
        if short.cut is not None:
            ways.append(f"删减正文或附件说明共 {short.cut} 行")
        if short.add is not None:
            ways.append(f"正文增加 {short.add} 行，使正文延续到署名页")
        what = "，或".join(ways) or "删减附件说明"
        warns = resolved.printing.signature_warns
        found.append(Diagnostic(
            "W631" if warns else "E631",
            f"通知“{notice.name}”的署名和成文日期将排在第 {short.page} 页，与正文不在同一页，"
            "调整行距、字距或分页都不能解决", notice.signature.location,
            hint=f"{what}（GB/T 9704-2012 7.3.5：署名页须有正文，不用“此页无正文”）"
                 + ("" if warns else "；确需照此印制时，在 qingdan.yaml 的 printing 下写 "
                                     "signature_alone: warning")))
    return found
