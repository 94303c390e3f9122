#!/usr/bin/env bash
# Installs what docgen needs on a Debian/Ubuntu machine, only what is missing:
#   LibreOffice Writer (Word -> PDF), IPAex Japanese fonts, poppler (PDF checks), fontconfig,
#   then a Python virtual environment in .venv with docgen and its test tools.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)
{ command -v fc-list >/dev/null 2>&1 && fc-list : family | grep -q IPAexMincho; } || missing+=(fonts-ipaexfont)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]} (apt-get)"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
.venv/bin/python -c "import docgen" && echo "setup: ready"
