"""`docgen templates …`: check Word templates (and repair what can be repaired), export them with the variable list."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import typer

from docgen.cli.args import context, settings_line
from docgen.cli.steps import how
from docgen.messages import say
from docgen.text import NextStep, Step

# Help texts and docstrings are shown as rich markup: a literal [office] is written \[office] (in an r-string),
# or rich takes it for a style tag and drops it.
app = typer.Typer(help="Word テンプレートの確認 (check) と書き出し (export).", no_args_is_help=True)


@app.command()
def check(
    directory: Path | None = typer.Argument(
        None, help="folder of .docx templates (or one .docx); default: the built-in templates"
    ),
    fix: bool = typer.Option(
        False,
        "--fix",
        help="repair split tags and curly/full-width characters in tags first (files are changed in place)",
    ),
) -> None:
    r"""Check templates: Jinja syntax, names, filters, split tags, {%p %}/{%tr %} placement, Word features, fonts,
    and values that may be empty (agent without docgen.toml \[office], supporter …) used outside {% if %}."""
    from docgen.usecases.templates import check_templates

    ctx = context()
    if fix:
        typer.echo(settings_line(ctx.settings), err=True)
    checked = check_templates(ctx, directory, repair=fix)
    errors = warnings = 0
    for one in checked:
        path, findings = one.path, one.findings
        for repair in one.repairs:
            typer.echo(say(f"{path.name}: 修復しました: {repair}", f"{path.name}: fixed: {repair}"))
        errors += sum(f.severity == "error" for f in findings)
        warnings += sum(f.severity == "warning" for f in findings)
        if not findings:
            typer.echo(f"{path.name}: OK")
            continue
        typer.echo(f"{path.name}:")
        for f in findings:
            where = f" ({f.where})" if f.where else ""
            typer.echo(f"  {f.severity.upper()} [{f.code}]{where} {f.message}")
            if f.context:
                typer.echo(f"      「{f.context}」")
    if not fix and any(f.repairable for one in checked for f in one.findings):
        typer.echo(how(NextStep(Step.REPAIR_TEMPLATES)))
    typer.echo(
        say(
            f"テンプレート {len(checked)}件: エラー {errors}件、警告 {warnings}件",
            f"{len(checked)} template(s): {errors} error(s), {warnings} warning(s)",
        )
    )
    if errors:
        # SystemExit rather than typer.Exit: docgen.cli.main.main runs the app with standalone_mode=False,
        # where click turns typer.Exit into a return value that main() does not pass on as the exit code.
        raise SystemExit(1)


@app.command()
def export(
    directory: Path = typer.Argument(..., help="folder to copy the built-in templates and README.md into"),
    force: bool = typer.Option(False, "--force", help="replace templates already in DIRECTORY"),
) -> None:
    """Copy the built-in templates to DIRECTORY with README.md (使える変数とフィルターの一覧)."""
    from docgen.usecases.templates import export_builtin_templates

    for path in export_builtin_templates(context(), directory, replace=force):
        typer.echo(str(path))


@app.command("list")
def list_templates() -> None:
    """Show which file is used for each document: the office's copy or the built-in one."""
    from docgen.usecases.templates import list_templates as templates_in_use

    labels = {"office": say("事務所", "office"), "built-in": say("組み込み", "built-in")}
    for one in templates_in_use(context()):
        name, path, label = one.name, one.path, labels.get(one.origin, one.origin)
        width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in label)  # 全角 is two columns
        typer.echo(f"{name:<28} {label}{' ' * max(9 - width, 0)} {path}")


@app.command()
def preview(
    name: str = typer.Argument(..., help="template name, e.g. reason_letter (see: docgen templates list)"),
    profile: Path | None = typer.Option(
        None, "--profile", help="profile to fill in (default: examples/gijinkoku-single.yaml)"
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        help="folder for <case_id>-preview-<name>.pdf and its PNG pages <case_id>-preview-<name>-N.png"
        " (default: output/preview)",
    ),
) -> None:
    r"""Render one template to <case_id>-preview-<name>.pdf and one PNG per page so you can see the result without a
    whole packet.

    The case is built as for the packet (office templates, docgen.toml \[office] as 取次者 when the profile names
    none); the example profile's made-up 取次者 is replaced by \[office], so the preview shows this office's."""
    from docgen.usecases.templates import preview_template

    ctx = context(near=profile)
    typer.echo(settings_line(ctx.settings), err=True)  # stdout: the files written, one per line
    for path in preview_template(ctx, name, profile, out):
        typer.echo(str(path))
