"""The office's accounts database (SQLite, beside docgen.toml): staff accounts, sessions, login attempts, calendar
tokens and the append-only audit log. A library: no web or command-line imports; the time is always given.

The case folders stay the source of truth for cases; this database holds only who may use the web app and what
they did."""

from docgen.accounts.audit import AuditEntry, audit_entries, record
from docgen.accounts.database import DATA_FOLDER, DATABASE_NAME, database_path, open_database
from docgen.accounts.sessions import Session, end_session, find_session, start_session
from docgen.accounts.users import ROLES, User, add_user, disable_user, find_user, list_users, set_password

__all__ = [
    "DATABASE_NAME",
    "DATA_FOLDER",
    "ROLES",
    "AuditEntry",
    "Session",
    "User",
    "add_user",
    "audit_entries",
    "database_path",
    "disable_user",
    "end_session",
    "find_session",
    "find_user",
    "list_users",
    "open_database",
    "record",
    "set_password",
    "start_session",
]
