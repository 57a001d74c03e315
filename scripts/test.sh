#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine, then run every check: ruff (lint),
# mypy (types) and pytest.
#   bash scripts/test.sh            (from the repository root; extra arguments go to pytest)
# System packages (LibreOffice Writer and Calc and its Python interface, poppler, CJK fonts,
# Chromium for the preview's browser tests) are installed from Debian only when missing;
# Python packages go into .venv. Playwright drives that Chromium; it never downloads a
# browser of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
# Calc, for the round trip of a scoring workbook through LibreOffice (xlsx -> xlsx).
[ -e /usr/lib/libreoffice/program/libsclo.so ] || missing+=(libreoffice-calc-nogui)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
# PDF output drives LibreOffice through its Python interface, with the system Python.
/usr/bin/python3 -c 'import uno' >/dev/null 2>&1 || missing+=(python3-uno)
{ command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; } || missing+=(fonts-noto-cjk)
{ command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; } \
  || missing+=(chromium)
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The open faces of the font profile (Fandol, AR PL UKai CN, Noto CJK SC), where missing:
# PDFs print in them where the GB faces are not installed (README, 字体).
bash scripts/install-fonts.sh

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test]'
.venv/bin/ruff check src tests templates bench scripts
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
