"""Server-side sessions: the browser holds a random token, the database its SHA-256 (a stolen database opens no
session), the account, a CSRF token bound to the session, and when it was last seen (idle timeout)."""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from docgen.accounts.users import User, find_user
from docgen.hashing import bytes_sha256


@dataclass(frozen=True)
class Session:
    token: str  # what the browser's cookie holds (only known when the session starts or is found by it)
    user: User
    csrf: str


def token_hash(token: str) -> str:
    return bytes_sha256(token.encode())


def start_session(conn: sqlite3.Connection, user: User, now: datetime) -> Session:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    stamp = now.isoformat()
    conn.execute(
        "INSERT INTO sessions (token_hash, user_name, csrf, created_at, last_seen) VALUES (?, ?, ?, ?, ?)",
        (token_hash(token), user.name, csrf, stamp, stamp),
    )
    return Session(token, user, csrf)


def find_session(conn: sqlite3.Connection, token: str, now: datetime, idle: timedelta) -> Session | None:
    """The live session of `token`, its last-seen time moved to `now`; None (and the session ended) when it has
    been idle longer than `idle`, its account is disabled, or there is none."""
    if not token:
        return None
    key = token_hash(token)
    row = conn.execute("SELECT user_name, csrf, last_seen FROM sessions WHERE token_hash = ?", (key,)).fetchone()
    if row is None:
        return None
    user = find_user(conn, row[0])
    if user is None or user.disabled or now - datetime.fromisoformat(row[2]) > idle:
        conn.execute("DELETE FROM sessions WHERE token_hash = ?", (key,))
        return None
    conn.execute("UPDATE sessions SET last_seen = ? WHERE token_hash = ?", (now.isoformat(), key))
    return Session(token, user, row[1])


def end_session(conn: sqlite3.Connection, token: str) -> None:
    conn.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash(token),))


def end_idle_sessions(conn: sqlite3.Connection, now: datetime, idle: timedelta) -> int:
    """Forget every session idle longer than `idle`; how many."""
    cutoff = (now - idle).isoformat()
    return conn.execute("DELETE FROM sessions WHERE last_seen < ?", (cutoff,)).rowcount


def calendar_token(conn: sqlite3.Connection, user: User, now: datetime) -> str:
    """A new calendar subscription token for the account (the previous one stops working)."""
    token = secrets.token_urlsafe(32)
    conn.execute("DELETE FROM calendar_tokens WHERE user_name = ?", (user.name,))
    conn.execute(
        "INSERT INTO calendar_tokens (token_hash, user_name, created_at) VALUES (?, ?, ?)",
        (token_hash(token), user.name, now.isoformat()),
    )
    return token


def calendar_user(conn: sqlite3.Connection, token: str) -> User | None:
    """The active account a calendar token belongs to."""
    row = conn.execute("SELECT user_name FROM calendar_tokens WHERE token_hash = ?", (token_hash(token),)).fetchone()
    user = find_user(conn, row[0]) if row else None
    return user if user is not None and not user.disabled else None
