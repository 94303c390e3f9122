"""Adding the client's scans to a case (資料の追加): files dropped onto a checklist item on the case page (or sent
with the plain form of the upload page, which works without JavaScript) are checked as a packet build checks
scans and stored in the case's evidence folder, where `docgen packet` finds them; each refused file is named with
its reason. Every stored file is audited (who, case, item and file name)."""

from __future__ import annotations

from anyio import to_thread
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from docgen.usecases.audit import record_action
from docgen.usecases.case_page import NotInCases
from docgen.usecases.evidence_upload import MAX_FILES, ScansAdded, UploadItem, add_scans, upload_items, year_name
from docgen.web.render import lang_of, page
from docgen.web.uploads import sent_files


def _items(request: Request, case_id: str) -> list[UploadItem]:
    try:
        return upload_items(request.state.ctx, case_id)
    except NotInCases:
        raise HTTPException(404) from None


def choices(items: list[UploadItem], lang: str) -> list[tuple[str, str]]:
    """The upload form's one list: (value 'item|person|年度', label) for each item, each person it is counted
    for and each 住民税 年度 of that person it counts, so that a form without JavaScript can only name what the
    item concerns."""
    out = []
    for item in items:
        title = f"{item.number:02d} {item.title.render(lang)}"
        if not item.people:
            out.append((f"{item.id}|", title))
        for person in item.people:
            out.append((f"{item.id}|{person}", f"{title} — {person}"))
            out += [
                (f"{item.id}|{person}|{year}", f"{title} — {person} — {year_name(year)}")
                for year in item.years_of(person)
            ]
    return out


def evidence_page(request: Request) -> Response:
    """The upload page of a case: the plain form (every item and person in one list)."""
    case_id = request.path_params["case_id"]
    items = _items(request, case_id)
    return page(
        request,
        "evidence.html",
        {
            "case_id": case_id,
            "choices": choices(items, lang_of(request)),
            "chosen": request.query_params.get("to", ""),
            "added": None,
            "max_files": MAX_FILES,
        },
    )


def evidence_items(request: Request) -> Response:
    """The items and their people, for the case page's script (drop targets and the person list)."""
    items = _items(request, request.path_params["case_id"])
    lang = lang_of(request)
    return JSONResponse(
        [
            {
                "id": i.id,
                "number": i.number,
                "title": i.title.render(lang),
                "people": list(i.people),
                "years": {person: [[y, year_name(y)] for y in years] for person, years in i.years},
            }
            for i in items
        ]
    )


def _as_json(added: ScansAdded, lang: str) -> dict[str, object]:
    return {
        "item": added.item.id,
        "title": added.item.title.render(lang),
        "person": added.person,
        "year": added.year_name,
        "stored": [{"sent": s.sent, "stored": s.stored, "note": s.note} for s in added.stored],
        "refused": [{"sent": r.sent, "reason": r.reason} for r in added.refused],
    }


async def evidence_upload(request: Request) -> Response:
    """Files sent for one item (and person): checked and stored; the page (or, for the script, JSON) names each
    stored and each refused file."""
    ctx = request.state.ctx
    case_id = request.path_params["case_id"]
    async with sent_files(request) as sent:
        target = sent.fields.get("to", "")
        item_id, _, rest = target.partition("|")
        person, _, year = rest.partition("|")
        if not item_id:
            item_id, person = sent.fields.get("item", ""), sent.fields.get("person", "")
            year = sent.fields.get("year", "")
        fiscal = int(year) if year.isdigit() else None
        try:
            added = await to_thread.run_sync(
                lambda: add_scans(ctx, case_id, item_id, person or None, sent.files, fiscal)
            )
        except NotInCases:
            raise HTTPException(404) from None
    for stored in added.stored:
        name = stored.stored.rsplit("/", 1)[-1]
        await to_thread.run_sync(record_action, ctx, "upload", case_id, f"{added.item.id}/{name}")
    lang = lang_of(request)
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse(_as_json(added, lang), status_code=200 if not added.refused else 422)
    items = await to_thread.run_sync(lambda: _items(request, case_id))
    return page(
        request,
        "evidence.html",
        {
            "case_id": case_id,
            "choices": choices(items, lang),
            "chosen": target or f"{item_id}|{person}" + (f"|{year}" if year else ""),
            "added": added,
            "max_files": MAX_FILES,
        },
        status_code=200 if not added.refused else 422,
    )


ROUTES = [
    Route("/cases/{case_id}/evidence", evidence_page, methods=["GET"], name="evidence"),
    Route("/cases/{case_id}/evidence", evidence_upload, methods=["POST"], name="evidence_upload"),
    Route("/cases/{case_id}/evidence/items.json", evidence_items, methods=["GET"], name="evidence_items"),
]
