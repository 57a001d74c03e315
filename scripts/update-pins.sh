#!/usr/bin/env bash
# Move the pins: install the newest release of every dependency into a fresh .venv-latest
# (no constraints), run every check there (ruff, mypy, pytest), and only when all pass
# write what was installed to constraints.txt. Review the diff and commit it.
#   bash scripts/update-pins.sh            test the newest releases and write constraints.txt
#   bash scripts/update-pins.sh --check    test the newest releases, write nothing
# Extra arguments after the option go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
write=1
if [ "${1:-}" = "--check" ]; then write=0; shift; fi
venv=.venv-latest
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade -e '.[test]'
"$venv/bin/ruff" check src tests templates bench scripts
"$venv/bin/mypy"
"$venv/bin/python" -m pytest "$@"
if ((write)); then
  { sed -n '/^#/p' constraints.txt
    "$venv/bin/python" -m pip freeze --exclude-editable | grep -v -i '^qingdan'
  } > constraints.txt.new
  mv constraints.txt.new constraints.txt
  git --no-pager diff --stat constraints.txt || true
fi
