"""The database's schema as numbered migrations, applied in order, each once (a table records the versions
applied and when). A new schema change is a new entry at the end: an entry already shipped is never edited."""

from __future__ import annotations

import sqlite3
from datetime import datetime

Migration = tuple[int, str, str]  # version, what it does, the SQL

MIGRATIONS: list[Migration] = [
    (
        1,
        "accounts, sessions, login attempts, audit log",
        """
        CREATE TABLE users (
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL CHECK (role IN ('admin', 'staff')),
            password_hash TEXT NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            user_name TEXT NOT NULL REFERENCES users(name),
            csrf TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_seen TEXT NOT NULL
        );
        CREATE TABLE login_attempts (
            user_name TEXT NOT NULL,
            remote TEXT NOT NULL,
            at TEXT NOT NULL,
            succeeded INTEGER NOT NULL
        );
        CREATE INDEX login_attempts_by_name ON login_attempts(user_name, at);
        CREATE INDEX login_attempts_by_remote ON login_attempts(remote, at);
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            user_name TEXT NOT NULL,
            action TEXT NOT NULL,
            case_id TEXT NOT NULL DEFAULT '',
            document TEXT NOT NULL DEFAULT ''
        );
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """,
    ),
    (
        2,
        "the staff member's language, calendar subscription tokens",
        """
        ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'ja' CHECK (lang IN ('ja', 'en'));
        CREATE TABLE calendar_tokens (
            token_hash TEXT PRIMARY KEY,
            user_name TEXT NOT NULL UNIQUE REFERENCES users(name),
            created_at TEXT NOT NULL
        );
        """,
    ),
]

LATEST = MIGRATIONS[-1][0]


def applied_versions(conn: sqlite3.Connection) -> list[int]:
    """The versions applied to this database, in order (none for a new database)."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_versions (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    return [row[0] for row in conn.execute("SELECT version FROM schema_versions ORDER BY version")]


def migrate(
    conn: sqlite3.Connection, now: datetime, migrations: list[Migration] | None = None, *, upto: int | None = None
) -> list[int]:
    """Apply the migrations this database has not had (up to `upto`), each in its own transaction; the versions
    applied now."""
    done = set(applied_versions(conn))
    applied = []
    for version, _what, sql in migrations or MIGRATIONS:
        if version in done or (upto is not None and version > upto):
            continue
        conn.execute("BEGIN IMMEDIATE")  # another process opening the database waits here
        try:
            already = conn.execute("SELECT 1 FROM schema_versions WHERE version = ?", (version,)).fetchone()
            if already is None:  # not applied meanwhile by that other process
                _apply(conn, sql, version, now)
                applied.append(version)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return applied


def _apply(conn: sqlite3.Connection, sql: str, version: int, now: datetime) -> None:
    for statement in _statements(sql):
        conn.execute(statement)
    conn.execute("INSERT INTO schema_versions (version, applied_at) VALUES (?, ?)", (version, now.isoformat()))


def _statements(sql: str) -> list[str]:
    """The SQL split into complete statements (a trigger's body holds ';' too)."""
    statements, current = [], ""
    for line in sql.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return [s for s in statements if s]
