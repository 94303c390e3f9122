#!/usr/bin/env bash
# Quick start 2: set everything up and run the whole test suite (real LibreOffice included).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .venv/bin/python -m pytest -q "$@"
