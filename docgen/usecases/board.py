"""The case board (`docgen cases`, the web app's 案件一覧): every folder of the cases folder, read from what the
stages computed (the profile's assessment, the packet's manifest), and its deadlines as a calendar."""

from __future__ import annotations

from pathlib import Path

from docgen.board.build import build_board
from docgen.board.model import Board
from docgen.errors import DocgenError
from docgen.text import Text
from docgen.usecases.context import RunContext, use_case


@use_case
def case_board(ctx: RunContext, cases: Path | None = None, employer: str | None = None) -> Board:
    """The board of `cases` (the office's cases folder by default), most urgent first; with `employer`, only the
    cases of that employer (its name as staff or HR write it: docgen.board.employer)."""
    folder = cases or ctx.settings.cases_dir
    if not folder.is_dir():
        raise DocgenError(
            Text(
                f"案件フォルダーがありません: {folder}（docgen.toml の [paths] cases で指定してください）",
                f"cases folder not found: {folder} (set [paths] cases in docgen.toml)",
            )
        )
    return build_board(folder, ctx.settings, ctx.rules, now=ctx.now, employer=employer)


@use_case
def board_calendar(ctx: RunContext, board: Board, target: Path) -> int:
    """The board's deadlines as an owner-only iCalendar file, without names; the number of events."""
    from docgen.board.ics import write_calendar  # icalendar is loaded only for a calendar

    return write_calendar(board, target, ctx.now)
