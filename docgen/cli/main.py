"""The `docgen` command: a thin layer over the library (see README for the staff workflow)."""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from docgen.cli.args import parse_date
from docgen.errors import DocgenError, InputFileError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="永住許可申請: checklists and application packets for 行政書士 offices.")
profile_app = typer.Typer(no_args_is_help=True, help="Applicant profiles: skeleton, JSON Schema, validation.")
checklists_app = typer.Typer(no_args_is_help=True, help="Checklist rule files.")
app.add_typer(profile_app, name="profile")
app.add_typer(checklists_app, name="checklists")


class Lang(str, Enum):
    ja = "ja"
    en = "en"
    zh = "zh"


class ChecklistFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"
    docx = "docx"
    pdf = "pdf"


def _release_day(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        month, day = (int(x) for x in value.split("-"))
        date(2023, month, day)  # a day that exists every year (not 29 February)
    except ValueError:
        raise DocgenError(f"--release-day: '{value}' is not a day of every year; write it as MM-DD, e.g. 06-10") from None
    return month, day


@app.command()
def categories(as_json: bool = typer.Option(False, "--json", help="machine-readable output")) -> None:
    """List the categories with their Japanese names and routes."""
    from docgen.case.settings import load_settings

    book = load_settings().rulebook()
    rows = [{"id": c.id, "name": c.name["ja"], "route": c.route, "route_name": c.route_name["ja"]} for c in book.categories.values()]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    width = max(len(r["id"]) for r in rows)
    for r in rows:
        typer.echo(f"{r['id']:<{width}}  {r['name']}\n{'':<{width}}  └ {r['route_name']}")


@app.command()
def checklist(
    category: str = typer.Argument(..., help="category id (docgen categories)"),
    on: Optional[str] = typer.Option(None, "--date", help="planned application date YYYY-MM-DD (default: the profile's, else today)"),
    profile: Optional[Path] = typer.Option(None, "--profile", help="decide conditions and name the people from this profile"),
    lang: Lang = typer.Option(Lang.ja, "--lang", help="language of titles and notes"),
    fmt: ChecklistFormat = typer.Option(ChecklistFormat.text, "--format", help="text, markdown, json, docx or pdf"),
    out: Optional[Path] = typer.Option(None, "--out", help="file to write (docx/pdf; default under the output folder)"),
    release_day: Optional[str] = typer.Option(None, "--release-day", help="MM-DD when the new 住民税 年度 is issued (default from settings: 06-01)"),
) -> None:
    """Print the checklist of documents to collect, with every lookback resolved to real dates."""
    from docgen.checklist.build import build_checklist
    from docgen.checklist.output import as_json, as_markdown, as_text
    from docgen.profile.load import load_profile
    from docgen.case.settings import load_settings

    settings = load_settings()
    prof = load_profile(profile) if profile else None
    when = parse_date(on) or (prof.application_date if prof else date.today())
    if prof and on and when != prof.application_date:
        prof = prof.model_copy(update={"application_date": when})
    cl = build_checklist(category, when, profile=prof, release_day=_release_day(release_day) or settings.release_day, book=settings.rulebook())
    if fmt is ChecklistFormat.json:
        typer.echo(as_json(cl), nl=False)
    elif fmt is ChecklistFormat.markdown:
        typer.echo(as_markdown(cl, lang.value), nl=False)
    elif fmt is ChecklistFormat.text:
        typer.echo(as_text(cl, lang.value), nl=False)
    else:
        from docgen.packet.handout import write_checklist_document

        target = out or settings.output_dir / f"checklist-{category}-{when.isoformat()}-{lang.value}.{fmt.value}"
        path = write_checklist_document(cl, target, lang.value, pdf=fmt is ChecklistFormat.pdf, settings=settings)
        typer.echo(f"checklist written: {path}")


@profile_app.command("schema")
def profile_schema(out: Optional[Path] = typer.Option(None, "--out", help="write to this file instead of standard output")) -> None:
    """Print the profile's JSON Schema (for editor autocompletion)."""
    from docgen.profile.model import Profile

    text = json.dumps(Profile.model_json_schema(by_alias=True), ensure_ascii=False, indent=2) + "\n"
    if out:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"schema written: {out}")
    else:
        typer.echo(text, nl=False)


@profile_app.command("init")
def profile_init(
    category: str = typer.Argument(..., help="category id"),
    out: Optional[Path] = typer.Option(None, "--out", help="file to create (default: standard output)"),
) -> None:
    """Write a commented profile skeleton for a category."""
    from docgen.profile.skeleton import skeleton
    from docgen.case.settings import load_settings

    load_settings().rulebook().category(category)  # unknown ids fail with the list of known ones
    text = skeleton(category)
    if out is None:
        typer.echo(text, nl=False)
        return
    if out.exists():
        raise DocgenError(f"{out} already exists; choose another file name (nothing was overwritten)")
    out.write_text(text, encoding="utf-8")
    out.chmod(0o600)
    typer.echo(f"profile skeleton written: {out}")


@profile_app.command("check")
def profile_check(profile: Path = typer.Argument(..., help="profile YAML")) -> None:
    """Validate a profile and report every problem with its line."""
    from docgen.profile.load import load_profile

    p = load_profile(profile)
    typer.echo(f"{profile}: OK ({p.category}, application date {p.application_date}, {1 + len(p.co_applicants)} applicant(s))")


@checklists_app.command("check")
def checklists_check(folder: Optional[Path] = typer.Argument(None, help="office checklist folder (default: the configured one)")) -> None:
    """Load the built-in and office checklist files and report every problem."""
    from docgen.case.settings import load_settings

    settings = load_settings()
    dirs = (folder,) if folder else settings.checklist_dirs
    book = settings.rulebook(dirs)
    typer.echo(f"OK: {len(book.categories)} categories, {len(book.items)} items, {len(book.sources)} sources in {len(book.files)} files")


def _register_commands() -> None:
    """Commands that live in their own modules."""
    from docgen.cli import assess as cli_assess
    from docgen.cli import packet as cli_packet
    from docgen.cli import templates as cli_templates

    cli_packet.register(app)
    app.registered_commands.extend(cli_assess.app.registered_commands)
    app.add_typer(cli_templates.app, name="templates")


def main() -> None:
    """Entry point: run the CLI, turning expected errors into plain messages (exit code 2)."""
    _register_commands()
    try:
        code = app(standalone_mode=False)
    except InputFileError as exc:
        typer.echo(f"error: {len(exc.problems)} problem(s) found:", err=True)
        for p in exc.problems:
            typer.echo(f"  {p}", err=True)
        sys.exit(2)
    except DocgenError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(1)
    except Exception as exc:  # usage errors from typer's click: shown as usage, not as a traceback
        exit_code = getattr(exc, "exit_code", None)
        if hasattr(exc, "show") and isinstance(exit_code, int):
            exc.show()
            sys.exit(exit_code)
        raise
    sys.exit(code if isinstance(code, int) else 0)
