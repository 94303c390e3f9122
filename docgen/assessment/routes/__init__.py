"""The permanent-residence routes on a date: met / not met from the legal requirements, with the earliest
date a route will be met if nothing changes, the reasons in Japanese and English, and the risks that rules
of thumb add. The years, thresholds and in-force dates are data (docgen/data/eligibility.yaml).
Reference: permanent-residence.md §4.
"""

from __future__ import annotations

from typing import assert_never

from docgen.assessment.results import Reason, RouteResult, RouteStatus
from docgen.assessment.routes.family import child, spouse
from docgen.assessment.routes.hsp import hsp
from docgen.assessment.routes.residence import general, informational, teijusha
from docgen.assessment.routes.risk import assess_risk
from docgen.assessment.routes.verdict import route_result
from docgen.assessment.situation import Situation
from docgen.rules.eligibility import (
    ChildRoute,
    GeneralRoute,
    HspRoute,
    InformationalRoute,
    RouteDef,
    SpouseRoute,
    TeijushaRoute,
)

__all__ = ["assess_routes"]


def _assess(r: RouteDef, case: Situation) -> RouteResult:
    """The route's verdict by its kind; each kind reads the fields the rules require of it."""
    match r:
        case GeneralRoute():
            return general(r, case)
        case HspRoute():
            return hsp(r, case)
        case SpouseRoute():
            return spouse(r, case)
        case ChildRoute():
            return child(r, case)
        case TeijushaRoute():
            return teijusha(r, case)
        case InformationalRoute():
            return informational(r, case)
        case _:
            assert_never(r)


def assess_routes(case: Situation) -> list[RouteResult]:
    out = []
    for r in case.eligibility.routes:
        if not r.in_force(case.on):
            out.append(
                route_result(
                    r,
                    case,
                    RouteStatus.NOT_APPLICABLE,
                    None,
                    [Reason(f"この特例は{r.start}からです", f"this route exists from {r.start}")],
                )
            )
            continue
        out.append(_law_then_risks(r, case, _assess(r, case)))
    return out


def _law_then_risks(r: RouteDef, case: Situation, result: RouteResult) -> RouteResult:
    """A verdict stands only on facts the law needs; rules of thumb on time abroad add a risk, never a verdict."""
    c = case.cont
    if case.filing_with is not None and r.kind == case.family_route and result.status is not RouteStatus.NOT_APPLICABLE:
        result.conditional_on = case.filing_with
        result.sources += case.eligibility.src(case.eligibility.family_co_filing.sources)
        result.reasons.append(
            Reason(
                f"主たる申請人({case.filing_with})と同時申請: 永住者の家族として審査され、主たる申請人の許可が前提です",
                f"filing together with {case.filing_with}: examined as family of a permanent resident, "
                "on the condition that the main applicant is granted",
            )
        )
    if result.status not in (RouteStatus.MET, RouteStatus.NOT_MET):
        return result
    if c.undecided:
        result.status, result.earliest_date = RouteStatus.CANNOT_DECIDE, None
        result.reasons += [Reason(e.ja, e.en) for e in c.undecided]
        return result
    if c.risks and not isinstance(r, InformationalRoute):
        result.risk = assess_risk(c.risks, case.on, r.years_of_stay)
    return result
