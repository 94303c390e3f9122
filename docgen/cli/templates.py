"""`docgen templates …`: check Word templates (and repair what can be repaired), export them with the variable list."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import typer

from docgen.cli.args import load_case, settings_line
from docgen.cli.steps import how
from docgen.documents.template_check import check_template, fix_template, template_files
from docgen.documents.template_vars import BUILTIN_TEMPLATES, export_templates
from docgen.errors import DocgenError
from docgen.messages import say
from docgen.text import NextStep, Step, Text

# Help texts and docstrings are shown as rich markup: a literal [office] is written \[office] (in an r-string),
# or rich takes it for a style tag and drops it.
app = typer.Typer(help="Word テンプレートの確認 (check) と書き出し (export).", no_args_is_help=True)


def _targets(path: Path) -> list[Path]:
    if path.is_file() and path.suffix.lower() == ".docx":
        return [path]
    if not path.is_dir():
        raise DocgenError(Text(f"{path}: テンプレートのフォルダーが見つかりません", f"{path}: no such folder"))
    files = template_files(path)
    if not files:
        raise DocgenError(
            Text(
                f"{path}: このフォルダーに .docx のテンプレートがありません",
                f"{path}: no .docx templates in this folder",
            )
        )
    return files


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
    from docgen.case import load_settings

    settings = load_settings()  # as the packet will fill them: agent is never empty when [office] is set
    if fix:
        typer.echo(settings_line(settings), err=True)
    if directory is None:
        office = settings.template_dir
        ours = _targets(office) if office and template_files(office) else []
        replaced = {p.name for p in ours}  # a built-in template the office's copy replaces is not the one used
        files = [p for p in _targets(BUILTIN_TEMPLATES) if p.name not in replaced] + ours
    else:
        files = _targets(directory)
    errors = warnings = 0
    repairable = False
    for path in files:
        if fix:
            for repair in fix_template(path):
                typer.echo(say(f"{path.name}: 修復しました: {repair}", f"{path.name}: fixed: {repair}"))
        findings = check_template(path, office=settings.office is not None)
        errors += sum(f.severity == "error" for f in findings)
        warnings += sum(f.severity == "warning" for f in findings)
        repairable = repairable or any(f.repairable for f in findings)
        if not findings:
            typer.echo(f"{path.name}: OK")
            continue
        typer.echo(f"{path.name}:")
        for f in findings:
            where = f" ({f.where})" if f.where else ""
            typer.echo(f"  {f.severity.upper()} [{f.code}]{where} {f.message}")
            if f.context:
                typer.echo(f"      「{f.context}」")
    if repairable and not fix:
        typer.echo(how(NextStep(Step.REPAIR_TEMPLATES)))
    typer.echo(
        say(
            f"テンプレート {len(files)}件: エラー {errors}件、警告 {warnings}件",
            f"{len(files)} template(s): {errors} error(s), {warnings} warning(s)",
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
    for path in export_templates(directory, force=force):
        typer.echo(str(path))


@app.command("list")
def list_templates() -> None:
    """Show which file is used for each document: the office's copy or the built-in one."""
    from docgen.case import load_settings

    settings = load_settings()
    labels = {"office": say("事務所", "office"), "built-in": say("組み込み", "built-in")}
    for name in settings.template_names():
        path, origin = settings.template(name)
        label = labels.get(origin, origin)
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
    from docgen.packet.preview import office_example
    from docgen.packet.preview import preview as run_preview
    from docgen.resources import PREVIEW_PROFILE

    case = load_case(profile) if profile else office_example(load_case(PREVIEW_PROFILE))
    typer.echo(settings_line(case.settings), err=True)  # stdout: the files written, one per line
    for path in run_preview(name, case, out or case.settings.output_dir / "preview"):
        typer.echo(str(path))
