"""qingdan absorb: a list a unit edited in Word or WPS and sent back -> the change to the
sources that gives it, shown as a diff, written only when asked.

Stages: read the file (read.py); find its unit and list (the properties the build stamped,
else --unit/--source, else the title); build that unit's list as it is now, in memory;
align the two (align.py); plan the overlay operations (plan.py); write them into the
roster (roster.py), or, for the project's own unit, into the base list (base.py); load the
changed project again and check that it gives the sent list, before anything is written.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

from ..builder.pipeline import Prepared, apply_settings
from ..diagnostics import Diagnostic, Failed, Location, errors
from ..load.project import source_files
from ..load.source import load_text
from ..model import Project, ResponsibilityList, RosterUnit
from ..paths import display_path
from ..render.docx import ListView, list_view, render_list
from ..render.stamp import DIGEST, body_digest
from .align import ITEM, Alignment, align, body_text, similarity, squeezed
from .base import base_edits
from .identify import identify
from .plan import name_new, plan, simulate
from .read import Sent, read_sent
from .result import Absorbed
from .retemplate import retemplate
from .roster import roster_edits
from .verify import all_errors, defect, unit_project, verify
from .yamltext import apply

OP_NAMES = {"replace": "改写", "add": "新增", "remove": "删除", "move": "移动"}


def absorb(file: Path, project_path: Path, unit: str | None = None,
           source: str | None = None) -> Absorbed:
    """The change that absorbing file into the project gives; nothing is written. Raises
    Failed when the file cannot be read or placed, or the project has errors."""
    display = display_path(file)
    sent = read_sent(file, display)
    prepared = _prepared(project_path)
    roster_unit, name, found_by = identify(sent, prepared, unit, source, display)
    result = Absorbed(display, _unit_name(prepared.project, roster_unit),
                      roster_unit.id if roster_unit else "", name, found_by)
    resolved = unit_project(prepared, roster_unit)
    built = next(doc for doc in resolved.lists if doc.name == name)
    view = list_view(built)
    _check_digest(sent, resolved, built, result)
    alignment = align(view, sent.paragraphs)
    if not any(alignment.roles.values()) and any(r.items for r in view.roles):
        raise Failed([Diagnostic("E454", f"“{display}”的正文与“{result.unit}”的“{name}”对不上"
                                 "（没有一条能对应）", Location(display),
                                 hint="确认选对了文件；或用 --unit、--source 指定单位和清单")])
    _listings(sent, alignment, result)
    base = next(doc for doc in prepared.project.lists if doc.name == name)
    taken = _taken(prepared.project, base, view)
    named = name_new(alignment, taken)
    roles = {role.id: [item.id for item in role.items] for role in view.roles}
    result.ops = plan(alignment, roles, named)
    wanted = {role: [p.id or named[id(p)] for p in items]
              for role, items in alignment.roles.items() if items}
    if simulate(roles, result.ops) != {r: wanted[r] for r in roles if r in wanted}:
        raise defect(display, "各条的顺序")
    _tracked(sent, result)
    texts = _texts(prepared.project, roster_unit, base, view, result)
    before = {d.format() for d in all_errors(prepared)}
    # The roster tidied where the unit's overlays already touch an item; should that not
    # give the sent list, the plain form (the new operations after the old ones).
    for tidy in (True, False) if roster_unit is not None else (True,):
        try:
            if roster_unit is None:
                _write_base(project_path, base, alignment, named, texts, result)
            else:
                _write_roster(project_path, roster_unit, base, texts, result, tidy)
            verify(project_path, roster_unit, name, alignment, before, result)
            return result
        except Failed:
            if not tidy or roster_unit is None:
                raise
    raise AssertionError("unreachable")


def _prepared(path: Path) -> Prepared:
    from ..builder.pipeline import prepare

    prepared = prepare(path)
    found = errors(apply_settings(prepared.found, prepared.project.settings))
    if found:
        raise Failed(found)
    return prepared


def _unit_name(project: Project, unit: RosterUnit | None) -> str:
    if unit is not None:
        return unit.unit.name
    return project.unit.name if project.unit else ""


def _check_digest(sent: Sent, resolved: Project, built: ResponsibilityList,
                  result: Absorbed) -> None:
    """W451 when the sources (or qingdan) changed since the file was built."""
    if DIGEST not in sent.stamp:
        return
    data = render_list(built, resolved.templates["list"]).data
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    if body_digest(body) != sent.stamp[DIGEST]:
        result.warnings.append(Diagnostic(
            "W451", f"“{result.display}”生成之后，源文件（或 qingdan）有改动："
                    "比对以现在的源文件为准",
            Location(result.display),
            hint="文件发出之后基础清单改过的地方，会显示为本单位的修改；请逐条核对下面的修改"))


def _listings(sent: Sent, alignment: Alignment, result: Absorbed) -> None:
    for where, what, why in alignment.unplaced:
        # whole, never shortened: the clerk copies it from here into the sources
        result.unplaced.append(f"{where}：“{' / '.join(what.splitlines())}”——{why}")
    for gone, into, where in alignment.merged:
        result.notes.append(f"{where}：条目 {gone} 并入了条目 {into}，"
                            f"按改写 {into}、删除 {gone} 处理，请核对")
    for ident, comment in sent.comments.items():
        where = sent.where_comment(ident) or "（位置不明）"
        author = f"（{comment.author}）" if comment.author else ""
        result.comments.append(f"{where}{author}：{comment.text}")
    if alignment.capped:
        result.notes.append("文件的段落太多，各条只按文字完全相同比对（改写的条目按删除和新增处理）")
    if alignment.unnumbered:
        result.notes.append(f"{'、'.join(alignment.unnumbered)}没有序号，按条目处理")
    for link in sent.links:
        result.notes.append(f"文件链接的{link}已去除，未读取")
    if result.unplaced:
        result.warnings.append(Diagnostic(
            "W452", f"有 {len(result.unplaced)} 处修改无法写成调整，列在“无法归位”下",
            Location(result.display),
            hint="这些文字没有写入源文件，请手工处理（如改标题、导语须改基础清单或通知）"))
    if result.comments:
        result.warnings.append(Diagnostic(
            "W453", f"文件中有 {len(result.comments)} 条批注，列在“批注”下",
            Location(result.display),
            hint="批注不会写入源文件，请逐条处理"))


def _tracked(sent: Sent, result: Absorbed) -> None:
    """Which items the file's tracked changes concern (read as accepted)."""
    for op in result.ops:
        if op.tracked:
            result.tracked.append(f"{op.where}：条目 {op.id}（{OP_NAMES[op.op]}）")
        elif op.op == "remove":
            for paragraph in sent.paragraphs:
                before = body_text(dataclasses.replace(paragraph, text=paragraph.before), ITEM)
                if paragraph.tracked and before and similarity(before, op.old) >= 0.9 \
                        and not squeezed(paragraph.text):
                    result.tracked.append(f"{paragraph.where}：条目 {op.id}（删除）")
                    break


def _taken(project: Project, base: ResponsibilityList, view: ListView) -> set[str]:
    """Ids a new item may not take: the base list's, the unit's, any unit's overlays'."""
    taken = {item.id for item in base.items()}
    taken |= {item.id for role in view.roles for item in role.items}
    for unit in project.roster:
        for op in unit.overlays.get(base.name, ()):
            taken.add(op.target.value)
    return taken


def _texts(project: Project, unit: RosterUnit | None, base: ResponsibilityList,
           view: ListView, result: Absorbed) -> dict[int, str]:
    """Each replace's and add's source text (by its place in ops): a reworded item keeps
    the placeholders its source had where the rewording left their words alone."""
    sources = {item.id: item.text.value for item in base.items()}
    for overlay in (unit.overlays.get(base.name, ()) if unit else ()):
        if overlay.text is not None:
            sources[overlay.target.value] = overlay.text.value
    printed = {item.id: item.text for role in view.roles for item in role.items}
    texts = {}
    for n, op in enumerate(result.ops):
        if op.op != "replace":
            continue
        text, kept = retemplate(sources.get(op.id, op.text), printed.get(op.id, op.old),
                                op.text)
        texts[n] = text
        if not kept:
            result.notes.append(f"条目 {op.id} 改动了占位符（如 {{{{ unit.name }}}}）印出的文字，"
                                "这一条写成了固定文字")
    return texts


def _file_of(project_path: Path, display: str) -> Path:
    root, files = source_files(project_path)
    return next(f for f in files if display_path(f) == display)


def _write_roster(project_path: Path, unit: RosterUnit, base: ResponsibilityList,
                  texts: dict[int, str], result: Absorbed, tidy: bool) -> None:
    target = _file_of(project_path, unit.location.path)
    source = load_text(target.read_text("utf-8-sig"), target, display_path(target))
    index = next(n for n, u in enumerate(source.data["units"]) if u.get("id") == unit.id)
    base_texts = {item.id: item.text.value for item in base.items()}
    result.target, result.old = target, source.text
    edits = roster_edits(source, index, base.name, result.ops, texts, base_texts,
                         Path(result.display).name, tidy)
    result.new = apply(source.text, edits)


def _write_base(project_path: Path, base: ResponsibilityList, alignment: Alignment,
                named: dict[int, str], texts: dict[int, str], result: Absorbed) -> None:
    target = _file_of(project_path, base.location.path)
    source = load_text(target.read_text("utf-8-sig"), target, display_path(target))
    by_item: dict[tuple[str, str], str] = {}
    role_of = {p.id or named[id(p)]: role for role, items in alignment.roles.items()
               for p in items}
    for n, op in enumerate(result.ops):
        if op.op in ("replace", "add"):
            by_item[(role_of[op.id], op.id)] = texts.get(n, op.text)
    # an item moved to another role keeps its reworded text under the new role
    for (role, ident), text in list(by_item.items()):
        for old_role, items in ((r.id, r.items) for r in base.roles):
            if any(i.id == ident for i in items) and old_role != role:
                by_item[(old_role, ident)] = text
    edits, problems = base_edits(source, alignment, named, by_item)
    if problems:
        raise Failed([Diagnostic("E457", problems[0], Location(display_path(target)))])
    result.target, result.old = target, source.text
    result.new = apply(source.text, edits)


def write_absorbed(result: Absorbed) -> None:
    """Write the changed source (its byte-order mark kept), as fmt writes: through a link
    to its target, keeping mode, owner and hard links; all or nothing."""
    from ..write.staging import Staging

    if result.target is None or result.old == result.new:
        return
    target = result.target
    bom = "\ufeff" if target.read_bytes().startswith(b"\xef\xbb\xbf") else ""
    with Staging(target.parent) as staging:
        staging.stage_source(target, (bom + result.new).encode("utf-8"))
        staging.commit()

