"""The layers of qingdan, held: the core imports no feature, a feature imports no other
feature (the CLI, at the top, may import them all), no modules import each other in a
circle (inside a package too), and no module passes 400 lines.

Every import counts: at the top of a module, inside a function, under TYPE_CHECKING.
A relative import is resolved to the module it names; `from package import name` is an
import of package.name when that is a module, else of the package itself.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

# The contract. A module belongs to the longest prefix listed here; every module must
# belong to one. The core holds every word a document needs and knows no feature; a
# feature imports the core (and its own modules) and no other feature; the top (the CLI)
# is where features meet.
CORE = {
    "qingdan": "the package's face: its version",
    "qingdan.diagnostics": "Diagnostic, the code table, printers, exit codes",
    "qingdan.paths": "paths as messages show them; the project's qingdan.yaml",
    "qingdan.rules": "the rule registry: each code's basis and strength",
    "qingdan.schemas": "the source formats as JSON Schema, also served to editors",
    "qingdan.model": "the model: frozen dataclasses",
    "qingdan.words": "how values print: numbers, labels, grade bands, dates, blanks",
    "qingdan.load": "YAML -> data with spans -> schemas -> the raw model; a project's sources",
    "qingdan.resolve": "references, overlays, placeholders: the model of one unit",
    "qingdan.check": "the semantic passes",
    "qingdan.layout": "the page computed in Python: lines, pages, titles, the signature",
    "qingdan.render": "a resolved model -> .docx (and HTML) bytes",
    "qingdan.write": "files written all or none; interrupts held over the renames",
    "qingdan.diff": "two versions compared as models; the change documents",
    "qingdan.builder": "the pipeline of a unit, every unit, the incremental record",
    "qingdan.office": "LibreOffice, found and driven one way",
}
FEATURES = {
    "qingdan.importer": "qingdan import",
    "qingdan.scoring": "qingdan sheets and score",
    "qingdan.annual": "qingdan new-year",
    "qingdan.serve": "qingdan serve",
    "qingdan.proof": "qingdan proof",
    "qingdan.pdf": "build --pdf",
    "qingdan.ofd": "build --ofd, proof --ofd",
    "qingdan.rewrite": "qingdan fmt and upgrade",
    "qingdan.absorb": "qingdan absorb",
}
TOP = {
    "qingdan.cli": "the commands: parse options, call, print, exit",
    "qingdan.__main__": "python -m qingdan",
}
MAX_LINES = 400


@dataclass(frozen=True)
class Module:
    name: str  # qingdan.load.source
    path: Path
    package: bool  # an __init__.py


def modules(src: Path) -> dict[str, Module]:
    """Every module of the package below src, by dotted name."""
    found = {}
    for path in sorted(src.rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        package = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if package else parts)
        found[name] = Module(name, path, package)
    return found


def imports(module: Module, known: dict[str, Module]) -> set[str]:
    """The modules of the package that module imports, wherever the import stands."""
    base = module.name.split(".") if module.package else module.name.split(".")[:-1]
    out: set[str] = set()
    for node in ast.walk(ast.parse(module.path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                kept = base[:len(base) - node.level + 1]
                source = ".".join(kept + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            targets = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in known
                       else source for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:  # qingdan.x.name -> qingdan.x
                target = target.rpartition(".")[0]
            if target and target != module.name:
                out.add(target)
    return out


def layer(name: str) -> tuple[str, str]:
    """(which layer, which part) a module belongs to: the longest prefix listed (the
    package itself, "qingdan", only for its own __init__.py)."""
    best = ("", "")
    for kind, table in (("core", CORE), ("feature", FEATURES), ("top", TOP)):
        for part in table:
            inside = name.startswith(part + ".") and part != "qingdan"
            if (name == part or inside) and len(part) > len(best[1]):
                best = (kind, part)
    return best


def violations(src: Path) -> list[str]:
    """Every break of the contract in the package below src, one line each."""
    known = modules(src)
    graph = {name: imports(module, known) for name, module in known.items()}
    found = []
    for name, module in known.items():
        kind, part = layer(name)
        if not kind:
            found.append(f"{name}: in no layer (add it to CORE, FEATURES or TOP)")
        lines = len(module.path.read_text("utf-8").splitlines())
        if lines > MAX_LINES:
            found.append(f"{name}: {lines} lines, over {MAX_LINES}")
        for target in sorted(graph[name]):
            their_kind, their_part = layer(target)
            if kind == "core" and their_kind != "core":
                found.append(f"{name} -> {target}: the core imports a {their_kind}")
            elif kind == "feature" and their_kind != "core" and their_part != part:
                found.append(f"{name} -> {target}: a feature imports another {their_kind}")
    found += [f"circle: {' -> '.join(circle)}" for circle in circles(graph)]
    return found


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected parts of graph with more than one module (Tarjan), each
    listed from its first module in order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            part = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                part.append(member)
                if member == node:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_layers_hold():
    assert violations(SRC) == []


def test_every_part_named_exists():
    """A part of the contract that names nothing is a stale contract."""
    known = modules(SRC)
    for part in [*CORE, *FEATURES, *TOP]:
        assert any(name == part or name.startswith(part + ".") for name in known), part


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "qingdan" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def test_each_break_is_found(tmp_path):
    """The checker on a small package holding one break of each kind: it can fail."""
    src = _write(tmp_path, {
        "__init__.py": "",
        "model/__init__.py": "",
        "check/__init__.py": "",
        "check/late.py": "def f():\n    from ..scoring import grade  # inside a function\n",
        "check/typed.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                          "    from qingdan.serve.app import App\n",
        "serve/__init__.py": "",
        "serve/app.py": "",
        "scoring/__init__.py": "",
        "scoring/grade.py": "from ..model import thing\nfrom ..importer import read\n",
        "importer/__init__.py": "",
        "importer/read.py": "from . import tree\n",
        "importer/tree.py": "from .read import Para\n",
        "resolve/__init__.py": "",
        "resolve/long.py": "x = 1\n" * (MAX_LINES + 1),
        "stray.py": "",
        "cli/__init__.py": "from ..scoring import grade\nfrom ..importer import read\n",
    })
    assert sorted(violations(src)) == sorted([
        "qingdan.check.late -> qingdan.scoring.grade: the core imports a feature",
        "qingdan.check.typed -> qingdan.serve.app: the core imports a feature",
        "qingdan.resolve.long: 401 lines, over 400",
        "qingdan.scoring.grade -> qingdan.importer.read: a feature imports another feature",
        "qingdan.stray: in no layer (add it to CORE, FEATURES or TOP)",
        "circle: qingdan.importer.read -> qingdan.importer.tree",
    ])
