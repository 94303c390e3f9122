"""Who each checklist item concerns, by name: the applicant, the supporter (扶養者), the household, the guarantor,
the filing agent — with the 年度 and periods that are theirs (普通徴収 years, 非課税 年度, 免除 periods).

Who is a dependant is decided in docgen/checklist/people.py; the conditions in docgen/checklist/conditions.py.
"""

from __future__ import annotations

from dataclasses import replace

from docgen.checklist.conditions import (
    Subject,
    applicant_runs_insured_business,
    own_exemptions_apply,
    own_ordinary_years,
    supporter_ordinary_years,
)
from docgen.checklist.model import ChecklistItem, PensionExemptionPeriod, PersonRef
from docgen.checklist.people import exempt_periods
from docgen.profile.model import IncomeYear, PensionEnrolment
from docgen.rules.periods import FiscalYears, Months, Period


def people_for(item: ChecklistItem, subject: Subject, applicant_name: str) -> list[PersonRef]:
    """Who an item concerns, by name. An item about the applicant and the supporter (work, tax, pension, assets)
    names a dependant applicant (a child, a member without income: docgen/checklist/people.py) only when it says
    so (`concerns: dependant`, e.g. each person's health-insurance card); the supporter's documents stand in.
    Payment proof names only the people with 普通徴収 years, the 免除 notice only those with an approved
    exemption, the employer's records only the 事業主."""
    profile, rule, period = subject.profile, item.rule, item.period
    subject = replace(
        subject,
        fiscal_years=period.years if isinstance(period, FiscalYears) else (),
        months=(period.start, period.end) if isinstance(period, Months) else None,
    )
    out = []
    for role in rule.concerns:
        if role == "applicant":
            if "supporter" in rule.concerns and subject.dependant and "dependant" not in rule.concerns:
                continue
            own = _own_ref(item, subject, applicant_name)
            if own is not None:
                out.append(own)
        elif role == "supporter":
            theirs = _supporter_ref(item, subject, applicant_name)
            if theirs is not None:
                out.append(theirs)
        elif role == "household":
            out.append(PersonRef("household", "世帯全員", applicant_name))
        elif role == "guarantor":
            out.append(PersonRef("guarantor", profile.guarantor.name, applicant_name))
        elif role == "filer" and profile.filing_agent is not None:
            out.append(
                PersonRef("filer", f"{profile.filing_agent.name}（{profile.filing_agent.office}）", applicant_name)
            )
    return out


def _own_ref(item: ChecklistItem, subject: Subject, applicant_name: str) -> PersonRef | None:
    """The applicant's own entry, or None when the item's condition does not hold for them."""
    condition, details = item.rule.condition, subject.details
    if condition == "ordinary_collection":
        years = own_ordinary_years(subject)
        return (
            PersonRef("applicant", applicant_name, applicant_name, period=_own_period(item.period, years))
            if years
            else None
        )
    if condition == "pension_exemption":
        periods = (
            exempt_periods(details.pension, subject.months) if subject.months and own_exemptions_apply(subject) else []
        )
        return (
            PersonRef("applicant", applicant_name, applicant_name, exemptions=_exemptions(periods)) if periods else None
        )
    if condition == "social_insurance_employer" and not applicant_runs_insured_business(subject):
        return None
    return _with_non_taxable(PersonRef("applicant", applicant_name, applicant_name), item, details.income)


def _supporter_ref(item: ChecklistItem, subject: Subject, applicant_name: str) -> PersonRef | None:
    """The supporter's entry, or None when there is none or the item's condition does not hold for them."""
    s = subject.supporter
    if s is None:
        return None
    ref = PersonRef("supporter", s.name, applicant_name)
    condition = item.rule.condition
    if condition == "ordinary_collection":
        years = supporter_ordinary_years(subject)
        return replace(ref, period=_own_period(item.period, years)) if years else None
    if condition == "pension_exemption":
        periods = exempt_periods(s.pension, subject.months) if subject.months else []
        return replace(ref, exemptions=_exemptions(periods)) if periods else None
    if condition == "social_insurance_employer" and not (subject.is_main and s.social_insurance_employer):
        return None
    return _with_non_taxable(ref, item, list(s.incomes))


def _with_non_taxable(ref: PersonRef, item: ChecklistItem, incomes: list[IncomeYear]) -> PersonRef:
    """A 住民税 certificate item names the person's 非課税 年度: for those a 非課税証明書 (and no payment proof)."""
    if not isinstance(item.period, FiscalYears) or item.rule.condition is not None:
        return ref
    years = tuple(fy for fy in item.period.years if non_taxable(incomes, fy))
    if not years:
        return ref
    return replace(ref, non_taxable_years=years)


def non_taxable(incomes: list[IncomeYear], fiscal_year: int) -> bool:
    """Whether the person's 住民税 of a 年度 was 非課税 (every record of its income year says so)."""
    rows = [inc for inc in incomes if inc.year == fiscal_year - 1]
    return bool(rows) and all(inc.non_taxable for inc in rows)


def _exemptions(periods: list[PensionEnrolment]) -> tuple[PensionExemptionPeriod, ...]:
    return tuple(PensionExemptionPeriod(e.exemption or "", e.start, e.end) for e in periods)


def _own_period(period: Period, years: list[int]) -> Period | None:
    """A person's own 年度 of an item's period (their 普通徴収 years), when they are not all of it."""
    if isinstance(period, FiscalYears) and set(years) != set(period.years):
        return period.only(years)
    return None
