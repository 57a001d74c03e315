"""qingdan fmt: fix what is safe to fix mechanically, in place, only when asked.

Only what is safe to fix mechanically is changed: half-width punctuation inside Chinese
text (W901), full-width digits (W911), ellipses written otherwise than …… (W912), the
顿号 between titles or quotations (W913), and the wording W931 and W935 name with a
certain replacement, at the offsets the loader recorded, so comments, quoting,
indentation and key order stay exactly as the clerk wrote them. The file itself stays the
same file: a symbolic link's target is fixed (the link stays), and its mode, owner and
hard links are kept.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import yaml

from ..check.text import Fix, punctuation_fixes, text_fixes
from ..check.wording import own_pairs, replacements, wording_fixes
from ..diagnostics import Failed
from ..load.project import load_project, source_files
from ..load.source import load_text, read_text
from ..load.yamlerrors import colon_to_fix
from ..model import Project
from ..paths import CONFIG_NAME, display_path
from ..write.staging import Staging

MAX_COLONS = 200
MAX_ROUNDS = 5  # fixes that enable fixes: two rounds suffice; a bound all the same


def fix_colons(text: str, path: Path, display: str) -> tuple[str, int]:
    """text with every half-width ":" that breaks the YAML inside Chinese text made "：",
    and how many there were; raises Failed when the text has another YAML error."""
    count = 0
    while True:
        try:
            yaml.compose(text, Loader=yaml.SafeLoader)
            return text, count
        except RecursionError:  # nesting past the parser: the loader reports it (E106)
            load_text(text, path, display)
            return text, count
        except yaml.YAMLError as exc:
            offset = colon_to_fix(exc, text)
            if offset is None or count >= MAX_COLONS:
                load_text(text, path, display)  # raises the located diagnostic
                return text, count
        rest = text[offset + 1:]
        kept = rest.lstrip(" ")
        if kept.startswith("#"):  # "要求: # 注释": the space keeps the comment a comment
            kept = " " + kept
        text = text[:offset] + "：" + kept
        count += 1


def apply_fixes(text: str, fixes: list[Fix]) -> str:
    """text with each fix applied (offsets refer to the original text)."""
    out = list(text)
    for fix in fixes:
        held = text[fix.offset:fix.offset + len(fix.old)]
        if held != fix.old:
            raise ValueError(f"offset {fix.offset} holds {held!r}, not {fix.old!r}")
        out[fix.offset] = fix.new
        for k in range(fix.offset + 1, fix.offset + len(fix.old)):
            out[k] = ""
    return "".join(out)


def format_project(path: Path, write: bool) -> list[tuple[str, int]]:
    """Fix every file of a project; returns (file, number of fixes) for each changed file.

    A file that does not parse because a half-width ":" in Chinese text reads as YAML
    syntax gets "：" there first; any other file that does not parse stops the run before
    anything is written."""
    root, files = source_files(path)
    everything = [f for f in [root / CONFIG_NAME, *files] if f.is_file()]
    texts: dict[Path, str] = {}
    colons: dict[Path, int] = {}
    problems = []
    for file in everything:
        display = display_path(file)
        try:
            texts[file], colons[file] = fix_colons(read_text(file, display), file, display)
        except Failed as failed:
            problems.extend(failed.diagnostics)
    if problems:
        raise Failed(problems)
    # Fix every file in memory first and check each still parses; only then write any.
    # Again until nothing changes: a fixed mark can make its neighbour Chinese text's
    # ("(测试)," : the "," touches Chinese only once ")" is "）").
    by_display = {display_path(f): f for f in everything}
    only = display_path(path) if path.is_file() else None
    counts = {display_path(f): n for f, n in colons.items() if n}
    for _ in range(MAX_ROUNDS):
        project, _ = load_project(path, texts)
        grouped: dict[str, list[Fix]] = defaultdict(list)
        for fix in (punctuation_fixes(project) + wording_fixes(project)
                    + _results_fixes(root, texts, project)):
            if only in (None, fix.path):
                grouped[fix.path].append(fix)
        if not grouped:
            break
        for display, fixes in sorted(grouped.items()):
            file = by_display[display]
            texts[file] = apply_fixes(texts[file], fixes)
            load_text(texts[file], file, display)  # raises Failed if a fix broke the YAML
            counts[display] = counts.get(display, 0) + sum(1 for f in fixes if f.counted)
    staged = []
    for display, count in sorted(counts.items()):
        if only not in (None, display):
            continue
        file = by_display[display]
        bom = "\ufeff" if file.read_bytes().startswith(b"\xef\xbb\xbf") else ""
        staged.append((file, display, (bom + texts[file]).encode("utf-8"), count))
    if write and staged:
        # Every file or none; through a link, keeping mode, owner and hard links.
        with Staging(root) as staging:
            for file, _, data, _ in staged:
                staging.stage_source(file, data)
            staging.commit()
    return [(display, count) for _, display, _, count in staged]


def _results_fixes(root: Path, texts: dict[Path, str], project: Project) -> list[Fix]:
    """The same fixes in results notices (kind: results), which build does not read: the
    project's glossary too."""
    from ..load.results import results_sources, source_texts

    written = [text for results in results_sources(root, texts)
               for text in source_texts(results)]
    return [fix for text in written for fix in text_fixes(text)] + replacements(
        written, own_pairs(project), [r.wrong for r in project.wording.rules])
