"""The routes counted in years of residence: the general route (10 years, 5 on a work or residence status),
定住者 (5 years), and the routes shown for information only. Reference: permanent-residence.md §4.2, §4.3."""

from __future__ import annotations

from docgen.assessment.results import Reason, RouteResult, RouteStatus
from docgen.assessment.routes.verdict import by_date, no_stay, route_result, stay_reasons
from docgen.assessment.situation import Situation
from docgen.dates import add_years
from docgen.profile.model import normalise_status
from docgen.rules.eligibility import GeneralRoute, InformationalRoute, TeijushaRoute


def general(r: GeneralRoute, case: Situation) -> RouteResult:
    c, on = case.cont, case.on
    reasons = stay_reasons(c)
    if c.stay_since is None:
        return no_stay(r, case, reasons)
    total_date = add_years(c.stay_since, r.years_in_japan)
    reasons.append(
        Reason(
            f"継続在留{r.years_in_japan}年の到達日: {total_date}", f"{r.years_in_japan} years in Japan on {total_date}"
        )
    )
    for seg in c.segments:
        if c.stay_since <= seg.end and not seg.cls.qualifying:
            reasons.append(
                Reason(
                    f"「{seg.cls.status}」({max(seg.start, c.stay_since)}〜{seg.end})は就労資格・居住資格の"
                    f"{r.years_qualifying}"
                    "年に算入されません",
                    f"{seg.cls.status} ({max(seg.start, c.stay_since)}–{seg.end}) does not count toward the"
                    f" {r.years_qualifying} years on a work or residence status",
                )
            )
    if c.qualifying_since is None:
        cur = c.current_status()
        reasons.append(
            Reason(
                f"現在の在留資格「{cur.status if cur else '—'}」は就労資格・居住資格ではありません",
                f"the current status ({cur.status if cur else '—'}) is not a work or residence status",
            )
        )
        return route_result(r, case, RouteStatus.NOT_MET, None, reasons)
    q_date = add_years(c.qualifying_since, r.years_qualifying)
    reasons.append(
        Reason(
            f"就労資格・居住資格で{c.qualifying_since}から在留; {r.years_qualifying}年の到達日: {q_date}",
            f"on a work or residence status since {c.qualifying_since}; {r.years_qualifying} years on {q_date}",
        )
    )
    earliest = max(total_date, q_date, on)
    return route_result(r, case, by_date(earliest, on), earliest, reasons)


def teijusha(r: TeijushaRoute, case: Situation) -> RouteResult:
    c, on = case.cont, case.on
    name = normalise_status(r.status)
    since = c.run_since(lambda s: normalise_status(s.status).startswith(name))
    if since is None:
        return route_result(
            r,
            case,
            RouteStatus.NOT_APPLICABLE,
            None,
            [Reason(f"現在の在留資格は「{r.status}」ではありません", f"the current status is not {r.status}")],
        )
    reached = add_years(since, r.years)
    earliest = max(reached, on)
    reasons = stay_reasons(c) + [
        Reason(
            f"「{r.status}」で{since}から継続在留; {r.years}年の到達日: {reached}",
            f"on {r.status} since {since}; {r.years} years on {reached}",
        )
    ]
    return route_result(r, case, by_date(earliest, on), earliest, reasons)


def informational(r: InformationalRoute, case: Situation) -> RouteResult:
    reasons = [Reason(r.note.ja, r.note.en)]
    if case.cont.stay_since:
        reasons.append(
            Reason(
                f"参考: 継続在留は{case.cont.stay_since}から{case.cont.years_in_japan}年",
                f"for reference: {case.cont.years_in_japan} years in Japan since {case.cont.stay_since}",
            )
        )
    return route_result(r, case, RouteStatus.INFORMATIONAL, None, reasons)
