"""Data for the 説明書 templates, from the assessment's findings (long absences, late payments, …).

Dates and years are given in 和暦 where the letters print them (labels); the trips carry how the person
left (`exit`), so the letter states the re-entry method only where it was recorded.
"""

from __future__ import annotations

from datetime import timedelta

from docgen.assessment.continuity import TripInfo
from docgen.assessment.results import (
    Assessment,
    EmployerChange,
    JobSpan,
    LatePaymentFinding,
    LongAbsence,
    LowIncome,
)
from docgen.documents.context import (
    Explanations,
    IncomeRow,
    JobGap,
    JobRow,
    LatePaymentRow,
    TripRow,
    YearDays,
)
from docgen.documents.letters import calendar_year_label, month_label
from docgen.wareki import fiscal_year_label


def _trip(t: TripInfo) -> TripRow:
    return TripRow(
        departure=t.departure,
        return_date=t.return_date,
        days=t.days,
        long=t.long,
        destination=t.destination,
        purpose=t.purpose,
        exit=t.exit,
        reentry_permit_until=t.reentry_permit_until,
    )


def _months(start: str, end: str | None) -> str:
    """'令和6年4月〜令和6年6月' (or '〜現在')."""
    return f"{month_label(start)}〜{month_label(end) if end else '現在'}"


def _gaps(jobs: list[JobSpan]) -> list[JobGap]:
    """Times without work: the next job starts later than the day after the last one ended."""
    ordered = sorted(jobs, key=lambda j: j.start)
    out = []
    for i, job in enumerate(ordered[1:], start=1):
        ended = [j.end for j in ordered[:i]]
        if None in ended:
            continue  # an earlier job still runs: no gap
        left = max(e for e in ended if e is not None)
        if job.start > left + timedelta(days=1):
            out.append(JobGap(left=left, joined=job.start))
    return out


def explanations(assessment: Assessment) -> Explanations:
    """Everything the four 説明書 templates may show, for one applicant's findings."""
    out = Explanations()
    for f in assessment.findings:
        if isinstance(f, LongAbsence):
            out = out.model_copy(
                update={
                    "long_trips": [_trip(t) for t in f.trips],
                    "trips": [_trip(t) for t in f.all_trips],
                    "heavy_years": [
                        YearDays(year=y, days=n, label=calendar_year_label(y)) for y, n in f.years_over_limit.items()
                    ],
                }
            )
        elif isinstance(f, LatePaymentFinding):
            late = f.payments
            rows = [
                LatePaymentRow(
                    kind="住民税",
                    person=t.person,
                    period=f"{fiscal_year_label(t.fiscal_year)}（{calendar_year_label(t.year)}分）",
                    detail=t.collection,
                )
                for t in late.resident_tax
            ]
            for kind, enrolments in (("年金", late.pension), ("医療保険", late.health_insurance)):
                rows += [
                    LatePaymentRow(kind=kind, person=e.person, period=_months(e.start, e.end), detail=e.kind)
                    for e in enrolments
                ]
            out = out.model_copy(update={"late_payments": rows})
        elif isinstance(f, EmployerChange):
            out = out.model_copy(
                update={
                    "jobs": [
                        JobRow(
                            employer=j.employer,
                            start=j.start,
                            end=j.end,
                            position=j.position,
                            self_employed=j.self_employed,
                        )
                        for j in f.jobs
                    ],
                    "job_gaps": _gaps(f.jobs),
                }
            )
        elif isinstance(f, LowIncome):
            out = out.model_copy(
                update={
                    "low_income_years": [
                        IncomeRow(
                            year=y.year,
                            label=f"{calendar_year_label(y.year)}分",
                            income=y.income or 0,
                            benchmark=y.benchmark,
                            dependants=y.dependants,
                        )
                        for y in f.years
                    ]
                }
            )
    return out
