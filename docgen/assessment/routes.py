"""The permanent-residence routes on a date: met / not met from the legal requirements, with the earliest
date a route will be met if nothing changes, and the reasons in Japanese and English.

The years, thresholds and in-force dates are data (docgen/data/eligibility.yaml). Reference:
permanent-residence.md §4.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from docgen.assessment.continuity import Continuity, Event, RiskLevel
from docgen.assessment.points import check_points, earliest_points_date
from docgen.assessment.results import Reason, Risk, RouteResult, RouteStatus
from docgen.assessment.situation import Situation
from docgen.dates import add_years
from docgen.profile.hsp import PointsNotice
from docgen.profile.model import PARENTS, SPOUSES, FamilyMember, normalise_status
from docgen.rules.eligibility import RouteDef

PROJECTION_YEARS = 10  # how far ahead an earliest date is searched


def _route(
    r: RouteDef, case: Situation, status: RouteStatus, earliest: date | None, reasons: list[Reason]
) -> RouteResult:
    if case.family_route is not None:  # a family member filing together is examined on the spouse / child route
        filed = r.kind == case.family_route
    else:
        filed = r.id == case.profile.category or (r.kind == "general" and case.route_kind == "general")
    return RouteResult(
        r.id, r.name.model_dump(), status, earliest, reasons, case.eligibility.src(r.sources), r.review, filed
    )


def _by_date(earliest: date | None, on: date) -> RouteStatus:
    return RouteStatus.MET if earliest is not None and earliest <= on else RouteStatus.NOT_MET


def _stay_reasons(c: Continuity) -> list[Reason]:
    out = [Reason(e.ja, e.en) for e in c.breaks]
    if c.stay_since:
        out.append(
            Reason(
                f"継続在留: {c.stay_since}から{c.years_in_japan}年",
                f"continuous residence since {c.stay_since}: {c.years_in_japan} years",
            )
        )
    return out


def _no_stay(r: RouteDef, case: Situation, reasons: list[Reason]) -> RouteResult:
    """No continuous stay on the date: not met when the facts show why (abroad now, a status that does
    not count), undecidable only when the residence history is missing."""
    if any(e.kind in ("abroad_now", "not_counted", "no_status") for e in case.cont.breaks) or case.cont.segments:
        return _route(r, case, RouteStatus.NOT_MET, None, reasons)
    return _route(r, case, RouteStatus.CANNOT_DECIDE, None, reasons)


def _general(r: RouteDef, case: Situation) -> RouteResult:
    c, on = case.cont, case.on
    reasons = _stay_reasons(c)
    if c.stay_since is None:
        return _no_stay(r, case, reasons)
    total_date = add_years(c.stay_since, r.years_in_japan or 10)
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
        return _route(r, case, RouteStatus.NOT_MET, None, reasons)
    q_date = add_years(c.qualifying_since, r.years_qualifying or 5)
    reasons.append(
        Reason(
            f"就労資格・居住資格で{c.qualifying_since}から在留; {r.years_qualifying}年の到達日: {q_date}",
            f"on a work or residence status since {c.qualifying_since}; {r.years_qualifying} years on {q_date}",
        )
    )
    earliest = max(total_date, q_date, on)
    return _route(r, case, _by_date(earliest, on), earliest, reasons)


def _holder_start(case: Situation) -> tuple[bool, date | None]:
    """Is the applicant a 高度人材外国人, and since when (holder_since, else the run of HSP statuses)?"""
    hsp = case.applicant.hsp
    cur = case.cont.current_status()
    is_holder = bool(hsp and hsp.holder_since) or bool(cur and cur.hsp)
    since = hsp.holder_since if hsp and hsp.holder_since else case.cont.run_since(lambda s: s.hsp)
    return is_holder, since


def holder_run(history: list[PointsNotice], threshold: int, on: date) -> date | None:
    """Since when the applicant has held `threshold`+ points without a break, by the 通知書 (each score holds
    until the next notice); None when the latest notice on `on` is below the threshold."""
    notices = sorted((n for n in history if n.date <= on), key=lambda n: n.date)
    if not notices or notices[-1].points < threshold:
        return None
    start = notices[-1].date
    for n in reversed(notices[:-1]):
        if n.points < threshold:
            break
        start = n.date
    return start


def _hsp(r: RouteDef, case: Situation) -> RouteResult:
    a, c, on = case.applicant, case.cont, case.on
    threshold, years = r.threshold or 70, r.years or 3
    holder, holder_since = _holder_start(case)
    if r.kind == "hsp_holder" and not holder:
        return _route(
            r,
            case,
            RouteStatus.NOT_APPLICABLE,
            None,
            [
                Reason(
                    "高度専門職(高度人材外国人)ではありません。非保有者はhsp_points_*を参照",
                    "not an HSP holder; see hsp_points_* for non-holders",
                )
            ],
        )
    if r.kind == "hsp_points" and holder:
        return _route(
            r,
            case,
            RouteStatus.NOT_APPLICABLE,
            None,
            [Reason(f"高度専門職の保有者はhsp_{threshold}の要件で判断します", f"HSP holders use hsp_{threshold}")],
        )
    if a.hsp is None:
        status = (
            RouteStatus.CANNOT_DECIDE
            if case.profile.category == r.id or r.kind == "hsp_holder"
            else RouteStatus.NOT_APPLICABLE
        )
        return _route(
            r,
            case,
            status,
            None,
            [
                Reason(
                    "ポイントの根拠(applicant.hsp)が未入力のため評価していません",
                    "no points facts (applicant.hsp) in the profile; not assessed",
                )
            ],
        )
    reasons = _stay_reasons(c)
    if c.stay_since is None:
        return _no_stay(r, case, reasons)
    if r.kind == "hsp_holder":
        run = holder_run(a.hsp.points_history, threshold, on)
        if not a.hsp.points_history:
            return _route(
                r,
                case,
                RouteStatus.CANNOT_DECIDE,
                None,
                reasons
                + [
                    Reason(
                        f"高度人材外国人として{threshold}点以上で{years}年継続しているかは、ポイント計算結果通知書の履歴"
                        "(hsp.points_history: 日付と点数)がないと判断できません",
                        f"{years} years as an HSP holder with {threshold}+ points cannot be decided without the points "
                        "history (hsp.points_history: the date and score of each 通知書)",
                    )
                ],
            )
        if run is None:
            latest = max((n for n in a.hsp.points_history if n.date <= on), key=lambda n: n.date, default=None)
            shown = f"{latest.date}の通知書は{latest.points}点" if latest else f"{on}以前の通知書がありません"
            return _route(
                r,
                case,
                RouteStatus.NOT_MET,
                None,
                reasons
                + [
                    Reason(
                        f"{shown}で、{threshold}点以上で在留している期間がありません。{threshold}点以上の通知書"
                        "を受けた日から"
                        f"{years}年で満たします",
                        f"no period as an HSP holder with {threshold}+ points (latest notice: "
                        f"{latest.points if latest else '—'} points); the {years} years start with a"
                        f" {threshold}+ notice",
                    )
                ],
            )
        since = max(run, c.stay_since, holder_since or run)
        period_date = add_years(since, years)
        reasons.append(
            Reason(
                f"高度人材外国人として{threshold}点以上で{since}から継続(通知書による); {years}年の到達日:"
                f" {period_date}",
                f"an HSP holder with {threshold}+ points since {since} (notices); {years} years on {period_date}",
            )
        )
        now = check_points(a.hsp, a.birth_date, on, threshold, case.rules.points).now
        reasons.append(
            Reason(
                f"{on}時点のポイント: {now.total}点 (必要{threshold}点)",
                f"{now.total} points on {on} ({threshold} needed)",
            )
        )
        reasons += [Reason(ja, en) for ja, en in now.shortfall_reasons(threshold)]
        with_reference = False
    else:
        period_date = add_years(c.stay_since, years)
        reasons.append(Reason(f"継続在留{years}年の到達日: {period_date}", f"{years} years in Japan on {period_date}"))
        chk = check_points(a.hsp, a.birth_date, on, threshold, case.rules.points)
        reasons.append(
            Reason(
                f"{on}時点のポイント: {chk.now.total}点、基準時点{chk.reference_date}のポイント:"
                f" {chk.reference.total}点"
                f" (いずれも{threshold}点以上が必要)",
                f"{chk.now.total} points on {on} and {chk.reference.total} points on the reference date"
                f" {chk.reference_date} ({threshold} needed at both)",
            )
        )
        reasons += [
            Reason(ja, en)
            for ja, en in chk.now.shortfall_reasons(threshold) + chk.reference.shortfall_reasons(threshold)
        ]
        with_reference = True
    start = max(on, period_date)
    earliest = earliest_points_date(
        a.hsp,
        a.birth_date,
        threshold,
        start,
        add_years(start, PROJECTION_YEARS),
        case.rules.points,
        with_reference=with_reference,
    )
    if earliest is None:
        reasons.append(
            Reason(
                f"記録された事実のままでは{PROJECTION_YEARS}年以内にポイントを満たしません",
                f"with the facts as recorded the points are not reached within {PROJECTION_YEARS} years",
            )
        )
    elif earliest > on:
        reasons.append(
            Reason(f"事実が変わらなければ{earliest}に要件を満たします", f"met on {earliest} if nothing changes")
        )
    return _route(r, case, _by_date(earliest, on), earliest, reasons)


def _relatives(case: Situation, relationships: tuple[str, ...]) -> list[FamilyMember]:
    return [m for m in case.profile.family if m.relationship in relationships]


def _not_resident_status(m: FamilyMember) -> str | None:
    """The member's status when it shows they are not 永住者/特別永住者 (they file with a status of their own)."""
    recorded = m.application.status if m.application is not None else m.status
    if m.nationality == "日本" or not recorded:
        return None
    status = normalise_status(recorded)
    return None if status.startswith(("永住者", "特別永住者")) and not status.startswith("永住者の配偶者") else recorded


def _spouse(r: RouteDef, case: Situation) -> RouteResult:
    spouses = _relatives(case, SPOUSES)
    japanese = [m for m in spouses if m.nationality == "日本"]
    if case.profile.category != "spouse" and not japanese and case.family_route != "spouse":
        known_not = [(m, _not_resident_status(m)) for m in spouses if _not_resident_status(m)]
        if spouses and len(known_not) == len(spouses):
            m, st = known_not[0]
            return _route(
                r,
                case,
                RouteStatus.NOT_APPLICABLE,
                None,
                [
                    Reason(
                        f"配偶者({m.display_name})は「{st}」で日本人・永住者ではありません",
                        f"the spouse ({m.display_name}) holds {st}, not Japanese or a permanent resident",
                    )
                ],
            )
        if spouses:
            return _route(
                r,
                case,
                RouteStatus.CANNOT_DECIDE,
                None,
                [
                    Reason(
                        "配偶者が日本人・永住者・特別永住者かどうかプロフィールから分かりません",
                        "the profile does not say whether the spouse is Japanese or a permanent resident",
                    )
                ],
            )
        return _route(
            r, case, RouteStatus.NOT_APPLICABLE, None, [Reason("配偶者がいません", "no spouse in the profile")]
        )
    c, on = case.cont, case.on
    reasons = _stay_reasons(c)
    if c.stay_since is None:
        return _no_stay(r, case, reasons)
    one_year = add_years(c.stay_since, r.years_in_japan or 1)
    reasons.append(
        Reason(
            f"日本での継続在留{r.years_in_japan}年の到達日: {one_year}",
            f"{r.years_in_japan} year(s) in Japan on {one_year}",
        )
    )
    married = [m.marriage_date for m in spouses if m.marriage_date is not None]
    if not married:
        reasons.append(
            Reason(
                f"婚姻期間{r.marriage_years}年(実体を伴う婚姻生活)は、プロフィールに婚姻日("
                "family[].marriage_date)がないため判断できません",
                f"{r.marriage_years} years of real marriage cannot be decided: the profile has no marriage date ("
                "family[].marriage_date)",
            )
        )
        if one_year > on:
            return _route(r, case, RouteStatus.NOT_MET, None, reasons)
        return _route(r, case, RouteStatus.CANNOT_DECIDE, None, reasons)
    marriage_years = add_years(married[0], r.marriage_years or 3)
    reasons.append(
        Reason(
            f"婚姻期間{r.marriage_years}年の到達日: {marriage_years}(婚姻の実体があることが前提)",
            f"{r.marriage_years} years of marriage on {marriage_years} (the marriage must be real and ongoing)",
        )
    )
    earliest = max(one_year, marriage_years, on)
    return _route(r, case, _by_date(earliest, on), earliest, reasons)


def _child(r: RouteDef, case: Situation) -> RouteResult:
    parents = _relatives(case, PARENTS)
    japanese_parent = any(m.nationality == "日本" for m in parents)
    if case.profile.category != "child" and not japanese_parent and case.family_route != "child":
        if parents and all(_not_resident_status(m) for m in parents):
            return _route(
                r,
                case,
                RouteStatus.NOT_APPLICABLE,
                None,
                [Reason("親は日本人・永住者ではありません", "no parent is Japanese or a permanent resident")],
            )
        if parents:
            return _route(
                r,
                case,
                RouteStatus.CANNOT_DECIDE,
                None,
                [
                    Reason(
                        "親が日本人・永住者・特別永住者かどうかプロフィールから分かりません",
                        "the profile does not say whether a parent is Japanese or a permanent resident",
                    )
                ],
            )
        return _route(
            r,
            case,
            RouteStatus.NOT_APPLICABLE,
            None,
            [
                Reason(
                    "日本人・永住者等の親がいません", "no parent who is Japanese or a permanent resident in the profile"
                )
            ],
        )
    c, on = case.cont, case.on
    reasons = _stay_reasons(c) + [
        Reason(
            "実子又は特別養子に限ります(普通養子は対象外)",
            "only a natural or specially adopted child (not an ordinary adoption)",
        )
    ]
    if c.stay_since is None:
        return _no_stay(r, case, reasons)
    earliest = max(add_years(c.stay_since, r.years_in_japan or 1), on)
    reasons.append(
        Reason(
            f"日本での継続在留{r.years_in_japan}年の到達日: {add_years(c.stay_since, r.years_in_japan or 1)}",
            f"{r.years_in_japan} year(s) in Japan on {add_years(c.stay_since, r.years_in_japan or 1)}",
        )
    )
    return _route(r, case, _by_date(earliest, on), earliest, reasons)


def _teijusha(r: RouteDef, case: Situation) -> RouteResult:
    c, on = case.cont, case.on
    name = normalise_status(r.status or "定住者")
    since = c.run_since(lambda s: normalise_status(s.status).startswith(name))
    if since is None:
        return _route(
            r,
            case,
            RouteStatus.NOT_APPLICABLE,
            None,
            [Reason(f"現在の在留資格は「{r.status}」ではありません", f"the current status is not {r.status}")],
        )
    earliest = max(add_years(since, r.years or 5), on)
    reasons = _stay_reasons(c) + [
        Reason(
            f"「{r.status}」で{since}から継続在留; {r.years}年の到達日: {add_years(since, r.years or 5)}",
            f"on {r.status} since {since}; {r.years} years on {add_years(since, r.years or 5)}",
        )
    ]
    return _route(r, case, _by_date(earliest, on), earliest, reasons)


def _informational(r: RouteDef, case: Situation) -> RouteResult:
    reasons = [Reason(r.note.ja, r.note.en)] if r.note else []
    if case.cont.stay_since:
        reasons.append(
            Reason(
                f"参考: 継続在留は{case.cont.stay_since}から{case.cont.years_in_japan}年",
                f"for reference: {case.cont.years_in_japan} years in Japan since {case.cont.stay_since}",
            )
        )
    return _route(r, case, RouteStatus.INFORMATIONAL, None, reasons)


ROUTES: dict[str, Callable[[RouteDef, Situation], RouteResult]] = {
    "general": _general,
    "hsp_holder": _hsp,
    "hsp_points": _hsp,
    "spouse": _spouse,
    "child": _child,
    "teijusha": _teijusha,
    RouteStatus.INFORMATIONAL: _informational,
}


def assess_routes(case: Situation) -> list[RouteResult]:
    out = []
    for r in case.eligibility.routes:
        if not r.in_force(case.on):
            out.append(
                _route(
                    r,
                    case,
                    RouteStatus.NOT_APPLICABLE,
                    None,
                    [Reason(f"この特例は{r.start}からです", f"this route exists from {r.start}")],
                )
            )
            continue
        out.append(_law_then_risks(r, case, ROUTES[r.kind](r, case)))
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
    if c.risks:
        years = r.years_in_japan or r.years or 1
        result.risk = assess_risk(c.risks, case.on, years)
    return result


def assess_risk(risks: list[Event], on: date, years: int) -> Risk:
    """The level of the risks still open on `on`, and the day the last of them falls away: if a trip or a heavy
    year were taken as breaking continuity, the count would restart and the route need `years` again."""
    open_events: list[tuple[Event, date | None]] = []
    for e in risks:
        clears = add_years(e.restart, years) if e.restart else None
        if clears is None or clears > on:
            open_events.append((e, clears))
    reasons = [Reason(e.ja, e.en) for e in risks]
    if not open_events:
        reasons.append(
            Reason(f"いずれも{years}年以上前のため、数え直しても要件を満たします", f"all are over {years} years ago")
        )
        return Risk(RiskLevel.LOW, reasons, None)
    level = max((e.level or RiskLevel.LOW for e, _ in open_events), key=lambda lv: lv.rank)
    dates = [d for _, d in open_events]
    clears_on = None if any(d is None for d in dates) else max(d for d in dates if d is not None)
    if clears_on:
        reasons.append(
            Reason(
                f"継続性を否定された場合でも{clears_on}には要件を満たします(その日以降はこのリスクがなくなります)",
                f"even if continuity were denied, the route would be met on {clears_on}",
            )
        )
    reasons.append(
        Reason(
            "出国日数の目安は実務上のもので、法令上の要件ではありません(要確認)",
            "the absence figures are practitioners' rules of thumb, not law (to be checked)",
        )
    )
    return Risk(level, reasons, clears_on)
