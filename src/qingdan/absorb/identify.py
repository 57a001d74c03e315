"""Which unit and which list a file sent back is: the properties the build stamped into
it, else the options, else the one unit whose list has the file's title."""

from __future__ import annotations

from ..builder.pipeline import Prepared, UnitResult, resolve_unit
from ..diagnostics import Diagnostic, Failed, Location, did_you_mean
from ..model import RosterUnit
from ..render.stamp import SOURCE, UNIT
from .align import squeezed
from .read import Sent


def identify(sent: Sent, prepared: Prepared, unit: str | None, source: str | None,
              display: str) -> tuple[RosterUnit | None, str, str]:
    """The roster unit (None: the project's own) and the list's source name, and how they
    were found: the options, else the stamp the build wrote, else the title."""
    project = prepared.project
    found_by = "文件属性（qingdan 生成时写入）"
    if unit is None and UNIT in sent.stamp:
        unit = sent.stamp[UNIT]
    if source is None and SOURCE in sent.stamp:
        source = sent.stamp[SOURCE]
    if unit is None or source is None:
        unit, source, found_by = _by_title(sent, prepared, unit, source, display)
    elif UNIT not in sent.stamp or SOURCE not in sent.stamp:
        found_by = "命令行选项"
    where = Location(display)
    ids = [u.id for u in project.roster]
    if unit and unit not in ids:
        raise Failed([Diagnostic("E452", f"名册中没有编号为“{unit}”的单位", where,
                                 hint=did_you_mean(unit, ids) or
                                 f"名册中的单位：{'、'.join(ids) or '（没有名册）'}")])
    if not unit and project.unit is None:
        raise Failed([Diagnostic("E452", "项目没有本单位（qingdan.yaml 中没有 unit），"
                                 "无法回收基础清单", where, hint="用 --unit 指定名册中的单位")])
    names = [doc.name for doc in project.lists]
    if source not in names:
        other = source in {doc.name for doc in project.measures} | {
            doc.name for doc in project.notices}
        why = "（回收目前只适用于责任清单）" if other else ""
        raise Failed([Diagnostic(
            "E453", f"“{source}”不是项目中的责任清单{why}", where,
            hint=did_you_mean(source or "", names) or f"项目中的清单：{'、'.join(names)}")])
    roster_unit = next((u for u in project.roster if u.id == unit), None) if unit else None
    return roster_unit, source, found_by


def _by_title(sent: Sent, prepared: Prepared, unit: str | None, source: str | None,
              display: str) -> tuple[str, str, str]:
    """The unit and list whose title the file has, when exactly one has it."""
    title = squeezed(sent.title or "".join(p.text for p in sent.paragraphs
                                          if p.style == "公文标题"))
    lead = [squeezed(p.text) for p in sent.paragraphs[:6] if p.text.strip()]
    heads = {"".join(lead[:n]) for n in range(1, len(lead) + 1)}  # styles lost: the first lines
    candidates: list[RosterUnit | None] = [None] if prepared.project.unit else []
    candidates += list(prepared.project.roster)
    found = []
    for candidate in candidates:
        if unit is not None and (candidate.id if candidate else "") != unit:
            continue
        resolved = resolve_unit(prepared, candidate, UnitResult("", ""))
        for doc in resolved.lists if resolved is not None else ():
            written = squeezed("".join(t.value for t in doc.title))
            if (source is None or doc.name == source) and (
                    written == title if title else written in heads):
                found.append((candidate.id if candidate else "", doc.name))
    if len(found) == 1:
        return found[0][0], found[0][1], "标题"
    hint = ("文件中没有 qingdan 生成时写入的属性（可能是另存为其他格式时丢失了），"
            "请用 --unit 单位编号 --source 清单源文件名 指定")
    message = (f"无法确定“{display}”是哪个单位的哪份清单" if not found else
               f"“{display}”的标题与 {len(found)} 个单位的清单相同，无法确定是哪一个")
    raise Failed([Diagnostic("E451", message, Location(display), hint=hint)])


