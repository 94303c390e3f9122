"""Assess a case once: every route, check and finding for the main applicant and for each family member
filing together (as an applicant of their own, supported by the main applicant)."""

from __future__ import annotations

from datetime import date

from docgen.assessment.checks import assess_checks
from docgen.assessment.findings import assess_findings
from docgen.assessment.points import check_points
from docgen.assessment.results import Assessment, CaseAssessment
from docgen.assessment.routes import assess_routes
from docgen.assessment.situation import situation
from docgen.case import Case
from docgen.profile.family import as_own_profile
from docgen.profile.model import CHILDREN, SPOUSES, FamilyMember, Profile
from docgen.rules.book import RuleBook
from docgen.rules.data import AssessmentRules


def assess_applicant(
    profile: Profile,
    book: RuleBook,
    rules: AssessmentRules,
    release_day: tuple[int, int],
    *,
    on: date,
    today: date,
    filing_with: str | None = None,
    family_route: str | None = None,
) -> Assessment:
    """Every route and check for the profile's applicant as of `on`; `today` is when certificates are collected.

    `filing_with` names the main applicant when this is a family member filing together (§10.1): they are then
    examined on `family_route` (spouse or child of a permanent resident), on the condition of the main grant."""
    case = situation(
        profile, book, rules, release_day, on=on, today=today, filing_with=filing_with, family_route=family_route
    )
    a = profile.applicant
    points = (
        {t: check_points(a.hsp, a.birth_date, on, t, rules.points) for t in sorted(rules.points.thresholds)}
        if a.hsp
        else {}
    )
    return Assessment(
        profile.case_id,
        profile.category,
        on,
        a.display_name,
        a.status,
        a.period_of_stay,
        case.cont,
        assess_routes(case),
        assess_checks(case),
        assess_findings(case),
        points,
        filing_with,
    )


def assess_case(case: Case) -> CaseAssessment:
    """The whole case: the main applicant, then each family member filing together."""
    p, r = case.profile, case.rules

    def one(profile: Profile, filing_with: str | None = None, family_route: str | None = None) -> Assessment:
        return assess_applicant(
            profile,
            r.book,
            r.assessment,
            r.release_day,
            on=case.application_date,
            today=case.today,
            filing_with=filing_with,
            family_route=family_route,
        )

    main = p.applicant.display_name
    return CaseAssessment(one(p), [one(as_own_profile(p, m), main, family_route(m)) for m in p.co_applicants])


def family_route(member: FamilyMember) -> str | None:
    """The relaxation a family member filing together is examined under: the spouse's or the child's (§10.1)."""
    if member.relationship in SPOUSES:
        return "spouse"
    return "child" if member.relationship in CHILDREN else None
