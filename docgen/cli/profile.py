"""`docgen profile schema | init | check`."""

from __future__ import annotations

from pathlib import Path

import typer

from docgen.cli.args import context, settings_line, where_option
from docgen.messages import say

profile_app = typer.Typer(no_args_is_help=True, help="Applicant profiles: skeleton, JSON Schema, validation.")


@profile_app.command("schema")
def profile_schema(
    out: Path | None = typer.Option(None, "--out", help="write to this file instead of standard output"),
) -> None:
    """Print the profile's JSON Schema (for editor autocompletion)."""
    from docgen.usecases.profile import profile_schema as schema

    text = schema()
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
    from docgen.usecases.profile import profile_skeleton, write_profile_skeleton

    ctx = context()
    if out is None:
        typer.echo(profile_skeleton(ctx, category, where_option("CATEGORY")), nl=False)
        return
    written = write_profile_skeleton(ctx, category, out, where_option("CATEGORY"))
    typer.echo(settings_line(ctx.settings), err=True)
    typer.echo(say(f"プロフィールのひな形を作成しました: {written}", f"profile skeleton written: {written}"))


@profile_app.command("check")
def profile_check(profile: Path = typer.Argument(..., help="profile YAML")) -> None:
    """Validate a profile (against the office's rules too) and report every problem with its line; characters the
    Japanese documents do not use (simplified Chinese …) are warnings and do not change the exit code."""
    from docgen.usecases.profile import check_profile

    done = check_profile(context(near=profile), profile)
    p = done.profile
    typer.echo(
        say(
            f"{profile}: OK（{p.category}、申請日 {p.application_date}、申請人 {done.people}人）",
            f"{profile}: OK ({p.category}, application date {p.application_date}, {done.people} applicant(s))",
        )
    )
    for notice in done.notices:
        typer.echo(say("注意: ", "warning: ") + notice, err=True)
