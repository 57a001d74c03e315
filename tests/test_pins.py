"""What the README installs is pinned: every dependency has a tested version in
constraints.txt, and the README's and scripts/test.sh's install commands use it."""

from __future__ import annotations

import re
from pathlib import Path

import tomllib
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not pinned with =="
            pins[_name(name)] = version
    return pins


def test_every_dependency_is_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"]) + list(project["optional-dependencies"]["test"])
    pins = _pins()
    missing = [Requirement(text).name for text in wanted if _name(Requirement(text).name) not in pins]
    assert not missing, f"not pinned in constraints.txt: {missing}"
    for text in wanted:
        requirement = Requirement(text)
        assert requirement.specifier.contains(pins[_name(requirement.name)], prereleases=True), text


def test_install_commands_use_the_pins():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    installs = re.findall(r"pip install[^\n&]*", readme)
    assert installs and all("-c constraints.txt" in line for line in installs), installs
    script = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert "-c constraints.txt -e '.[test]'" in script
