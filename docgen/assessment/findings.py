"""What a packet should explain in a 説明書: long absences, late payments, a change of employer, a year
below the income benchmark — each with the typed data its letter needs."""

from __future__ import annotations

from datetime import date

from docgen.assessment.household import income_years, late_payments
from docgen.assessment.results import (
    BenchmarkStatus,
    EmployerChange,
    Finding,
    JobSpan,
    LatePaymentFinding,
    LongAbsence,
    LowIncome,
)
from docgen.assessment.situation import Situation


def assess_findings(case: Situation) -> list[Finding]:
    out: list[Finding] = []
    c, th = case.cont, case.cont.thresholds
    long_trips = [t for t in c.trips if t.long]
    heavy_years = {y: d for y, d in sorted(c.days_abroad_by_year.items()) if th and d >= th.year_days_abroad}
    if th and (long_trips or heavy_years):
        out.append(LongAbsence(long_trips, list(c.trips), heavy_years, th.long_trip_days, th.year_days_abroad))
    late = late_payments(case)
    if late:
        out.append(LatePaymentFinding(late))
    window_start = date(min(case.tax_fiscal_years()) - 1, 1, 1)
    jobs = [j for j in case.applicant.employment if j.start <= case.on and (j.end is None or j.end >= window_start)]
    if len({j.employer for j in jobs}) > 1:
        spans = [
            JobSpan(j.employer, j.start, j.end, j.position, j.self_employed)
            for j in sorted(jobs, key=lambda j: j.start)
        ]
        out.append(EmployerChange(window_start, spans))
    if case.route_kind not in case.eligibility.income_benchmark.exempt_routes:
        low = [y for y in income_years(case) if y.status is BenchmarkStatus.BELOW]
        if low:
            out.append(LowIncome(low))
    return out
