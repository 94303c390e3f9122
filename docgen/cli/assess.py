"""`docgen assess` and `docgen points`: eligibility and HSP points for a profile, as text or JSON."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from docgen.assessment import assess_case
from docgen.assessment.points.summary import points_json, points_text
from docgen.assessment.report import case_report_text
from docgen.cli.args import load_case, parse_date
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
    from docgen.profile.characters import unusual_character_notices

    fmt = _format(fmt)
    # a family member filing together is checked as an applicant of their own, supported by the main applicant
    case = load_case(profile, on=parse_date(on, "--date"))
    assessment = assess_case(case)
    if fmt == "json":
        _dump(assessment.to_json())
    else:
        typer.echo(case_report_text(assessment))
    for notice in unusual_character_notices(case.profile):  # standard error: the JSON stays JSON
        typer.echo(say("注意: ", "warning: ") + notice, err=True)


def points_command(
    profile: Path = typer.Argument(..., help="profile YAML"),
    as_of: str | None = typer.Option(
        None, "--as-of", help="score as of this date (default: the profile's application_date)"
    ),
    fmt: str = typer.Option("text", "--format", help="text or json"),
) -> None:
    """高度専門職 points on the date and on the reference dates (70 points: 3 years before; 80: 1 year before)."""
    fmt = _format(fmt)
    case = load_case(profile, on=parse_date(as_of, "--as-of"))
    if case.profile.applicant.hsp is None:
        raise DocgenError(
            Text(
                f"{profile}: プロフィールにポイント計算の事実（applicant.hsp）がありません。"
                "計算するには記入してください",
                f"{profile}: the profile has no points facts (applicant.hsp); add them to compute points",
            )
        )
    main = assess_case(case).main  # the one computation of the points, the holder and the routes
    rules = case.rules.assessment.eligibility
    if fmt == "json":
        _dump(points_json(main, rules))
    else:
        typer.echo(points_text(main, rules))
