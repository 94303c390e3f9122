"""`docgen points`: the score and each points route, read from the assessment — the same computation of the
points and of who is a holder as `docgen assess`, so the two never disagree.

A holder's route (hsp_70 / hsp_80) is met by ア (the points held as a 高度人材外国人) or イ (the points now and
on the reference date); a non-holder's (hsp_points_70 / hsp_points_80) by イ. Reference: §4.3 6–7, §11.4.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from docgen.assessment.results import ROUTE_MARKS, ROUTE_WORDS, Assessment, RouteResult, RouteStatus
from docgen.rules.eligibility import EligibilityRules, HspRoute


def points_route(a: Assessment, rules: EligibilityRules, threshold: int) -> RouteResult | None:
    """The route the applicant's points are judged on: the holder's route for a holder, else the points route."""
    kind = "hsp_holder" if a.holder.holder else "hsp_points"
    wanted = next(
        (r.id for r in rules.routes if isinstance(r, HspRoute) and r.kind == kind and r.threshold == threshold), None
    )
    return next((r for r in a.routes if r.id == wanted), None)


def points_text(a: Assessment, rules: EligibilityRules) -> str:
    checks = [a.points[t] for t in sorted(a.points)]
    out = [checks[0].now.text(), ""]
    if a.holder.holder:
        since = f"{a.holder.since}から" if a.holder.since else ""
        out.append(
            f"高度専門職の保有者(高度人材外国人、{since}): 各ルートは ア 高度人材外国人としてポイントを継続して保有、"
            "又は イ 申請時及び基準時点のポイント のいずれかで満たします。"
        )
    for c in checks:
        route = points_route(a, rules, c.threshold)
        status = route.status if route else (RouteStatus.MET if c.met else RouteStatus.NOT_MET)
        when = (
            f"、最短 {route.earliest_date}" if route and status is RouteStatus.NOT_MET and route.earliest_date else ""
        )
        name = f"{route.id} " if route else ""
        out.append(
            f"[{ROUTE_MARKS[status]}] {c.threshold}点ルート: 申請時点 {c.now.total}点 / 基準時点 {c.reference_date}"
            f" {c.reference.total}点 — {name}{ROUTE_WORDS[status].ja}{when}"
        )
        for x in c.now.shortfall_reasons(c.threshold) + c.reference.shortfall_reasons(c.threshold):
            out.append(f"     - {x[0]}")
    out += ["", "疎明資料 (基準点に達する分で足ります) / evidence:"]
    seen: dict[str, set[date]] = {}
    for c in checks:
        for need in c.evidence_plan():
            seen.setdefault(f"{need.label}: {need.evidence}", set()).update(need.as_of)
    for text, dates in seen.items():
        out.append(f"  - {text} — {'、'.join(d.isoformat() for d in sorted(dates, reverse=True))}時点")
    return "\n".join(out)


def points_json(a: Assessment, rules: EligibilityRules) -> dict[str, Any]:
    routes: dict[str, Any] = {}
    for t in sorted(a.points):
        c, route = a.points[t], points_route(a, rules, t)
        routes[str(t)] = {
            **c.to_json(),
            "met_as_holder": bool(a.holder.holder and route and route.status.value == "met"),
            "route": {
                "id": route.id,
                "status": route.status.value,
                "earliest_date": route.earliest_date.isoformat() if route.earliest_date else None,
                "filed": route.filed,
            }
            if route
            else None,
        }
    first = a.points[min(a.points)]
    return {
        "case_id": a.case_id,
        "as_of": a.on.isoformat(),
        "holder": a.holder.holder,
        "holder_since": a.holder.since.isoformat() if a.holder.since else None,
        "points": first.now.to_json(),
        "routes": routes,
    }
