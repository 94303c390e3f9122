"""`docgen cases`: the case board — a line for every folder of the cases folder (its case, or why it is not one;
folders whose names start with '.' are left off), most urgent first, as text, JSON or CSV, and the deadlines as
an iCalendar file."""

from __future__ import annotations

from pathlib import Path

import typer

from docgen.cli.args import context, settings_line
from docgen.errors import DocgenError
from docgen.messages import say
from docgen.text import Text

FORMATS = ("text", "json", "csv")


def cases_command(
    cases: Path | None = typer.Option(
        None, "--cases", help="案件フォルダー (既定: docgen.toml の \\[paths] cases) / the cases folder"
    ),
    fmt: str = typer.Option("text", "--format", help="text, json または csv"),
    employer: str | None = typer.Option(
        None,
        "--employer",
        help="この勤務先の案件だけ (株式会社の有無・全角半角を問わず、名前の一部でも可) / only this employer's cases",
    ),
    staff: str | None = typer.Option(
        None, "--staff", help="この担当者の案件だけ (docgen case new --staff で記録) / only this staff member's cases"
    ),
    ics: Path | None = typer.Option(
        None, "--ics", help="期限を iCalendar ファイルに書き出す (氏名なし、事務所のカレンダー用) / deadlines as .ics"
    ),
) -> None:
    """案件一覧: 判定、在留期限・旅券期限、不足書類、次の対応と期日を急ぐ順に。
    案件フォルダーの中のフォルダーはすべて1行（名前が「.」で始まるものを除く） / the case board: every folder."""
    from docgen.board.output import board_csv, board_json, board_text
    from docgen.usecases.board import board_calendar, case_board

    if fmt not in FORMATS:
        raise DocgenError(
            Text(
                f"--format は {', '.join(FORMATS)} のいずれかです（'{fmt}' が指定されました）",
                f"--format must be one of: {', '.join(FORMATS)} (got '{fmt}')",
            )
        )
    ctx = context()
    board = case_board(ctx, cases, employer, staff)
    shown = board_json(board) if fmt == "json" else board_csv(board) if fmt == "csv" else board_text(board, ctx.lang)
    typer.echo(shown, nl=False)
    if ics is not None:
        typer.echo(settings_line(ctx.settings), err=True)
        events = board_calendar(ctx, board, ics)
        typer.echo(
            say(f"カレンダー: {ics}（予定 {events}件、氏名なし）", f"calendar: {ics} ({events} event(s), no names)"),
            err=True,
        )
