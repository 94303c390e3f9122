"""The case board (案件一覧): every case of the cases folder as `docgen cases` shows it, most urgent first, with
search and filters, and the deadlines as a calendar other programs subscribe to (a per-account token, case ids
only, no names)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from docgen.assessment.decision import DECISION_WORDS
from docgen.board.output import co_applicants_text, packet_text, verdict_text
from docgen.text import Text
from docgen.usecases.accounts import calendar_account, new_calendar_token
from docgen.usecases.audit import record_action
from docgen.usecases.board import board_calendar, case_board, case_board_rows
from docgen.web.render import page

STATUSES = {str(status.value): words for status, words in DECISION_WORDS.items()}
OVERDUE, UNREADABLE = "overdue", "error"
MORE_STATUSES = {OVERDUE: Text("期限超過", "overdue"), UNREADABLE: Text("読めない案件", "cannot be read")}


@dataclass(frozen=True)
class Filters:
    """What the staff member asked for: words to find, a category, a decision status, an employer and a staff
    member in charge (the board use case finds their cases: employers' names compared as staff and HR write them)."""

    q: str
    category: str
    status: str
    employer: str
    staff: str = ""

    @classmethod
    def of(cls, request: Request) -> Filters:
        params = request.query_params
        return cls(
            params.get("q", "").strip(),
            params.get("category", ""),
            params.get("status", ""),
            params.get("employer", "").strip(),
            params.get("staff", "").strip(),
        )

    @property
    def any(self) -> bool:
        return bool(self.q or self.category or self.status or self.employer or self.staff)

    def keep(self, row: Any, lang: str) -> bool:
        """Whether a board row is among those asked for (words are looked for as the page shows them, in `lang`)."""
        if self.category and row.category != self.category:
            return False
        if self.status == OVERDUE and not row.overdue:
            return False
        if self.status == UNREADABLE and row.error is None:
            return False
        if self.status in STATUSES and (row.decision is None or row.decision.status != self.status):
            return False
        if self.q:
            nxt = row.next_action
            label, error = nxt.label.render(lang) if nxt else "", row.error.render(lang) if row.error else ""
            haystack = " ".join([row.case_id, row.category or "", label, error])
            return self.q.casefold() in haystack.casefold()
        return True


def board(request: Request) -> Response:
    ctx = request.state.ctx
    filters = Filters.of(request)
    result = case_board(ctx, employer=filters.employer or None)
    shown = case_board_rows(result, staff=filters.staff or None)
    rows = [row for row in shown if filters.keep(row, ctx.lang)]
    record_action(ctx, "view_board")
    book = ctx.rules.book.categories
    names = {c: book[c].name.get(ctx.lang, book[c].name.get("ja", c)) for c in book}
    categories = sorted({row.category for row in result.rows if row.category})
    return page(
        request,
        "board.html",
        {
            "board": result,
            "rows": rows,
            "filters": filters,
            "categories": [(c, names.get(c, c)) for c in categories],
            "statuses": {**STATUSES, **MORE_STATUSES},
            "decision_words": STATUSES,
            "verdict_text": verdict_text,
            "co_applicants_text": co_applicants_text,
            "packet_text": packet_text,
            "category_names": names,
            "staff_names": sorted({row.staff for row in result.rows if row.staff}),
        },
    )


def new_calendar(request: Request) -> Response:
    """A new calendar subscription address for this staff member (the previous one stops working)."""
    token = new_calendar_token(request.state.ctx)
    return page(request, "calendar.html", {"url": str(request.url_for("calendar_feed", token=token))})


def calendar_feed(request: Request) -> Response:
    """The board's deadlines as iCalendar, for a calendar program: the token in the address is the credential."""
    ctx = request.state.ctx
    user = calendar_account(ctx, request.path_params["token"])
    if user is None:
        raise HTTPException(404)
    ctx = request.app.state.config.context(lang=user.lang, user=user.name)
    with tempfile.TemporaryDirectory(prefix="docgen-ics-") as folder:
        target = Path(folder) / "board.ics"
        board_calendar(ctx, case_board(ctx), target)
        body = target.read_bytes()
    return Response(body, media_type="text/calendar; charset=utf-8", headers={"cache-control": "no-store"})


ROUTES = [
    Route("/", board, methods=["GET"], name="board"),
    Route("/calendar/new", new_calendar, methods=["POST"], name="new_calendar"),
    Route("/calendar/{token}.ics", calendar_feed, methods=["GET"], name="calendar_feed"),
]
