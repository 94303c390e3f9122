"""Household figures over the lookback, shared by the checks and the findings: income against the
(unofficial) benchmark per income year, and payments made after their deadline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from docgen.assessment.results import BenchmarkStatus, IncomeYearCheck, LateEnrolment, LatePayments, LateTax
from docgen.assessment.situation import Situation
from docgen.dates import add_months
from docgen.messages import say
from docgen.profile.model import Enrolment, FamilyMember, IncomeYear, MemberIncome, PensionEnrolment, Supporter
from docgen.rules.dated import in_force
from docgen.rules.eligibility import BenchmarkVersion
from docgen.rules.periods import month_window
from docgen.wareki import fiscal_year_label


def _income_for(incomes: Sequence[IncomeYear | MemberIncome], year: int) -> int | None:
    hit = [i.amount for i in incomes if i.year == year]
    return sum(hit) if hit else None


def _member_income(m: FamilyMember) -> Sequence[IncomeYear | MemberIncome]:
    return m.application.income if m.application else m.income


def _is_supporter(m: FamilyMember, supporter: Supporter | None) -> bool:
    return supporter is not None and (
        m.relationship == supporter.relationship or supporter.name in (m.display_name, m.roman_name)
    )


def income_benchmark(case: Situation) -> BenchmarkVersion:
    """The version of the (unofficial) income benchmark in force on the case's date."""
    return in_force(
        case.eligibility.income_benchmark.versions,
        case.on,
        say("収入の目安（eligibility.yaml）", "the income benchmark (eligibility.yaml)"),
    )


def income_years(case: Situation) -> list[IncomeYearCheck]:
    """The household's income against the benchmark for each income year of the lookback (newest first).

    One household per case (§6.1, issue 9.5): every applicant of a case sees the same figure. The main
    applicant and the supporter (扶養者) always earn for the household. A member living together earns for it
    when their own recorded income reaches the single benchmark (a Japanese husband with his salary);
    otherwise they count as a dependant and their income is shown but not added — the conservative reading,
    as practitioners disagree on adding a 家族滞在 spouse's part-time pay."""
    h = case.household
    v = income_benchmark(case)
    supporter = h.supporter
    out = []
    for fy in case.tax_fiscal_years():
        year = fy - 1
        earners: dict[str, int | None] = {h.applicant.display_name: _income_for(h.applicant.income, year)}
        if supporter is not None:
            earners[supporter.name] = _income_for(supporter.income, year)
        dependants: list[str] = []
        not_added: dict[str, int] = {}
        for m in h.family:
            if not m.living_together or _is_supporter(m, supporter):
                continue
            own = _income_for(_member_income(m), year)
            if own is not None and own >= v.single:
                earners[m.display_name] = own
            else:
                dependants.append(m.display_name)
                if own is not None:
                    not_added[m.display_name] = own
        known = [x for x in earners.values() if x is not None]
        benchmark = v.single + v.per_dependant * len(dependants)
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
                len(dependants),
                benchmark,
                not_added,
                status,
                earners={k: x for k, x in earners.items() if x is not None},
                dependant_names=dependants,
            )
        )
    return out


def _overlaps(e: Enrolment, first: str, last: str) -> bool:
    return e.start <= last and (e.end is None or e.end >= first)


def year_leaves_lookback(case: Situation, year: int) -> date:
    """The first application date whose 住民税 list (直近N年分) no longer holds the 年度 of income `year`
    (年度 year+1 drops off once the newest 年度 is year+N+1, from that year's release day)."""
    return date(year + case.tax_years + 1, *case.release_day)


def month_leaves_window(case: Situation, month: str) -> date:
    """The first application date whose window (直近N月, ending the month before) no longer holds `month`."""
    y, m = (int(x) for x in month.split("-"))
    return add_months(date(y, m, 1), case.insurance_months + 1)


def _not_due(e: Enrolment) -> bool:
    """An approved 免除・猶予・学生納付特例 or a 第3号 period: no premium was due, so none was late (§11.8)."""
    return isinstance(e, PensionEnrolment) and e.exemption is not None


def late_payments(case: Situation) -> LatePayments:
    """Payments made after the deadline within the lookback (住民税 years; 年金・医療保険 months), each with the
    first application date from which it is off the list (§11.7). A 非課税 year and a period with no premium due
    (免除・猶予・学生納付特例・第3号) are never late (§11.8)."""
    p = case.profile
    years = {fy - 1: fy for fy in case.tax_fiscal_years()}
    first, last = month_window(case.on, case.insurance_months)
    tax = []
    who = [(p.applicant.display_name, p.applicant.income)] + (
        [(p.supporter.name, p.supporter.income)] if p.supporter else []
    )
    for name, incomes in who:
        for inc in incomes:
            if inc.year in years and not inc.paid_on_time and not inc.non_taxable:
                tax.append(
                    LateTax(
                        name,
                        inc.year,
                        years[inc.year],
                        fiscal_year_label(years[inc.year]),
                        inc.resident_tax or "",
                        inc.municipality,
                        year_leaves_lookback(case, inc.year),
                    )
                )

    def late(enrolments: list[Enrolment]) -> list[LateEnrolment]:
        return [
            LateEnrolment(
                p.applicant.display_name,
                e.kind,
                e.start,
                e.end,
                (first, last),
                month_leaves_window(case, e.end) if e.end else None,
            )
            for e in enrolments
            if not e.paid_on_time and not _not_due(e) and _overlaps(e, first, last)
        ]

    return LatePayments(tax, late(list(p.applicant.pension)), late(list(p.applicant.health_insurance)))
