#!/usr/bin/env bash
# Installs what docgen needs on a Debian/Ubuntu machine, only what is missing:
#   LibreOffice Writer (Word -> PDF), IPAex Japanese fonts, Noto Sans CJK (Chinese handouts),
#   poppler (PDF checks), fontconfig, LibreOffice's Python bridge for Debian's python3 (python3-uno: the warm
#   converter's unoserver runs on it, from the unoserver package pinned in .venv; nothing is pip-installed into
#   the system's Python),
#   then a Python virtual environment in .venv with exactly the tested versions from requirements.lock
#   (runtime and test tools) and docgen itself as an editable install.
# Safe to run again: it only installs what is missing and re-syncs .venv when requirements.lock changed.
# The lock is regenerated with the command in its first lines (after changing dependencies in pyproject.toml).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)
have_font() { command -v fc-list >/dev/null 2>&1 && fc-list : family | grep -q "$1"; }
have_font IPAexMincho || missing+=(fonts-ipaexfont)
have_font "Noto Sans CJK" || missing+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
# The warm converter (docgen/pdf/office_server.py): /usr/bin/python3 must import uno.
/usr/bin/python3 -c 'import uno' >/dev/null 2>&1 || missing+=(python3-uno)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]} (apt-get)"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
if [ -x .venv/bin/python ] && ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: .venv has Python $(.venv/bin/python -c 'import platform; print(platform.python_version())'), docgen needs 3.11+; recreating it"
  rm -rf .venv
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || { echo "setup: $python is older than 3.11; run with PYTHON=python3.11 (or newer)" >&2; exit 1; }
  "$python" -m venv .venv
fi

# pip install -r is idempotent (under a second when nothing changed) and brings .venv back to the lock
# after someone upgraded a package by hand. The editable install of docgen itself runs the build backend
# (a few seconds), so it is redone only when pyproject.toml changed or docgen is not installed.
pip=(.venv/bin/python -m pip --disable-pip-version-check)
"${pip[@]}" install -q -r requirements.lock
stamp=.venv/.docgen-pyproject.sha256
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || [ ! -x .venv/bin/docgen ]; then
  echo "setup: installing docgen (editable) into .venv"
  "${pip[@]}" install -q --no-deps -e .
  echo "$want" >"$stamp"
fi
.venv/bin/python -c "import docgen" && echo "setup: ready"
