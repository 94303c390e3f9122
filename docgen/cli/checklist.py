"""`docgen categories`, `docgen checklist` and `docgen checklists check`."""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import Enum
from pathlib import Path

import typer

from docgen.cli.args import Lang, context, parse_date, settings_line, where_option
from docgen.messages import say

checklists_app = typer.Typer(no_args_is_help=True, help="Checklist rule files.")


class ChecklistFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"
    docx = "docx"
    pdf = "pdf"


def categories(as_json: bool = typer.Option(False, "--json", help="machine-readable output")) -> None:
    """List the categories with their Japanese names and routes."""
    from docgen.usecases.checklist import categories as category_rows

    rows = category_rows(context())
    if as_json:
        typer.echo(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2))
        return
    width = max(len(r.id) for r in rows)
    for r in rows:
        typer.echo(f"{r.id:<{width}}  {r.name}\n{'':<{width}}  └ {r.route_name}")


def checklist(
    category: str = typer.Argument(..., help="category id or its Japanese title (docgen categories)"),
    on: str | None = typer.Option(
        None, "--date", help="planned application date YYYY-MM-DD (default: the profile's, else today)"
    ),
    profile: Path | None = typer.Option(
        None, "--profile", help="decide conditions and name the people from this profile"
    ),
    lang: Lang = typer.Option(Lang.ja, "--lang", help="language of titles and notes"),
    fmt: ChecklistFormat = typer.Option(ChecklistFormat.text, "--format", help="text, markdown, json, docx or pdf"),
    out: Path | None = typer.Option(None, "--out", help="file to write (docx/pdf; default under the output folder)"),
    release_day: str | None = typer.Option(
        None, "--release-day", help="MM-DD when the new 住民税 年度 is issued (default from settings: 06-01)"
    ),
) -> None:
    """Print the checklist of documents to collect, with every lookback resolved to real dates."""
    from docgen.checklist.output import as_json, as_markdown, as_text
    from docgen.usecases.checklist import checklist_for, write_checklist

    ctx = context(near=profile, release_day=release_day)
    made = checklist_for(ctx, category, on=parse_date(on), profile=profile, where=where_option("CATEGORY"))
    if fmt is ChecklistFormat.json:
        typer.echo(as_json(made.checklist), nl=False)
    elif fmt is ChecklistFormat.markdown:
        typer.echo(as_markdown(made.checklist, lang.value), nl=False)
    elif fmt is ChecklistFormat.text:
        typer.echo(as_text(made.checklist, lang.value), nl=False)
    else:
        path = write_checklist(ctx, made, lang.value, fmt.value, out=out, profile=profile)
        typer.echo(settings_line(ctx.settings), err=True)
        typer.echo(say(f"書類一覧を作成しました: {path}", f"checklist written: {path}"))


@checklists_app.command("check")
def checklists_check(
    folder: Path | None = typer.Argument(None, help="office checklist folder (default: the configured one)"),
) -> None:
    """Load the built-in and office checklist files and report every problem."""
    from docgen.usecases.checklist import check_checklists

    found = check_checklists(context(), folder)
    typer.echo(
        say(
            f"OK: {found.files}個のファイルに、類型 {found.categories}件、項目 {found.items}件、出典 {found.sources}件",
            f"OK: {found.categories} categories, {found.items} items, {found.sources} sources in {found.files} files",
        )
    )
