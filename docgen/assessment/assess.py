"""Assess a case once: every route, check and finding for the main applicant and for each family member
filing together (as an applicant of their own, supported by the main applicant), and the decision each makes
— a family member's after the main applicant's, whose decision theirs depends on."""

from __future__ import annotations

from docgen.assessment.checks import assess_checks
from docgen.assessment.decide import decide
from docgen.assessment.decision import Decision
from docgen.assessment.findings import assess_findings
from docgen.assessment.penalties import fines
from docgen.assessment.points import check_points
from docgen.assessment.points.held import hsp_holder
from docgen.assessment.results import Assessment, CaseAssessment
from docgen.assessment.routes import assess_routes
from docgen.assessment.situation import Situation, situation
from docgen.case import Case
from docgen.profile.family import as_own_profile
from docgen.profile.model import CHILDREN, SPOUSES, FamilyMember, Profile


def assess_applicant(case: Situation) -> Assessment:
    """Every route, check and finding for one applicant's situation (see `situation`), and their decision (for a
    family member filing together, it depends on the main applicant's: `case.main_decision`)."""
    p, a, on, table = case.profile, case.applicant, case.on, case.rules.points
    points = {t: check_points(case.scores, on, t) for t in sorted(table.thresholds)} if a.hsp else {}
    routes, checks = assess_routes(case), assess_checks(case)
    return Assessment(
        p.case_id,
        p.category,
        on,
        a.display_name,
        a.status,
        a.period_of_stay,
        case.cont,
        routes,
        checks,
        assess_findings(case),
        points,
        case.filing_with,
        decide(case, routes, checks),
        fines(case),
        hsp_holder(a, case.cont),
    )


def assess_case(case: Case) -> CaseAssessment:
    """The whole case: the main applicant, then each family member filing together — examined as the spouse
    or child of a permanent resident, on the condition that the main applicant is granted (§10.1)."""
    p, r = case.profile, case.rules
    main = p.applicant.display_name

    def one(profile: Profile, member: FamilyMember | None = None, decided: Decision | None = None) -> Assessment:
        return assess_applicant(
            situation(
                profile,
                r.book,
                r.assessment,
                r.release_day,
                on=case.application_date,
                today=case.today,
                filing_with=main if member else None,
                family_route=family_route(member) if member else None,
                household=p,
                processing_days=r.processing_days,
                main_decision=decided,
            )
        )

    first = one(p)
    return CaseAssessment(first, [one(as_own_profile(p, m), m, first.decided) for m in p.co_applicants])


def family_route(member: FamilyMember) -> str | None:
    """The relaxation a family member filing together is examined under: the spouse's or the child's (§10.1)."""
    if member.relationship in SPOUSES:
        return "spouse"
    return "child" if member.relationship in CHILDREN else None
