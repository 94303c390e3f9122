"""Data for the 説明書 templates, from the assessment's findings (long absences, late payments, …)."""

from __future__ import annotations

from docgen.assessment.continuity import TripInfo
from docgen.assessment.results import (
    Assessment,
    EmployerChange,
    LatePaymentFinding,
    LongAbsence,
    LowIncome,
)
from docgen.documents.context import (
    Explanations,
    IncomeRow,
    JobRow,
    LatePaymentRow,
    TripRow,
    YearDays,
)


def _trip(t: TripInfo) -> TripRow:
    return TripRow(
        departure=t.departure,
        return_date=t.return_date,
        days=t.days,
        long=t.long,
        destination=t.destination,
        purpose=t.purpose,
    )


def explanations(assessment: Assessment) -> Explanations:
    """Everything the four 説明書 templates may show, for one applicant's findings."""
    out = Explanations()
    for f in assessment.findings:
        if isinstance(f, LongAbsence):
            out = out.model_copy(
                update={
                    "long_trips": [_trip(t) for t in f.trips],
                    "trips": [_trip(t) for t in f.all_trips],
                    "heavy_years": [YearDays(year=y, days=n) for y, n in f.years_over_limit.items()],
                }
            )
        elif isinstance(f, LatePaymentFinding):
            late = f.payments
            rows = [
                LatePaymentRow(kind="住民税", person=t.person, period=f"{t.label}（{t.year}年分）", detail=t.collection)
                for t in late.resident_tax
            ]
            for kind, enrolments in (("年金", late.pension), ("医療保険", late.health_insurance)):
                rows += [
                    LatePaymentRow(kind=kind, person=e.person, period=f"{e.start}〜{e.end or '現在'}", detail=e.kind)
                    for e in enrolments
                ]
            out = out.model_copy(update={"late_payments": rows})
        elif isinstance(f, EmployerChange):
            out = out.model_copy(
                update={
                    "jobs": [JobRow(employer=j.employer, start=j.start, end=j.end, position=j.position) for j in f.jobs]
                }
            )
        elif isinstance(f, LowIncome):
            out = out.model_copy(
                update={
                    "low_income_years": [
                        IncomeRow(
                            year=y.year,
                            label=y.label,
                            income=y.income or 0,
                            benchmark=y.benchmark,
                            dependants=y.dependants,
                        )
                        for y in f.years
                    ]
                }
            )
    return out
