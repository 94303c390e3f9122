"""The client's questionnaire in the browser (質問票): download it in the client's language, upload the returned
workbook, see its problems by sheet, row and question or its differences with the profile field by field, and
accept all of them or some (the profile's previous version kept; every step audited)."""

from __future__ import annotations

from anyio import to_thread
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from docgen.errors import DocgenError
from docgen.text import Text
from docgen.usecases.audit import record_action
from docgen.usecases.case_page import NotInCases
from docgen.usecases.questionnaire_round import (
    MAX_UPLOAD,
    accept_questionnaire,
    questionnaire_for_client,
    review_questionnaire,
)
from docgen.web.render import page

NO_FILE = Text("質問票の Excel ファイルを選んでください", "choose the questionnaire's Excel file")


def _page(request: Request, values: dict[str, object], status: int = 200) -> Response:
    base = {"case_id": request.path_params["case_id"], "review": None, "error": None, "accepted": None}
    base["applied"] = request.query_params.get("applied")
    return page(request, "questionnaire.html", {**base, **values}, status_code=status)


def questionnaire_page(request: Request) -> Response:
    return _page(request, {})


def questionnaire_download(request: Request) -> Response:
    """The client's questionnaire (written now, from the profile as it is), under a Japanese file name."""
    ctx, case_id = request.state.ctx, request.path_params["case_id"]
    try:
        made = questionnaire_for_client(ctx, case_id)
    except NotInCases:
        raise HTTPException(404) from None
    record_action(ctx, "download", case_id, made.path.name)
    return FileResponse(
        made.path,
        filename=made.download_name,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        content_disposition_type="attachment",
    )


async def questionnaire_upload(request: Request) -> Response:
    ctx, case_id = request.state.ctx, request.path_params["case_id"]
    async with request.form(max_part_size=MAX_UPLOAD + 1) as form:
        sent = form.get("workbook")
        data = await sent.read(MAX_UPLOAD + 1) if isinstance(sent, UploadFile) else b""
    if not data:
        return await to_thread.run_sync(lambda: _page(request, {"error": NO_FILE}, 400))

    def review() -> Response:
        shown = review_questionnaire(ctx, case_id, data)
        record_action(ctx, "upload", case_id, shown.upload)
        return _page(request, {"review": shown}, 400 if shown.problems else 200)

    try:
        return await to_thread.run_sync(review)
    except NotInCases:
        raise HTTPException(404) from None
    except DocgenError as exc:
        error = exc.text
        return await to_thread.run_sync(lambda: _page(request, {"error": error}, 400))


async def questionnaire_accept(request: Request) -> Response:
    ctx, case_id = request.state.ctx, request.path_params["case_id"]
    async with request.form() as form:
        upload, version = str(form.get("upload", "")), str(form.get("version", ""))
        chosen = None if form.get("all") else {str(v) for v in form.getlist("accept")}
    try:
        done = await to_thread.run_sync(lambda: accept_questionnaire(ctx, case_id, upload, version, chosen))
    except NotInCases:
        raise HTTPException(404) from None
    if done.conflict is not None:
        return await to_thread.run_sync(lambda: _page(request, {"accepted": done}, 409))
    target = request.url_for("questionnaire", case_id=case_id)
    return RedirectResponse(f"{target}?applied={done.fields}", status_code=303)


ROUTES = [
    Route("/cases/{case_id}/questionnaire", questionnaire_page, methods=["GET"], name="questionnaire"),
    Route("/cases/{case_id}/questionnaire", questionnaire_upload, methods=["POST"], name="questionnaire_upload"),
    Route(
        "/cases/{case_id}/questionnaire/download",
        questionnaire_download,
        methods=["GET"],
        name="questionnaire_download",
    ),
    Route("/cases/{case_id}/questionnaire/accept", questionnaire_accept, methods=["POST"], name="questionnaire_accept"),
]
