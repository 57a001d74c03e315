"""The comparison the preview shows: the lists now against an earlier version.

The earlier version is a git revision (`--diff REV` or chosen in the page); its sources
are taken out once into a temporary folder (versions.resolve_version) and compared with
the live project by build.compare, the same model diff as `qingdan diff`.
"""

from __future__ import annotations

import re
import threading
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, Failed, Location
from ..diff import ProjectDiff

# A revision typed in the page: a name git understands (HEAD~1, v2023, a hash, a branch),
# never an option (a leading "-"), a path (":"), or anything a shell would read.
REVISION = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./~^@{}+-]{0,99}$")


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
    """Earlier versions taken out of git once each, and the latest diff for each."""

    def __init__(self, project: Path, trusted: str | None = None):
        self.project = project
        self.trusted = trusted  # the --diff revision: typed on the command line, so any
        # form `qingdan diff` accepts (REV:PATH, a folder) is allowed
        self._stack = ExitStack()
        self._folders: dict[str, Path] = {}
        self._latest: dict[str, tuple[int, Comparison]] = {}
        self._lock = threading.Lock()

    def compare(self, revision: str, generation: int) -> Comparison:
        """The live project against revision; computed again only after a refresh."""
        from ..compare import compare
        from ..versions import resolve_version

        with self._lock:
            cached = self._latest.get(revision)
            if cached and cached[0] == generation:
                return cached[1]
            try:
                if revision not in self._folders:
                    if revision != self.trusted and not valid_revision(revision):
                        raise Failed([Diagnostic(
                            "E401", f"“{revision}”不是可用的 git 版本名", Location(revision),
                            hint="写 git 版本，如 HEAD~1、v2023 或提交号")])
                    self._folders[revision] = resolve_version(revision, self.project,
                                                              self._stack)
                done = Comparison(revision, compare(self._folders[revision], self.project))
            except Failed as failed:
                done = Comparison(revision, problems=tuple(failed.diagnostics))
            self._latest[revision] = (generation, done)
            return done

    def close(self) -> None:
        self._stack.close()
