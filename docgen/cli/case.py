"""`docgen case new` and `docgen case sync`: start a case folder; after intake, bring its evidence folders to
the case."""

from __future__ import annotations

import typer

from docgen.cli.args import context, parse_date, parse_language, settings_line, where_option
from docgen.cli.steps import notice_line
from docgen.errors import DocgenError
from docgen.languages import LANGUAGES
from docgen.messages import say
from docgen.text import Text

case_app = typer.Typer(
    no_args_is_help=True,
    help="Case folders: docgen case new (案件フォルダーの作成), docgen case sync (記入後に証拠フォルダーを更新)",
)


@case_app.command("new")
def case_new(
    case_id: str = typer.Argument(..., help="案件ID, e.g. 2026-031-wang (becomes the folder name)"),
    category: str = typer.Option(..., "--category", help="category id or its Japanese title (docgen categories)"),
    on: str = typer.Option(..., "--date", help="申請予定日 YYYY-MM-DD (2026/12/01 も可)"),
    lang: str = typer.Option(
        "ja",
        "--lang",
        help="the client's language, recorded in the profile; the handout is made in it (English where there is"
        " no handout in it yet)",
    ),
    no_pdf: bool = typer.Option(False, "--no-pdf", help="write the handout as Word (no LibreOffice)"),
    family_name: str = typer.Option("", "--family-name", help="姓（旅券のローマ字） / family name as in the passport"),
    given_name: str = typer.Option("", "--given-name", help="名（旅券のローマ字） / given name as in the passport"),
    employer: str = typer.Option("", "--employer", help="勤務先（会社のお客様） / the employer, for a company client"),
    staff: str = typer.Option("", "--staff", help="担当者 / the staff member in charge"),
) -> None:
    """Make the case folder: profile skeleton, one evidence folder per item, the client handout."""
    from docgen.usecases.case_folder import Client, start_case

    ctx = context()
    typer.echo(settings_line(ctx.settings), err=True)
    planned = parse_date(on)
    if planned is None:
        raise DocgenError(
            Text(
                "--date: 申請予定日を YYYY-MM-DD で指定してください",
                "--date: give the planned application date as YYYY-MM-DD",
            )
        )
    language = parse_language(lang, LANGUAGES)
    made = start_case(
        ctx,
        case_id,
        category,
        planned,
        language,
        pdf=not no_pdf,
        where=where_option("--category"),
        client=Client(family_name, given_name, employer, staff),
    )
    if made.remade:
        typer.echo(made.remade)
    folder = made.folder
    typer.echo(say(f"案件フォルダーを作成しました: {folder.root}", f"case folder created: {folder.root}"))
    typer.echo(
        say(
            f"  プロフィール: {folder.profile.name}（記入してください）",
            f"  profile: {folder.profile.name} (fill it in)",
        )
    )
    typer.echo(
        say(
            f"  証明書の置き場所: {folder.evidence}（項目ごとのフォルダー）",
            f"  evidence: {folder.evidence} (one folder per item)",
        )
    )
    typer.echo(say(f"  依頼者用の一覧: {made.handout_name}", f"  client handout: {made.handout_name}"))
    if made.language_note:
        typer.echo(f"  {made.language_note}")


@case_app.command("sync")
def case_sync(
    target: str = typer.Argument(..., help="the case folder, or its case id under the cases folder"),
) -> None:
    """After intake: bring the evidence folders to the case's 提出書類一覧表 numbers (add, renumber, report)."""
    from docgen.usecases.case_folder import sync_case

    ctx = context()
    typer.echo(settings_line(ctx.settings), err=True)
    report = sync_case(ctx, target)
    for line in report.lines():
        typer.echo(line.render(ctx.lang))
    for note in report.notes:
        typer.echo(f"  {notice_line(note)}")
