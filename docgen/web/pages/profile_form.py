"""The case's profile as forms (プロフィールの編集): one page per group of fields (person, residence history, trips,
jobs, income and 住民税, pension and insurance, HSP, family, guarantor), generated from the profile model; the
same problems as `docgen profile check` beside their fields; a save that keeps the YAML's comments and refuses to
overwrite a change someone else made meanwhile (their change shown, what was typed kept in the page)."""

from __future__ import annotations

from anyio import to_thread
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from docgen.usecases.audit import record_action
from docgen.usecases.case_page import NotInCases
from docgen.usecases.profile_edit import (
    ProfileForm,
    how_saved,
    kept_version,
    profile_form,
    profile_versions,
    save_profile_page,
)
from docgen.web.forms.widgets import page_widgets
from docgen.web.render import page

FIRST_PAGE = "person"


def _shown(request: Request, form: ProfileForm, status: int = 200) -> Response:
    widgets, left = page_widgets(form.fields, form.values, form.counts, form.problems)
    return page(
        request,
        "profile_form.html",
        {"form": form, "widgets": widgets, "left": left, "just_saved": request.query_params.get("saved")},
        status_code=status,
    )


def profile_start(request: Request) -> Response:
    return RedirectResponse(
        request.url_for("profile_page", case_id=request.path_params["case_id"], group=FIRST_PAGE), status_code=303
    )


def profile_page(request: Request) -> Response:
    ctx = request.state.ctx
    try:
        form = profile_form(ctx, request.path_params["case_id"], request.path_params["group"])
    except NotInCases:
        raise HTTPException(404) from None
    record_action(ctx, "view_case", form.case_id, f"{form.profile_name} ({form.group.key})")
    return _shown(request, form)


async def profile_save(request: Request) -> Response:
    async with request.form() as submitted:
        values = {k: v for k, v in submitted.multi_items() if isinstance(v, str)}
    ctx = request.state.ctx
    case_id, group = request.path_params["case_id"], request.path_params["group"]
    version = values.pop("version", "")
    values.pop("csrf_token", None)
    try:
        form = await to_thread.run_sync(lambda: save_profile_page(ctx, case_id, group, version, values))
    except NotInCases:
        raise HTTPException(404) from None
    if form.outcome in ("conflict", "refused"):  # given back with the values as typed
        status = 409 if form.outcome == "conflict" else 400
        return await to_thread.run_sync(lambda: _shown(request, form, status))
    target = request.url_for("profile_page", case_id=case_id, group=group)
    return RedirectResponse(f"{target}?saved={1 if form.outcome == 'saved' else 0}", status_code=303)


def profile_history(request: Request) -> Response:
    try:
        saves = profile_versions(request.state.ctx, request.path_params["case_id"])
    except NotInCases:
        raise HTTPException(404) from None
    return page(
        request,
        "profile_history.html",
        {"case_id": request.path_params["case_id"], "saves": saves, "how_saved": how_saved},
    )


def profile_version(request: Request) -> Response:
    """A previous version of the profile, as a YAML file (audited)."""
    ctx, case_id = request.state.ctx, request.path_params["case_id"]
    try:
        name, text = kept_version(ctx, case_id, request.path_params["sha"])
    except NotInCases:
        raise HTTPException(404) from None
    record_action(ctx, "download", case_id, name)
    return Response(
        text.encode("utf-8"),
        media_type="text/yaml; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


ROUTES = [
    Route("/cases/{case_id}/profile", profile_start, methods=["GET"], name="profile_start"),
    Route("/cases/{case_id}/profile/history", profile_history, methods=["GET"], name="profile_history"),
    Route("/cases/{case_id}/profile/history/{sha}", profile_version, methods=["GET"], name="profile_version"),
    Route("/cases/{case_id}/profile/{group}", profile_page, methods=["GET"], name="profile_page"),
    Route("/cases/{case_id}/profile/{group}", profile_save, methods=["POST"], name="profile_save"),
]
