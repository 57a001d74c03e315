"""Which project a set of filled scoring workbooks belongs to (qingdan score).

A workbook names its assessment (the source's name, in the hidden sheet qingdan) but no
folder: workbooks travel to the units and back, and an absolute path of the office's
machine has no business in them. So `score` looks, in this order:
1. the folder given with --project;
2. each folder named on the command line (or holding a workbook named there), then its
   parents;
3. the current folder, then its parents.
Of the folders holding a qingdan.yaml, the first whose sources include the assessment the
workbooks name is used; when none does, the first found (the workbooks then fail E724,
which names both assessments). With no project anywhere: E736, never the bundled example.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, Failed, Location
from ..paths import CONFIG_NAME, display_path

GIVEN = "由 --project 指定"
BESIDE = "评分工作簿所在的文件夹或其上级"
HERE = "当前文件夹或其上级"


@dataclass(frozen=True)
class Located:
    """The project used, and how it was found (said to the user)."""

    root: Path
    how: str

    def line(self) -> str:
        return f"项目：{display_path(self.root)}（{self.how}）"


def locate(explicit: Path | None, paths: list[Path], assessments: Iterable[str]) -> Located:
    """The project for workbooks given as paths that name these assessments; raises
    Failed (E736) when there is none."""
    if explicit is not None:
        return Located(explicit, GIVEN)
    names = set(assessments)
    candidates = list(dict.fromkeys(_candidates(paths)))
    for root, how in candidates:
        if any((root / f"{name}{suffix}").is_file() for name in names
               for suffix in (".yaml", ".yml")):
            return Located(root, how)
    if candidates:
        return Located(*candidates[0])
    shown = display_path(paths[0]) if paths else "."
    raise Failed([Diagnostic(
        "E736", f"找不到评分工作簿所属的项目：“{shown}”及其上级文件夹、当前文件夹及其上级"
                f"文件夹中都没有 {CONFIG_NAME}", Location(shown),
        hint="用 --project 指定考核办法所在的项目文件夹，或在项目文件夹中运行 qingdan score")])


def _candidates(paths: list[Path]) -> Iterator[tuple[Path, str]]:
    """Folders holding a qingdan.yaml, in the order of the search, with how each was found."""
    starts = [(p if p.is_dir() else p.parent, BESIDE) for p in paths]
    starts.append((Path.cwd(), HERE))
    for start, how in starts:
        try:
            folder = start.resolve()
        except OSError:
            continue
        for candidate in (folder, *folder.parents):
            if (candidate / CONFIG_NAME).is_file():
                yield _shortest(candidate), how


def _shortest(root: Path) -> Path:
    """The folder as the user would type it: relative to the current folder when inside."""
    try:
        return root.relative_to(Path.cwd().resolve())
    except ValueError:
        return root
