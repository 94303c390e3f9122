"""Staff accounts and sessions for the web app (`docgen users`, the login page): add, list, disable, change a
password, log in (rate limited), find a session (idle timeout), log out, the calendar token — and whether the web
app may listen on an address. Each change is written to the audit log under the context's user."""

from __future__ import annotations

import ipaddress
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from docgen.accounts import audit, database, sessions, users
from docgen.accounts.attempts import locked_out, record_attempt
from docgen.accounts.sessions import Session
from docgen.accounts.users import User
from docgen.errors import DocgenError
from docgen.text import Text
from docgen.usecases.context import RunContext, use_case

IDLE = timedelta(minutes=30)  # a session unused this long ends
LOCAL_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})

WRONG_LOGIN = Text("ログイン名またはパスワードが違います", "wrong login name or password")
LOCKED_OUT = Text(
    "ログインの失敗が続いたため、しばらくログインできません。15分ほど待ってからもう一度お試しください",
    "too many failed logins: wait about 15 minutes and try again",
)


def accounts_file(ctx: RunContext) -> Path:
    """The office's accounts database (beside docgen.toml)."""
    return database.database_path(ctx.settings)


@contextmanager
def office_database(ctx: RunContext) -> Iterator[sqlite3.Connection]:
    with database.open_database(accounts_file(ctx), ctx.now) as conn:
        yield conn


@use_case
def add_account(ctx: RunContext, name: str, password: str, role: str = "staff", lang: str = "ja") -> User:
    """A new staff account (admin or staff)."""
    with office_database(ctx) as conn:
        user = users.add_user(conn, name, password, role, lang, ctx.now)
        audit.record(conn, ctx.now, ctx.user, "user_add", document=name)
    return user


@use_case
def list_accounts(ctx: RunContext) -> list[User]:
    """Every account, disabled ones too, by name."""
    with office_database(ctx) as conn:
        return users.list_users(conn)


@use_case
def disable_account(ctx: RunContext, name: str) -> User:
    """The account can no longer log in, its sessions end; it stays in the list and the audit log."""
    with office_database(ctx) as conn:
        user = users.disable_user(conn, name)
        audit.record(conn, ctx.now, ctx.user, "user_disable", document=name)
    return user


@use_case
def change_password(ctx: RunContext, name: str, password: str) -> User:
    """A new password for the account; its sessions end."""
    with office_database(ctx) as conn:
        user = users.set_password(conn, name, password)
        audit.record(conn, ctx.now, ctx.user, "user_passwd", document=name)
    return user


@use_case
def log_in(ctx: RunContext, name: str, password: str, remote: str) -> Session:
    """A new session for the account, or an error: wrong name or password, or locked out after repeated failures
    (from this name or this address) — checked before the password, so a locked-out guess reveals nothing. A
    failure is logged under the account's name only when such an account exists (a password typed into the name
    field is never written down)."""
    with office_database(ctx) as conn:
        known = users.find_user(conn, name) is not None
        who = name if known else ""
        if locked_out(conn, name, remote, ctx.now):
            record_attempt(conn, name, remote, ctx.now, False)
            audit.record(conn, ctx.now, who, "login_failed")
            raise DocgenError(LOCKED_OUT)
        user = users.verify_password(conn, name, password)
        record_attempt(conn, name, remote, ctx.now, user is not None)
        if user is None:
            audit.record(conn, ctx.now, who, "login_failed")
            raise DocgenError(WRONG_LOGIN)
        audit.record(conn, ctx.now, user.name, "login")
        sessions.end_idle_sessions(conn, ctx.now, IDLE)
        return sessions.start_session(conn, user, ctx.now)


@use_case
def session_of(ctx: RunContext, token: str, idle: timedelta = IDLE) -> Session | None:
    """The live session of a browser's token (its last use moved to now); None when unknown or idle too long."""
    with office_database(ctx) as conn:
        return sessions.find_session(conn, token, ctx.now, idle)


@use_case
def log_out(ctx: RunContext, token: str) -> None:
    with office_database(ctx) as conn:
        sessions.end_session(conn, token)
        audit.record(conn, ctx.now, ctx.user, "logout")


@use_case
def new_calendar_token(ctx: RunContext) -> str:
    """A calendar subscription token for the context's user (the previous one stops working)."""
    with office_database(ctx) as conn:
        user = users.existing_user(conn, ctx.user)
        token = sessions.calendar_token(conn, user, ctx.now)
        audit.record(conn, ctx.now, ctx.user, "calendar_token")
    return token


@use_case
def calendar_account(ctx: RunContext, token: str) -> User | None:
    """The active account a calendar token belongs to (its read is audited under that account)."""
    with office_database(ctx) as conn:
        user = sessions.calendar_user(conn, token)
        if user is not None:
            audit.record(conn, ctx.now, user.name, "calendar_read")
    return user


class NoAccount(DocgenError):
    """The web app would have no account to log in with."""


class OpenNetwork(DocgenError):
    """The web app would listen where other computers reach it, without TLS or the staff's acknowledgement."""


@dataclass(frozen=True)
class Serving:
    """Where the web app listens and on what terms."""

    host: str
    local: bool  # only this computer can connect
    tls: bool
    trusted_lan: bool  # another address without TLS, acknowledged by staff (written to the audit log)
    accounts: int


def is_local(host: str) -> bool:
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@use_case
def check_serving(ctx: RunContext, host: str, *, tls: bool, trust_lan: bool) -> Serving:
    """Whether the web app may listen on `host`: there must be an account to log in with; an address other
    computers reach also needs TLS or the staff's acknowledgement that the office network is trusted (logged)."""
    with office_database(ctx) as conn:
        accounts = users.active_users(conn)
        local = is_local(host)
        if accounts == 0:
            raise NoAccount(
                Text(
                    "ログインできるアカウントがありません。先に管理者のアカウントを作ってください",
                    "there is no account to log in with: add an administrator account first",
                )
            )
        if not local and not tls and not trust_lan:
            raise OpenNetwork(
                Text(
                    f"{host} で待ち受けると事務所のほかのパソコンから接続できます。TLS の証明書と鍵を指定するか、"
                    "事務所のネットワークを信頼することを明示してください（記録されます）",
                    f"listening on {host} lets other computers connect: give a TLS certificate and key, or state "
                    "that the office network is trusted (this is logged)",
                )
            )
        trusted = not local and not tls and trust_lan
        if trusted:
            audit.record(conn, ctx.now, ctx.user, "serve_trust_lan", document=host)
    return Serving(host, local, tls, trusted, accounts)


class NotAllowed(DocgenError):
    """Something only an administrator may do, asked by a staff account (a face shows it as forbidden)."""

    def __init__(self) -> None:
        super().__init__(Text("この操作は管理者だけができます", "only an administrator can do this"))


def _admin(conn: sqlite3.Connection, ctx: RunContext) -> User:
    """The context's user as an active admin account, or NotAllowed."""
    user = users.find_user(conn, ctx.user)
    if user is None or user.disabled or not user.admin:
        raise NotAllowed()
    return user


@use_case
def accounts_for_admin(ctx: RunContext) -> list[User]:
    """Every account, for an administrator logged in to the web app."""
    with office_database(ctx) as conn:
        _admin(conn, ctx)
        return users.list_users(conn)


@use_case
def admin_add_account(ctx: RunContext, name: str, password: str, role: str, lang: str) -> User:
    """A new account, added by an administrator logged in to the web app."""
    with office_database(ctx) as conn:
        _admin(conn, ctx)
    return add_account(ctx, name, password, role, lang)


@use_case
def admin_disable_account(ctx: RunContext, name: str) -> User:
    """Disable an account from the web app (an administrator; never their own, so the office keeps one)."""
    with office_database(ctx) as conn:
        _admin(conn, ctx)
    if name == ctx.user:
        raise DocgenError(
            Text(
                "自分のアカウントは無効にできません。ほかの管理者に依頼してください",
                "you cannot disable your own account: ask another administrator",
            )
        )
    return disable_account(ctx, name)


@use_case
def admin_change_password(ctx: RunContext, name: str, password: str) -> User:
    """Give an account a new password from the web app (an administrator); its sessions end."""
    with office_database(ctx) as conn:
        _admin(conn, ctx)
    return change_password(ctx, name, password)


@use_case
def change_own_password(ctx: RunContext, current: str, new: str) -> User:
    """The context's user changes their own password, giving the current one; their sessions end."""
    with office_database(ctx) as conn:
        if users.verify_password(conn, ctx.user, current) is None:
            raise DocgenError(Text("今のパスワードが違います", "the current password is wrong"))
    return change_password(ctx, ctx.user, new)


@use_case
def change_own_language(ctx: RunContext, lang: str) -> User:
    """The language of the context's user's pages (ja or en)."""
    with office_database(ctx) as conn:
        user = users.set_language(conn, ctx.user, lang)
        audit.record(conn, ctx.now, ctx.user, "change", document="lang")
    return user
