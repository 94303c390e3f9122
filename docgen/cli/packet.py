"""`docgen packet PROFILE`: generate the application packet with a progress display."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from docgen.cli.args import RUN_STAGE, load_case


def _stage(bar: Progress, task: TaskID, message: str) -> None:
    """Show the stage, and remember it for the message after an interruption (docgen.cli.main)."""
    RUN_STAGE["done"], RUN_STAGE["now"] = RUN_STAGE["now"], message
    bar.update(task, description=message)


def packet(
    profile: Path = typer.Argument(..., help="the case's profile YAML"),
    evidence: Path | None = typer.Option(
        None, "--evidence", help="folder of the client's scans, named or foldered by item id"
    ),
    out: Path | None = typer.Option(None, "--out", help="packet folder (default: output/<case>-<date>/)"),
    regenerate: list[str] = typer.Option(
        [], "--regenerate", help="regenerate this Word file even though staff edited it (e.g. reason_letter_wang)"
    ),
    final: bool = typer.Option(False, "--final", help="refuse while ［ ］ placeholders remain (the filing copy)"),
    no_pdf: bool = typer.Option(False, "--no-pdf", help="produce the Word files only (no LibreOffice)"),
) -> None:
    """Fill the Word templates, convert to PDF and bundle everything with an index and bookmarks."""
    from docgen.packet.build import build_packet

    case = load_case(profile)
    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console, transient=True
    ) as bar:
        task = bar.add_task("starting", total=None)
        result = build_packet(
            case,
            out=out,
            evidence=evidence,
            pdf=not no_pdf,
            regenerate=regenerate,
            final=final,
            progress=lambda message: _stage(bar, task, message),
        )
    typer.echo(f"packet: {result.folder}")
    for kept in result.kept_edits:
        typer.echo(f"kept staff edits: {kept.name} (--regenerate {kept.stem.split('_', 1)[1]} to replace it)")
    if result.bundle:
        typer.echo(f"bundle: {result.bundle} ({result.pages} pages)")
    typer.echo(f"Word files: {len(result.documents)} in {result.folder / 'docx'}")
    from_client = [i for i in result.missing if i.rule.prepared_by == "client"]
    by_office = [i for i in result.missing if i.rule.prepared_by == "office"]
    if from_client:
        typer.echo(f"still missing from the client: {len(from_client)} item(s) — see {result.folder / 'missing.txt'}")
        for item in from_client:
            typer.echo(f"  □ {item.title()}")
    else:
        typer.echo("nothing is missing from the client")
    if by_office:
        typer.echo(f"for the office to prepare: {', '.join(i.title() for i in by_office)}")
    if result.placeholders:
        places = sum(p.count for p in result.placeholders)
        documents = len({p.document for p in result.placeholders})
        typer.echo(
            f"to write in before filing (［ ］): {places} place(s) in {documents} document(s)"
            f" — see {result.folder / 'missing.txt'}"
        )
        for p in result.placeholders:
            typer.echo(f"  {p.line()}")
    for note in result.notes:
        typer.echo(f"check: {note}", err=True)
    for path, reason in result.rejected:
        typer.echo(f"left out: {path.name}: {reason}", err=True)
    for path in result.unmatched:
        typer.echo(f"not matched to any item (name it after an item id): {path.name}", err=True)
