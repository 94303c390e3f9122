"""Conditions that checklist items name (`condition:`, listed in docgen/rules/conditions.py), decided from a profile.

Each fact answers for one applicant (the main applicant or a co-applicant). A fact may
return the 住民税 年度 it applies to, so that e.g. payment proof is asked only for the
普通徴収 years, or None when no profile can decide it (the item stays "conditional").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from docgen.assessment.results import FindingKind
from docgen.dates import completed_years
from docgen.profile.model import ApplicationDetails, IncomeYear, Profile, normalise_status
from docgen.rules.conditions import CONDITIONS


@dataclass(frozen=True)
class Subject:
    """Who a checklist is for: the profile, the applicant's own details, and the date."""

    profile: Profile
    details: ApplicationDetails
    birth_date: date
    is_main: bool
    application_date: date
    fiscal_years: tuple[int, ...] = ()  # the 年度 of the item's lookback, when it has one
    findings: frozenset[FindingKind] = frozenset()  # what the assessment found to explain (main applicant)

    def supporter_incomes(self) -> list[IncomeYear]:
        """The supporter's (扶養者) income years; a co-applicant is supported by the main applicant."""
        if self.profile.supporter is not None:
            return list(self.profile.supporter.income)
        return [] if self.is_main else list(self.profile.applicant.income)


def _age_16_or_over(s: Subject) -> bool:
    return completed_years(s.birth_date, s.application_date) >= 16


def ordinary_years(
    incomes: list[IncomeYear], fiscal_years: tuple[int, ...] | list[int], *, dependant: bool = False
) -> list[int]:
    """The 年度 whose 住民税 the person paid themselves (普通徴収, also from mid-year); a year missing from the
    profile counts, to be safe; a 非課税 year has nothing to pay.

    A dependant (a co-applicant or supporter entry) with no income records has no 住民税 of their own.
    """
    if not incomes and dependant:
        return []
    paid: dict[int, bool] = {}
    for inc in incomes:
        paid[inc.year] = paid.get(inc.year, False) or inc.paid_by_client
    return [fy for fy in fiscal_years if paid.get(fy - 1, True)]


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


SPOUSE_TYPE_STATUSES = ("日本人の配偶者等", "永住者の配偶者等", "定住者")


def _spouse_type_status(s: Subject) -> bool:
    """The applicant's current status is a family-based one (ISA's non-holder points lists split on it)."""
    return normalise_status(s.details.status) in {normalise_status(x) for x in SPOUSE_TYPE_STATUSES}


def _on_grant(s: Subject) -> None:
    """Whether the permission is granted is never known when the packet is prepared."""
    return None


def _finding(kind: FindingKind) -> Callable[[Subject], bool]:
    """True when the assessment found something the main applicant should explain."""
    return lambda s: s.is_main and kind in s.findings


def _filed_by_agent(s: Subject) -> bool:
    return s.profile.filing_agent is not None


Verdict = bool | list[int] | None  # None: no profile can decide it

DECIDE: dict[str, Callable[[Subject], Verdict]] = {
    "age_16_or_over": _age_16_or_over,
    "ordinary_collection": _ordinary_collection,
    "social_insurance_employer": _social_insurance_employer,
    "hsp_notice_available": _hsp_notice_available,
    "no_hsp_notice": _no_hsp_notice,
    "filed_by_agent": _filed_by_agent,
    "spouse_type_status": _spouse_type_status,
    "on_grant": _on_grant,
    "finding_long_absence": _finding(FindingKind.LONG_ABSENCE),
    "finding_late_payment": _finding(FindingKind.LATE_PAYMENT),
    "finding_employer_change": _finding(FindingKind.EMPLOYER_CHANGE),
    "finding_low_income": _finding(FindingKind.LOW_INCOME),
}
assert DECIDE.keys() == CONDITIONS.keys(), "every condition the rule files may name is decided here"


def decide(name: str, subject: Subject) -> Verdict:
    """Evaluate a named condition."""
    return DECIDE[name](subject)
