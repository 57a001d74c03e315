"""Run an import: read every file, recognise its documents, give them names, register the
documents they cite, write YAML, check it with qingdan's own loader, turn hard-coded
article numbers into ref() where the target exists, and only then write the folder."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..builder.pipeline import unique_name
from ..check.docnumber import NUMBER
from ..check.text import HARD_REFERENCE, hard_coded_phrases
from ..diagnostics import Diagnostic, Failed, Location, errors
from ..load.formats import CURRENT_FORMAT
from ..load.source import MAX_SOURCE_BYTES, load_text
from ..office import scratch
from ..paths import CONFIG_NAME, display_path
from ..resolve.resolver import CJK_SPACE
from ..write.files import inside, safe_filename
from ..write.staging import NewFolder, write_all
from .documents import Doc, read_documents
from .emit import dump
from .ids import Ids
from .read import read_file
from .report import Report

CITED = re.compile(r"cite\('([^']+)'\)")
CITATION = re.compile(r"《(?P<title>[^《》]{2,80})》[（(](?P<number>[^（）()]{4,30})[）)]")
ORGAN = re.compile(r"(?:根据|按照|依据|落实)([\u4e00-\u9fff]{4,30}?"
                   r"(?:办公室|办公厅|委员会|委|部|局|厅|政府))$")
PARTY = re.compile(r"^中共(?P<name>.+?)(?P<body>党?委员会|总支部委员会|支部委员会|党组|党工委)$")
ORGAN_BODIES = ("党总支", "党支部", "党工委", "党委", "党组", "总支", "支部")
BODIES = {"委员会": "党委", "党委员会": "党委", "总支部委员会": "党总支", "支部委员会": "党支部",
          "党组": "党组", "党工委": "党工委"}


@dataclass
class Imported:
    """What an import wrote and what it has to say."""

    written: list[Path] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    documents: list[Doc] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)  # the check of the result


def check_output(out: Path, force: bool) -> None:
    display = display_path(out)
    if out.exists() and not out.is_dir():
        raise Failed([Diagnostic("E436", f"“{display}”已存在，而且不是文件夹", Location(display),
                                 hint="用 -o 指定一个新文件夹")])
    if out.is_dir() and any(out.iterdir()) and not force:
        raise Failed([Diagnostic("E436", f"输出文件夹“{display}”已存在且不为空", Location(display),
                                 hint="用 -o 指定一个新文件夹；确需写入时加 --force"
                                      "（同名文件会被覆盖，其他文件保持不动）")])


def import_files(paths: list[Path], out: Path, force: bool = False,
                 soffice: str | None = None) -> Imported:
    """Import the files into the folder out; raises Failed before writing anything when a
    file cannot be read or nothing importable was found."""
    check_output(out, force)
    result = Imported()
    problems: list[Diagnostic] = []
    for path in paths:
        display = display_path(path)
        try:
            paras = read_file(path, display, soffice, _noter(result.report, display))
        except Failed as failed:
            problems.extend(failed.diagnostics)
            continue
        found = read_documents(paras, display, result.report, True)
        if not found:
            problems.append(Diagnostic("E437", "没有找到可以导入的公文内容", Location(display),
                                       hint="文件是空的，或者只有网页的标题、导航等附加内容"))
        result.documents.extend(found)
    if problems:
        raise Failed(problems)
    for doc in result.documents:
        for each in [doc, *doc.attachments]:
            each.data = _strings(each.data, _tidy)
    flat = _named(result.documents)
    registry = _register([d for _, d in flat])
    config = _config(flat, registry, result.report)
    texts = _with_refs(flat, config, result)
    result.written = write_project(out, {n: t.encode("utf-8") for n, t in texts.items()})
    return result


def write_project(out: Path, files: dict[str, bytes]) -> list[Path]:
    """Every file of the project or none: a new folder is built whole and renamed into
    place; into an existing one (empty, or --force) the files are staged beside their
    targets and renamed only when all are (staging.py)."""
    if not os.path.lexists(out):
        with NewFolder(out) as folder:
            written = [folder.write(name, data) for name, data in files.items()]
            folder.commit()
        return written
    outputs = [(inside(out, name), data) for name, data in files.items()]
    write_all(out, outputs)
    return [target for target, _ in outputs]


def _noter(report: Report, where: str) -> Callable[[str, str], None]:
    """A note of the import report at the file where (links removed, the real type)."""
    def note(what: str, why: str) -> None:
        report.add(where, what, why)
    return note


def _named(docs: list[Doc]) -> list[tuple[str, Doc]]:
    """Every document with its source name (from its title, unique), notices' attachments
    named after them."""
    taken = {"qingdan"}
    flat: list[tuple[str, Doc]] = []
    for doc in docs:
        for each in [doc, *doc.attachments]:
            flat.append((unique_name(safe_filename(each.title), taken), each))
        if doc.kind == "notice":
            issued = {id(a) for a in doc.attachments}
            _attach(doc, [n for n, d in flat if id(d) in issued])
    return flat


def _sources(flat: list[tuple[str, Doc]], config: dict[str, Any]) -> dict[str, str]:
    """File name -> YAML text for qingdan.yaml and every document."""
    texts = {CONFIG_NAME: dump(config, _config_comments(flat),
                               ["项目配置（由 qingdan import 生成）。unit 是本单位的信息，",
                                "documents 是文中所引文件的登记表。"])}
    for name, doc in flat:
        header = [f"由 qingdan import 从 {doc.source} 起导入。",
                  "标有“导入：”的注释说明了导入时的处理，核对后可删去。"]
        texts[f"{name}.yaml"] = dump(doc.data, doc.comments, header)
    starts = {CONFIG_NAME: ""} | {f"{name}.yaml": doc.source for name, doc in flat}
    for name, text in texts.items():
        if len(text.encode("utf-8")) > MAX_SOURCE_BYTES:
            raise _too_large(name, starts[name], f"超过 {MAX_SOURCE_BYTES // 2**20} MB")
        try:
            load_text(text, Path(name), name)  # YAML that does not load back: an importer bug
        except Failed as failed:
            if any(d.code == "E105" for d in failed.diagnostics):
                raise _too_large(name, starts[name], "键和值过多") from None
            raise
    return texts


def _too_large(name: str, start: str, why: str) -> Failed:
    """The project would hold a source qingdan refuses to load (E105): refused here, where
    the user can still split the document, rather than written and refused by check."""
    display = start.rsplit(" ", 1)[0] if start else name
    return Failed([Diagnostic("E433", f"导入后的源文件“{name}”过大（{why}），qingdan 无法读取",
                              Location(display),
                              hint="把原文按章或按部分拆成几个文件，分别导入")])


def _attach(doc: Doc, names: list[str]) -> None:
    doc.data["attachments"] = names
    titles = [f"《{d.title}》" for d in doc.attachments]
    issued = titles[0] if len(titles) == 1 else "、".join(titles[:-1]) + "和" + titles[-1] \
        if titles else ""
    body = doc.data.get("body", "")
    if issued and issued in body:
        doc.data["body"] = body.replace(issued, "{{ attachments }}", 1)
    if not names:
        doc.comments[("attachments",)] = ["导入：原文没有随文印发的文件，请写上附件的源文件名"]


def _strings(value: Any, change: Any) -> Any:
    """value with change() applied to every string in it."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [_strings(v, change) for v in value]
    if isinstance(value, dict):
        return {k: (v if k in ("kind", "id") else _strings(v, change)) for k, v in value.items()}
    return value


def _tidy(text: str) -> str:
    """Spaces next to Chinese text go, as qingdan drops them when it prints; line breaks
    between paragraphs stay."""
    return "\n".join(CJK_SPACE.sub("", line).strip() for line in text.split("\n"))


def _register(docs: list[Doc]) -> dict[str, dict[str, str]]:
    """Every 《标题》（字号） cited with a valid 发文字号: registered once, written as cite()."""
    registry: dict[str, dict[str, str]] = {}
    keys: dict[tuple[str, str], str] = {}
    ids = Ids()

    def change(text: str) -> str:
        def one(match: re.Match[str]) -> str:
            number = match.group("number")
            if not NUMBER.match(number):
                return match.group(0)
            pair = (match.group("title"), number)
            if pair not in keys:
                keys[pair] = ids.make(match.group("title"), 6, "wenjian")
                entry = {"title": pair[0], "number": number}
                # Only the 40 characters before the citation: the longest organ fits, and
                # the text before a thousand citations is not searched a thousand times.
                organ = ORGAN.search(text[max(0, match.start() - 40): match.start()])
                if organ:
                    entry = {"organ": organ.group(1), **entry}
                registry[keys[pair]] = entry
            return f"{{{{ cite('{keys[pair]}') }}}}"

        return CITATION.sub(one, text)

    for doc in docs:
        doc.data = _strings(doc.data, change)
        if doc.kind == "list" and "cite(" in doc.data.get("preamble", ""):
            cited = CITED.findall(doc.data["preamble"])
            data = {}
            for key, value in doc.data.items():
                if key == "preamble":
                    data["basis"] = list(dict.fromkeys(cited))
                data[key] = value
            doc.data = data
    return registry


@dataclass(frozen=True)
class UnitGuess:
    """The project's unit as the documents name it, how sure, and what it was read from."""

    data: dict[str, str]
    sure: bool
    where: str  # 001.txt 第3行, or "" when no document names one
    what: str  # the words it was read from
    others: tuple[str, ...] = ()  # other organs the documents name


def _unit(flat: list[tuple[str, Doc]]) -> UnitGuess:
    """The unit: from a signature (中共某某委员会: sure), else from the organ a title or a
    first heading names (文化馆党支部 -> 文化馆, 党支部), else 本单位."""
    named = [d.organ for _, d in flat if d.organ[0]]
    others = tuple(dict.fromkeys(o for o, _ in named[1:] if o != named[0][0])) if named else ()
    if not named:
        return UnitGuess({"name": "本单位", "body": "党委"}, False, "", "")
    organ, where = named[0]
    match = PARTY.match(organ)
    if match:
        return UnitGuess({"name": match.group("name"),
                          "body": BODIES.get(match.group("body"), "党委")}, True, where, organ,
                         others)
    body = next((b for b in ORGAN_BODIES if organ.endswith(b) and organ != b), "")
    name = organ[: len(organ) - len(body)] if body else organ
    body = {"支部": "党支部", "总支": "党总支"}.get(body, body) or "党委"
    return UnitGuess({"name": name if len(name) >= 2 else "本单位", "body": body}, False, where,
                     organ, others)


def _config(flat: list[tuple[str, Doc]], registry: dict[str, dict[str, str]],
            report: Report) -> dict[str, Any]:
    guess = _unit(flat)
    unit = guess.data
    others = (f"；文件中还写有{'、'.join(guess.others)}，请确认本单位是哪一个" if guess.others
              else "")
    if not guess.where:
        report.add(CONFIG_NAME, unit["name"],
                   "原文没有写明本单位（没有署名，标题和各节标题中也没有单位名称），名称暂写“本单位”、"
                   "党组织类型暂写“党委”，请在 qingdan.yaml 中改为本单位的全称和党组织类型")
    elif not guess.sure:
        report.add(guess.where, guess.what,
                   f"按此推测本单位名称为“{unit['name']}”、党组织类型为“{unit['body']}”，"
                   f"请在 qingdan.yaml 中核对{others}")
    elif others:
        report.add(guess.where, guess.what, f"本单位按这一署名填写{others}")
    data: dict[str, Any] = {"format": CURRENT_FORMAT, "unit": unit}  # written for this one
    if registry:
        data["documents"] = registry
    return data


def _config_comments(flat: list[tuple[str, Doc]]) -> dict[tuple[Any, ...], list[str]]:
    guess = _unit(flat)
    if guess.sure:
        return {("unit",): [f"导入：按{guess.where}的署名填写，请核对"]}
    if guess.where:
        return {("unit",): [f"导入：按{guess.where}的“{guess.what}”推测，"
                            "请改为本单位的全称和党组织类型"]}
    return {("unit",): ["导入：原文没有写明本单位，请改为本单位的全称和党组织类型"]}


def _with_refs(flat: list[tuple[str, Doc]], config: dict[str, Any],
               result: Imported) -> dict[str, str]:
    """Write the project to a scratch folder, index it with qingdan, and write every
    hard-coded 第三条 / 第（二）项 that names a target of its own document as ref()."""
    from ..builder.pipeline import prepare

    texts = _sources(flat, config)
    by_name = dict(flat)
    with scratch.folder("import") as folder:  # swept by the next run if this one is killed
        for name, text in texts.items():
            (folder / name).write_text(text, "utf-8")
        prepared = prepare(folder)
        for problem in prepared.found:
            if problem.code == "E105":  # past a limit only the file's reader counts
                name = Path(problem.location.path).name
                raise _too_large(name, next((d.source for n, d in flat if f"{n}.yaml" == name),
                                            ""), "键和值过多")
        changed = False
        for measures in prepared.project.measures:
            phrases = hard_coded_phrases(measures, prepared.index)
            doc = by_name.get(measures.name)
            if doc is None or not phrases:
                continue

            def change(text: str, phrases: dict[str, tuple[str, str]] = phrases) -> str:
                return HARD_REFERENCE.sub(
                    lambda m: phrases[m.group(0)][1] if m.group(0) in phrases else m.group(0),
                    text)

            content = _strings(doc.data["content"], change)
            if content != doc.data["content"]:
                doc.data["content"] = content
                changed = True
        result.problems = [d for d in prepared.found if errors([d]) and d.code[1] in "123"]
    return _sources(flat, config) if changed else texts
