"""Every category's checklist for fixed dates is frozen in tests/snapshots/checklists/, so any change to a rule
shows up in review as a diff of what offices will print.

This test only compares; it never writes. After an intended rule change, regenerate the snapshots with

    .venv/bin/python tools/update_snapshots.py      (--check to only list the differences, --diff to show them)

and review `git diff tests/snapshots` before committing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest


def checklist_json(category: str, on: date) -> str:
    """What `docgen checklist CATEGORY --date ON --format json` prints with the built-in rules (no docgen.toml).

    Called in-process because 39 CLI runs would take half a minute; `test_the_command_line_prints_the_snapshot`
    checks that the two agree. tools/update_snapshots.py uses this function too: when the library's signatures
    change, this is the one place to adapt.
    """
    from docgen.case import Settings, load_rules
    from docgen.checklist import build_checklist
    from docgen.checklist.output import as_json

    rules = load_rules(Settings())
    return as_json(build_checklist(rules.book, category, on, rules.release_day))


ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots" / "checklists"
DATES = [date(2026, 3, 15), date(2026, 11, 30), date(2027, 4, 1)]
CATEGORIES = sorted(p.stem for p in (ROOT / "checklists").glob("[!_]*.yaml"))
CASES = [(c, d) for c in CATEGORIES for d in DATES]
UPDATE_HINT = "if the rule change is intended, run .venv/bin/python tools/update_snapshots.py and review the diff"


def snapshot_path(category: str, on: date) -> Path:
    return SNAPSHOTS / f"{category}-{on.isoformat()}.json"


def assert_matches_snapshot(path: Path, current: str) -> None:
    """Compare only: a snapshot is never created or rewritten by the test run."""
    assert path.exists(), f"no snapshot {path.name}; {UPDATE_HINT}"
    assert current == path.read_text(encoding="utf-8"), f"{path.name} changed; {UPDATE_HINT}"


@pytest.mark.parametrize("category, on", CASES, ids=[f"{c}-{d}" for c, d in CASES])
def test_checklist_matches_its_snapshot(category, on):
    assert_matches_snapshot(snapshot_path(category, on), checklist_json(category, on))


def test_every_snapshot_belongs_to_a_category_and_date():
    """No stale snapshot of a removed category or date lies around unchecked."""
    assert len(CATEGORIES) == 13
    assert sorted(p.name for p in SNAPSHOTS.glob("*.json")) == sorted(snapshot_path(c, d).name for c, d in CASES)


def test_the_command_line_prints_the_snapshot(tmp_path):
    """The in-process helper and the real command print the same text."""
    cases = [("gijinkoku", date(2026, 11, 30)), ("hsp_points_80", date(2027, 4, 1))]
    env = {k: v for k, v in os.environ.items() if k not in ("DOCGEN_SETTINGS", "DOCGEN_UPDATE_SNAPSHOTS")}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "docgen", "checklist", c, "--date", d.isoformat(), "--format", "json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env=env,
        )
        for c, d in cases
    ]
    for (category, on), proc in zip(cases, procs, strict=True):
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
        assert_matches_snapshot(snapshot_path(category, on), stdout)


def test_a_normal_run_never_rewrites_a_snapshot(tmp_path, monkeypatch):
    """Even with the old DOCGEN_UPDATE_SNAPSHOTS switch set, a difference fails and the file is left alone."""
    monkeypatch.setenv("DOCGEN_UPDATE_SNAPSHOTS", "1")
    stored = tmp_path / "gijinkoku-2026-11-30.json"
    stored.write_text('{"items": []}\n', encoding="utf-8")
    with pytest.raises(AssertionError, match=r"update_snapshots\.py"):
        assert_matches_snapshot(stored, '{"items": [{"id": "photo"}]}\n')
    assert stored.read_text(encoding="utf-8") == '{"items": []}\n'
    missing = tmp_path / "ginou-2026-11-30.json"
    with pytest.raises(AssertionError, match="no snapshot"):
        assert_matches_snapshot(missing, '{"items": [{"id": "photo"}]}\n')
    assert not missing.exists()
