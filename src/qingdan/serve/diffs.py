"""The comparison the preview shows: the lists now against an earlier version.

The earlier version is a git revision (`--diff REV` or chosen in the page); its sources
are taken out into a temporary folder (versions.resolve_version) and compared with the
live project by compare.compare, the same model diff as `qingdan diff`.

Taking a revision out writes to the disk, so it is bounded: extracts are kept by the
commit they resolve to (HEAD~1 and its commit id share one), at most MAX_EXTRACTS at a
time, the least recently used removed first, and all removed when the preview stops. The
page asks for a new extract only on a request from the preview's own page (app.py).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, Failed, Location
from ..diff.documents import ProjectDiff

# A revision typed in the page: a name git understands (HEAD~1, v2023, a hash, a branch),
# never an option (a leading "-"), a path (":"), or anything a shell would read.
REVISION = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./~^@{}+-]{0,99}$")
MAX_EXTRACTS = 4  # revisions kept taken out at once
MAX_RESULTS = 16  # comparisons kept for their revision names


def default_revision(project: Path) -> str | None:
    """The previous edition to compare with when none is chosen.

    Issue 16 records the previous edition in qingdan.yaml; until then there is none, and
    the page asks for a revision.
    """
    return None


def valid_revision(spec: str) -> bool:
    return bool(REVISION.match(spec)) and ".." not in spec and not Path(spec).exists()


@dataclass
class Comparison:
    """A diff for one revision and one state of the sources, or why there is none."""

    revision: str
    result: ProjectDiff | None = None
    problems: tuple[Diagnostic, ...] = ()


class Comparisons:
    """Earlier versions taken out of git (a few, reused), and the latest diff for each."""

    def __init__(self, project: Path, trusted: str | None = None):
        self.project = project
        self.trusted = trusted  # the --diff revision: typed on the command line, so any
        # form `qingdan diff` accepts (REV:PATH, a folder) is allowed
        self._folders: OrderedDict[str, tuple[Path, ExitStack]] = OrderedDict()
        self._latest: OrderedDict[str, tuple[int, str, Comparison]] = OrderedDict()
        self._lock = threading.Lock()

    def compare(self, revision: str, generation: int, extract: bool = True) -> Comparison | None:
        """The live project against revision; computed again only after a refresh. None
        when that needs a revision not yet taken out and extract is False."""
        from ..diff.projects import compare

        with self._lock:
            try:
                key = self._key(revision)
                cached = self._latest.get(revision)
                if cached and cached[:2] == (generation, key) and (
                        key in self._folders or key.startswith("folder:")):
                    if key in self._folders:
                        self._folders.move_to_end(key)
                    self._latest.move_to_end(revision)
                    return cached[2]
                folder = self._folder(revision, key, extract)
                if folder is None:
                    return None
                done = Comparison(revision, compare(folder, self.project))
            except Failed as failed:
                key, done = "", Comparison(revision, problems=tuple(failed.diagnostics))
            self._latest[revision] = (generation, key, done)
            self._latest.move_to_end(revision)
            while len(self._latest) > MAX_RESULTS:
                self._latest.popitem(last=False)
            return done

    def extracted(self) -> list[Path]:
        """The folders taken out now, oldest first."""
        with self._lock:
            return [folder for folder, _ in self._folders.values()]

    def _key(self, revision: str) -> str:
        """What an extract is kept by: the commit id (with the path of a REV:PATH), or the
        folder a trusted --diff names; raises Failed for a name that is neither."""
        from ..diff.versions import commit_id

        if revision == self.trusted and Path(revision).exists():
            return f"folder:{revision}"
        if revision != self.trusted and not valid_revision(revision):
            raise Failed([Diagnostic(
                "E401", f"“{revision}”不是可用的 git 版本名", Location(revision),
                hint="写 git 版本，如 HEAD~1、v2023 或提交号")])
        name, colon, inner = revision.partition(":")
        commit = commit_id(name) if name else None
        if commit is None:
            raise Failed([Diagnostic(
                "E401", f"找不到版本“{revision}”：不是本仓库的 git 版本", Location(revision),
                hint="写 git 版本，如 HEAD~1、v2023 或提交号")])
        return commit + colon + inner

    def _folder(self, revision: str, key: str, extract: bool) -> Path | None:
        """The taken-out folder for key: kept, or made now (the oldest beyond
        MAX_EXTRACTS removed), or None when not kept and extract is False."""
        from ..diff.versions import resolve_version

        if key.startswith("folder:"):
            return Path(revision)
        if key in self._folders:
            self._folders.move_to_end(key)
            return self._folders[key][0]
        if not extract:
            return None
        stack = ExitStack()
        try:
            folder = resolve_version(key, self.project, stack)
        except BaseException:
            stack.close()
            raise
        self._folders[key] = (folder, stack)
        while len(self._folders) > MAX_EXTRACTS:
            _, (_, oldest) = self._folders.popitem(last=False)
            oldest.close()
        return folder

    def close(self) -> None:
        """Remove every folder taken out."""
        with self._lock:
            while self._folders:
                _, (_, stack) = self._folders.popitem()
                stack.close()
