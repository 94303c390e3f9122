"""`docgen converter start|stop|status`: keep a warm LibreOffice running for the office's packets."""

from __future__ import annotations

import typer

from docgen.cli.args import context
from docgen.messages import say

app = typer.Typer(
    help="常駐 LibreOffice（PDF 変換を速くする）の起動 (start)・停止 (stop)・状態 (status).", no_args_is_help=True
)


@app.command()
def start(
    servers: int | None = typer.Option(None, "--servers", min=1, help="LibreOffice servers (default: one per core)"),
) -> None:
    """Start a warm LibreOffice converter that `docgen packet` uses while it runs."""
    from docgen.usecases.converter import start_converter

    status = start_converter(context(), servers)
    for problem in status.problems:
        typer.echo(str(problem), err=True)
    if not status.running:
        typer.echo(
            say(
                "常駐 LibreOffice を起動できませんでした。PDF はこれまでどおり1回ずつ LibreOffice を起動して作ります",
                "the warm LibreOffice converter could not start; PDFs are made by starting LibreOffice each time",
            ),
            err=True,
        )
        raise SystemExit(1)
    typer.echo(
        say(
            f"常駐 LibreOffice を起動しました（{status.servers}台）",
            f"the warm LibreOffice converter is running ({status.servers} server(s))",
        )
    )


@app.command()
def stop() -> None:
    """Stop the warm LibreOffice converter."""
    from docgen.usecases.converter import stop_converter

    if stop_converter(context()):
        typer.echo(say("常駐 LibreOffice を停止しました", "the warm LibreOffice converter was stopped"))
    else:
        typer.echo(say("常駐 LibreOffice は起動していません", "no warm LibreOffice converter was running"))


@app.command()
def status() -> None:
    """Say whether the warm LibreOffice converter runs."""
    from docgen.usecases.converter import converter_status

    now = converter_status(context())
    if now.running:
        typer.echo(
            say(f"常駐 LibreOffice: 稼働中（{now.servers}台）", f"warm converter: running ({now.servers} server(s))")
        )
    else:
        typer.echo(say("常駐 LibreOffice: 停止中", "warm converter: not running"))
