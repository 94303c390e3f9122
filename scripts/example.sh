#!/usr/bin/env bash
# Quick start 1: set everything up and generate the example packet (a family filing together).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/docgen checklist gijinkoku --profile examples/gijinkoku-family.yaml
.venv/bin/docgen packet examples/gijinkoku-family.yaml --evidence examples/evidence
