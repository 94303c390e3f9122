"""Accounts in the browser: every staff member's own account (the pages' language, their password) and, for
administrators, the office's accounts (add, disable, set a new password). What is allowed is decided by the use
cases (docgen.usecases.accounts): a staff account asking for an administrator's page gets 403."""

from __future__ import annotations

from anyio import to_thread
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from docgen.errors import DocgenError
from docgen.text import Text
from docgen.usecases.accounts import (
    NotAllowed,
    accounts_for_admin,
    admin_add_account,
    admin_change_password,
    admin_disable_account,
    change_own_language,
    change_own_password,
)
from docgen.web.render import page
from docgen.web.security import SESSION_COOKIE

PASSWORDS_DIFFER = Text("確認のパスワードが一致しません", "the two passwords differ")


def _form_value(form: object, name: str) -> str:
    value = form.get(name, "")  # type: ignore[attr-defined]
    return value if isinstance(value, str) else ""


def account(request: Request, message: Text | None = None, error: Text | None = None, status: int = 200) -> Response:
    return page(request, "account.html", {"message": message, "error": error}, status_code=status)


async def language(request: Request) -> Response:
    form = await request.form()
    ctx = request.state.ctx
    try:
        await to_thread.run_sync(lambda: change_own_language(ctx, _form_value(form, "lang")))
    except DocgenError as exc:
        return account(request, error=exc.text, status=400)
    return RedirectResponse(request.url_for("account"), status_code=303)


async def password(request: Request) -> Response:
    form = await request.form()
    ctx = request.state.ctx
    new = _form_value(form, "new")
    if new != _form_value(form, "again"):
        return account(request, error=PASSWORDS_DIFFER, status=400)
    try:
        await to_thread.run_sync(lambda: change_own_password(ctx, _form_value(form, "current"), new))
    except DocgenError as exc:
        return account(request, error=exc.text, status=400)
    response = RedirectResponse("/login", status_code=303)  # every session of the account ended: log in again
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _users_page(
    request: Request, message: Text | None = None, error: Text | None = None, status: int = 200
) -> Response:
    try:
        listed = accounts_for_admin(request.state.ctx)
    except NotAllowed:
        raise HTTPException(403) from None
    return page(request, "users.html", {"users": listed, "message": message, "error": error}, status_code=status)


def users_page(request: Request) -> Response:
    return _users_page(request)


async def _admin_action(request: Request, action: str) -> Response:
    form = await request.form()
    ctx = request.state.ctx
    name = request.path_params.get("name") or _form_value(form, "name").strip()
    try:
        if action == "add":
            if _form_value(form, "password") != _form_value(form, "again"):
                return await to_thread.run_sync(lambda: _users_page(request, error=PASSWORDS_DIFFER, status=400))
            role, lang, pw = _form_value(form, "role"), _form_value(form, "lang"), _form_value(form, "password")
            await to_thread.run_sync(lambda: admin_add_account(ctx, name, pw, role, lang))
            done = Text(f"アカウントを追加しました: {name}", f"account added: {name}")
        elif action == "disable":
            await to_thread.run_sync(lambda: admin_disable_account(ctx, name))
            done = Text(f"アカウントを無効にしました: {name}", f"account disabled: {name}")
        else:
            pw = _form_value(form, "password")
            await to_thread.run_sync(lambda: admin_change_password(ctx, name, pw))
            done = Text(f"パスワードを変更しました: {name}", f"password changed: {name}")
    except NotAllowed:
        raise HTTPException(403) from None
    except DocgenError as exc:
        problem = exc.text
        return await to_thread.run_sync(lambda: _users_page(request, error=problem, status=400))
    return await to_thread.run_sync(lambda: _users_page(request, message=done))


async def add_user(request: Request) -> Response:
    return await _admin_action(request, "add")


async def disable_user(request: Request) -> Response:
    return await _admin_action(request, "disable")


async def reset_password(request: Request) -> Response:
    return await _admin_action(request, "passwd")


ROUTES = [
    Route("/account", account, methods=["GET"], name="account"),
    Route("/account/language", language, methods=["POST"], name="account_language"),
    Route("/account/password", password, methods=["POST"], name="account_password"),
    Route("/admin/users", users_page, methods=["GET"], name="users"),
    Route("/admin/users", add_user, methods=["POST"], name="user_add"),
    Route("/admin/users/{name}/disable", disable_user, methods=["POST"], name="user_disable"),
    Route("/admin/users/{name}/password", reset_password, methods=["POST"], name="user_password"),
]
