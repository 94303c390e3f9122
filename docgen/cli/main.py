"""The `docgen` command: a thin layer over the library (see README for the staff workflow).

Each command builds what it needs once (settings, rules, the case) and hands it to the library.
"""

from __future__ import annotations

import sys

import typer

from docgen.cli import assess, checklist, packet, profile, templates
from docgen.errors import DocgenError, InputFileError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="永住許可申請: checklists and application packets for 行政書士 offices.",
)
app.command()(checklist.categories)
app.command()(checklist.checklist)
app.command("assess")(assess.assess_command)
app.command("points")(assess.points_command)
app.command("packet")(packet.packet)
app.add_typer(profile.profile_app, name="profile")
app.add_typer(checklist.checklists_app, name="checklists")
app.add_typer(templates.app, name="templates")


def main() -> None:
    """Entry point: run the CLI, turning expected errors into plain messages (exit code 2)."""
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
