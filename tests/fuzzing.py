"""Structure-aware fuzzing of a whole project: the bundled example's real sources, mutated
the way careless users and attackers do, then built.

A case is a list of mutations, each aimed at one source file:
- at the text: a line indented, dedented, tab-indented, deleted, duplicated, swapped
  with its neighbour, or cut; a payload inserted into a line or put in place of a
  value (after the first ": ");
- at the data: the YAML loaded, a node chosen by its index, and replaced by a payload of
  another type, its key renamed or deleted, or wrapped in deeply nested lists, then dumped.
Payloads come from placeholder snippets (valid, misspelt, hostile), YAML-special tokens
and text drawn from many Unicode classes (controls, surrogates, private use, marks, CJK).

`run_case` builds the mutated project in-process and reports what a user must never see:
a traceback, a run longer than the time limit, or a written .docx python-docx cannot
open. tests/test_fuzz.py runs a CI-sized sample; bench/fuzz.py the long run.
"""

from __future__ import annotations

import io
import signal
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
import yaml
from click.testing import CliRunner
from hypothesis import strategies as st

from qingdan.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "checklists" / "example"
FILES = sorted(p.name for p in EXAMPLE.iterdir() if p.suffix == ".yaml")
# The roster (20 documents) is mutated like any file, but left out of most cases, so a
# case builds the project's own 4 documents and stays fast.
ROSTER = "单位名册.yaml"

SNIPPETS = [
    "{{ unit.name }}", "{{ unit.nmae }}", "{{ unit.vars.x }}", "{{ ref('lingdaoquan') }}",
    "{{ ref('nope') }}", "{{ cite('x') }}", "{{ basis }}", "{{ topic }}", "{{ unit.name",
    "{% if unit.short %}甲{% endif %}", "{% for i in range(3) %}{{ i }}{% endfor %}",
    "{{ 'a' * 10**9 }}", "{{ 'x'|center(10**9) }}", "{{ 10**(10**8) }}",
    "{% for i in range(9999) %}{% for j in range(9999) %}{% endfor %}{% endfor %}",
    "{% macro f(n) %}{{ f(n) }}{{ f(n) }}{% endmacro %}{{ f(1) }}",
    "{{ ''.__class__ }}", "{% include 'x' %}", "{{ '\\x01' }}", "{{ '%099999d'|format(1) }}",
    "{{ (['a'*9999]*9999)|join }}", "{% set s = 'ab' %}{{ s ~ s ~ s }}",
    "&a [*a]", "*a", "<<: *a", "~", "null", "[[[[[[[[", "{a: {b: {c:", "|", ">-  # 注释(a)",
    "'", '"', ": ", " #", "\t", "- ", "? ", "!!python/object:os.system", "!custom x",
    "2024-02-30", "清委发〔2024〕1号", "1e999", "0x1F", ".inf", "true", "no", "",
    "../../../etc/passwd", "/etc/passwd", "CON", "a" * 300, "很长的名称" * 60,
    "\x01", "\x0b", "\x00", "\ufffe", "\ud800", "\u202e", "\u200b", "Ａ，ｂ；", "(", ")",
    '"甲\\x01乙"', '"\\ud800"', '"\\uFFFE"', "'{{ \"\\x0b\" }}'", '"\\x00"',
]
UNICODE = st.characters(codec=None, categories=[
    "Cc", "Cf", "Cs", "Co", "Zs", "Zl", "Zp", "Mn", "So", "Sm", "Lo", "Lu", "Nd", "Pd", "Ps",
    "Pe", "Po"])
# Snippets weigh three times as much as any other kind of payload.
PAYLOAD = st.one_of(st.sampled_from(SNIPPETS), st.sampled_from(SNIPPETS),
                    st.sampled_from(SNIPPETS), st.text(UNICODE, max_size=24),
                    st.integers(-10**20, 10**20), st.booleans(), st.none(),
                    st.lists(st.sampled_from(SNIPPETS), max_size=3),
                    st.dictionaries(st.sampled_from(["id", "text", "name", "x", "kind"]),
                                    st.sampled_from(SNIPPETS), max_size=2))
TEXT_OPS = ["indent", "dedent", "tab", "delete", "duplicate", "swap", "cut", "insert", "value"]
DATA_OPS = ["replace", "rename", "delete", "nest", "duplicate"]


@dataclass(frozen=True)
class Mutation:
    file: str
    level: str  # "text" or "data"
    op: str
    where: int  # a line or node index, taken modulo their number
    payload: Any


MUTATION = st.builds(
    Mutation, file=st.sampled_from(FILES), level=st.sampled_from(["text", "data"]),
    op=st.sampled_from(sorted(set(TEXT_OPS) | set(DATA_OPS))),
    where=st.integers(0, 10_000), payload=PAYLOAD)
CASE = st.tuples(st.lists(MUTATION, min_size=1, max_size=3), st.booleans())


def base_files(with_roster: bool) -> dict[str, str]:
    return {name: (EXAMPLE / name).read_text("utf-8") for name in FILES
            if with_roster or name != ROSTER}


def apply(files: dict[str, str], mutations: list[Mutation]) -> dict[str, str]:
    """The project's files after the mutations (a mutation of an absent file is dropped)."""
    files = dict(files)
    for mutation in mutations:
        if mutation.file not in files:
            continue
        text = files[mutation.file]
        if mutation.level == "data":
            text = _mutate_data(text, mutation) or _mutate_text(text, mutation)
        else:
            text = _mutate_text(text, mutation)
        files[mutation.file] = text
    return files


def _as_text(payload: Any) -> str:
    if isinstance(payload, str):
        return payload
    return yaml.safe_dump(payload, allow_unicode=True, default_flow_style=True).strip()


def _mutate_text(text: str, m: Mutation) -> str:
    lines = text.split("\n")
    i = m.where % len(lines)
    line = lines[i]
    op = m.op if m.op in TEXT_OPS else TEXT_OPS[m.where % len(TEXT_OPS)]
    if op == "indent":
        lines[i] = " " * (1 + m.where % 3) + line
    elif op == "dedent":
        lines[i] = line[1 + m.where % 2:] if line.startswith(" ") else line
    elif op == "tab":
        lines[i] = "\t" + line.lstrip(" ")
    elif op == "delete":
        del lines[i]
    elif op == "duplicate":
        lines.insert(i, line)
    elif op == "swap" and i + 1 < len(lines):
        lines[i], lines[i + 1] = lines[i + 1], line
    elif op == "cut":
        return "\n".join(lines[:i] + [line[: len(line) // 2]])
    elif op == "insert":
        at = m.where % (len(line) + 1)
        lines[i] = line[:at] + _as_text(m.payload) + line[at:]
    elif op == "value" and ": " in line:
        key, _, _ = line.partition(": ")
        lines[i] = f"{key}: {_as_text(m.payload)}"
    return "\n".join(lines)


def _nodes(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _nodes(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _nodes(value, path + (index,))
    return found


def _mutate_data(text: str, m: Mutation) -> str | None:
    """The file with one node changed, dumped again; None if it does not load."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    paths = _nodes(data)[1:]
    if not paths:
        return None
    path = paths[m.where % len(paths)]
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    op = m.op if m.op in DATA_OPS else DATA_OPS[m.where % len(DATA_OPS)]
    if op == "replace":
        parent[last] = m.payload
    elif op == "delete":
        del parent[last]
    elif op == "nest":
        value = parent[last]
        for _ in range(1 + m.where % 80):
            value = [value]
        parent[last] = value
    elif op == "duplicate" and isinstance(parent, list):
        parent.insert(last, parent[last])
    elif op == "rename" and isinstance(parent, dict):
        parent[_as_text(m.payload) if m.payload is not None else None] = parent.pop(last)
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, TypeError, UnicodeError):
        return None


@dataclass
class Outcome:
    exit_code: int | None = None
    traceback: str | None = None
    seconds: float = 0.0
    documents: int = 0
    unopenable: list[str] = field(default_factory=list)


class Hang(BaseException):
    """Raised by the alarm when a case runs past its time limit (not an Exception, so no
    handler inside qingdan can mistake it for a user's error)."""


def _alarm(signum: int, frame: Any) -> None:
    raise Hang()


def run_case(files: dict[str, str], folder: Path, limit: float = 10.0) -> Outcome:
    """Write the files into folder/p, build into folder/out, and judge what a user sees."""
    project = folder / "p"
    project.mkdir(parents=True)
    for name, text in files.items():
        (project / name).write_bytes(text.encode("utf-8", "surrogatepass"))
    out = folder / "out"
    outcome = Outcome()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    started = time.monotonic()
    try:
        result = CliRunner().invoke(main, ["build", str(project), "-o", str(out)],
                                    catch_exceptions=True)
        outcome.exit_code = result.exit_code
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            outcome.traceback = "".join(traceback.format_exception(result.exception))
        elif "Traceback" in result.output:
            outcome.traceback = result.output
    except Hang:
        outcome.traceback = None
        outcome.exit_code = None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        outcome.seconds = time.monotonic() - started
    for path in sorted(out.rglob("*.docx")) if out.exists() else []:
        outcome.documents += 1
        try:
            docx.Document(io.BytesIO(path.read_bytes()))
        except Exception as exc:  # noqa: BLE001 - any failure to open is a finding
            outcome.unopenable.append(f"{path.name}: {exc!r}")
    return outcome


def describe(mutations: list[Mutation], with_roster: bool) -> str:
    """A case, readable enough to reproduce by hand."""
    return repr({"roster": with_roster, "mutations": [vars(m) for m in mutations]})
