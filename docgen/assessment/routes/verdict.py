"""What every route shares: a result with its sources and `filed` flag, met by date, the reasons about the stay."""

from __future__ import annotations

from datetime import date

from docgen.assessment.continuity import Continuity
from docgen.assessment.results import Reason, RouteResult, RouteStatus
from docgen.assessment.situation import Situation
from docgen.rules.eligibility import RouteDef


def route_result(
    r: RouteDef, case: Situation, status: RouteStatus, earliest: date | None, reasons: list[Reason]
) -> RouteResult:
    if case.family_route is not None:  # a family member filing together is examined on the spouse / child route
        filed = r.kind == case.family_route
    else:
        filed = r.id == case.profile.category or (r.kind == "general" and case.route_kind == "general")
    return RouteResult(
        r.id, r.name.model_dump(), status, earliest, reasons, case.eligibility.src(r.sources), r.review, filed
    )


def by_date(earliest: date | None, on: date) -> RouteStatus:
    return RouteStatus.MET if earliest is not None and earliest <= on else RouteStatus.NOT_MET


def stay_reasons(c: Continuity) -> list[Reason]:
    out = [Reason(e.ja, e.en) for e in c.breaks]
    if c.stay_since:
        out.append(
            Reason(
                f"継続在留: {c.stay_since}から{c.years_in_japan}年",
                f"continuous residence since {c.stay_since}: {c.years_in_japan} years",
            )
        )
    return out


def no_stay(r: RouteDef, case: Situation, reasons: list[Reason]) -> RouteResult:
    """No continuous stay on the date: not met when the facts show why (abroad now, a status that does
    not count), undecidable only when the residence history is missing."""
    if any(e.kind in ("abroad_now", "not_counted", "no_status") for e in case.cont.breaks) or case.cont.segments:
        return route_result(r, case, RouteStatus.NOT_MET, None, reasons)
    return route_result(r, case, RouteStatus.CANNOT_DECIDE, None, reasons)
