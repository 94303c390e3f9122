"""Templates and checklists for administrators (テンプレート管理): which file each document is made from, each
downloadable; an office template or checklist file sent in, with what checking it found shown before it is accepted
(`templates check`'s findings; a checklist's problems by file, line and field): a broken one refused with them, a
good one installed. Decided in docgen.usecases.template_admin: staff get 403."""

from __future__ import annotations

from anyio import to_thread
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from docgen.errors import DocgenError
from docgen.text import Text
from docgen.usecases.accounts import NotAllowed
from docgen.usecases.document_edit import MAX_UPLOAD_BYTES
from docgen.usecases.template_admin import (
    ChecklistSent,
    TemplateSent,
    checklist_download,
    install_checklist,
    install_template,
    office_files,
    template_download,
)
from docgen.web.render import page

ORIGIN = {"office": Text("事務所のテンプレート", "office copy"), "built-in": Text("docgen 標準", "built-in")}


def _page(
    request: Request,
    sent: TemplateSent | ChecklistSent | None = None,
    error: Text | None = None,
    status: int = 200,
) -> Response:
    try:
        files = office_files(request.state.ctx)
    except NotAllowed:
        raise HTTPException(403) from None
    values = {
        "files": files,
        "origin": ORIGIN,
        "sent": sent if isinstance(sent, TemplateSent) else None,
        "checklist_sent": sent if isinstance(sent, ChecklistSent) else None,
        "error": error,
        "max_mb": MAX_UPLOAD_BYTES // 1_000_000,
    }
    return page(request, "templates_admin.html", values, status_code=status)


def templates(request: Request) -> Response:
    return _page(request)


def download(request: Request) -> Response:
    try:
        path = template_download(request.state.ctx, request.path_params["name"])
    except NotAllowed:
        raise HTTPException(403) from None
    except DocgenError:
        raise HTTPException(404) from None
    return FileResponse(path, filename=path.name, content_disposition_type="attachment")


def checklist(request: Request) -> Response:
    try:
        path = checklist_download(request.state.ctx, request.path_params["name"])
    except NotAllowed:
        raise HTTPException(403) from None
    except DocgenError:
        raise HTTPException(404) from None
    return FileResponse(path, filename=path.name, content_disposition_type="attachment")


async def upload(request: Request) -> Response:
    """An office template sent in: checked, then installed or refused with the findings."""
    name = request.path_params["name"]
    return await _sent(request, Text("Word ファイルを選んでください", "choose a Word file"), name)


async def checklist_upload(request: Request) -> Response:
    """An office checklist file sent in: loaded with the rules, then installed or refused with its problems."""
    choose = Text("チェックリストのファイル（.yaml）を選んでください", "choose a checklist file (.yaml)")
    return await _sent(request, choose)


async def _sent(request: Request, choose: Text, template: str | None = None) -> Response:
    """A file sent to replace the template `template` (else an office checklist file): the page with the outcome."""
    ctx = request.state.ctx
    try:
        await to_thread.run_sync(lambda: office_files(ctx))  # staff are refused before the file is read
    except NotAllowed:
        raise HTTPException(403) from None
    async with request.form(max_files=1) as form:
        given = form.get("file")
        if not isinstance(given, UploadFile) or not given.filename:
            return await to_thread.run_sync(lambda: _page(request, error=choose, status=400))
        file_name, data = given.filename, await given.read(MAX_UPLOAD_BYTES + 1)
    try:
        if template is not None:
            sent: TemplateSent | ChecklistSent = await to_thread.run_sync(
                lambda: install_template(ctx, template, file_name, data)
            )
        else:
            sent = await to_thread.run_sync(lambda: install_checklist(ctx, file_name, data))
    except NotAllowed:
        raise HTTPException(403) from None
    except DocgenError as exc:
        problem = exc.text
        return await to_thread.run_sync(lambda: _page(request, error=problem, status=400))
    return await to_thread.run_sync(lambda: _page(request, sent, status=200 if sent.installed else 400))


ROUTES = [
    Route("/admin/templates", templates, methods=["GET"], name="templates_admin"),
    Route("/admin/templates/{name}", upload, methods=["POST"], name="template_upload"),
    Route("/admin/templates/{name}/word", download, methods=["GET"], name="template_download"),
    Route("/admin/checklists", checklist_upload, methods=["POST"], name="checklist_upload"),
    Route("/admin/checklists/{name}", checklist, methods=["GET"], name="checklist_download"),
]
