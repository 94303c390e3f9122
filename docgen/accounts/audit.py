"""The audit log: who did what, when, to which case and document — never a personal value (no names, no profile
fields, no file contents: a case id and a file name only). Append-only: the database refuses to change or delete
an entry (triggers)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

# what the log records (the staff words are the faces'; these are the stored codes)
ACTIONS = (
    "login",
    "login_failed",
    "logout",
    "view_board",
    "view_case",
    "download",
    "upload",
    "new_case",
    "build",
    "build_done",  # a build's end (the job's, written when it ends): made …
    "build_accepted",  # … the filing copy made with the office's acceptance of what is missing …
    "build_refused",  # … refused (nothing changed) …
    "build_failed",  # … or failed (docgen's fault)
    "regenerate",
    "preview",
    "template_install",
    "checklist_install",
    "change",
    "user_add",
    "user_disable",
    "user_passwd",
    "serve_trust_lan",
    "calendar_token",
    "calendar_read",
)


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    user: str
    action: str
    case_id: str
    document: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "user": self.user,
            "action": self.action,
            "case_id": self.case_id,
            "document": self.document,
        }


def record(
    conn: sqlite3.Connection, now: datetime, user: str, action: str, case_id: str = "", document: str = ""
) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action: {action}")
    conn.execute(
        "INSERT INTO audit (at, user_name, action, case_id, document) VALUES (?, ?, ?, ?, ?)",
        (now.isoformat(timespec="seconds"), user, action, case_id, document),
    )


def audit_entries(
    conn: sqlite3.Connection, *, case_id: str | None = None, since: datetime | None = None, limit: int | None = None
) -> list[AuditEntry]:
    """Entries in the order they were made (the newest last); of one case, since a time, the last `limit`."""
    where, args = [], []
    if case_id is not None:
        where.append("case_id = ?")
        args.append(case_id)
    if since is not None:
        where.append("at >= ?")
        args.append(since.isoformat(timespec="seconds"))
    sql = "SELECT id, at, user_name, action, case_id, document FROM audit"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    rows = conn.execute(sql, args).fetchall()
    return [AuditEntry(*row) for row in reversed(rows)]
