"""Conditions that checklist items name (`condition:`, listed in docgen/rules/conditions.py), decided from a profile.

Each fact answers for one applicant (the main applicant or a co-applicant). A fact may
return the 住民税 年度 it applies to, so that e.g. payment proof is asked only for the
普通徴収 years, or None when no profile can decide it (the item stays "conditional").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from docgen.assessment.finding_kinds import FindingKind
from docgen.checklist.people import SupporterFacts, exempt_periods, is_dependant
from docgen.dates import completed_years
from docgen.profile.family import legal_representative
from docgen.profile.model import ApplicationDetails, IncomeYear, Profile, normalise_status
from docgen.rules.conditions import CONDITIONS

UNNAMED_SUPPORTER = "未記入"  # a dependant main applicant whose profile names no 扶養者 and no parent


@dataclass(frozen=True)
class Subject:
    """Who a checklist is for: the profile, the applicant's own details, and the date."""

    profile: Profile
    details: ApplicationDetails
    birth_date: date
    is_main: bool
    application_date: date
    fiscal_years: tuple[int, ...] = ()  # the 年度 of the item's lookback, when it has one
    months: tuple[str, str] | None = None  # the months (YYYY-MM) of the item's lookback, when it has them
    findings: frozenset[FindingKind] = frozenset()  # what the assessment found to explain (main applicant)
    business_standards: frozenset[str] = frozenset()  # BusinessFacts fields the decision checks (経営・管理)

    @property
    def dependant(self) -> bool:
        """A child or a member without income of their own (docgen/checklist/people.py; `dependant_in` says the
        same from a profile and a family member)."""
        supported = not self.is_main or self.profile.supporter is not None
        return is_dependant(self.details, self.birth_date, self.application_date, supported=supported)

    @property
    def supporter(self) -> SupporterFacts | None:
        """The 扶養者 of this application: the profile's supporter for the main applicant (for a dependant one
        without it, the parent the profile names, else an unnamed one); the main applicant for a co-applicant,
        unless the main applicant is a dependant too (a 家族滞在 mother filing with her child): then theirs."""
        p = self.profile
        if not self.is_main and not (p.supporter is not None and self._main_is_dependant()):
            a = p.applicant
            return SupporterFacts(a.display_name, tuple(a.income), tuple(a.pension), a.social_insurance_employer)
        if p.supporter is not None:  # the main applicant's 扶養者, who also supports a family filing with a dependant
            s = p.supporter
            return SupporterFacts(s.name, tuple(s.income), (), s.social_insurance_employer)
        if not self.dependant:
            return None
        parent = legal_representative(p, None)
        return SupporterFacts(parent.name if parent else UNNAMED_SUPPORTER, known=parent is not None)

    def _main_is_dependant(self) -> bool:
        a = self.profile.applicant
        return is_dependant(a, a.birth_date, self.application_date, supported=self.profile.supporter is not None)

    def supporter_incomes(self) -> list[IncomeYear]:
        """The supporter's (扶養者) income years; a co-applicant is supported by the main applicant."""
        s = self.supporter
        return list(s.incomes) if s is not None else []


def _age_16_or_over(s: Subject) -> bool:
    return completed_years(s.birth_date, s.application_date) >= 16


def ordinary_years(
    incomes: list[IncomeYear], fiscal_years: tuple[int, ...] | list[int], *, none_without_records: bool = False
) -> list[int]:
    """The 年度 whose 住民税 the person paid themselves (普通徴収, also from mid-year); a year missing from the
    profile counts, to be safe; a 非課税 year has nothing to pay.

    With `none_without_records`, a person with no income records at all (a co-applicant, a supporter beside an
    earning applicant) has no 住民税 to prove.
    """
    if not incomes and none_without_records:
        return []
    paid: dict[int, bool] = {}
    for inc in incomes:
        paid[inc.year] = paid.get(inc.year, False) or inc.paid_by_client
    return [fy for fy in fiscal_years if paid.get(fy - 1, True)]


def own_ordinary_years(s: Subject) -> list[int]:
    """The applicant's own 普通徴収 年度 of the lookback: none for a dependant, whatever rows the record has."""
    return [] if s.dependant else ordinary_years(s.details.income, s.fiscal_years, none_without_records=not s.is_main)


def supporter_ordinary_years(s: Subject) -> list[int]:
    """The supporter's 普通徴収 年度 of the lookback. For a dependant main applicant the supporter is the one who
    earns: a year the profile does not give counts, to be safe."""
    earner = s.is_main and s.dependant
    return ordinary_years(s.supporter_incomes(), s.fiscal_years, none_without_records=not earner)


def _ordinary_collection(s: Subject) -> bool | list[int]:
    """普通徴収 years in the lookback, of the applicant or the supporter."""
    own, supporter = own_ordinary_years(s), supporter_ordinary_years(s)
    return [fy for fy in s.fiscal_years if fy in own or fy in supporter]


def applicant_runs_insured_business(s: Subject) -> bool:
    """The applicant is the 事業主 of a 社会保険適用事業所 (the main applicant only: a co-applicant's profile
    block has no such fact)."""
    return s.is_main and s.profile.applicant.social_insurance_employer and not s.dependant


def _social_insurance_employer(s: Subject) -> bool:
    supporter = s.supporter
    return applicant_runs_insured_business(s) or bool(s.is_main and supporter and supporter.social_insurance_employer)


def own_exemptions_apply(s: Subject) -> bool:
    """Whether the applicant's own pension record counts: an adult's (a minor has no 国民年金)."""
    return completed_years(s.birth_date, s.application_date) >= 20


def _pension_exemption(s: Subject) -> bool:
    """An approved 免除・猶予・学生納付特例 within the lookback, of the applicant or the supporter."""
    if s.months is None:
        return False
    own = exempt_periods(s.details.pension, s.months) if own_exemptions_apply(s) else []
    supporter = s.supporter
    theirs = exempt_periods(supporter.pension, s.months) if supporter is not None else []
    return bool(own or theirs)


def _runs_business(s: Subject) -> Verdict:
    """The main applicant runs the business the 経営・管理 decision checks; unknown without its facts."""
    if not s.is_main:
        return False
    if s.profile.applicant.business is not None:
        return True
    return None if s.business_standards else False


def _business_employees(s: Subject) -> Verdict:
    """The business has employees (労働保険); unknown without the business facts."""
    if not s.is_main:
        return False
    b = s.profile.applicant.business
    if b is None:
        return None if s.business_standards else False
    return b.full_time_staff_qualifying > 0


def _business_standard(fact: str) -> Callable[[Subject], bool]:
    """True when the 経営・管理 decision checks this BusinessFacts field on the application date."""
    return lambda s: s.is_main and fact in s.business_standards


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
    "pension_exemption": _pension_exemption,
    "runs_business": _runs_business,
    "business_employees": _business_employees,
    "business_capital": _business_standard("capital_yen"),
    "business_staff": _business_standard("full_time_staff_qualifying"),
    "business_japanese": _business_standard("japanese_b2"),
    "business_career": _business_standard("management_degree_or_3_years"),
    "business_plan": _business_standard("business_plan_checked_by_expert"),
    "finding_long_absence": _finding(FindingKind.LONG_ABSENCE),
    "finding_late_payment": _finding(FindingKind.LATE_PAYMENT),
    "finding_employer_change": _finding(FindingKind.EMPLOYER_CHANGE),
    "finding_low_income": _finding(FindingKind.LOW_INCOME),
}
assert DECIDE.keys() == CONDITIONS.keys(), "every condition the rule files may name is decided here"


def decide(name: str, subject: Subject) -> Verdict:
    """Evaluate a named condition."""
    return DECIDE[name](subject)
