"""`docgen assess` and `docgen points`: eligibility and HSP points for a profile, as text or JSON."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer

from docgen.assessment import assess_case
from docgen.assessment.points import PointsCheck, calculate, check_points
from docgen.assessment.report import case_report_text
from docgen.cli.args import load_case, parse_date
from docgen.errors import DocgenError
from docgen.messages import say

FORMATS = ("text", "json")


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise DocgenError(
            say(
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


def _points_text(checks: list[PointsCheck], holder: bool) -> str:
    now = checks[0].now
    out = [now.text(), ""]
    if holder:
        out.append(
            "高度専門職の保有者: 申請時点の点数で判断します(過去の点数は計算結果通知書で立証)。基準時点はみなし"
            "高度人材ルートの参考です。"
        )
    for c in checks:
        met = c.now.meets(c.threshold) if holder else c.met
        mark = "OK" if met else "NG"
        reference = (
            f"（参考）基準時点 {c.reference_date} {c.reference.total}点"
            if holder
            else f"基準時点 {c.reference_date} {c.reference.total}点"
        )
        out.append(f"[{mark}] {c.threshold}点ルート: 申請時点 {c.now.total}点 / {reference}")
        reasons = c.now.shortfall_reasons(c.threshold) + ([] if holder else c.reference.shortfall_reasons(c.threshold))
        for x in reasons:
            out.append(f"     - {x[0]}")
    out += ["", "疎明資料 (基準点に達する分で足ります) / evidence:"]
    seen: dict[str, set[date]] = {}
    for c in checks:
        for need in c.evidence_plan():
            seen.setdefault(f"{need.label}: {need.evidence}", set()).update(need.as_of)
    for text, dates in seen.items():
        out.append(f"  - {text} — {'、'.join(d.isoformat() for d in sorted(dates, reverse=True))}時点")
    return "\n".join(out)


def points_command(
    profile: Path = typer.Argument(..., help="profile YAML"),
    as_of: str | None = typer.Option(
        None, "--as-of", help="score as of this date (default: the profile's application_date)"
    ),
    fmt: str = typer.Option("text", "--format", help="text or json"),
) -> None:
    """高度専門職 points on the date and on the reference dates (70 points: 3 years before; 80: 1 year before)."""
    fmt = _format(fmt)
    case = load_case(profile)
    p, table = case.profile, case.rules.assessment.points
    if p.applicant.hsp is None:
        raise DocgenError(
            say(
                f"{profile}: プロフィールにポイント計算の事実（applicant.hsp）がありません。"
                "計算するには記入してください",
                f"{profile}: the profile has no points facts (applicant.hsp); add them to compute points",
            )
        )
    on = parse_date(as_of, "--as-of") or p.application_date
    hsp, birth = p.applicant.hsp, p.applicant.birth_date
    checks = [check_points(hsp, birth, on, t, table) for t in sorted(table.thresholds)]
    if fmt == "json":
        holder = hsp.holder_since is not None
        _dump(
            {
                "case_id": p.case_id,
                "as_of": on.isoformat(),
                "holder": holder,
                "points": calculate(hsp, birth, on, table).to_json(),
                "routes": {
                    str(c.threshold): {**c.to_json(), "met_as_holder": c.now.meets(c.threshold)} for c in checks
                },
            }
        )
    else:
        typer.echo(_points_text(checks, hsp.holder_since is not None))
