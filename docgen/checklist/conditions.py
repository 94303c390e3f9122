"""Conditions that checklist items name (`condition:`), decided from a profile.

Each fact answers for one applicant (the main applicant or a co-applicant). A fact may
return the 住民税 年度 it applies to, so that e.g. payment proof is asked only for the
普通徴収 years.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

from docgen.profile.model import ApplicationDetails, IncomeYear, Profile


@dataclass(frozen=True)
class Subject:
    """Who a checklist is for: the profile, the applicant's own details, and the date."""

    profile: Profile
    details: ApplicationDetails
    birth_date: date
    is_main: bool
    application_date: date
    fiscal_years: tuple[int, ...] = ()  # the 年度 of the item's lookback, when it has one
    finding_ids: frozenset[str] = frozenset()  # what the eligibility check found to explain (main applicant)

    def supporter_incomes(self) -> list[IncomeYear]:
        """The supporter's (扶養者) income years; a co-applicant is supported by the main applicant."""
        if self.profile.supporter is not None:
            return list(self.profile.supporter.income)
        return [] if self.is_main else list(self.profile.applicant.income)


def _age_16_or_over(s: Subject) -> bool:
    b, d = s.birth_date, s.application_date
    return d.year - b.year - ((d.month, d.day) < (b.month, b.day)) >= 16


def ordinary_years(incomes: list[IncomeYear], fiscal_years: tuple[int, ...] | list[int], *, dependant: bool = False) -> list[int]:
    """The 年度 whose income year was 普通徴収; a year missing from the profile counts, to be safe.

    A dependant (a co-applicant or supporter entry) with no income records has no 住民税 of their own.
    """
    if not incomes and dependant:
        return []
    by_year: dict[int, set[str]] = {}
    for inc in incomes:
        by_year.setdefault(inc.year, set()).add(inc.resident_tax)
    return [fy for fy in fiscal_years if "普通徴収" in by_year.get(fy - 1, {"普通徴収"})]


def _ordinary_collection(s: Subject) -> bool | list[int]:
    """普通徴収 years in the lookback, of the applicant or the supporter."""
    own = ordinary_years(s.details.income, s.fiscal_years, dependant=not s.is_main)
    supporter = ordinary_years(s.supporter_incomes(), s.fiscal_years, dependant=True)
    return [fy for fy in s.fiscal_years if fy in own or fy in supporter]


def _social_insurance_employer(s: Subject) -> bool:
    if s.is_main:
        return s.profile.applicant.social_insurance_employer or bool(
            s.profile.supporter and s.profile.supporter.social_insurance_employer
        )
    return False


def _hsp_notice_available(s: Subject) -> bool:
    hsp = s.profile.applicant.hsp if s.is_main else None
    return bool(hsp and hsp.notice_copy)


def _no_hsp_notice(s: Subject) -> bool:
    return not _hsp_notice_available(s)


def _finding(finding_id: str) -> Callable[[Subject], bool]:
    """True when the eligibility check found something the main applicant should explain."""
    return lambda s: s.is_main and finding_id in s.finding_ids


def _filed_by_agent(s: Subject) -> bool:
    return s.profile.filing_agent is not None


FACTS: dict[str, tuple[str, Callable[[Subject], bool | list[int]]]] = {
    "age_16_or_over": ("申請人が申請日に16歳以上", _age_16_or_over),
    "ordinary_collection": ("対象年度に住民税が普通徴収の年がある", _ordinary_collection),
    "social_insurance_employer": ("申請人(又は扶養者)が社会保険適用事業所の事業主", _social_insurance_employer),
    "hsp_notice_available": ("高度専門職ポイント計算結果通知書の写しがある", _hsp_notice_available),
    "no_hsp_notice": ("ポイント計算結果通知書がない(基準時点の計算表が必要)", _no_hsp_notice),
    "filed_by_agent": ("申請人以外の者(取次者)が申請を提出する", _filed_by_agent),
    "finding_long_absence": ("90日以上の出国又は年間の出国日数が目安を超える年がある", _finding("long_absence")),
    "finding_late_payment": ("対象期間に住民税・年金・医療保険の納付遅延がある", _finding("late_payment")),
    "finding_employer_change": ("対象期間に勤務先の変更がある", _finding("employer_change")),
    "finding_low_income": ("対象期間に収入が実務上の目安を下回る年がある", _finding("low_income")),
}


def decide(name: str, subject: Subject) -> bool | list[int]:
    """Evaluate a named fact."""
    return FACTS[name][1](subject)
