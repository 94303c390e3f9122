"""The 高度人材 routes (guideline 特例 6 and 7): 70 / 80 points now and either
  ア 3 / 1 years as a 高度人材外国人 with the points held without a break (the notices and the calculation), or
  イ 3 / 1 years of continuous residence and the points also on the reference date (申請日の3年前 / 1年前).
イ is open to holders and non-holders alike (hsp_points_70 / hsp_points_80); a holder's route (hsp_70 / hsp_80)
is met by either. Both need a definite time in Japan, so a date is given whatever the points history.

Reference: permanent-residence.md §4.3 6–7, §10.2, §11.4.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from docgen.assessment.points import check_points, earliest_points_date
from docgen.assessment.points.held import Holder, held_run, hsp_holder, notices_run
from docgen.assessment.results import Reason, RouteResult, RouteStatus
from docgen.assessment.routes.verdict import by_date, no_stay, route_result, stay_reasons
from docgen.assessment.situation import Situation
from docgen.dates import add_years
from docgen.rules.eligibility import HspRoute

PROJECTION_YEARS = 10  # how far ahead an earliest date is searched


@dataclass
class Alternative:
    """One of the two ways to meet a points route: its verdict, earliest date and reasons."""

    status: RouteStatus
    earliest: date | None
    reasons: list[Reason]


def hsp(r: HspRoute, case: Situation) -> RouteResult:
    a, c = case.applicant, case.cont
    holder = hsp_holder(a, c)
    if r.kind == "hsp_holder" and not holder.holder:
        return route_result(
            r,
            case,
            RouteStatus.NOT_APPLICABLE,
            None,
            [
                Reason(
                    "高度専門職(高度人材外国人)ではありません。ポイントによるルートはhsp_points_*を参照",
                    "not an HSP holder; see hsp_points_* for the points route",
                )
            ],
        )
    if a.hsp is None:
        status = (
            RouteStatus.CANNOT_DECIDE
            if case.profile.category == r.id or r.kind == "hsp_holder"
            else RouteStatus.NOT_APPLICABLE
        )
        why = Reason(
            "ポイントの根拠(applicant.hsp)が未入力のため評価していません",
            "no points facts (applicant.hsp) in the profile; not assessed",
        )
        return route_result(r, case, status, None, [why])
    reasons = stay_reasons(c)
    if c.stay_since is None:
        return no_stay(r, case, reasons)
    i = _by_reference_date(r, case)
    if r.kind == "hsp_points":
        return route_result(r, case, i.status, i.earliest, reasons + i.reasons)
    return _either(r, case, reasons, _as_holder(r, case, holder), i)


def _either(r: HspRoute, case: Situation, reasons: list[Reason], a: Alternative, i: Alternative) -> RouteResult:
    """A holder's route: met by ア or イ; otherwise the earlier of their dates."""
    threshold, years = r.threshold, r.years
    lines = [Reason(f"ア: {x.ja}", f"(a) {x.en}") for x in a.reasons]
    lines += [Reason(f"イ: {x.ja}", f"(b) {x.en}") for x in i.reasons]
    statuses = {a.status, i.status}
    if RouteStatus.MET in statuses:
        which = "ア(高度人材外国人として継続)" if a.status is RouteStatus.MET else "イ(申請時及び基準時点のポイント)"
        which_en = "(a) as a holder" if a.status is RouteStatus.MET else "(b) points now and on the reference date"
        lines.append(Reason(f"{which}で満たします", f"met by {which_en}"))
        return route_result(r, case, RouteStatus.MET, case.on, reasons + lines)
    if RouteStatus.CANNOT_DECIDE in statuses:
        return route_result(r, case, RouteStatus.CANNOT_DECIDE, None, reasons + lines)
    dates = [d for d in (a.earliest, i.earliest) if d is not None]
    earliest = min(dates) if dates else None
    lines.append(
        Reason(
            f"{threshold}点・{years}年: ア {a.earliest or '—'} / イ {i.earliest or '—'} の早い方で満たします"
            if earliest
            else f"記録された事実のままではア・イとも{PROJECTION_YEARS}年以内に満たしません",
            f"{threshold} points, {years} years: the earlier of (a) {a.earliest or '—'} and (b) {i.earliest or '—'}"
            if earliest
            else f"with the facts as recorded neither (a) nor (b) is met within {PROJECTION_YEARS} years",
        )
    )
    return route_result(r, case, RouteStatus.NOT_MET, earliest, reasons + lines)


def _as_holder(r: HspRoute, case: Situation, holder: Holder) -> Alternative:
    """ア: `years` as a 高度人材外国人 with `threshold`+ points throughout — by the notices (points_history) and the
    calculation; a dip restarts the count. Without notices the date is still definite; once reached, the notices
    must show the score (cannot decide)."""
    a, c, on = case.applicant, case.cont, case.on
    assert a.hsp is not None and c.stay_since is not None
    threshold, years = r.threshold, r.years
    start = max(d for d in (holder.since, c.stay_since) if d is not None)
    history = a.hsp.points_history
    reasons: list[Reason] = []
    if history:
        run = notices_run(history, threshold, on)
        if run is None:
            latest = max((n for n in history if n.date <= on), key=lambda n: n.date, default=None)
            shown = f"{latest.date}の通知書は{latest.points}点" if latest else f"{on}以前の通知書がありません"
            return Alternative(
                RouteStatus.NOT_MET,
                None,
                [
                    Reason(
                        f"{shown}で、{threshold}点以上で在留している期間がありません。{threshold}点以上の通知書を受けた日"
                        f"から{years}年で満たします",
                        f"no period as an HSP holder with {threshold}+ points (latest notice: "
                        f"{latest.points if latest else '—'} points); the {years} years start with a {threshold}+"
                        " notice",
                    )
                ],
            )
        start = max(start, run)
        reasons += _notices_against_facts(case, threshold)
    horizon = add_years(on, PROJECTION_YEARS)
    last_notice = max((n.date for n in history if n.date <= on), default=None)
    held = held_run(case.scores, threshold, years, start, on, horizon, notices_until=last_notice)
    for day, total in held.dips:
        reasons.append(
            Reason(
                f"{day}時点の計算は{total}点で{threshold}点を下回るため、継続はその後{threshold}点に戻った日から"
                "数え直します",
                f"the score on {day} is {total}, below {threshold}: the count restarts when it is met again",
            )
        )
    if held.earliest is None or held.start is None:
        reasons.append(
            Reason(
                f"記録された事実のままでは{PROJECTION_YEARS}年以内に{threshold}点に戻りません",
                f"with the facts as recorded the score does not reach {threshold} again within {PROJECTION_YEARS}"
                " years",
            )
        )
        return Alternative(RouteStatus.NOT_MET, None, reasons)
    basis = "通知書と計算による" if history else "計算による"
    reasons.append(
        Reason(
            f"高度人材外国人として{threshold}点以上で{held.start}から継続({basis}); {years}年の到達日:"
            f" {add_years(held.start, years)}",
            f"an HSP holder with {threshold}+ points since {held.start} ({'notices and ' if history else ''}"
            f"calculation); {years} years on {add_years(held.start, years)}",
        )
    )
    if held.earliest > on:
        return Alternative(RouteStatus.NOT_MET, held.earliest, reasons)
    if not history:
        reasons.append(
            Reason(
                f"{threshold}点以上で{years}年継続していることは、ポイント計算結果通知書の履歴(hsp.points_history:"
                " 日付と点数)で確認します",
                f"{years} years with {threshold}+ points are shown by the points history (hsp.points_history: the"
                " date and score of each 通知書)",
            )
        )
        return Alternative(RouteStatus.CANNOT_DECIDE, None, reasons)
    now = check_points(case.scores, on, threshold).now
    reasons.append(Reason(f"{on}時点のポイント: {now.total}点", f"{now.total} points on {on}"))
    return Alternative(RouteStatus.MET, on, reasons)


def _notices_against_facts(case: Situation, threshold: int) -> list[Reason]:
    """A notice of `threshold`+ points that the profile's facts do not reach on its date: facts are missing."""
    a = case.applicant
    assert a.hsp is not None
    out = []
    for n in a.hsp.points_history:
        if n.date > case.on or n.points < threshold:
            continue
        total = case.scores.on(n.date).total
        if total < threshold:
            out.append(
                Reason(
                    f"{n.date}の通知書は{n.points}点ですが、プロフィールの事実からの計算は{total}点です。"
                    "ポイントの事実(applicant.hsp)が足りない可能性があります(要確認)",
                    f"the notice of {n.date} says {n.points} points but the profile's facts give {total}; points"
                    " facts (applicant.hsp) may be missing (to be checked)",
                )
            )
    return out


def _by_reference_date(r: HspRoute, case: Situation) -> Alternative:
    """イ: `years` of continuous residence and `threshold`+ points both now and on the reference date."""
    a, c, on = case.applicant, case.cont, case.on
    assert a.hsp is not None and c.stay_since is not None
    threshold, years = r.threshold, r.years
    period_date = add_years(c.stay_since, years)
    reasons = [Reason(f"継続在留{years}年の到達日: {period_date}", f"{years} years in Japan on {period_date}")]
    chk = check_points(case.scores, on, threshold)
    reasons.append(
        Reason(
            f"{on}時点のポイント: {chk.now.total}点、基準時点{chk.reference_date}のポイント: {chk.reference.total}点"
            f" (いずれも{threshold}点以上が必要)",
            f"{chk.now.total} points on {on} and {chk.reference.total} points on the reference date"
            f" {chk.reference_date} ({threshold} needed at both)",
        )
    )
    reasons += [
        Reason(ja, en) for ja, en in chk.now.shortfall_reasons(threshold) + chk.reference.shortfall_reasons(threshold)
    ]
    start = max(on, period_date)
    earliest = earliest_points_date(
        case.scores, threshold, start, add_years(start, PROJECTION_YEARS), with_reference=True
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
    return Alternative(by_date(earliest, on), earliest, reasons)
