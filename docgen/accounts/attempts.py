"""Login attempts, for rate limiting: a login name or an address with too many failures in the window is refused
until the window has passed, whatever the password (so guessing is slow and a correct guess is not revealed)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from docgen.hashing import bytes_sha256

WINDOW = timedelta(minutes=15)
MAX_FAILURES = 5  # per login name, and per address (x4) within the window


def _key(name: str) -> str:
    """What is kept of the typed name: its hash (a password typed into the name field is never stored)."""
    return bytes_sha256(name.encode())


def record_attempt(conn: sqlite3.Connection, name: str, remote: str, now: datetime, succeeded: bool) -> None:
    conn.execute(
        "INSERT INTO login_attempts (user_name, remote, at, succeeded) VALUES (?, ?, ?, ?)",
        (_key(name), remote, now.isoformat(), int(succeeded)),
    )
    conn.execute("DELETE FROM login_attempts WHERE at < ?", ((now - 4 * WINDOW).isoformat(),))


def locked_out(conn: sqlite3.Connection, name: str, remote: str, now: datetime) -> bool:
    """Too many failed logins for this name, or from this address, within the window."""
    since = (now - WINDOW).isoformat()
    by_name = conn.execute(
        "SELECT count(*) FROM login_attempts WHERE user_name = ? AND at >= ? AND succeeded = 0", (_key(name), since)
    ).fetchone()[0]
    by_remote = conn.execute(
        "SELECT count(*) FROM login_attempts WHERE remote = ? AND at >= ? AND succeeded = 0", (remote, since)
    ).fetchone()[0]
    return bool(by_name >= MAX_FAILURES or by_remote >= 4 * MAX_FAILURES)
