"""The web app's one guard, around every route: the session (every request but the public ones needs a logged-in
staff member), CSRF on every state-changing request, and the security headers of every response.

An ASGI middleware rather than a check in each page, so a page added later is guarded without doing anything."""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, quote

from anyio import to_thread
from python_multipart.multipart import parse_options_header
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from docgen.usecases.accounts import session_of
from docgen.usecases.context import OfficeContext, RunContext
from docgen.web.form_token import multipart_token, whole_body

SESSION_COOKIE = "docgen_session"
LOGIN_COOKIE = "docgen_login"  # the login form's CSRF token, before there is a session (double submit)
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


@dataclasses.dataclass(frozen=True)
class WebConfig:
    """What the guard and the pages share: the office's run context (settings read once; rules read again when an
    office checklist file changes), the clock, the idle timeout, whether cookies are Secure (TLS)."""

    base: RunContext
    clock: Callable[[], datetime]
    idle: timedelta
    secure: bool
    office: OfficeContext = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "office", OfficeContext(self.base))

    def context(self, *, lang: str | None = None, user: str = "") -> RunContext:
        """A run context for one request: the office's, the time now, the staff member and their language."""
        office = self.office.current()
        return dataclasses.replace(office, now=self.clock(), lang=lang or office.lang, user=user)


class Guard:
    """Pure ASGI middleware: session, CSRF and headers (see the module's docstring)."""

    def __init__(self, app: ASGIApp, config: WebConfig, public: Sequence[BaseRoute]):
        self.app, self.config, self.public = app, config, list(public)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":  # none today; one added later needs a session too
            await self._websocket(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _with_headers(send, static=scope["path"].startswith("/static/"))
        state = scope.setdefault("state", {})
        request = Request(scope)
        if any(route.matches(scope)[0] == Match.FULL for route in self.public):
            state["ctx"] = self.config.context()
            state["user"] = None
            if request.method not in SAFE_METHODS:  # the login form: its token matches its cookie
                receive, ok = await _csrf_ok(scope, receive, request.cookies.get(LOGIN_COOKIE, ""))
                if not ok:
                    await _refused(scope, receive, send)
                    return
            await self._served(scope, receive, send)
            return
        token = request.cookies.get(SESSION_COOKIE, "")
        ctx = self.config.context()
        session = await to_thread.run_sync(lambda: session_of(ctx, token, self.config.idle)) if token else None
        if session is None:
            await _to_login(request)(scope, receive, send)
            return
        if request.method not in SAFE_METHODS:
            receive, ok = await _csrf_ok(scope, receive, session.csrf)
            if not ok:
                await _refused(scope, receive, send)
                return
        state["user"] = session.user
        state["csrf"] = session.csrf
        state["session_token"] = session.token
        state["ctx"] = self.config.context(lang=session.user.lang, user=session.user.name)
        await self._served(scope, receive, send)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = Request({**scope, "type": "http"}).cookies.get(SESSION_COOKIE, "")
        ctx = self.config.context()
        session = await to_thread.run_sync(lambda: session_of(ctx, token, self.config.idle)) if token else None
        if session is None:
            await send({"type": "websocket.close", "code": 1008})
            return
        state = scope.setdefault("state", {})
        state["user"], state["csrf"] = session.user, session.csrf
        state["ctx"] = self.config.context(lang=session.user.lang, user=session.user.name)
        await self.app(scope, receive, send)

    async def _served(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The page; an unexpected error becomes a short page and an owner-only log without its message (which
        may hold personal data) — never a traceback in the browser or the server's console."""
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            if started:
                raise
            await unexpected_error(scope, exc, self.config)(scope, receive, send)


def unexpected_error(scope: Scope, exc: Exception, config: WebConfig) -> Response:
    """The page for a fault in docgen itself: its kind and where its log is, never its message."""
    from docgen.text import Text
    from docgen.usecases.error_log import write_error_log
    from docgen.web.render import page

    where = "/" + scope["path"].strip("/").split("/")[0]  # the page group only: a path may name a case's file
    log = write_error_log(
        exc, f"docgen serve {scope['method']} {where}", config.clock(), config.base.settings.output_dir
    )
    kind = type(exc).__name__
    message = Text(
        f"予期しないエラーが発生しました ({kind})。"
        + (f"詳細は {log}（個人情報は含みません）" if log else "ログを書けませんでした"),
        f"an unexpected error occurred ({kind}). "
        + (f"Details in {log} (no personal data)" if log else "The log could not be written"),
    )
    return page(Request(scope), "error.html", {"status": 500, "message": message}, status_code=500)


def _to_login(request: Request) -> Response:
    """A page asked for without a session: back to the login page (then here); 401 for anything else."""
    if request.method == "GET" and "text/html" in request.headers.get("accept", ""):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    return PlainTextResponse("401 ログインしてください / log in first", status_code=401)


async def _refused(scope: Scope, receive: Receive, send: Send) -> None:
    response = PlainTextResponse(
        "403 フォームの有効期限が切れました。ページを読み込み直してください / the form expired: reload the page",
        status_code=403,
    )
    await response(scope, receive, send)


async def _csrf_ok(scope: Scope, receive: Receive, expected: str) -> tuple[Receive, bool]:
    """Whether the request carries `expected` (in the X-CSRF-Token header, else the form's csrf_token field, read
    from the start of a multipart body only: form_token.py); the receive channel to hand on."""
    if not expected:
        return receive, False
    headers = Headers(scope=scope)
    given = headers.get(CSRF_HEADER)
    if given is not None:
        return receive, secrets.compare_digest(given.encode(), expected.encode())
    kind, params = parse_options_header(headers.get("content-type", ""))
    token: str | None = None
    if kind == b"multipart/form-data" and params.get(b"boundary"):
        receive, token = await multipart_token(receive, params[b"boundary"].decode("latin-1"))
    elif kind == b"application/x-www-form-urlencoded":
        receive, body = await whole_body(receive)
        values = parse_qs(body.decode("latin-1")) if body is not None else {}
        token = values[CSRF_FIELD][0] if values.get(CSRF_FIELD) else None
    return receive, token is not None and secrets.compare_digest(token.encode(), expected.encode())


def _with_headers(send: Send, *, static: bool) -> Send:
    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers: list[Any] = list(message.get("headers", []))
            names = {name.lower() for name, _ in headers}
            headers += [h for h in HEADERS if h[0] not in names]
            if not static and b"cache-control" not in names:
                headers.append((b"cache-control", b"no-store"))
            message = {**message, "headers": headers}
        await send(message)

    return send_with_headers
