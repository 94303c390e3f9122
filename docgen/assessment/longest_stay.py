"""ウ 最長の在留期間: the period of stay held against the longest one for the status (施行規則別表第二, dated data),
with the 3年 treatment until 2027-03-31 and a family member filing together on a shorter period as 要確認.

Reference: permanent-residence.md §4.2 (3)ウ, §4.4, §10.6, §11.1, §11.2.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import timedelta

from docgen.assessment.continuity import RiskLevel
from docgen.assessment.deadlines import likely_decision
from docgen.assessment.results import Check, CheckStatus, Reason
from docgen.assessment.situation import Situation
from docgen.messages import say
from docgen.rules.dated import in_force

TITLE = {"ja": "最長の在留期間", "en": "Longest period of stay"}
UNLIMITED = 10**6  # 無期限, in days
PERIOD_RE = re.compile(r"^(?:(\d+)年)?(?:(\d+)(?:か月|ヶ月|カ月|ヵ月|月))?(?:(\d+)日)?$")


def period_days(period: str) -> int | None:
    """A period of stay as a length to compare (5年 > 3年 > 1年 > 6月 > 30日; 無期限 longest); None if unreadable."""
    text = unicodedata.normalize("NFKC", period).replace(" ", "")
    if text == "無期限":
        return UNLIMITED
    m = PERIOD_RE.match(text)
    if not text or m is None:
        return None
    years, months, days = (int(x) if x else 0 for x in m.groups())
    return years * 365 + months * 30 + days


def longest_stay_check(case: Situation) -> Check:
    rules, a, on = case.eligibility.longest_stay, case.applicant, case.on
    v = in_force(
        rules.versions, on, say("最長の在留期間（eligibility.yaml）", "the longest period of stay (eligibility.yaml)")
    )
    rule = rules.maximum_for(a.status, on)
    maximum = rule.max if rule else rules.default_maximum
    sources = case.eligibility.src(v.sources + (rule.sources if rule else []))
    review = v.review or (None if rule else rules.default_review)
    held, longest, three = period_days(a.period_of_stay), period_days(maximum), rules.counted_years * 365
    data = {
        "status": a.status,
        "period_of_stay": a.period_of_stay,
        "maximum": maximum,
        "three_years_counts": v.three_years_counts,
        "rule_from": v.start.isoformat() if v.start else None,
        "rule_until": v.end.isoformat() if v.end else None,
    }

    def result(status: CheckStatus, reasons: list[Reason]) -> Check:
        return Check("longest_period_of_stay", TITLE, status, reasons, sources, review, data=data)

    if held is None or longest is None:
        return result(
            CheckStatus.UNKNOWN,
            [
                Reason(
                    "在留期間(period_of_stay)を「5年」「3年」「1年」「6月」のように書いてください。読めないため判断できません",
                    "write the period of stay (period_of_stay) as 5年, 3年, 1年 or 6月; it cannot be read",
                )
            ],
        )
    if held >= longest:
        return result(
            CheckStatus.OK,
            [
                Reason(
                    f"在留期間{a.period_of_stay}は「{a.status}」の最長です",
                    f"{a.period_of_stay} is the longest period for {a.status}",
                )
            ],
        )
    if held == three and longest > three and v.three_years_counts:
        return _three_years(case, result, maximum)
    years = rules.counted_years
    needed = f"{years}年又は{maximum}" if v.three_years_counts and longest > three else maximum
    needed_en = f"{years}年 or {maximum}" if v.three_years_counts and longest > three else maximum
    if case.filing_with is not None:
        family = _family_member(case, result, needed, needed_en)
        if family is not None:
            return family
    if held == three:
        why = Reason(
            f"{v.start}以降は{years}年を最長とみなす取扱いがなく、{maximum}が必要です",
            f"from {v.start} a {years}-year period no longer counts; {maximum} is needed",
        )
    else:
        why = Reason(
            f"在留期間{a.period_of_stay}は最長の在留期間({maximum})ではありません",
            f"{a.period_of_stay} is not the longest period ({maximum})",
        )
    check = result(
        CheckStatus.NG,
        [why, Reason(f"在留期間の更新で{needed}を得てから申請できます", f"file once a renewal grants {needed_en}")],
    )
    check.waiting = Reason(f"更新で{needed}の在留期間を得た後", f"after a renewal grants {needed_en}")
    return check


def _three_years(case: Situation, result: Callable[[CheckStatus, list[Reason]], Check], maximum: str) -> Check:
    """3年 (`counted_years`) where the longest is longer: it counts until the treatment ends (§4.4); a decision
    after that is 要確認."""
    rules = case.eligibility.longest_stay
    v, years = in_force(rules.versions, case.on, "longest_stay"), rules.counted_years
    after = f"(但し{v.end + timedelta(days=1)}以降の申請では{maximum}が必要)" if v.end else ""
    after_en = f" (applications from {v.end + timedelta(days=1)} need {maximum})" if v.end else ""
    reasons = [
        Reason(
            f"在留期間{years}年は{v.end or ''}まで最長の在留期間として扱われます{after}",
            f"a {years}-year period counts as the longest until {v.end}{after_en}",
        )
    ]
    decision = likely_decision(case)
    if v.end is None or decision.on <= v.end:
        check = result(CheckStatus.OK, reasons)
        check.data["likely_decision"] = decision.on.isoformat()
        return check
    reasons.insert(
        0,
        Reason(
            f"審査結果の見込み({decision.on})は{years}年の取扱いの終わり({v.end})より後です。申請日と処分日のどちらで"
            f"判断されるかは確認されていません(要確認)。{maximum}の在留期間を得てからの申請も検討してください",
            f"the likely decision ({decision.on}) falls after the {years}-year treatment ends ({v.end}); whether the"
            f" filing or the decision date governs is not verified (to be checked); consider filing once {maximum}"
            " is held",
        ),
    )
    check = result(CheckStatus.RISK, reasons)
    check.level = RiskLevel.MEDIUM
    check.review = f"{years}年の在留期間の取扱いは申請日・処分日のいずれで判断されるか未確認 (§10.6)"
    check.data["likely_decision"] = decision.on.isoformat()
    return check


def _family_member(
    case: Situation, result: Callable[[CheckStatus, list[Reason]], Check], needed: str, needed_en: str
) -> Check | None:
    """A member filing together on a shorter period: accepted in practice when the main applicant holds 3年 or 5年
    (§11.2, one practitioner source) — 要確認, never "not met". None when the main applicant does not qualify."""
    rule = case.eligibility.longest_stay.family_co_filing
    main = case.household.applicant
    if not any(period_days(main.period_of_stay) == period_days(x) for x in rule.main_holds):
        return None
    a = case.applicant
    check = result(
        CheckStatus.REVIEW,
        [
            Reason(
                f"在留期間{a.period_of_stay}は最長ではありませんが、主たる申請人({case.filing_with}、"
                f"{main.period_of_stay})と同時に申請する家族は受け付けられるとの実務報告があります(要確認)",
                f"{a.period_of_stay} is not the longest period, but a family member filing together with a main"
                f" applicant who holds {main.period_of_stay} is reported to be accepted (to be checked)",
            ),
            Reason(
                f"確実にするには更新で{needed}を得てから申請します",
                f"to be sure, file once a renewal grants {needed_en}",
            ),
        ],
    )
    check.sources = check.sources + case.eligibility.src(rule.sources)
    check.review = rule.review
    return check
