"""`docgen assess` and `docgen points`: eligibility and HSP points for a profile, as text or JSON."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from docgen.cli.args import context, parse_date
from docgen.errors import DocgenError
from docgen.messages import say
from docgen.text import Text

FORMATS = ("text", "json")


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise DocgenError(
            Text(
                f"--format は {', '.join(FORMATS)} のいずれかです（'{fmt}' が指定されました）",
                f"--format must be one of: {', '.join(FORMATS)} (got '{fmt}')",
            )
        )
    return fmt


def _dump(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def assess_command(
    profile: Path = typer.Argument(..., help="profile YAML"),
    on: str | None = typer.Option(
        None, "--date", help="assess as of this date (default: the profile's application_date)"
    ),
    fmt: str = typer.Option("text", "--format", help="text or json"),
) -> None:
    """Which permanent-residence routes are met on the date, the earliest date for the others, and the risks.
    Characters the Japanese documents do not use (simplified Chinese …) are warned about on standard error."""
    from docgen.assessment.report import case_report_text
    from docgen.usecases.assess import assess

    fmt = _format(fmt)
    done = assess(context(near=profile), profile, parse_date(on, "--date"))
    if fmt == "json":
        _dump(done.assessment.to_json())
    else:
        typer.echo(case_report_text(done.assessment))
    for notice in done.notices:  # standard error: the JSON stays JSON
        typer.echo(say("注意: ", "warning: ") + notice, err=True)


def points_command(
    profile: Path = typer.Argument(..., help="profile YAML"),
    as_of: str | None = typer.Option(
        None, "--as-of", help="score as of this date (default: the profile's application_date)"
    ),
    fmt: str = typer.Option("text", "--format", help="text or json"),
) -> None:
    """高度専門職 points on the date and on the reference dates (70 points: 3 years before; 80: 1 year before)."""
    from docgen.assessment.points.summary import points_json, points_text
    from docgen.usecases.assess import points

    fmt = _format(fmt)
    done = points(context(near=profile), profile, parse_date(as_of, "--as-of"))
    if fmt == "json":
        _dump(points_json(done.main, done.rules))
    else:
        typer.echo(points_text(done.main, done.rules))
