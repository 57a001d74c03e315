"""A notice and what it issues: attachments exist, and the titles it names are theirs."""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic, did_you_mean
from ..model import Project

QUOTED = re.compile(r"《([^《》]+)》")


def check_attachments(project: Project) -> list[Diagnostic]:
    """Every attachment names a list or measures source of the project."""
    names = {d.name for d in project.issuable()}
    found = []
    for notice in project.notices:
        for attachment in notice.attachments:
            if attachment.value not in names and attachment.value not in project.lost:
                found.append(Diagnostic(
                    "E311", f"附件“{attachment.value}”不是本项目的源文件", attachment.location,
                    hint=did_you_mean(attachment.value, names)
                    or f"写源文件名（不含 .yaml）：{'、'.join(sorted(names))}"))
    return found


def check_titles(resolved: Project) -> list[Diagnostic]:
    """Each 《…》 a notice's title or body names is an attachment or a registered document."""
    titles = {"".join(t.value for t in d.title): d.name for d in resolved.issuable()}
    cited = {d.title.value for d in resolved.documents}
    cited |= {c.title.value for lst in resolved.lists for c in lst.basis}
    found = []
    for notice in resolved.notices:
        issued = [d for d in resolved.issuable()
                  if d.name in {a.value for a in notice.attachments}
                  or notice.kind == "work"]  # a work notice cites the measures it applies
        if any(t.broken for d in issued for t in d.title):
            continue  # a title it issues failed to render: what it should say is unknown
        attached = {"".join(t.value for t in d.title) for d in issued}
        for text in (*notice.title, notice.body):
            if text.broken:
                continue
            for match in QUOTED.finditer(text.value):
                name = match.group(1)
                if name in attached or name in cited:
                    continue
                other = f"“{name}”是本项目中的文件，但没有列为附件" if name in titles else None
                found.append(Diagnostic(
                    "E621", f"《{name}》与所附文件的标题不符",
                    text.locate(name) if name in text.raw else text.location,
                    hint=other or did_you_mean(name, attached)
                    or ("附件标题：" + "、".join(f"《{t}》" for t in sorted(attached)) + "；"
                        if attached else "")
                    + "引用的是其他文件时，在 qingdan.yaml 的 documents 中登记，文中写 "
                    "{{ cite('简称') }}"))
    return found
