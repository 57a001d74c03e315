"""The yearly work notice (kind: work): 关于开展2025年度……考核工作的通知.

It is a notice issued once, by the project's own unit, to the units it assesses: after
its body come numbered sections (一、考核对象 二、考核内容 三、时间安排 …), and a section
may hold a schedule, printed as a table (序号 | 阶段 | 时间 | 工作内容 | 报送对象). Its text
may name the units assessed ({{ units }}: the roster's names, or those `assessed` lists;
{{ count }}: how many), the edition's {{ year }}, and the measures' articles through
ref('文件名:id'), like any other text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from ..diagnostics import Diagnostic, did_you_mean
from ..load.builders import Path_, Reader
from ..model import Notice, Project, Section, Stage, Text
from ..words import dates as schedule
from ..words import numbering

REQUIRED = ("mark", "title", "recipients", "body", "sections", "signature", "date")


def build_work(reader: Reader) -> Notice | None:
    """A work notice from what the schema accepted; None when a required part failed."""
    data = reader.source.data
    if not all(reader.ok((key,)) for key in REQUIRED):
        return None

    def text(key: str) -> Text:
        return reader.t(data[key], (key,))

    sections = tuple(_section(reader, raw, ("sections", i))
                     for i, raw in enumerate(data["sections"]) if reader.ok(("sections", i)))
    return Notice(
        name=reader.source.path.stem, kind="work", mark=text("mark"),
        recipients=text("recipients"), body=text("body"), signature=text("signature"),
        date=text("date"), location=reader.source.at(()), title=reader.title(data),
        attachments=tuple(reader.t(a, ("attachments", i))
                          for i, a in enumerate(data.get("attachments", []))
                          if reader.ok(("attachments", i))),
        number=reader.text(data, "number", ()), copy_to=reader.text(data, "copy_to", ()),
        printer=reader.text(data, "printer", ()), print_date=reader.text(data, "print_date", ()),
        seal=data.get("seal", False) if reader.ok(("seal",)) else False,
        draft=reader.text(data, "draft", ()), sections=sections,
        assessed=tuple(reader.t(a, ("assessed", i)) for i, a in enumerate(data.get("assessed", []))
                       if reader.ok(("assessed", i))))


def _section(reader: Reader, raw: dict[str, Any], path: Path_) -> Section:
    stages = tuple(
        Stage(name=reader.t(s["stage"], path + ("schedule", i, "stage")),
              when=reader.t(str(s["date"]), path + ("schedule", i, "date")),
              task=reader.t(s["task"], path + ("schedule", i, "task")),
              to=reader.text(s, "to", path + ("schedule", i)),
              location=reader.source.at(path + ("schedule", i)))
        for i, s in enumerate(raw.get("schedule", [])) if reader.ok(path + ("schedule", i)))
    return Section(location=reader.source.at(path), heading=reader.text(raw, "heading", path),
                   text=reader.text(raw, "text", path), schedule=stages)


def assessed_names(project: Project, notice: Notice) -> list[str]:
    """Who a work notice assesses: the units it lists, else the whole roster, else the
    project's own unit."""
    by_id = {u.id: u.unit.name for u in project.roster}
    if notice.assessed:
        return [by_id[a.value] for a in notice.assessed if a.value in by_id]
    if by_id:
        return list(by_id.values())
    return [project.unit.name] if project.unit is not None else []


def context(project: Project, notice: Notice) -> dict[str, object]:
    """What a work notice's text may name besides the usual: {{ units }} and {{ count }}."""
    if notice.kind != "work":
        return {}
    names = assessed_names(project, notice)
    return {"units": "、".join(names), "count": len(names)}


def resolve_sections(sections: tuple[Section, ...], render: Callable[[Text | None, bool], Any],
                     year: int | None) -> tuple[Section, ...]:
    """Sections with every text rendered (render(text, paragraphs)) and every stage's date
    in Chinese (without the edition's year)."""
    return tuple(dataclasses.replace(
        section, heading=render(section.heading, False), text=render(section.text, True),
        schedule=tuple(dataclasses.replace(
            stage, name=render(stage.name, False), task=render(stage.task, False),
            to=render(stage.to, False),
            when=dataclasses.replace(stage.when, value=schedule.display(stage.when.value, year)))
            for stage in section.schedule)) for section in sections)


def section_views(sections: tuple[Section, ...]) -> list[dict[str, object]]:
    """The sections as the notice template shows them: 一、 before each heading, each
    paragraph, and the schedule's rows (no, stage, when, task, to)."""
    views: list[dict[str, object]] = []
    headed = 0
    for section in sections:
        if section.heading is not None:
            headed += 1
        rows = [{"no": str(n), "stage": s.name.value, "when": s.when.value, "task": s.task.value,
                 "to": s.to.value if s.to else ""} for n, s in enumerate(section.schedule, 1)]
        views.append({
            "label": numbering.section(headed) if section.heading is not None else "",
            "heading": section.heading.value if section.heading is not None else "",
            "paragraphs": section.text.paragraphs() if section.text is not None else [],
            "rows": rows})
    return views


def check_work(project: Project) -> list[Diagnostic]:
    """Units a work notice lists are in the roster (E655); someone issues it (E656); its
    schedule's dates (E651-E654)."""
    found = schedule.check_schedules(project)
    ids = {u.id for u in project.roster}
    for notice in project.notices:
        if notice.kind != "work":
            continue
        if project.unit is None:
            found.append(Diagnostic(
                "E656", f"年度工作通知“{notice.name}”没有发文单位", notice.location,
                hint="在 qingdan.yaml 中写 unit:（发文的本单位），年度工作通知由本单位印发"))
        for unit in notice.assessed:
            if unit.value not in ids:
                found.append(Diagnostic(
                    "E655", f"被考核单位“{unit.value}”不在单位名册中", unit.location,
                    hint=did_you_mean(unit.value, ids)
                    or (f"写名册中的单位编号：{'、'.join(sorted(ids))}" if ids
                        else "项目中没有单位名册；省略 assessed 即为本单位")))
    return found


def issuer_only(project: Project) -> Project:
    """The project without its work notices: what a roster unit issues."""
    kept = tuple(n for n in project.notices if n.kind != "work")
    return project if len(kept) == len(project.notices) else dataclasses.replace(
        project, notices=kept)

