"""`docgen batch screen`: a company's roster of employees screened in one run — who can file for 永住, by which
route and from when — as a colour-coded screening workbook with a summary sheet."""

from __future__ import annotations

from pathlib import Path

import typer

from docgen.cli.args import context, settings_line
from docgen.messages import say

app = typer.Typer(
    no_args_is_help=True,
    help="Many cases at once: a company's roster of employees screened into one workbook.",
)


@app.command("screen")
def screen_command(
    roster: Path = typer.Argument(
        ...,
        help="名簿 (.xlsx / .csv): 案件番号, 氏名, 類型, 申請予定日, プロフィール, 勤務先 / the roster",
    ),
    out: Path | None = typer.Option(
        None, "--out", help="書き出すファイル (既定: output フォルダーの <名簿>-screening.xlsx) / file to write"
    ),
) -> None:
    """名簿の全員を判定: 申請の可否、ルート、申請可能日、理由とリスクを Excel に（色分け、集計シート付き）
    / screen every employee of a roster into one workbook."""
    from docgen.usecases.batch import screen_roster

    ctx = context(near=roster)
    typer.echo(settings_line(ctx.settings), err=True)
    done = screen_roster(ctx, roster, out)
    total = len(done.rows)
    typer.echo(say(f"判定しました: {total}人 → {done.workbook}", f"screened {total} employee(s) → {done.workbook}"))
    for words, count in done.count_words():
        typer.echo(f"  {words}: {count}")
    for row in done.problems:
        who = row.case_id or say(f"名簿の行 {row.row}", f"roster row {row.row}")
        for problem in row.problems:
            typer.echo(say(f"  要修正 {who}: {problem}", f"  to fix {who}: {problem}"))
