"""Data for the 説明書 templates, from the eligibility findings (long absences, late payments, …)."""

from __future__ import annotations

from datetime import date

from docgen.documents.context import (
    Explanations,
    IncomeRow,
    JobRow,
    LatePaymentRow,
    TripRow,
    YearDays,
)
from docgen.assessment.eligibility import findings
from docgen.profile.model import Profile

_KIND = {"resident_tax": "住民税", "pension": "年金", "health_insurance": "医療保険"}


def _trip(t: dict) -> TripRow:
    return TripRow(departure=date.fromisoformat(t["departure"]), return_date=date.fromisoformat(t["return"]) if t.get("return") else None,
                   days=t.get("days"), long=bool(t.get("long")), destination=t.get("destination", ""), purpose=t.get("purpose", ""))


def explanations(profile: Profile) -> Explanations:
    """Everything the four 説明書 templates may show, for the main applicant."""
    data: dict = {}
    for f in findings(profile):
        d = f.data
        if f.id == "long_absence":
            data["long_trips"] = [_trip(t) for t in d["trips"]]
            data["trips"] = [_trip(t) for t in d["all_trips"]]
            data["heavy_years"] = [YearDays(year=int(y), days=n) for y, n in d["years_over_limit"].items()]
        elif f.id == "late_payment":
            rows = [LatePaymentRow(kind="住民税", person=x["person"], period=f"{x['label']}（{x['year']}年分）", detail=x["collection"])
                    for x in d.get("resident_tax", [])]
            for key in ("pension", "health_insurance"):
                rows += [LatePaymentRow(kind=_KIND[key], person=x["person"], period=f"{x['from']}〜{x['to'] or '現在'}", detail=x["kind"])
                         for x in d.get(key, [])]
            data["late_payments"] = rows
        elif f.id == "employer_change":
            data["jobs"] = [JobRow(employer=j["employer"], start=date.fromisoformat(j["start"]),
                                   end=date.fromisoformat(j["end"]) if j["end"] else None, position=j["position"]) for j in d["jobs"]]
        elif f.id == "low_income":
            data["low_income_years"] = [IncomeRow(year=y["year"], label=y["label"], income=y["income"], benchmark=y["benchmark"],
                                                  dependants=y["dependants"]) for y in d["years"]]
    return Explanations(**data)
