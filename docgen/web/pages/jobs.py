"""パケット作成 in the browser: the build runs as a background job (docgen/web/jobs.py) while the page shows its
progress live (server-sent events; polling the job's JSON where they do not get through; a plain page that
reloads itself without JavaScript), also after a reload — one build per case at a time. The result's summary,
the draft/filing state and the packet's files (bundle and each document, downloaded under Japanese names) are
shown when it ends; the filing copy is asked for with a form, its acceptance with a reason."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import anyio
from anyio import to_thread
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from docgen.text import Text
from docgen.usecases.audit import record_action
from docgen.usecases.case_page import NotInCases, case_file, staff_time
from docgen.usecases.packet_jobs import BuildOptions, PacketFiles, packet_download, packet_files
from docgen.web.jobs import DONE, BuildRunning, Job, job_json, jobs_of
from docgen.web.render import lang_of, page, show_date

STATE_WORDS = {
    "queued": Text("順番待ち", "queued"),
    "running": Text("作成中", "building"),
    "done": Text("完了", "done"),
    "refused": Text("作成できませんでした", "not built"),
    "failed": Text("エラー", "failed"),
    "interrupted": Text("中断", "interrupted"),
}
KIND_WORDS = {
    "bundle": Text("提出用PDF（一式）", "bundle (all pages)"),
    "report": Text("不足と記入箇所", "what is missing"),
    "document": Text("書類", "document"),
    "client": Text("依頼者用（提出しない）", "for the client (not filed)"),
}
FORMAT_WORDS = {"pdf": "PDF", "docx": "Word", "txt": "TXT"}
POLL_SECONDS = 0.5
KEEP_ALIVE = 15.0


def _files(request: Request, case_id: str) -> PacketFiles:
    try:
        return packet_files(request.state.ctx, case_id)
    except NotInCases:
        raise HTTPException(404) from None


def _job(request: Request) -> Job:
    """The job of the path, of the case of the path (404 otherwise)."""
    case_id, job_id = request.path_params["case_id"], request.path_params["job_id"]
    job = jobs_of(request.app).get(job_id)
    if job is None or job.case_id != case_id:
        raise HTTPException(404)
    return job


def _status_html(request: Request, job: Job | None, files: PacketFiles | None) -> str:
    """The job's status as the page shows it (the same fragment for the page, the events and the polling)."""
    lang = lang_of(request)
    template = request.app.state.templates.get_template("jobs_status.html")
    zone = request.app.state.config.clock().tzinfo  # the office's, as the request's time is
    return str(
        template.render(
            {
                "request": request,
                "job": job,
                "packet": files,
                "lang": lang,
                "t": lambda ja, en: en if lang == "en" else ja,
                "text": lambda value: value.render(lang) if isinstance(value, Text) else value,
                "day": lambda value: show_date(value, lang),
                "when": lambda stamp: staff_time(str(stamp), zone).render(lang) if stamp else "",
                "state_words": STATE_WORDS,
                "kind_words": KIND_WORDS,
                "format_words": FORMAT_WORDS,
                "case_id": request.path_params["case_id"],
            }
        )
    )


def _json(request: Request, job: Job | None) -> dict[str, Any]:
    case_id = request.path_params["case_id"]
    files = packet_files(request.state.ctx, case_id) if job is None or job.state == DONE else None
    body: dict[str, Any] = (
        job_json(job, lang_of(request)) if job is not None else {"id": None, "ended": True, "state": None}
    )
    body["html"] = _status_html(request, job, files)
    if job is not None:
        body["events"] = str(request.url_for("job_events", case_id=case_id, job_id=job.id))
        body["poll"] = str(request.url_for("job_json", case_id=case_id, job_id=job.id))
    return body


async def build(request: Request) -> Response:
    """Start a build of the case: パケット作成, 下書き, or the filing copy (with the acceptance's reason)."""
    ctx = request.state.ctx
    case_id = request.path_params["case_id"]
    form = await request.form()
    mode = str(form.get("mode", "normal"))
    reason = str(form.get("reason", "")).strip()
    options = BuildOptions(
        draft=mode == "draft",
        final=mode == "final",
        accept_reason=reason if mode == "final" and reason else None,
        pdf=form.get("word_only") != "1",
    )
    await to_thread.run_sync(lambda: _files(request, case_id))  # the case exists (404 otherwise)
    jobs = await to_thread.run_sync(lambda: jobs_of(request.app))
    wants_json = "application/json" in request.headers.get("accept", "")
    try:
        job = await to_thread.run_sync(lambda: jobs.submit(ctx, case_id, options))
    except BuildRunning as exc:
        running = exc
        if wants_json:
            body = await to_thread.run_sync(lambda: _json(request, running.job))
            return JSONResponse({**body, "refused": running.text.render(lang_of(request))}, status_code=409)
        return page(request, "error.html", {"status": 409, "message": running.text}, status_code=409)
    await to_thread.run_sync(lambda: record_action(ctx, "build", case_id, "final" if options.final else ""))
    target = request.url_for("job", case_id=case_id, job_id=job.id)
    if wants_json:
        body = await to_thread.run_sync(lambda: _json(request, job))
        return JSONResponse(body, status_code=202)
    return RedirectResponse(str(target), status_code=303)


def job_page(request: Request) -> Response:
    """The job's page: its progress (reloading itself while it runs, for a browser without JavaScript)."""
    job = _job(request)
    files = packet_files(request.state.ctx, job.case_id) if job.state == DONE else None
    return page(
        request,
        "jobs.html",
        {"job": job, "case_id": job.case_id, "status_html": _status_html(request, job, files)},
    )


def latest(request: Request) -> Response:
    """The case's last build: its page, else the case page."""
    case_id = request.path_params["case_id"]
    _files(request, case_id)
    job = jobs_of(request.app).latest(case_id)
    if job is None:
        return RedirectResponse(str(request.url_for("case", case_id=case_id)), status_code=303)
    return RedirectResponse(str(request.url_for("job", case_id=case_id, job_id=job.id)), status_code=303)


def latest_json(request: Request) -> Response:
    """The case's last build for the case page's script (after a reload it follows a running build again)."""
    case_id = request.path_params["case_id"]
    _files(request, case_id)
    return JSONResponse(_json(request, jobs_of(request.app).latest(case_id)))


def job_json_route(request: Request) -> Response:
    """The job now (polling, where server-sent events do not get through)."""
    return JSONResponse(_json(request, _job(request)))


async def job_events(request: Request) -> Response:
    """The job's progress as server-sent events: an event each time it changes, until it ends."""
    job = await to_thread.run_sync(lambda: _job(request))
    jobs = jobs_of(request.app)

    async def stream() -> AsyncIterator[str]:
        last, quiet = "", 0.0
        current: Job | None = job
        while current is not None:
            body = await to_thread.run_sync(_json, request, current)
            data = json.dumps(body, ensure_ascii=False)
            if data != last:
                yield f"event: job\ndata: {data}\n\n"
                last, quiet = data, 0.0
            elif quiet >= KEEP_ALIVE:
                yield ": waiting\n\n"
                quiet = 0.0
            if current.ended:
                return
            await anyio.sleep(POLL_SECONDS)
            quiet += POLL_SECONDS
            current = await to_thread.run_sync(lambda: jobs.get(job.id))

    return StreamingResponse(
        stream(), media_type="text/event-stream", headers={"cache-control": "no-store", "x-accel-buffering": "no"}
    )


def packet_page(request: Request) -> Response:
    """The case's packet as it is now: draft or filing copy, and every file to download."""
    case_id = request.path_params["case_id"]
    files = _files(request, case_id)
    return page(
        request,
        "jobs_packet.html",
        {"case_id": case_id, "packet": files, "kind_words": KIND_WORDS, "format_words": FORMAT_WORDS},
    )


def download(request: Request) -> Response:
    """A file of the packet under its Japanese name (Content-Disposition's filename*, RFC 5987); audited."""
    ctx = request.state.ctx
    case_id, path = request.path_params["case_id"], request.path_params["path"]
    try:
        found = packet_download(ctx, case_id, path)
        real = case_file(ctx, case_id, found.path)
    except NotInCases:
        raise HTTPException(404) from None
    record_action(ctx, "download", case_id, found.path)
    return FileResponse(real, filename=found.name, content_disposition_type="attachment")


ROUTES = [
    Route("/cases/{case_id}/packet/build", build, methods=["POST"], name="packet_build"),
    Route("/cases/{case_id}/packet", packet_page, methods=["GET"], name="packet_files"),
    Route("/cases/{case_id}/packet/files/{path:path}", download, methods=["GET"], name="packet_download"),
    Route("/cases/{case_id}/jobs/latest", latest, methods=["GET"], name="job_latest"),
    Route("/cases/{case_id}/jobs/latest.json", latest_json, methods=["GET"], name="job_latest_json"),
    Route("/cases/{case_id}/jobs/{job_id}.json", job_json_route, methods=["GET"], name="job_json"),
    Route("/cases/{case_id}/jobs/{job_id}/events", job_events, methods=["GET"], name="job_events"),
    Route("/cases/{case_id}/jobs/{job_id}", job_page, methods=["GET"], name="job"),
]
