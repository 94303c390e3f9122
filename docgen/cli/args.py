"""Option parsing shared by the CLI modules (plain errors, never tracebacks)."""

from __future__ import annotations

from datetime import date

from docgen.errors import DocgenError


def parse_date(value: str | None, option: str = "--date") -> date | None:
    """'2026-11-30' -> date; a clear error otherwise."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DocgenError(f"{option}: '{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-30") from None
