"""Work facts the law cares about: gaps of over 3 months between jobs on a work status (入管法22条の4第1項6号) and
income beyond what 資格外活動 (28 hours a week) allows on 家族滞在 or 留学 — both risks, never verdicts.

Reference: permanent-residence.md §11.5, §11.6.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from docgen.assessment.continuity import RiskLevel
from docgen.assessment.household import year_leaves_lookback
from docgen.assessment.results import Check, CheckStatus, Reason
from docgen.assessment.situation import Situation
from docgen.dates import add_months
from docgen.profile.model import IncomeYear, MemberIncome, ResidencePeriod, normalise_status

ONE_DAY = timedelta(days=1)


# ---------------------------------------------------------------- gaps between jobs


@dataclass(frozen=True)
class JobGap:
    """Days without a job while on a work status: [start, end], `ongoing` when it lasts up to the date."""

    start: date
    end: date
    ongoing: bool

    @property
    def months(self) -> int:
        rd = relativedelta(self.end + ONE_DAY, self.start)
        return rd.years * 12 + rd.months

    def to_json(self) -> dict[str, object]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "ongoing": self.ongoing}


def job_gaps(case: Situation) -> list[JobGap]:
    """Gaps in the work history of over `job_gap.months` months, within the continuous stay, on a work status."""
    months, on, c = case.eligibility.job_gap.months, case.on, case.cont
    jobs = sorted((j for j in case.applicant.employment if j.start <= on), key=lambda j: j.start)
    if not jobs:
        return []
    spans: list[tuple[date, date, bool]] = []
    end = jobs[0].end
    for j in jobs[1:]:
        if end is not None and j.start > end + ONE_DAY:
            spans.append((end + ONE_DAY, j.start - ONE_DAY, False))
        end = None if end is None or j.end is None else max(end, j.end)
    if end is not None and end < on:
        spans.append((end + ONE_DAY, on, True))
    out = []
    for start, stop, ongoing in spans:
        if add_months(start, months) > stop or (c.stay_since is not None and start < c.stay_since):
            continue
        seg = next((s for s in c.segments if s.start <= start <= s.end), None)
        if seg is not None and seg.cls.kind == "work":
            out.append(JobGap(start, stop, ongoing))
    return out


def job_gap_check(case: Situation) -> Check | None:
    """A risk naming each gap of over 3 months between jobs (an explanation letter; 正当な理由 such as a job search
    is normally accepted); None without a work history or gaps."""
    gaps = job_gaps(case)
    if not gaps:
        return None
    rule = case.eligibility.job_gap
    reasons = []
    for g in gaps:
        shown = f"{g.start}〜{'現在' if g.ongoing else g.end}"
        reasons.append(
            Reason(
                f"就労していない期間 {shown}({g.months}か月): 就労資格の活動を{rule.months}か月以上行わないことは"
                "在留資格の取消事由です(正当な理由があれば別)。理由(求職活動など)を説明書で説明してください",
                f"no job {g.start} to {'now' if g.ongoing else g.end} ({g.months} months): not doing the status's"
                f" activity for {rule.months}+ months is a ground for revocation unless there is a good reason (a"
                " job search); explain it in a letter",
            )
        )
    reasons.append(
        Reason(
            f"転職・退職の際の所属機関に関する届出({rule.notify_within_days}日以内、法19条の16)を出したか確認してください",
            f"check that each change of employer was notified within {rule.notify_within_days} days (Art. 19-16)",
        )
    )
    check = Check(
        "job_gaps",
        {"ja": f"就労していない期間({rule.months}か月超)", "en": f"Time without a job (over {rule.months} months)"},
        CheckStatus.RISK,
        reasons,
        case.eligibility.src(rule.sources),
        data={"gaps": [g.to_json() for g in gaps], "months": rule.months},
    )
    check.level = RiskLevel.HIGH if any(g.ongoing for g in gaps) else RiskLevel.MEDIUM
    return check


# ---------------------------------------------------------------- 資格外活動: 28 hours a week


def _limited(status: str, statuses: list[str]) -> bool:
    name = normalise_status(status)
    return any(name.startswith(normalise_status(s)) for s in statuses)


def _limited_in(year: int, history: Sequence[ResidencePeriod], current: str, statuses: list[str]) -> bool:
    """Was the person on a status with 資格外活動 only (家族滞在, 留学) throughout the calendar year?"""
    first, last = date(year, 1, 1), date(year, 12, 31)
    periods = [p for p in history if p.start <= last and (p.end is None or p.end >= first)]
    if not periods:
        return _limited(current, statuses)
    return all(_limited(p.status, statuses) for p in periods)


def _excess(
    case: Situation,
    incomes: Sequence[IncomeYear | MemberIncome],
    history: Sequence[ResidencePeriod],
    current: str,
) -> list[tuple[int, int]]:
    """(year, income) for each lookback year on such a status whose income is beyond the 28-hour limit."""
    rule = case.eligibility.work_outside_status
    out = []
    for fy in case.tax_fiscal_years():
        year = fy - 1
        amount = sum(i.amount for i in incomes if i.year == year)
        if amount > rule.annual_income_limit and _limited_in(year, history, current, rule.statuses):
            out.append((year, amount))
    return sorted(out)


def _limit_words(case: Situation) -> Reason:
    rule = case.eligibility.work_outside_status
    return Reason(
        f"資格外活動の包括許可は週{rule.hours_per_week}時間以内です。年{rule.annual_income_limit:,}円を超える収入は"
        "その時間では得にくく、資格外活動違反(法19条)を疑われます(推定であり、時給が高ければ別)",
        f"the blanket permission allows {rule.hours_per_week} hours a week; over {rule.annual_income_limit:,} yen a"
        " year is hard to earn in that time and suggests a violation of Art. 19 (an inference: a higher wage"
        " changes it)",
    )


def work_outside_status_check(case: Situation) -> Check | None:
    """The applicant's own income on 家族滞在 / 留学 beyond the 28-hour limit: a high risk until the years are off
    the list. None when the applicant had no such status in the lookback."""
    rule, a = case.eligibility.work_outside_status, case.applicant
    years = [fy - 1 for fy in case.tax_fiscal_years()]
    if not any(_limited_in(y, a.residence_history, a.status, rule.statuses) for y in years):
        return None
    over = _excess(case, a.income, a.residence_history, a.status)
    title = {
        "ja": f"資格外活動の収入(週{rule.hours_per_week}時間)",
        "en": f"Income outside the status ({rule.hours_per_week} hours a week)",
    }
    src = case.eligibility.src(rule.sources)
    if not over:
        return Check(
            "work_outside_status",
            title,
            CheckStatus.OK,
            [
                Reason(
                    f"資格外活動の収入は各年{rule.annual_income_limit:,}円以下です",
                    f"income outside the status is at most {rule.annual_income_limit:,} yen a year",
                )
            ],
            src,
            rule.review,
            official=False,
        )
    shown = "、".join(f"{y}年 {x:,}円" for y, x in over)
    check = Check(
        "work_outside_status",
        title,
        CheckStatus.RISK,
        [
            Reason(
                f"資格外活動の収入が週{rule.hours_per_week}時間で得られる水準(約{rule.annual_income_limit:,}円)を"
                f"超えています: {shown}",
                f"income beyond what {rule.hours_per_week} hours a week allows (about"
                f" {rule.annual_income_limit:,} yen): " + ", ".join(f"{y}: {x:,} yen" for y, x in over),
            ),
            _limit_words(case),
        ],
        src,
        rule.review,
        official=False,
        data={"years": [{"year": y, "income": x} for y, x in over], "limit": rule.annual_income_limit},
    )
    check.level, check.until = RiskLevel.HIGH, year_leaves_lookback(case, over[-1][0])
    return check


def household_work_check(case: Situation) -> Check | None:
    """For the main applicant: a family member whose 資格外活動 income is beyond the limit weighs on the household
    too (§11.5) — a note (low risk) naming the member; None when nobody is concerned."""
    if case.filing_with is not None:
        return None
    rule = case.eligibility.work_outside_status
    found: list[tuple[str, int, int]] = []
    for m in case.household.family:
        details = m.application
        history = details.residence_history if details else []
        status = details.status if details else m.status
        incomes: Sequence[IncomeYear | MemberIncome] = details.income if details else m.income
        found += [(m.display_name, y, x) for y, x in _excess(case, incomes, history, status)]
    if not found:
        return None
    check = Check(
        "household_work_outside_status",
        {"ja": "家族の資格外活動の収入", "en": "A family member's income outside the status"},
        CheckStatus.RISK,
        [
            Reason(
                f"家族の資格外活動の収入が週{rule.hours_per_week}時間の水準を超えています("
                + "、".join(f"{who} {y}年 {x:,}円" for who, y, x in found)
                + "): 世帯の審査にも影響し得ます",
                f"a family member's income is beyond the {rule.hours_per_week}-hour level ("
                + ", ".join(f"{who} {y}: {x:,} yen" for who, y, x in found)
                + "): it may weigh on the household",
            ),
            _limit_words(case),
        ],
        case.eligibility.src(rule.sources),
        rule.review,
        official=False,
        data={"members": [{"name": who, "year": y, "income": x} for who, y, x in found]},
    )
    check.level, check.until = RiskLevel.LOW, year_leaves_lookback(case, max(y for _, y, _ in found))
    return check
