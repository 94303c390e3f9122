"""Reading an upload request: the sent files of one multipart form, with limits on how many and how large
before anything is parsed (the checks of each scan are the use case's: docgen/usecases/evidence_upload.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import BinaryIO

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from docgen.usecases.evidence_upload import MAX_FILES

MAX_FILE_MB = 100  # what the body may hold per file; each scan's own limit is checked by the use case
MAX_BODY = MAX_FILES * MAX_FILE_MB * 1_000_000 + 1_000_000


@dataclass(frozen=True)
class SentForm:
    """The fields of an upload form and its files (name as sent, bytes spooled by the parser)."""

    fields: dict[str, str]
    files: list[tuple[str, BinaryIO]]


@asynccontextmanager
async def sent_files(request: Request, field: str = "files") -> AsyncIterator[SentForm]:
    """The form's text fields and the files of `field`; 413 for a body larger than MAX_FILES files could be, 400
    for a body that is not a multipart form. The spooled files are closed after the block."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
        raise HTTPException(413)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise HTTPException(400)
    async with request.form(max_files=MAX_FILES + 1, max_fields=50) as form:
        fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        files = [
            (v.filename or "", v.file)
            for v in form.getlist(field)
            if isinstance(v, UploadFile) and (v.filename or v.size)
        ]
        yield SentForm(fields, files)
