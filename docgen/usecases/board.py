"""The case board (`docgen cases`, the web app's 案件一覧): every folder of the cases folder, read from what the
stages computed (the profile's assessment, the packet's manifest), and its deadlines as a calendar."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from docgen.board.build import build_board
from docgen.board.model import Board, BoardRow
from docgen.errors import DocgenError
from docgen.text import Text
from docgen.usecases.context import RunContext, use_case


@use_case
def case_board(
    ctx: RunContext, cases: Path | None = None, employer: str | None = None, staff: str | None = None
) -> Board:
    """The board of `cases` (the office's cases folder by default), most urgent first; with `employer`, only the
    cases of that employer (its name as staff or HR write it: docgen.board.employer); with `staff`, only the cases
    that staff member is in charge of (as recorded when the case started)."""
    folder = cases or ctx.settings.cases_dir
    if not folder.is_dir():
        raise DocgenError(
            Text(
                f"案件フォルダーがありません: {folder}（docgen.toml の [paths] cases で指定してください）",
                f"cases folder not found: {folder} (set [paths] cases in docgen.toml)",
            )
        )
    board = build_board(folder, ctx.settings, ctx.rules, now=ctx.now, employer=employer)
    return board if staff is None else dataclasses.replace(board, rows=case_board_rows(board, staff=staff))


def case_board_rows(board: Board, *, staff: str | None = None) -> list[BoardRow]:
    """The board's rows, only those `staff` is in charge of when given (as recorded when the case started)."""
    return board.rows if staff is None else [r for r in board.rows if r.staff == staff.strip()]


@use_case
def board_calendar(ctx: RunContext, board: Board, target: Path) -> int:
    """The board's deadlines as an owner-only iCalendar file, without names; the number of events."""
    from docgen.board.ics import write_calendar  # icalendar is loaded only for a calendar

    return write_calendar(board, target, ctx.now)
