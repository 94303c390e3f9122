"""Every category's checklist for fixed dates is frozen in tests/snapshots/, so any change to a rule
shows up in review as a diff of what offices will print.

After an intended rule change: DOCGEN_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_checklist_snapshots.py
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from docgen.checklist.build import build_checklist
from docgen.rules.book import rulebook

SNAPSHOTS = Path(__file__).parent / "snapshots" / "checklists"
DATES = [date(2026, 3, 15), date(2026, 11, 30), date(2027, 4, 1)]
CASES = [(c, d) for c in sorted(rulebook().categories) for d in DATES]


@pytest.mark.parametrize("category, on", CASES, ids=[f"{c}-{d}" for c, d in CASES])
def test_checklist_matches_its_snapshot(category, on):
    current = json.dumps(build_checklist(category, on).to_json(), ensure_ascii=False, indent=2) + "\n"
    path = SNAPSHOTS / f"{category}-{on.isoformat()}.json"
    if os.environ.get("DOCGEN_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(current, encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}; create it with DOCGEN_UPDATE_SNAPSHOTS=1"
    assert current == path.read_text(encoding="utf-8"), f"{path.name} changed; review the diff and update the snapshot"
