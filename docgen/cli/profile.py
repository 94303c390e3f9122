"""`docgen profile schema | init | check`."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from docgen.cli.args import load_case, settings_and_rules, settings_line, where_option
from docgen.errors import DocgenError
from docgen.messages import say
from docgen.rules import category_names
from docgen.text import Text

profile_app = typer.Typer(no_args_is_help=True, help="Applicant profiles: skeleton, JSON Schema, validation.")


@profile_app.command("schema")
def profile_schema(
    out: Path | None = typer.Option(None, "--out", help="write to this file instead of standard output"),
) -> None:
    """Print the profile's JSON Schema (for editor autocompletion)."""
    from docgen.profile.model import Profile

    text = json.dumps(Profile.model_json_schema(by_alias=True), ensure_ascii=False, indent=2) + "\n"
    if out:
        out.write_text(text, encoding="utf-8")
        typer.echo(say(f"スキーマを書き出しました: {out}", f"schema written: {out}"))
    else:
        typer.echo(text, nl=False)


@profile_app.command("init")
def profile_init(
    category: str = typer.Argument(..., help="category id or its Japanese title (docgen categories)"),
    out: Path | None = typer.Option(None, "--out", help="file to create (default: standard output)"),
) -> None:
    """Write a commented profile skeleton for a category."""
    from docgen.profile.skeleton import skeleton

    settings, rules = settings_and_rules()
    category = category_names.category_id(rules.book, category, where_option("CATEGORY"))
    text = skeleton(category)
    if out is None:
        typer.echo(text, nl=False)
        return
    if out.exists():
        raise DocgenError(
            Text(
                f"{out} は既にあります。別のファイル名を指定してください（何も上書きしていません）",
                f"{out} already exists; choose another file name (nothing was overwritten)",
            )
        )
    typer.echo(settings_line(settings), err=True)
    out.write_text(text, encoding="utf-8")
    out.chmod(0o600)
    typer.echo(say(f"プロフィールのひな形を作成しました: {out}", f"profile skeleton written: {out}"))


@profile_app.command("check")
def profile_check(profile: Path = typer.Argument(..., help="profile YAML")) -> None:
    """Validate a profile (against the office's rules too) and report every problem with its line; characters the
    Japanese documents do not use (simplified Chinese …) are warnings and do not change the exit code."""
    from docgen.profile.characters import unusual_character_notices

    p = load_case(profile).profile
    people = 1 + len(p.co_applicants)
    typer.echo(
        say(
            f"{profile}: OK（{p.category}、申請日 {p.application_date}、申請人 {people}人）",
            f"{profile}: OK ({p.category}, application date {p.application_date}, {people} applicant(s))",
        )
    )
    for notice in unusual_character_notices(p):
        typer.echo(say("注意: ", "warning: ") + notice, err=True)
