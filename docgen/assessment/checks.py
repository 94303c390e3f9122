"""The other checks on a date: the income benchmark, payments on time, the guarantor, the 経営・管理 standards
and time abroad. The longest period of stay (longest_stay.py), criminal penalties (conduct.py), traffic
(traffic.py), work (work.py: job gaps, work outside the status) and the dates that matter (deadlines.py) are
their own modules.

Reference: permanent-residence.md §6, §7, §11.
"""

from __future__ import annotations

from docgen.assessment.conduct import criminal_check
from docgen.assessment.continuity import RiskLevel
from docgen.assessment.deadlines import assess_deadlines
from docgen.assessment.household import income_benchmark, income_years, late_payments, year_leaves_lookback
from docgen.assessment.longest_stay import longest_stay_check
from docgen.assessment.results import BenchmarkStatus, Check, CheckStatus, Reason
from docgen.assessment.situation import Situation
from docgen.assessment.traffic import traffic_check
from docgen.assessment.work import household_work_check, job_gap_check, work_outside_status_check
from docgen.messages import say
from docgen.profile.model import normalise_status
from docgen.rules.dated import in_force

BENCHMARK_WORDS = {BenchmarkStatus.OK: "目安以上", BenchmarkStatus.BELOW: "目安未満", BenchmarkStatus.UNKNOWN: "不明"}


def _income_check(case: Situation) -> Check:
    v = income_benchmark(case)
    years = income_years(case)
    title = {"ja": "収入の目安(独立生計)", "en": "Income benchmark (independent livelihood)"}
    src = case.eligibility.src(v.sources)
    below = [str(y.year) for y in years if y.status is BenchmarkStatus.BELOW]
    unknown = [str(y.year) for y in years if y.status is BenchmarkStatus.UNKNOWN]
    summary = (
        (f"直近{len(years)}年分すべて目安以上", f"all {len(years)} years at or above the benchmark")
        if not below and not unknown
        else (
            f"目安未満: {'、'.join(below) or 'なし'} / 未入力: {'、'.join(unknown) or 'なし'}",
            f"below: {', '.join(below) or 'none'}; unknown: {', '.join(unknown) or 'none'}",
        )
    )
    reasons = [Reason(*summary)]
    for y in years:
        amount = "未入力" if y.income is None else f"{y.income:,}円"
        if len(y.earners) > 1:
            amount += "(" + " + ".join(f"{name} {x:,}円" for name, x in y.earners.items()) + ")"
        not_added = "".join(f"、{who}の収入{x:,}円は合算せず" for who, x in y.family_income_not_added.items())
        reasons.append(
            Reason(
                f"{y.label}: 世帯年収{amount} / 目安{y.benchmark:,}円(扶養{y.dependants}人{not_added}) —"
                f" {BENCHMARK_WORDS[y.status]}",
                f"{y.year}: household income {'unknown' if y.income is None else format(y.income, ',')} "
                f"vs benchmark {y.benchmark:,} ({y.dependants} dependants) — {y.status.value}",
            )
        )
    if case.route_kind in case.eligibility.income_benchmark.exempt_routes:
        reasons.insert(
            1,
            Reason(
                "日本人・永住者等の配偶者・子は独立生計要件が不要です(法22条2項ただし書)。参考表示",
                "spouses and children of Japanese nationals / permanent residents are exempt from the livelihood"
                " requirement; for reference only",
            ),
        )
        status = CheckStatus.INFO
    elif below:
        status = CheckStatus.RISK
    elif unknown:
        status = CheckStatus.UNKNOWN
    else:
        status = CheckStatus.OK
    reasons.append(
        Reason(
            "この目安は実務上のもので公式の基準ではありません",
            "this is a practitioners' benchmark, not an official criterion",
        )
    )
    check = Check(
        "income_benchmark",
        title,
        status,
        reasons,
        src,
        v.review,
        official=v.official,
        data={"years": [y.to_json() for y in years], "single": v.single, "per_dependant": v.per_dependant},
    )
    if status is CheckStatus.RISK:  # until the last year below the benchmark is off the list (直近N年分)
        check.level = RiskLevel.MEDIUM
        check.until = year_leaves_lookback(case, max(int(y) for y in below))
        reasons.insert(
            1,
            Reason(
                f"目安未満の年は{check.until}以降の申請で確認期間から外れます",
                f"the years below the benchmark are off the list for applications from {check.until}",
            ),
        )
    return check


def _late_check(case: Situation) -> Check:
    v = in_force(
        case.eligibility.late_payment.versions,
        case.on,
        say("納付の遅れの扱い（eligibility.yaml）", "the late-payment rule (eligibility.yaml)"),
    )
    late = late_payments(case)
    title = {"ja": "住民税・年金・医療保険の納付時期", "en": "Tax, pension and health insurance paid on time"}
    reasons = []
    for t in late.resident_tax:
        reasons.append(
            Reason(
                f"{t.person}: {t.label}({t.year}年分)の住民税を納期限後に納付",
                f"{t.person}: resident tax for {t.year} paid late",
            )
        )
    for enrolments, ja, en in (
        (late.pension, "年金", "pension"),
        (late.health_insurance, "医療保険", "health insurance"),
    ):
        for e in enrolments:
            reasons.append(
                Reason(
                    f"{e.person}: {e.kind}({e.start}〜{e.end or '現在'})の{ja}保険料を納期限後に納付",
                    f"{e.person}: {en} ({e.kind}, {e.start}–{e.end or 'now'}) paid late",
                )
            )
    if not reasons:
        return Check(
            "late_payments",
            title,
            CheckStatus.OK,
            [
                Reason(
                    f"直近{case.tax_years}年分の住民税と直近{case.insurance_months}か月の年金・医療保険に遅れの"
                    "記録はありません",
                    f"no late payment recorded in the last {case.tax_years} tax years and {case.insurance_months}"
                    " months",
                )
            ],
            case.eligibility.src(v.sources),
            data=late.to_json(),
        )
    clean = late.clean_from
    reasons.insert(
        0,
        Reason(
            f"納付の遅れが確認期間から外れるのは{clean}以降の申請です(直近{case.tax_years}年分の住民税・"
            f"直近{case.insurance_months}か月の年金・医療保険)"
            if clean
            else "納付の遅れが続いている期間があり、確認期間から外れる日は決まりません",
            f"the late payments are off the windows for applications from {clean}"
            if clean
            else "a late-paid enrolment is still going on: no date on which the windows are clean",
        ),
    )
    if v.explicit:
        reasons.append(
            Reason(
                "申請時に納付済みでも、当初の納期限内に納付していない場合は原則として消極的に評価されます("
                "2024-11-18のガイドライン注記)",
                "late payment counts against the applicant even if paid before filing (guideline note of 2024-11-18)",
            )
        )
    else:
        reasons.append(
            Reason(
                "納期限後の納付は不許可の原因になり得ます(実務上の見解)",
                "late payment can lead to refusal (practitioners)",
            )
        )
    check = Check(
        "late_payments", title, CheckStatus.RISK, reasons, case.eligibility.src(v.sources), data=late.to_json()
    )
    check.level, check.until = RiskLevel.HIGH, clean
    return check


def _guarantor(case: Situation) -> Check:
    g, rule = case.profile.guarantor, case.eligibility.guarantor
    title = {"ja": "身元保証人", "en": "Guarantor"}
    ok = g.status in rule.allowed
    reason = (
        Reason(f"{g.name}({g.status}、{g.relationship})", f"{g.name} ({g.status}, {g.relationship})")
        if ok
        else Reason(
            f"身元保証人は{'・'.join(rule.allowed)}である必要があります",
            f"the guarantor must be one of: {', '.join(rule.allowed)}",
        )
    )
    return Check(
        "guarantor",
        title,
        CheckStatus.OK if ok else CheckStatus.NG,
        [reason],
        case.eligibility.src(rule.sources),
        data={"name": g.name, "status": g.status, "relationship": g.relationship},
    )


def _business(case: Situation) -> Check | None:
    a, rule = case.applicant, case.eligibility.business_standards
    status = normalise_status(a.status)
    hsp_ha = status.startswith("高度専門職") and a.hsp is not None and a.hsp.field == "ハ"
    if not (any(status.startswith(normalise_status(s)) for s in rule.statuses) or hsp_ha):
        return None
    v = in_force(
        rule.versions, case.on, say("経営・管理の基準（eligibility.yaml）", "the business standards (eligibility.yaml)")
    )
    title = {"ja": "経営・管理の基準", "en": "Business manager standards"}
    src = case.eligibility.src(v.sources)
    if a.business is None:
        return Check(
            "business_standards",
            title,
            CheckStatus.UNKNOWN,
            [
                Reason(
                    "事業の情報(applicant.business)が未入力です",
                    "no business facts (applicant.business) in the profile",
                )
            ],
            src,
            v.review,
        )
    results = []
    for req in v.requirements:
        value = int(getattr(a.business, req.field))
        results.append((req, value >= req.min))
    met = all(ok for _, ok in results) if v.mode == "all_of" else any(ok for _, ok in results)
    reasons = [Reason(f"{'○' if ok else '×'} {req.ja}", f"{'yes' if ok else 'no'}: {req.en}") for req, ok in results]
    since = v.start.isoformat() if v.start else ""
    reasons.append(
        Reason(
            f"{since}以降の申請に適用される基準({'いずれか' if v.mode == 'any_of' else 'すべて'})",
            f"standards for applications from {since} ({v.mode.replace('_', ' ')})",
        )
    )
    check = Check(
        "business_standards",
        title,
        CheckStatus.OK if met else CheckStatus.NG,
        reasons,
        src,
        v.review,
        data={"mode": v.mode, "from": since, "requirements": [{"field": r.field, "met": ok} for r, ok in results]},
    )
    if not met:  # the decision quotes the first reason: what fails
        failed = [req for req, ok in results if not ok]
        reasons.insert(
            0,
            Reason(
                f"「{a.status}」の基準({since}以降)を満たしていません: " + "、".join(f"×{r.ja}" for r in failed),
                f"the standards for {a.status} (from {since}) are not met: " + "; ".join(r.en for r in failed),
            ),
        )
        check.waiting = Reason("事業が基準を満たした後", "once the business meets the standards")
    return check


def _continuity_check(case: Situation) -> Check:
    c = case.cont
    title = {"ja": "出国日数(継続性)", "en": "Time abroad (continuity)"}
    reasons = [Reason(e.ja, e.en) for e in c.risks]
    status = CheckStatus.RISK if c.risks else CheckStatus.OK
    if not reasons:
        reasons = [Reason("長期の出国はありません", "no long absences")]
    official = c.thresholds.official if c.thresholds else False
    reasons.append(
        Reason(
            "出国日数の目安は実務上のもので公式の基準ではありません",
            "the absence thresholds are practitioners' rules of thumb, not official",
        )
    )
    return Check(
        "continuity",
        title,
        status,
        reasons,
        c.sources,
        official=official,
        data={
            "trips": [t.to_json() for t in c.trips],
            "days_abroad_by_year": {str(k): v for k, v in sorted(c.days_abroad_by_year.items())},
        },
    )


def assess_checks(case: Situation) -> list[Check]:
    out = [longest_stay_check(case), _income_check(case), _late_check(case), criminal_check(case), _guarantor(case)]
    optional = [_business(case), job_gap_check(case), work_outside_status_check(case), household_work_check(case)]
    out += [c for c in optional if c is not None]
    return out + [_continuity_check(case), traffic_check(case), *assess_deadlines(case)]
