"""`docgen categories`, `docgen checklist` and `docgen checklists check`."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import typer

from docgen.assessment import assess_case
from docgen.checklist import build_checklist, case_checklist
from docgen.checklist.output import as_json, as_markdown, as_text
from docgen.cli.args import Lang, load_case, now, parse_date, settings_and_rules, settings_line, where_option
from docgen.errors import DocgenError
from docgen.messages import say
from docgen.rules import category_names
from docgen.text import Text

checklists_app = typer.Typer(no_args_is_help=True, help="Checklist rule files.")


class ChecklistFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"
    docx = "docx"
    pdf = "pdf"


def categories(as_json: bool = typer.Option(False, "--json", help="machine-readable output")) -> None:
    """List the categories with their Japanese names and routes."""
    _, rules = settings_and_rules()
    rows = [
        {"id": c.id, "name": c.name["ja"], "route": c.route, "route_name": c.route_name["ja"]}
        for c in rules.book.categories.values()
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    width = max(len(r["id"]) for r in rows)
    for r in rows:
        typer.echo(f"{r['id']:<{width}}  {r['name']}\n{'':<{width}}  └ {r['route_name']}")


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
    if profile is not None:
        case = load_case(profile, on=parse_date(on), release_day=release_day)
        category = category_names.category_id(case.book, category, where_option("CATEGORY"))
        if category != case.profile.category:
            raise DocgenError(
                Text(
                    f"プロフィールの類型は '{case.profile.category}' で、'{category}' ではありません",
                    f"the profile is for category '{case.profile.category}', not '{category}'",
                )
            )
        settings, cl = case.settings, case_checklist(case, assess_case(case))
    else:
        settings, rules = settings_and_rules(release_day)
        category = category_names.category_id(rules.book, category, where_option("CATEGORY"))
        cl = build_checklist(rules.book, category, parse_date(on) or now().date(), rules.release_day)
    if fmt is ChecklistFormat.json:
        typer.echo(as_json(cl), nl=False)
    elif fmt is ChecklistFormat.markdown:
        typer.echo(as_markdown(cl, lang.value), nl=False)
    elif fmt is ChecklistFormat.text:
        typer.echo(as_text(cl, lang.value), nl=False)
    else:
        from docgen.packet.handout import write_checklist_document

        dated = f"{category}-{cl.application_date.isoformat()}-{lang.value}.{fmt.value}"
        name = f"{case.profile.case_id}-checklist-{dated}" if profile is not None else f"checklist-{dated}"
        path = write_checklist_document(
            cl,
            out or settings.output_dir / name,
            lang.value,
            pdf=fmt is ChecklistFormat.pdf,
            settings=settings,
            inputs=[profile] if profile else [],
        )
        typer.echo(settings_line(settings), err=True)
        typer.echo(say(f"書類一覧を作成しました: {path}", f"checklist written: {path}"))


@checklists_app.command("check")
def checklists_check(
    folder: Path | None = typer.Argument(None, help="office checklist folder (default: the configured one)"),
) -> None:
    """Load the built-in and office checklist files and report every problem."""
    settings, _ = settings_and_rules()
    book = settings.rulebook((folder,) if folder else None)
    categories, items, sources, files = len(book.categories), len(book.items), len(book.sources), len(book.files)
    typer.echo(
        say(
            f"OK: {files}個のファイルに、類型 {categories}件、項目 {items}件、出典 {sources}件",
            f"OK: {categories} categories, {items} items, {sources} sources in {files} files",
        )
    )
