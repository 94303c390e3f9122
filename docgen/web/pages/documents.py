"""The packet's Word documents, for staff to edit in Word (書類の編集): each downloaded under its Japanese name,
the edited file sent back (checked and kept as staff's edit by docgen.usecases.document_edit), what changed
since docgen generated it, and "make it again" (regenerate) replacing the edit."""

from __future__ import annotations

from anyio import to_thread
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from docgen.errors import DocgenError
from docgen.text import Text
from docgen.usecases.case_page import NotInCases
from docgen.usecases.document_edit import (
    MAX_UPLOAD_BYTES,
    DocumentChanges,
    document_changes,
    document_file,
    keep_document_edit,
    packet_documents,
    regenerate_document,
)
from docgen.web.render import page

STATES = {
    "generated": Text("docgen が作成", "generated"),
    "edited": Text("事務所で編集", "edited by staff"),
    "missing": Text("ファイルがありません", "file missing"),
}
COMPARED_WITH = {
    "generated": Text("docgen が作成した版と比べた変更", "changes since the version docgen generated"),
    "now": Text(
        "パケット作成後にプロフィールかテンプレートが変わったため、docgen が今作る内容と比べています",
        "the profile or template changed since the packet was built: compared with what docgen writes now",
    ),
    "none": Text(
        "この書類は今の案件では作られないため、比べられません",
        "the case no longer makes this document: nothing to compare",
    ),
}
REGENERATED = Text(
    "docgen の内容で作り直しました（事務所の編集は置き換えられました）",
    "made again by docgen (the staff edit was replaced)",
)


def documents(request: Request) -> Response:
    """Every Word document of the case's packet, with its state and what can be done with it."""
    ctx, case_id = request.state.ctx, request.path_params["case_id"]
    try:
        listed = packet_documents(ctx, case_id)
    except NotInCases:
        raise HTTPException(404) from None
    return page(request, "documents.html", {"listed": listed, "states": STATES})


def download(request: Request) -> Response:
    """The Word file, as an attachment under its Japanese name (RFC 5987 filename*); audited."""
    ctx, case_id, key = request.state.ctx, request.path_params["case_id"], request.path_params["key"]
    try:
        found = document_file(ctx, case_id, key)
    except NotInCases:
        raise HTTPException(404) from None
    return FileResponse(
        found.path,
        filename=found.download_name,
        content_disposition_type="attachment",
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def _document_page(
    request: Request,
    changes: DocumentChanges | None,
    *,
    message: Text | None = None,
    error: Text | None = None,
    status: int = 200,
) -> Response:
    ctx, case_id, key = request.state.ctx, request.path_params["case_id"], request.path_params["key"]
    try:
        shown = changes or document_changes(ctx, case_id, key)
    except NotInCases:
        raise HTTPException(404) from None
    except DocgenError as exc:  # the file is gone or damaged: only "make it again" is left
        shown, error = None, error or exc.text
    listed = packet_documents(ctx, case_id)
    document = shown.document if shown else next((d for d in listed.documents if d.key == key), None)
    if document is None:
        raise HTTPException(404)
    values = {
        "case_id": case_id,
        "document": document,
        "changes": shown,
        "states": STATES,
        "compared_with": COMPARED_WITH,
        "message": message,
        "error": error,
        "max_mb": MAX_UPLOAD_BYTES // 1_000_000,
    }
    return page(request, "documents_edit.html", values, status_code=status)


def document(request: Request) -> Response:
    """One document: what changed since generated, the form to send an edit, and "make it again"."""
    message = REGENERATED if request.query_params.get("done") == "regenerated" else None
    return _document_page(request, None, message=message)


async def upload(request: Request) -> Response:
    """An edited Word file sent back: kept as staff's edit once checked, or refused with the reason."""
    ctx, case_id, key = request.state.ctx, request.path_params["case_id"], request.path_params["key"]
    async with request.form(max_files=1) as form:
        sent = form.get("file")
        if not isinstance(sent, UploadFile) or not sent.filename:
            problem = Text("Word ファイルを選んでください", "choose a Word file")
            return await to_thread.run_sync(lambda: _document_page(request, None, error=problem, status=400))
        name, data = sent.filename, await sent.read(MAX_UPLOAD_BYTES + 1)
    try:
        kept = await to_thread.run_sync(lambda: keep_document_edit(ctx, case_id, key, name, data))
    except NotInCases:
        raise HTTPException(404) from None
    except DocgenError as exc:
        problem = exc.text
        return await to_thread.run_sync(lambda: _document_page(request, None, error=problem, status=400))
    done = Text(
        f"{name} を事務所の編集として保存しました。次のパケット作成でもこの編集が使われます",
        f"{name} was kept as the staff edit; the next packet build keeps it",
    )
    if kept.document.state == "generated":
        done = Text(
            f"{name} の内容は docgen が作成したものと同じです（編集はありません）",
            f"{name} holds what docgen generated (no edit)",
        )
    return await to_thread.run_sync(lambda: _document_page(request, kept.changes, message=done))


def regenerate(request: Request) -> Response:
    """Make the document again from the profile (the packet is built again, other edits kept)."""
    ctx, case_id, key = request.state.ctx, request.path_params["case_id"], request.path_params["key"]
    try:
        regenerate_document(ctx, case_id, key)
    except NotInCases:
        raise HTTPException(404) from None
    except DocgenError as exc:
        return _document_page(request, None, error=exc.text, status=400)
    target = request.url_for("document", case_id=case_id, key=key).path
    return RedirectResponse(f"{target}?done=regenerated", status_code=303)


ROUTES = [
    Route("/cases/{case_id}/documents", documents, methods=["GET"], name="documents"),
    Route("/cases/{case_id}/documents/{key}", document, methods=["GET"], name="document"),
    Route("/cases/{case_id}/documents/{key}", upload, methods=["POST"], name="document_upload"),
    Route("/cases/{case_id}/documents/{key}/word", download, methods=["GET"], name="document_download"),
    Route("/cases/{case_id}/documents/{key}/regenerate", regenerate, methods=["POST"], name="document_regenerate"),
]
