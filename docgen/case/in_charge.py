"""Who in the office is in charge of a case: recorded beside the profile when the case is started (`docgen case
new --staff`, the web's new-case form), in the case folder's `.docgen-case.json` — office data, not the client's,
so it stays out of the profile. The board shows it and filters on it."""

from __future__ import annotations

import json
from pathlib import Path

from docgen.packet.safe_write import private_file

CASE_FILE = ".docgen-case.json"


def record_staff(root: Path, staff: str) -> None:
    """Record `staff` as in charge of the case folder `root` (owner-only, written whole)."""
    with private_file(root / CASE_FILE) as part:
        part.write_text(json.dumps({"staff": staff}, ensure_ascii=False), encoding="utf-8")


def staff_in_charge(root: Path) -> str | None:
    """The staff member in charge of the case folder `root`, as recorded when it was started (None: not recorded)."""
    try:
        data = json.loads((root / CASE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    staff = data.get("staff") if isinstance(data, dict) else None
    return staff if isinstance(staff, str) and staff else None
