"""Logging in and out. The login form is public; its CSRF token is bound to a cookie set with the form (there is
no session yet); a successful login starts a server-side session in an HttpOnly, SameSite cookie."""

from __future__ import annotations

import secrets

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from docgen.errors import DocgenError
from docgen.usecases.accounts import log_in, log_out
from docgen.web.render import page
from docgen.web.security import LOGIN_COOKIE, SESSION_COOKIE, WebConfig


def _next(request: Request, value: str | None) -> str:
    """Where to go after logging in: a path of this app only (never another site)."""
    target = value or "/"
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


def login_form(request: Request, error: DocgenError | None = None, status_code: int = 200) -> Response:
    config: WebConfig = request.app.state.config
    token = secrets.token_urlsafe(32)
    response = page(
        request,
        "login.html",
        {
            "csrf": token,
            "next": _next(request, request.query_params.get("next")),
            "error": error.text if error else None,
        },
        status_code=status_code,
    )
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", secure=config.secure, path="/login")
    return response


async def login_submit(request: Request) -> Response:
    config: WebConfig = request.app.state.config
    form = await request.form()
    name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))
    remote = request.client.host if request.client else ""
    ctx = request.state.ctx
    try:
        session = await to_thread.run_sync(lambda: log_in(ctx, name, password, remote))
    except DocgenError as exc:
        return login_form(request, exc, status_code=401)
    response = RedirectResponse(_next(request, str(form.get("next", ""))), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session.token,
        httponly=True,
        samesite="strict",
        secure=config.secure,
        max_age=None,
        path="/",
    )
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


def logout(request: Request) -> Response:
    log_out(request.state.ctx, request.state.session_token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


ROUTES = [
    Route("/login", login_form, methods=["GET"], name="login"),
    Route("/login", login_submit, methods=["POST"], name="login_submit"),
    Route("/logout", logout, methods=["POST"], name="logout"),
]
