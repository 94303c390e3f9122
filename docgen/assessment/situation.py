"""One applicant's situation as the assessment sees it: the profile (a co-filing family member as an
applicant of their own), the date, the rules, continuity of residence, the lookback lengths."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from docgen.assessment.continuity import Continuity, continuity
from docgen.assessment.decision import Decision
from docgen.assessment.points.calculation import Scores
from docgen.profile.model import Applicant, Profile
from docgen.rules.book import RuleBook
from docgen.rules.data import AssessmentRules
from docgen.rules.eligibility import EligibilityRules
from docgen.rules.periods import fiscal_years


@dataclass(frozen=True)
class Situation:
    profile: Profile
    on: date
    today: date
    rules: AssessmentRules
    cont: Continuity
    tax_years: int
    insurance_months: int
    release_day: tuple[int, int]
    route_kind: str  # route of the profile's category (general, spouse, …)
    filing_with: str | None = None  # a family member filing together: the main applicant's name (§10.1)
    family_route: str | None = None  # and the route they are examined on then: spouse or child
    household_profile: Profile | None = None  # the whole case, when this is a family member filing together
    processing_days: int | None = None  # the office's setting; None = the sourced default (eligibility.yaml)
    main_decision: Decision | None = None  # a family member filing together: the main applicant's decision
    points: Scores | None = None  # the applicant's HSP points on any date, each date calculated once

    @property
    def scores(self) -> Scores:
        """The points of an applicant with points facts (the HSP routes and checks ask only for those)."""
        assert self.points is not None, "no points facts (applicant.hsp)"
        return self.points

    @property
    def household(self) -> Profile:
        """The case's household, the same for every applicant of one case (the main applicant's profile)."""
        return self.household_profile or self.profile

    @property
    def applicant(self) -> Applicant:
        return self.profile.applicant

    @property
    def eligibility(self) -> EligibilityRules:
        return self.rules.eligibility

    def at(self, on: date) -> Situation:
        """The same applicant and facts on another date (continuity recounted): to find when a blocker falls away."""
        return replace(self, on=on, cont=continuity(self.profile.applicant, on, self.rules.continuity))

    def tax_fiscal_years(self) -> list[int]:
        """The 住民税 年度 of the lookback (直近N年分), newest first, with the office's release day."""
        return fiscal_years(self.on, self.tax_years, self.release_day)


def situation(
    profile: Profile,
    book: RuleBook,
    rules: AssessmentRules,
    release_day: tuple[int, int],
    *,
    on: date,
    today: date,
    filing_with: str | None = None,
    family_route: str | None = None,
    household: Profile | None = None,
    processing_days: int | None = None,
    main_decision: Decision | None = None,
) -> Situation:
    params = book.params(profile.category, on)
    cont = continuity(profile.applicant, on, rules.continuity)
    route = book.category(profile.category).route
    return Situation(
        profile,
        on,
        today,
        rules,
        cont,
        params.tax_years,
        params.insurance_months,
        release_day,
        route,
        filing_with,
        family_route,
        household,
        processing_days,
        main_decision,
        Scores(profile.applicant.hsp, profile.applicant.birth_date, rules.points) if profile.applicant.hsp else None,
    )
