#!/usr/bin/env bash
# Retakes the staff guide's screenshots of the web app (docs/images/web-*.png, 1366x768) by running the browser
# tests with DOCGEN_SCREENSHOTS set; a plain test run puts them in a temporary folder instead.
set -euo pipefail
cd "$(dirname "$0")/.."
DOCGEN_SCREENSHOTS="$PWD/docs/images" .venv/bin/python -m pytest -q \
  tests/test_web_e2e.py tests/test_web_profile_browser.py tests/test_web_documents_browser.py tests/test_web_case_walk.py "$@"
