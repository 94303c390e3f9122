"""Preview (プレビュー): any document of a case rendered as page images in the browser before the packet is built.
The pages come back from docgen.usecases.document_preview as PNG bytes (their temporary folder already removed)
and are shown inline as data: images, so nothing of the client's is left on the server to serve or clean up."""

from __future__ import annotations

import base64

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from docgen.usecases.case_page import NotInCases
from docgen.usecases.document_preview import preview_choices, preview_document
from docgen.web.render import page


def choices(request: Request) -> Response:
    """The documents of the case that can be previewed."""
    ctx, case_id = request.state.ctx, request.path_params["case_id"]
    try:
        found = preview_choices(ctx, case_id)
    except NotInCases:
        raise HTTPException(404) from None
    return page(request, "preview.html", {"case_id": case_id, "choices": found, "shown": None, "images": []})


def show(request: Request) -> Response:
    """One document's pages (LibreOffice converts it: this takes a few seconds)."""
    ctx, case_id, template = request.state.ctx, request.path_params["case_id"], request.path_params["template"]
    try:
        found = preview_choices(ctx, case_id)
        shown = preview_document(ctx, case_id, template)
    except NotInCases:
        raise HTTPException(404) from None
    images = ["data:image/png;base64," + base64.b64encode(png).decode("ascii") for png in shown.pages]
    return page(request, "preview.html", {"case_id": case_id, "choices": found, "shown": shown, "images": images})


ROUTES = [
    Route("/cases/{case_id}/preview", choices, methods=["GET"], name="preview"),
    Route("/cases/{case_id}/preview/{template}", show, methods=["GET"], name="preview_document"),
]
