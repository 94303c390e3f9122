"""`docgen packet PROFILE`: generate the application packet with a progress display."""

from __future__ import annotations

from pathlib import Path

import typer

from docgen.cli.args import Stages, context, settings_line
from docgen.cli.steps import notice_line
from docgen.errors import DocgenError
from docgen.messages import say
from docgen.text import Text


def packet(
    run: typer.Context,
    profile: Path = typer.Argument(..., help="the case's profile YAML"),
    evidence: Path | None = typer.Option(
        None,
        "--evidence",
        help="folder of the client's scans, named or foldered by item id (default: the case folder's evidence/)",
    ),
    out: Path | None = typer.Option(
        None, "--out", help="packet folder (default: the case folder's <case>-packet/, else output/<case>-<date>/)"
    ),
    regenerate: list[str] = typer.Option(
        [], "--regenerate", help="regenerate this Word file even though staff edited it (e.g. reason_letter_wang_wei)"
    ),
    final: bool = typer.Option(
        False,
        "--final",
        help="the filing copy: refuses while the case is blocked, ［ ］ or unreviewed edits remain, or (without"
        " --accept) the decision is undecided, an item is incomplete or a scan was left out",
    ),
    accept: str | None = typer.Option(
        None, "--accept", help="with --final: file knowing what is missing; the reason is recorded with your name"
    ),
    draft: bool = typer.Option(False, "--draft", help="build a blocked case's packet anyway, stamped 下書き"),
    no_pdf: bool = typer.Option(False, "--no-pdf", help="produce the Word files only (no LibreOffice)"),
) -> None:
    """Fill the Word templates, convert to PDF and bundle everything with an index and bookmarks."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from docgen.usecases.packet import make_packet

    if accept is not None and (not final or not accept.strip()):
        raise DocgenError(
            Text(
                '--accept は --final と一緒に、承認の理由を書いて使います（例: --final --accept "住民票は後日提出"）',
                '--accept goes with --final and a reason (e.g. --final --accept "residence certificate to follow")',
            )
        )
    ctx = context(near=profile)
    typer.echo(settings_line(ctx.settings))
    stages = run.obj if isinstance(run.obj, Stages) else Stages()
    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,  # piped or logged: no spinner, no stray blank line
    ) as bar:
        task = bar.add_task(say("開始", "starting"), total=None)

        def stage(message: str) -> None:  # shown, and remembered for the message after an interruption
            stages.enter(message)
            bar.update(task, description=message)

        made = make_packet(
            ctx,
            profile,
            evidence=evidence,
            out=out,
            regenerate=regenerate,
            final=final,
            accept_reason=accept,
            draft=draft,
            pdf=not no_pdf,
            progress=stage,
        )
    result = made.result
    if made.evidence is not None and evidence is None:
        typer.echo(say(f"資料フォルダー: {made.evidence}", f"evidence: {made.evidence}"))
    missing_txt = result.report
    if result.decision is not None:
        typer.echo(say("判断: ", "decision: ") + result.decision.line())
    if result.recovered:
        typer.echo(
            say(
                "前回中断した一式の書き換えを、先に最後まで済ませました",
                "an interrupted build of this packet was finished first",
            )
        )
    typer.echo(
        say(f"一式: {result.folder}", f"packet: {result.folder}")
        + (say("（下書き）", " (draft)") if result.draft else "")
    )
    for kept in result.kept_edits:
        key = result.names.key(kept)
        typer.echo(
            say(
                f"事務所で編集した書類をそのまま使いました: {kept.name}（作り直すときは --regenerate {key}）",
                f"kept staff edits: {kept.name} (--regenerate {key} to replace it)",
            )
        )
    if result.bundle:
        typer.echo(
            say(f"提出用PDF: {result.bundle}（{result.pages}頁）", f"bundle: {result.bundle} ({result.pages} pages)")
        )
        reused = len(result.reused)
        typer.echo(
            say(
                f"PDFに変換した書類: {len(result.converted)}件"
                + (f"（変更のない{reused}件は前回のPDFを使用）" if reused else ""),
                f"converted: {len(result.converted)} document(s)"
                + (f" ({reused} unchanged reuse their PDF)" if reused else ""),
            )
        )
    typer.echo(
        say(
            f"Wordファイル: {len(result.documents)}件 {result.folder / 'docx'}",
            f"Word files: {len(result.documents)} in {result.folder / 'docx'}",
        )
    )
    from_client = [i for i in result.missing if i.rule.prepared_by == "client"]
    by_office = [i for i in result.missing if i.rule.prepared_by == "office"]
    if from_client:
        typer.echo(
            say(
                f"依頼者からまだ届いていない書類: {len(from_client)}件（{missing_txt}）",
                f"still missing from the client: {len(from_client)} item(s) — see {missing_txt}",
            )
        )
        for item in from_client:
            typer.echo(f"  □ {item.title()}")
    else:
        typer.echo(say("依頼者からの書類はすべて揃っています", "nothing is missing from the client"))
    if by_office:
        typer.echo(
            say("事務所で用意する書類: ", "for the office to prepare: ") + "、".join(i.title() for i in by_office)
        )
    if result.placeholders:
        places = sum(p.count for p in result.placeholders)
        documents = len({p.document for p in result.placeholders})
        typer.echo(
            say(
                f"提出前に記入が必要な箇所（［ ］）: {documents}書類 {places}箇所（{missing_txt}）",
                f"to write in before filing (［ ］): {places} place(s) in {documents} document(s) — see {missing_txt}",
            )
        )
        for p in result.placeholders:
            typer.echo(f"  {p.line()}")
    for note in result.notes:
        typer.echo(say("確認: ", "check: ") + notice_line(note), err=True)
    for path, reason in result.rejected:
        typer.echo(say(f"除外したファイル: {path.name}: {reason}", f"left out: {path.name}: {reason}"), err=True)
    for path in result.unmatched:
        typer.echo(
            say(
                f"どの書類にも当てはまらないファイル（書類のフォルダーに入れてください）: {path.name}",
                f"not matched to any item (name it after an item id): {path.name}",
            ),
            err=True,
        )
