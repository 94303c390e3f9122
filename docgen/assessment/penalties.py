"""Criminal penalties in the profile: each 罰金 (traffic included) and the day its sentence lapses — 5 years after
it was paid (刑法34条の2). Reference: permanent-residence.md §11.3."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from docgen.assessment.situation import Situation
from docgen.dates import add_years
from docgen.profile.model import TrafficViolation


@dataclass(frozen=True)
class Fine:
    """A 罰金 from the traffic record and the day its sentence lapses (None while the payment date is unknown)."""

    violation: TrafficViolation
    lapses_on: date | None

    def to_json(self) -> dict[str, object]:
        return {
            "date": self.violation.date.isoformat(),
            "paid_on": self.violation.paid_on.isoformat() if self.violation.paid_on else None,
            "lapses_on": self.lapses_on.isoformat() if self.lapses_on else None,
        }


def fines(case: Situation) -> list[Fine]:
    """Every 罰金 in the traffic record, oldest first, with the day its sentence lapses (paid + 5 years)."""
    years = case.eligibility.criminal_penalty.lapse_years
    return [
        Fine(t, add_years(t.paid_on, years) if t.paid_on else None)
        for t in sorted(case.applicant.traffic, key=lambda t: t.date)
        if t.kind == "罰金" and t.date <= case.on
    ]
