"""The 高度人材 routes: holders by their ポイント計算結果通知書 history (80 → 1 year, 70 → 3 years held
continuously), non-holders by the score now and at the reference date. Reference: permanent-residence.md §4.3 6–7."""

from __future__ import annotations

from datetime import date

from docgen.assessment.points import check_points, earliest_points_date
from docgen.assessment.results import Reason, RouteResult, RouteStatus
from docgen.assessment.routes.verdict import by_date, no_stay, route_result, stay_reasons
from docgen.assessment.situation import Situation
from docgen.dates import add_years
from docgen.profile.hsp import PointsNotice
from docgen.rules.eligibility import RouteDef

PROJECTION_YEARS = 10  # how far ahead an earliest date is searched


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


def hsp(r: RouteDef, case: Situation) -> RouteResult:
    a, c, on = case.applicant, case.cont, case.on
    threshold, years = r.threshold or 70, r.years or 3
    holder, holder_since = _holder_start(case)
    if r.kind == "hsp_holder" and not holder:
        return route_result(
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
        return route_result(
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
        return route_result(
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
    reasons = stay_reasons(c)
    if c.stay_since is None:
        return no_stay(r, case, reasons)
    if r.kind == "hsp_holder":
        run = holder_run(a.hsp.points_history, threshold, on)
        if not a.hsp.points_history:
            return route_result(
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
            return route_result(
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
    return route_result(r, case, by_date(earliest, on), earliest, reasons)
