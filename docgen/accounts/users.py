"""Staff accounts: a login name, a role (admin: manages accounts and office templates; staff), an argon2id
password hash, the staff member's language, and whether the account is disabled (kept for the audit log)."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from docgen.errors import DocgenError
from docgen.text import Text

ROLES = ("admin", "staff")
LANGS = ("ja", "en")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
MIN_PASSWORD = 10
HASHER = PasswordHasher()  # argon2id with the library's recommended parameters (RFC 9106 low-memory profile)


@dataclass(frozen=True)
class User:
    name: str
    role: str
    lang: str
    disabled: bool
    created_at: str

    @property
    def admin(self) -> bool:
        return self.role == "admin"


def _user(row: tuple[str, str, str, int, str]) -> User:
    return User(row[0], row[1], row[2], bool(row[3]), row[4])


_COLUMNS = "name, role, lang, disabled, created_at"


def check_name(name: str) -> str:
    if not NAME_RE.match(name):
        raise DocgenError(
            Text(
                f"ログイン名 '{name}' は使えません。半角英数字と . _ - で32文字まで（先頭は英数字）にしてください",
                f"login name '{name}' cannot be used: up to 32 letters, digits, '.', '_' or '-' (starting with a "
                "letter or digit)",
            )
        )
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise DocgenError(
            Text(
                f"パスワードが短すぎます。{MIN_PASSWORD}文字以上にしてください",
                f"the password is too short: use at least {MIN_PASSWORD} characters",
            )
        )
    return password


def _check_choice(value: str, choices: tuple[str, ...], ja: str, en: str) -> str:
    if value not in choices:
        raise DocgenError(
            Text(
                f"{ja} '{value}' は使えません: {' / '.join(choices)} のいずれかです",
                f"{en} '{value}' cannot be used: one of {' / '.join(choices)}",
            )
        )
    return value


def add_user(conn: sqlite3.Connection, name: str, password: str, role: str, lang: str, now: datetime) -> User:
    """A new account; an error when the name is taken, malformed, or the password too short."""
    check_name(name)
    _check_choice(role, ROLES, "役割", "role")
    _check_choice(lang, LANGS, "言語", "language")
    check_password(password)
    try:
        conn.execute(
            "INSERT INTO users (name, role, password_hash, lang, created_at) VALUES (?, ?, ?, ?, ?)",
            (name, role, HASHER.hash(password), lang, now.isoformat(timespec="seconds")),
        )
    except sqlite3.IntegrityError:
        raise DocgenError(
            Text(f"ログイン名 '{name}' はすでにあります", f"the login name '{name}' already exists")
        ) from None
    return _user((name, role, lang, 0, now.isoformat(timespec="seconds")))


def find_user(conn: sqlite3.Connection, name: str) -> User | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM users WHERE name = ?", (name,)).fetchone()
    return _user(row) if row else None


def existing_user(conn: sqlite3.Connection, name: str) -> User:
    user = find_user(conn, name)
    if user is None:
        raise DocgenError(Text(f"ログイン名 '{name}' はありません", f"there is no login name '{name}'"))
    return user


def list_users(conn: sqlite3.Connection) -> list[User]:
    return [_user(row) for row in conn.execute(f"SELECT {_COLUMNS} FROM users ORDER BY name")]


def active_users(conn: sqlite3.Connection) -> int:
    """How many accounts can log in."""
    return int(conn.execute("SELECT count(*) FROM users WHERE disabled = 0").fetchone()[0])


def disable_user(conn: sqlite3.Connection, name: str) -> User:
    """The account can no longer log in; its sessions end. It stays (the audit log names it)."""
    existing_user(conn, name)
    conn.execute("UPDATE users SET disabled = 1 WHERE name = ?", (name,))
    conn.execute("DELETE FROM sessions WHERE user_name = ?", (name,))
    conn.execute("DELETE FROM calendar_tokens WHERE user_name = ?", (name,))
    return existing_user(conn, name)


def set_password(conn: sqlite3.Connection, name: str, password: str) -> User:
    """A new password; the account's other sessions end."""
    existing_user(conn, name)
    check_password(password)
    conn.execute("UPDATE users SET password_hash = ? WHERE name = ?", (HASHER.hash(password), name))
    conn.execute("DELETE FROM sessions WHERE user_name = ?", (name,))
    return existing_user(conn, name)


def set_language(conn: sqlite3.Connection, name: str, lang: str) -> User:
    existing_user(conn, name)
    _check_choice(lang, LANGS, "言語", "language")
    conn.execute("UPDATE users SET lang = ? WHERE name = ?", (lang, name))
    return existing_user(conn, name)


# verified against when the name is unknown, so an unknown name takes as long as a wrong password
_DUMMY_HASH = HASHER.hash("not a password of anyone")


def verify_password(conn: sqlite3.Connection, name: str, password: str) -> User | None:
    """The account when `password` is its password and it is not disabled; None otherwise (same time taken)."""
    row = conn.execute("SELECT password_hash FROM users WHERE name = ?", (name,)).fetchone()
    stored = row[0] if row else _DUMMY_HASH
    try:
        HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    user = find_user(conn, name)
    if user is None or user.disabled:
        return None
    if HASHER.check_needs_rehash(stored):
        conn.execute("UPDATE users SET password_hash = ? WHERE name = ?", (HASHER.hash(password), name))
    return user
