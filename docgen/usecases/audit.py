"""The audit log (`docgen audit`, the case page for admins): record what a staff member did to a case or a
document, and read the log back. Entries hold a case id and a file name, never a personal value."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from docgen.accounts import audit
from docgen.accounts.audit import AuditEntry
from docgen.packet.safe_write import private_file
from docgen.usecases.accounts import office_database
from docgen.usecases.context import RunContext, use_case


@use_case
def record_action(ctx: RunContext, action: str, case_id: str = "", document: str = "") -> None:
    """Write that the context's user did `action` (an audit code: view_case, download, upload, build …) now."""
    with office_database(ctx) as conn:
        audit.record(conn, ctx.now, ctx.user, action, case_id, document)


@use_case
def audit_log(
    ctx: RunContext, case_id: str | None = None, since: datetime | None = None, limit: int | None = None
) -> list[AuditEntry]:
    """The log, oldest first: of one case, since a time, the last `limit` entries."""
    with office_database(ctx) as conn:
        return audit.audit_entries(conn, case_id=case_id, since=since, limit=limit)


@use_case
def write_export(ctx: RunContext, target: Path, text: str) -> Path:
    """The exported log written owner-only to `target` (a file docgen wrote before may be replaced, no other)."""
    with private_file(target) as part:
        part.write_text(text, encoding="utf-8")
    return target
