"""`docgen intake new | import`: the client questionnaire (Excel) in the client's language, and back."""

from __future__ import annotations

from pathlib import Path

import typer

from docgen.cli.args import context, parse_language, settings_line, where_option
from docgen.languages import QUESTIONNAIRE_LANGUAGES
from docgen.messages import say

app = typer.Typer(
    no_args_is_help=True,
    help="Client questionnaire (Excel, in the client's language beside the Japanese): write it, read it back.",
)


@app.command("new")
def intake_new(
    case: str = typer.Argument(..., help="the case's profile YAML, or a case id (its folder under \\[paths] cases)"),
    lang: str | None = typer.Option(
        None,
        "--lang",
        help="the questionnaire's language beside the Japanese (default: the client's, as the profile records it)",
    ),
    out: Path | None = typer.Option(None, "--out", help="file to write (default: <case_id>-intake-<lang>.xlsx)"),
    category: str | None = typer.Option(
        None,
        "--category",
        help="category id or Japanese name when the profile has none (adds the HSP, business or supporter part)",
    ),
    spare_family: int | None = typer.Option(
        None, "--spare-family", min=0, max=20, help="empty family sheets to add (default 1, or 3 without a profile)"
    ),
) -> None:
    """Write the Excel questionnaire for a client, pre-filled from the profile (owner-only file)."""
    from docgen.usecases.intake import new_questionnaire

    given = Path(case)
    ctx = context(near=given if given.suffix.lower() in (".yaml", ".yml") or given.exists() else None)
    typer.echo(settings_line(ctx.settings), err=True)
    done = new_questionnaire(
        ctx,
        case,
        parse_language(lang, QUESTIONNAIRE_LANGUAGES) if lang else None,
        out=out,
        category=category,
        spare_family=spare_family,
        where=where_option("--category"),
    )
    if done.language_note is not None:
        typer.echo(str(done.language_note))
    typer.echo(
        say(
            f"質問票を作成しました: {done.path}（{done.lang}、家族 {done.members} 人"
            + (f"、{done.prefilled_from} の内容を記入済み）" if done.prefilled_from else "、空欄）"),
            f"questionnaire written: {done.path} ({done.lang}, {done.members} family member(s)"
            + (f", pre-filled from {done.prefilled_from})" if done.prefilled_from else ", blank)"),
        )
    )


@app.command("import")
def intake_import(
    file: Path = typer.Argument(..., help="the questionnaire the client returned (.xlsx)"),
    profile: Path | None = typer.Option(
        None,
        "--profile",
        help="the existing profile to compare with (default: the profile in the case folder of the workbook's"
        " case id, under \\[paths] cases)",
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        help="profile to write (default: --profile, else the case folder's profile, else <case_id>-profile.yaml"
        " beside the file)",
    ),
    merge: bool = typer.Option(
        False,
        "--merge",
        help="write the answers into the existing profile (after showing the differences; the previous version is"
        " kept beside it)",
    ),
) -> None:
    """Turn a returned questionnaire into the case's profile; an existing profile is changed only with --merge."""
    from docgen.usecases.intake import ImportOutcome, import_questionnaire

    ctx = context(near=profile or out or file)
    typer.echo(settings_line(ctx.settings), err=True)
    done = import_questionnaire(ctx, file, profile=profile, out=out, merge=merge)
    if done.where_from is not None:
        typer.echo(str(done.where_from))
    for note in done.notes:
        typer.echo(say(f"確認: {note}", f"check: {note}"))
    for note in done.left:
        typer.echo(say(f"事務所で記入: {note}", f"for the office: {note}"))
    target = done.target
    if done.outcome is ImportOutcome.UNCHANGED:
        typer.echo(
            say(
                f"{done.base} との違いはありません。何も書き込んでいません",
                f"no differences from {done.base}; nothing written",
            )
        )
        return
    if done.base is not None:
        typer.echo(
            say(f"{done.base} との違い {len(done.changes)} 件:", f"{len(done.changes)} difference(s) from {done.base}:")
        )
        for change in done.changes:
            typer.echo(f"  {change}")
    if done.outcome is ImportOutcome.NOT_MERGED:
        typer.echo(
            say(
                f"{target} は変更していません。この内容で書き込むには --merge を付けて実行してください"
                "（空欄の回答は既存の値を残します。表は、1行でも記入があれば記入された行で一覧全体を"
                "置き換えます。家族も、記入されたシートの方々で置き換えます）",
                f"{target} was not changed; run again with --merge to write this (empty answers keep the"
                " existing values; a table with any line filled in replaces the whole list with the lines"
                " written, and the family sheets filled in replace the family)",
            )
        )
        return
    typer.echo(say(f"プロフィールを書き込みました: {target}", f"profile written: {target}"))
    if done.kept is not None:
        typer.echo(say(f"変更前のプロフィールを残しました: {done.kept}", f"the previous version was kept: {done.kept}"))
