"""Dates that matter to the office: the likely decision date (filing + processing time), a period of stay or
a passport that ends before it, and certificates that would be too old on the planned date.

Reference: permanent-residence.md §1.0 (no 特例期間, processing time), §2 (3 months), §10.5, §10.6.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from docgen.assessment.continuity import RiskLevel
from docgen.assessment.results import Check, CheckStatus, Reason
from docgen.assessment.situation import Situation
from docgen.dates import add_months
from docgen.messages import say
from docgen.rules.dated import in_force
from docgen.rules.periods import issued_on_or_after
from docgen.rules.sources import Source


@dataclass(frozen=True)
class Decision:
    """When a decision is likely: the filing date plus the processing time (the office's, or the default)."""

    on: date
    days: int
    office_setting: bool
    sources: tuple[Source, ...]
    review: str | None


def likely_decision(case: Situation) -> Decision:
    v = in_force(
        case.eligibility.decision.versions,
        case.on,
        say("審査期間（eligibility.yaml decision）", "the processing time (eligibility.yaml decision)"),
    )
    days = case.processing_days or v.processing_days
    office = case.processing_days is not None
    return Decision(
        case.on + timedelta(days=days),
        days,
        office,
        () if office else case.eligibility.src(v.sources),
        None if office else v.review,
    )


def _decision_check(case: Situation, d: Decision) -> Check:
    where = "事務所の設定 (docgen.toml [rules] processing_days)" if d.office_setting else "公表された平均処理日数"
    where_en = "the office setting ([rules] processing_days)" if d.office_setting else "the reported average"
    return Check(
        "decision_date",
        {"ja": "審査結果の見込み時期", "en": "Likely decision date"},
        CheckStatus.INFO,
        [
            Reason(
                f"{case.on}に申請した場合、結果は{d.on}頃の見込みです(審査期間{d.days}日: {where})",
                f"filed on {case.on}, a decision is likely around {d.on} ({d.days} days: {where_en})",
            ),
            Reason("見込みであり、入管の処理期間は案件により大きく異なります", "an estimate; processing times vary"),
        ],
        d.sources,
        d.review,
        official=False,
        data={"application_date": case.on.isoformat(), "likely_decision": d.on.isoformat(), "days": d.days},
    )


def _stay_check(case: Situation, d: Decision) -> Check:
    a = case.applicant
    title = {"ja": "審査中の在留期限", "en": "Period of stay during the review"}
    src = case.eligibility.src(case.eligibility.decision.stay_expiry_sources)
    data = {"stay_expiry": a.stay_expiry.isoformat(), "likely_decision": d.on.isoformat()}
    if a.stay_expiry >= d.on:
        reason = Reason(
            f"在留期限{a.stay_expiry}は審査結果の見込み({d.on})より後です",
            f"the period of stay ({a.stay_expiry}) outlasts the likely decision ({d.on})",
        )
        return Check("stay_during_review", title, CheckStatus.OK, [reason], src, data=data)
    reasons = [
        Reason(
            f"在留期限{a.stay_expiry}は審査結果の見込み({d.on})より前です。永住許可申請は在留期間を延長しないため、"
            f"{a.stay_expiry}までに在留期間更新許可申請を別途行ってください",
            f"the period of stay ends on {a.stay_expiry}, before the likely decision ({d.on}); a pending PR "
            f"application does not extend it: apply for renewal (更新) separately by {a.stay_expiry}",
        )
    ]
    data["renew_by"] = data["stay_expiry"]
    check = Check("stay_during_review", title, CheckStatus.RISK, reasons, src, data=data)
    check.level = RiskLevel.LOW  # a task (renew separately), not a doubt about the grant
    return check


def _passport_check(case: Situation, d: Decision) -> Check | None:
    expiry = case.applicant.passport.expiry
    if expiry >= d.on:
        return None
    return Check(
        "passport_during_review",
        {"ja": "審査中の旅券の有効期限", "en": "Passport expiry during the review"},
        CheckStatus.RISK,
        [
            Reason(
                f"旅券の有効期限{expiry}は審査結果の見込み({d.on})より前です。審査中に旅券を更新することになります"
                "(更新後の手続は要確認)",
                f"the passport expires on {expiry}, before the likely decision ({d.on}); it will be renewed"
                " during the review (what to notify: to be checked)",
            )
        ],
        (),
        "旅券更新時の入管への届出・提示の要否は要確認",
        data={"passport_expiry": expiry.isoformat(), "likely_decision": d.on.isoformat()},
        level=RiskLevel.LOW,
    )


def last_filing_date(issued: date, months: int = 3) -> date:
    """Last application date on which a certificate issued on `issued` is still within `months`."""
    d = add_months(issued, months)
    while issued_on_or_after(d + timedelta(days=1), months) <= issued:
        d += timedelta(days=1)
    return d


def _certificates(case: Situation) -> Check:
    rule = case.eligibility.certificates
    last = last_filing_date(case.today, rule.valid_months)
    first = issued_on_or_after(case.on, rule.valid_months)
    reasons = [
        Reason(
            f"{case.today}に取得した証明書は{last}までの申請に使えます",
            f"a certificate issued on {case.today} can be filed until {last}",
        ),
        Reason(
            f"{case.on}に申請する場合、証明書は{first}以降に発行されたものが必要です",
            f"to file on {case.on}, certificates must be issued on or after {first}",
        ),
    ]
    if last < case.on:
        reasons.append(
            Reason(
                f"今日までに取得した証明書は申請予定日には発行後{rule.valid_months}か月を超えます。{first}以降に取り直してください",
                f"certificates issued by today will be older than {rule.valid_months} months on {case.on}; obtain them"
                f" from {first}",
            )
        )
    return Check(
        "certificates",
        {
            "ja": f"証明書の有効期間(発行後{rule.valid_months}か月)",
            "en": f"Certificate validity ({rule.valid_months} months)",
        },
        CheckStatus.INFO,
        reasons,
        case.eligibility.src(rule.sources),
        data={
            "collected_on": case.today.isoformat(),
            "file_by": last.isoformat(),
            "application_date": case.on.isoformat(),
            "issued_on_or_after": first.isoformat(),
            "stale_if_issued_today": last < case.on,
        },
    )


def assess_deadlines(case: Situation) -> list[Check]:
    """The likely decision date, what ends before it, and when certificates must be issued."""
    d = likely_decision(case)
    passport = _passport_check(case, d)
    return [_decision_check(case, d), _stay_check(case, d), *([passport] if passport else []), _certificates(case)]
