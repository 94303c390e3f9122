"""Regenerate the checklist snapshots (tests/snapshots/checklists/) after an intended rule change.

    .venv/bin/python tools/update_snapshots.py           # rewrite what changed and say which files
    .venv/bin/python tools/update_snapshots.py --check   # only list the differences (exit 1 if there are any)
    .venv/bin/python tools/update_snapshots.py --diff    # also print each difference as a unified diff

The test (tests/test_checklist_snapshots.py) only compares; this script is the only thing that writes the
snapshots. It uses the test's own `checklist_json`, categories and dates, so both always agree.
Review `git diff tests/snapshots` before committing.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.test_checklist_snapshots import CASES, SNAPSHOTS, checklist_json, snapshot_path  # noqa: E402


def _line_counts(old: str, new: str) -> str:
    added = removed = 0
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0):
        if line.startswith("+") and not line.startswith("+++"):
            added += 1
        elif line.startswith("-") and not line.startswith("---"):
            removed += 1
    return f"+{added} -{removed} lines"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate tests/snapshots/checklists/ from the current rules.")
    parser.add_argument("--check", action="store_true", help="only report the differences; write nothing")
    parser.add_argument("--diff", action="store_true", help="print a unified diff of each changed snapshot")
    args = parser.parse_args(argv)

    changed: list[str] = []
    unchanged = 0
    expected = set()
    for category, on in CASES:
        path = snapshot_path(category, on)
        expected.add(path.name)
        current = checklist_json(category, on)
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == current:
            unchanged += 1
            continue
        label = "new     " if old is None else "changed "
        detail = "" if old is None else f" ({_line_counts(old, current)})"
        print(f"{label}{path.relative_to(ROOT)}{detail}")
        if args.diff:
            sys.stdout.writelines(
                difflib.unified_diff(
                    (old or "").splitlines(keepends=True),
                    current.splitlines(keepends=True),
                    f"a/{path.name}",
                    f"b/{path.name}",
                )
            )
        changed.append(path.name)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(current, encoding="utf-8")
    for stale in sorted(SNAPSHOTS.glob("*.json")):
        if stale.name not in expected:
            print(f"stale   {stale.relative_to(ROOT)} (no such category or date any more)")
            changed.append(stale.name)
            if not args.check:
                stale.unlink()

    verb = "differ" if args.check else "updated"
    print(
        f"{len(changed)} snapshot(s) {verb}, {unchanged} unchanged"
        + ("; review with: git diff tests/snapshots" if changed and not args.check else "")
    )
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
