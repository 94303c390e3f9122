"""Assess a case (`docgen assess`) and show its HSP points (`docgen points`): both read the one assessment, so
the points, who is a holder and each route are computed once and never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from docgen.assessment import CaseAssessment, assess_case
from docgen.assessment.results import Assessment
from docgen.case import Case
from docgen.errors import DocgenError
from docgen.profile.characters import unusual_character_notices
from docgen.rules.eligibility import EligibilityRules
from docgen.text import Text
from docgen.usecases.context import RunContext, use_case


@dataclass(frozen=True)
class Assessed:
    """A case and its assessment, with the character notices the documents would raise."""

    case: Case
    assessment: CaseAssessment
    notices: list[str]  # characters the Japanese documents do not use (simplified Chinese …), per field


@use_case
def assess(ctx: RunContext, profile: Path, on: date | None = None) -> Assessed:
    """Which routes are met on the date (the profile's planned date unless `on`), the earliest date for the
    others, the decision and the risks — for the applicant and each family member filing together."""
    case = ctx.case(profile, on)
    return Assessed(case, assess_case(case), unusual_character_notices(case.profile))


@dataclass(frozen=True)
class Points:
    """The main applicant's points on the date and the reference dates, as the assessment computed them."""

    main: Assessment
    rules: EligibilityRules


@use_case
def points(ctx: RunContext, profile: Path, on: date | None = None) -> Points:
    """The 高度専門職 points of the main applicant (refused when the profile records no points facts)."""
    case = ctx.case(profile, on)
    if case.profile.applicant.hsp is None:
        raise DocgenError(
            Text(
                f"{profile}: プロフィールにポイント計算の事実（applicant.hsp）がありません。"
                "計算するには記入してください",
                f"{profile}: the profile has no points facts (applicant.hsp); add them to compute points",
            )
        )
    return Points(assess_case(case).main, ctx.rules.assessment.eligibility)
