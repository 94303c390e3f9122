"""`docgen batch screen`: a company's roster of employees screened in one run — who can file for 永住, by which
route and from when — as a colour-coded screening workbook with a summary sheet. `docgen batch packets`: the
same screening, then the packets of the cases asked for (everyone who can file, or named by case id), made side
by side with a progress bar and a batch report."""

from __future__ import annotations

from pathlib import Path

import typer

from docgen.cli.args import context, settings_line
from docgen.messages import say

app = typer.Typer(
    no_args_is_help=True,
    help="Many cases at once: a company's roster screened into one workbook (screen), and its packets (packets).",
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


@app.command("packets")
def packets_command(
    roster: Path = typer.Argument(
        ...,
        help="名簿 (.xlsx / .csv): 案件番号, 氏名, 類型, 申請予定日, プロフィール, 勤務先 / the roster",
    ),
    case: list[str] = typer.Option(
        [],
        "--case",
        help="この案件番号の一式を作る（複数可、カンマ区切りも可。既定: 申請予定日に申請できる全員）"
        " / make these cases' packets (default: everyone who can file on the planned date)",
    ),
    draft: bool = typer.Option(
        False, "--draft", help="申請できない案件も下書きとして作る / build blocked cases asked for as drafts"
    ),
    no_pdf: bool = typer.Option(False, "--no-pdf", help="Word のファイルだけを作る / Word files only"),
    screening: Path | None = typer.Option(
        None, "--screening", help="判定結果の Excel (既定: output の <名簿>-screening.xlsx) / the screening workbook"
    ),
    report: Path | None = typer.Option(
        None, "--report", help="作成結果の Excel (既定: output の <名簿>-packets.xlsx) / the batch report"
    ),
    workers: int | None = typer.Option(
        None, "--workers", min=1, help="同時に作る一式の数 (既定: CPU の数) / packets made at a time"
    ),
) -> None:
    """名簿の案件の一式をまとめて作成（全コアで並行、常駐 LibreOffice で PDF 変換、結果を Excel に）
    / make the packets of a roster's cases in one run, side by side, with a batch report."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from docgen.cli.steps import how
    from docgen.usecases.batch import BatchProgress, Outcome, make_packets

    asked = [c.strip() for given in case for c in given.split(",") if c.strip()] or None
    ctx = context(near=roster)
    typer.echo(settings_line(ctx.settings), err=True)
    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,  # piped or logged: no bar, no stray lines
    ) as bar:
        task = bar.add_task(say("開始", "starting"), total=None)

        def show(now: BatchProgress) -> None:
            last = ""
            if now.last is not None:
                word = say("作成", "made") if now.last.outcome is Outcome.MADE else say("作成できず", "not made")
                last = f" · {now.last.row.case_id}: {word}"
            bar.update(task, description=f"{now.stage}{last}", completed=now.done, total=now.total or None)

        done = make_packets(
            ctx,
            roster,
            cases=asked,
            draft=draft,
            pdf=not no_pdf,
            workbook=screening,
            report=report,
            workers=workers,
            progress=show,
        )
    rows, sheet = len(done.screening.rows), done.screening.workbook
    typer.echo(say(f"判定しました: {rows}人 → {sheet}", f"screened {rows} employee(s) → {sheet}"))
    for words, count in done.screening.count_words():
        typer.echo(f"  {words}: {count}")
    for outcome in done.cases:
        who = outcome.row.case_id or say(f"名簿の行 {outcome.row.row}", f"roster row {outcome.row.row}")
        packet = outcome.packet
        if outcome.outcome is Outcome.MADE and packet is not None:
            where = packet.bundle or packet.folder
            pages = say(f"（{packet.pages}頁）", f" ({packet.pages} pages)") if packet.bundle else ""
            drafted = say("（下書き）", " (draft)") if packet.draft else ""
            typer.echo(say(f"  作成 {who}{drafted}: {where}{pages}", f"  made {who}{drafted}: {where}{pages}"))
            for warning in packet.warnings:
                typer.echo(f"    {warning}")
        elif outcome.outcome is Outcome.FAILED:
            typer.echo(say(f"  作成できず {who}: {outcome.why}", f"  not made {who}: {outcome.why}"))
            for step in outcome.next_steps:
                typer.echo(f"    → {how(step)}")
    counts = done.counts
    made, failed, skipped = counts[Outcome.MADE], counts[Outcome.FAILED], counts[Outcome.NOT_ASKED]
    typer.echo(
        say(
            f"一式: 作成 {made}件、作成できず {failed}件、対象外 {skipped}件 → {done.report}",
            f"packets: {made} made, {failed} not made, {skipped} not asked → {done.report}",
        )
    )
    use = done.converter
    if use is not None:
        whose = (
            say("事務所の常駐 LibreOffice", "the office's warm converter")
            if use.shared
            else say("この実行で起動した LibreOffice", "LibreOffice started for this run")
        )
        typer.echo(
            say(
                f"PDF 変換: {whose}（{use.servers}台、再起動 {use.restarts}回）",
                f"PDFs: {whose} ({use.servers} server(s), {use.restarts} restart(s))",
            )
        )
        for problem in use.problems:
            typer.echo(f"  {problem}", err=True)
    if failed:
        raise SystemExit(1)
