"""What an assessment produces: route verdicts, other checks, findings for 説明書, as typed values.

Route verdicts come from legal requirements; checks carry a status; findings are what a packet should
explain in a letter, each with the typed data its letter needs. `to_json` gives the `docgen assess --format
json` shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from docgen.assessment.continuity import Continuity, RiskLevel, TripInfo
from docgen.assessment.points import PointsCheck
from docgen.rules.sources import Source, needs_review, sources_json


class RouteStatus(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    CANNOT_DECIDE = "cannot_decide"
    NOT_APPLICABLE = "not_applicable"
    INFORMATIONAL = "informational"


class CheckStatus(StrEnum):
    OK = "ok"
    RISK = "risk"
    NG = "ng"
    UNKNOWN = "unknown"
    INFO = "info"


class BenchmarkStatus(StrEnum):
    OK = "ok"
    BELOW = "below"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Reason:
    ja: str
    en: str

    def to_json(self) -> dict[str, str]:
        return {"ja": self.ja, "en": self.en}


@dataclass
class Risk:
    """What rules of thumb say about a route that the law decides: a level, why, and when it falls away."""

    level: RiskLevel
    reasons: list[Reason]
    clears_on: date | None

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level.value,
            "reasons": [r.to_json() for r in self.reasons],
            "clears_on": self.clears_on.isoformat() if self.clears_on else None,
            "official": False,
        }


@dataclass
class RouteResult:
    """One route on the date: met / not met / cannot decide, the earliest date and why."""

    id: str
    name: dict[str, str]
    status: RouteStatus
    earliest_date: date | None
    reasons: list[Reason]
    sources: tuple[Source, ...]
    review: str | None = None
    filed: bool = False  # the route of the profile's category
    risk: Risk | None = None  # rules of thumb (time abroad): a route can be met, at risk
    conditional_on: str | None = None  # met only if this main applicant is granted (family filing together)

    @property
    def met(self) -> bool | None:
        return {RouteStatus.MET: True, RouteStatus.NOT_MET: False}.get(self.status)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name["ja"],
            "name_en": self.name["en"],
            "status": self.status.value,
            "met": self.met,
            "earliest_date": self.earliest_date.isoformat() if self.earliest_date else None,
            "filed": self.filed,
            "risk": self.risk.to_json() if self.risk else None,
            "conditional_on": self.conditional_on,
            "reasons": [r.to_json() for r in self.reasons],
            "sources": sources_json(self.sources),
            "needs_review": needs_review(self.sources, self.review),
            **({"review": self.review} if self.review else {}),
        }


@dataclass
class Check:
    """Another requirement or risk (period of stay, income, payments, record, guarantor …).

    `data` is the check's detail for the JSON report only; nothing downstream reads it."""

    id: str
    title: dict[str, str]
    status: CheckStatus
    reasons: list[Reason]
    sources: tuple[Source, ...]
    review: str | None = None
    official: bool = True
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title["ja"],
            "title_en": self.title["en"],
            "status": self.status.value,
            "official": self.official,
            "reasons": [r.to_json() for r in self.reasons],
            "data": self.data,
            "sources": sources_json(self.sources),
            "needs_review": needs_review(self.sources, self.review) or not self.official,
            **({"review": self.review} if self.review else {}),
        }


# ---------------------------------------------------------------- household figures shared by checks and findings


@dataclass(frozen=True)
class IncomeYearCheck:
    """One income year of the lookback: the household's income against the (unofficial) benchmark."""

    year: int
    fiscal_year: int
    label: str
    income: int | None
    dependants: int
    benchmark: int
    family_income_not_added: dict[str, int]
    status: BenchmarkStatus
    earners: dict[str, int] = field(default_factory=dict)  # whose income makes up `income`
    dependant_names: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "fiscal_year": self.fiscal_year,
            "label": self.label,
            "income": self.income,
            "dependants": self.dependants,
            "benchmark": self.benchmark,
            "family_income_not_added": self.family_income_not_added,
            "earners": self.earners,
            "dependant_names": self.dependant_names,
            "status": self.status.value,
        }


@dataclass(frozen=True)
class LateTax:
    person: str
    year: int
    fiscal_year: int
    label: str
    collection: str
    municipality: str

    def to_json(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "year": self.year,
            "fiscal_year": self.fiscal_year,
            "label": self.label,
            "collection": self.collection,
            "municipality": self.municipality,
        }


@dataclass(frozen=True)
class LateEnrolment:
    """Pension or health insurance paid late during an enrolment (months as YYYY-MM)."""

    person: str
    kind: str
    start: str
    end: str | None
    window: tuple[str, str]

    def to_json(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "kind": self.kind,
            "from": self.start,
            "to": self.end,
            "window": list(self.window),
        }


@dataclass(frozen=True)
class LatePayments:
    resident_tax: list[LateTax]
    pension: list[LateEnrolment]
    health_insurance: list[LateEnrolment]

    def __bool__(self) -> bool:
        return bool(self.resident_tax or self.pension or self.health_insurance)

    def to_json(self) -> dict[str, Any]:
        return {
            "resident_tax": [t.to_json() for t in self.resident_tax],
            "pension": [e.to_json() for e in self.pension],
            "health_insurance": [e.to_json() for e in self.health_insurance],
        }


# ---------------------------------------------------------------- findings: what a 説明書 should explain


class FindingKind(StrEnum):
    LONG_ABSENCE = "long_absence"
    LATE_PAYMENT = "late_payment"
    EMPLOYER_CHANGE = "employer_change"
    LOW_INCOME = "low_income"


FINDING_TITLES = {
    FindingKind.LONG_ABSENCE: ("長期出国についての説明書", "Explanation of long absences"),
    FindingKind.LATE_PAYMENT: ("納付遅延についての説明書", "Explanation of late payments"),
    FindingKind.EMPLOYER_CHANGE: ("転職についての説明書", "Explanation of a change of employer"),
    FindingKind.LOW_INCOME: ("収入についての説明書", "Explanation of a year below the income benchmark"),
}


@dataclass(frozen=True)
class JobSpan:
    employer: str
    start: date
    end: date | None
    position: str
    self_employed: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "employer": self.employer,
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "position": self.position,
            "self_employed": self.self_employed,
        }


@dataclass(frozen=True)
class LongAbsence:
    trips: list[TripInfo]  # the long ones
    all_trips: list[TripInfo]
    years_over_limit: dict[int, int]
    long_trip_days: int
    year_days_abroad: int
    kind: FindingKind = FindingKind.LONG_ABSENCE

    def data_json(self) -> dict[str, Any]:
        return {
            "trips": [t.to_json() for t in self.trips],
            "all_trips": [t.to_json() for t in self.all_trips],
            "years_over_limit": {str(y): d for y, d in self.years_over_limit.items()},
            "long_trip_days": self.long_trip_days,
            "year_days_abroad": self.year_days_abroad,
        }


@dataclass(frozen=True)
class LatePaymentFinding:
    payments: LatePayments
    kind: FindingKind = FindingKind.LATE_PAYMENT

    def data_json(self) -> dict[str, Any]:
        return self.payments.to_json()


@dataclass(frozen=True)
class EmployerChange:
    since: date
    jobs: list[JobSpan]
    kind: FindingKind = FindingKind.EMPLOYER_CHANGE

    def data_json(self) -> dict[str, Any]:
        return {"since": self.since.isoformat(), "jobs": [j.to_json() for j in self.jobs]}


@dataclass(frozen=True)
class LowIncome:
    years: list[IncomeYearCheck]
    kind: FindingKind = FindingKind.LOW_INCOME

    def data_json(self) -> dict[str, Any]:
        return {"years": [y.to_json() for y in self.years]}


Finding = LongAbsence | LatePaymentFinding | EmployerChange | LowIncome


def finding_json(f: Finding) -> dict[str, Any]:
    ja, en = FINDING_TITLES[f.kind]
    return {"id": f.kind.value, "title": ja, "title_en": en, "data": f.data_json()}


# ---------------------------------------------------------------- one applicant's assessment


@dataclass
class Assessment:
    case_id: str
    category: str
    on: date
    applicant: str
    status: str
    period_of_stay: str
    continuity: Continuity
    routes: list[RouteResult]
    checks: list[Check]
    findings: list[Finding]
    points: dict[int, PointsCheck] = field(default_factory=dict)  # threshold -> the check on the date
    filing_with: str | None = None  # a family member filing together: stands or falls with this main applicant

    def route(self, route_id: str) -> RouteResult:
        return next(r for r in self.routes if r.id == route_id)

    def check(self, check_id: str) -> Check:
        return next(c for c in self.checks if c.id == check_id)

    def finding(self, kind: FindingKind) -> Finding | None:
        return next((f for f in self.findings if f.kind == kind), None)

    @property
    def finding_kinds(self) -> frozenset[FindingKind]:
        return frozenset(f.kind for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "category": self.category,
            "date": self.on.isoformat(),
            "applicant": {"name": self.applicant, "status": self.status, "period_of_stay": self.period_of_stay},
            "conditional_on_main_applicant": self.filing_with,
            "routes": [r.to_json() for r in self.routes],
            "checks": [c.to_json() for c in self.checks],
            "continuity": self.continuity.to_json(),
            "points": {str(k): v.to_json() for k, v in self.points.items()},
            "findings": [finding_json(f) for f in self.findings],
        }


@dataclass
class CaseAssessment:
    """The main applicant's assessment, then one per family member filing together; computed once per run."""

    main: Assessment
    co_applicants: list[Assessment] = field(default_factory=list)

    @property
    def everyone(self) -> list[Assessment]:
        return [self.main, *self.co_applicants]

    def to_json(self) -> dict[str, Any]:
        return {**self.main.to_json(), "co_applicants": [a.to_json() for a in self.co_applicants]}
