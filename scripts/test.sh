#!/usr/bin/env bash
# Quick start 2: set everything up (and Chromium for the browser tests), then run every gate in order (the first failure stops the run):
#   ruff check and ruff format --check (docgen, tests, bench), mypy (docgen/), pytest (real LibreOffice included; arguments go to pytest),
#   scripts/check-wheel.sh (the built wheel works from a fresh environment, outside the checkout).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
# The web app's end-to-end tests drive Debian's Chromium through Playwright (which cannot download its own here).
if ! command -v chromium >/dev/null 2>&1; then
  echo "test.sh: installing chromium (apt-get) for the browser tests"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

gate() { echo "== test.sh: $* =="; }

gate "ruff check docgen tests bench"
.venv/bin/ruff check docgen tests bench
gate "ruff format --check docgen tests bench"
.venv/bin/ruff format --check docgen tests bench
gate "mypy (docgen/)"
.venv/bin/mypy

gate "pytest -q $*"
status=0
.venv/bin/python -m pytest -q "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "test.sh: pytest collected no tests (exit 5); that is a failure here" >&2
  exit 1
elif [ "$status" -ne 0 ]; then
  exit "$status"
fi

gate "scripts/check-wheel.sh"
./scripts/check-wheel.sh
echo "== test.sh: all gates passed =="
