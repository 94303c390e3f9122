"""Household figures over the lookback, shared by the checks and the findings: income against the
(unofficial) benchmark per income year, and payments made after their deadline."""

from __future__ import annotations

from docgen.assessment.results import BenchmarkStatus, IncomeYearCheck, LateEnrolment, LatePayments, LateTax
from docgen.assessment.situation import Situation
from docgen.profile.model import Enrolment, IncomeYear
from docgen.rules.dated import in_force
from docgen.rules.periods import month_window
from docgen.wareki import fiscal_year_label


def _income_for(incomes: list[IncomeYear], year: int) -> int | None:
    hit = [i.amount for i in incomes if i.year == year]
    return sum(hit) if hit else None


def income_years(case: Situation) -> list[IncomeYearCheck]:
    """Household income against the benchmark for each income year of the lookback (newest first).

    Conservative reading (§6.1: practitioners disagree on adding a 家族滞在 spouse's part-time pay):
    household income = the applicant's + the supporter's (扶養者). A family member living together is a
    dependant unless they are the supporter or their own recorded income reaches the single benchmark."""
    p = case.profile
    v = in_force(case.eligibility.income_benchmark.versions, case.on, "the income benchmark (eligibility.yaml)")
    supporter = p.supporter
    out = []
    for fy in case.tax_fiscal_years():
        year = fy - 1
        parts = [_income_for(p.applicant.income, year)] + ([_income_for(supporter.income, year)] if supporter else [])
        dependants, family_income = 0, {}
        for m in p.family:
            own = _income_for(m.application.income, year) if m.application else None
            if own is not None:
                family_income[m.display_name] = own
            is_supporter = supporter is not None and (
                m.relationship == supporter.relationship or supporter.name in (m.display_name, m.roman_name)
            )
            if m.living_together and not is_supporter and (own or 0) < v.single:
                dependants += 1
        known = [x for x in parts if x is not None]
        benchmark = v.single + v.per_dependant * dependants
        household = sum(known) if known else None
        status = (
            BenchmarkStatus.UNKNOWN
            if household is None
            else BenchmarkStatus.OK
            if household >= benchmark
            else BenchmarkStatus.BELOW
        )
        out.append(
            IncomeYearCheck(
                year,
                fy,
                f"{fiscal_year_label(fy)}({year}年分)",
                household,
                dependants,
                benchmark,
                family_income,
                status,
            )
        )
    return out


def _overlaps(e: Enrolment, first: str, last: str) -> bool:
    return e.start <= last and (e.end is None or e.end >= first)


def late_payments(case: Situation) -> LatePayments:
    """Payments made after the deadline within the lookback (住民税 years; 年金・医療保険 months)."""
    p = case.profile
    years = {fy - 1: fy for fy in case.tax_fiscal_years()}
    first, last = month_window(case.on, case.insurance_months)
    tax = []
    who = [(p.applicant.display_name, p.applicant.income)] + (
        [(p.supporter.name, p.supporter.income)] if p.supporter else []
    )
    for name, incomes in who:
        for inc in incomes:
            if inc.year in years and not inc.paid_on_time:
                tax.append(
                    LateTax(
                        name,
                        inc.year,
                        years[inc.year],
                        fiscal_year_label(years[inc.year]),
                        inc.resident_tax,
                        inc.municipality,
                    )
                )

    def late(enrolments: list[Enrolment]) -> list[LateEnrolment]:
        return [
            LateEnrolment(p.applicant.display_name, e.kind, e.start, e.end, (first, last))
            for e in enrolments
            if not e.paid_on_time and _overlaps(e, first, last)
        ]

    return LatePayments(tax, late(list(p.applicant.pension)), late(list(p.applicant.health_insurance)))
