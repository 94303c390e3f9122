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
from docgen.assessment.decision import Decision, case_decision
from docgen.assessment.finding_kinds import FindingKind
from docgen.assessment.penalties import Fine
from docgen.assessment.points import PointsCheck
from docgen.assessment.points.held import Holder
from docgen.rules.sources import Source, needs_review, sources_json
from docgen.text import Text


class RouteStatus(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    CANNOT_DECIDE = "cannot_decide"
    NOT_APPLICABLE = "not_applicable"
    INFORMATIONAL = "informational"


# The one table of a route's status in words (the report, `docgen points`) and its mark ([OK], OK).
ROUTE_WORDS = {
    RouteStatus.MET: Text("満たす", "met"),
    RouteStatus.NOT_MET: Text("満たさない", "not met"),
    RouteStatus.CANNOT_DECIDE: Text("判断不可", "cannot decide"),
    RouteStatus.NOT_APPLICABLE: Text("対象外", "not applicable"),
    RouteStatus.INFORMATIONAL: Text("参考", "information"),
}
ROUTE_MARKS = {
    RouteStatus.MET: "OK",
    RouteStatus.NOT_MET: "NG",
    RouteStatus.CANNOT_DECIDE: "??",
    RouteStatus.NOT_APPLICABLE: "--",
    RouteStatus.INFORMATIONAL: "i",
}


class CheckStatus(StrEnum):
    OK = "ok"
    RISK = "risk"
    NG = "ng"
    UNKNOWN = "unknown"  # a fact is missing
    INFO = "info"
    REVIEW = "review"  # holds on an unverified reading: the office judges (要確認)


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

    The first reason says it in a sentence (the decision quotes it). A risk has a `level`; `until` is the day
    a failure or a risk falls away if the facts stay as they are, `waiting` what must happen first when no
    such day exists (a renewal, a company that meets the standards). `data` is the check's detail for the
    JSON report only; nothing downstream reads it."""

    id: str
    title: dict[str, str]
    status: CheckStatus
    reasons: list[Reason]
    sources: tuple[Source, ...]
    review: str | None = None
    official: bool = True
    data: dict[str, Any] = field(default_factory=dict)
    level: RiskLevel | None = None
    until: date | None = None
    waiting: Reason | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title["ja"],
            "title_en": self.title["en"],
            "status": self.status.value,
            "official": self.official,
            "level": self.level.value if self.level else None,
            "until": self.until.isoformat() if self.until else None,
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
    """住民税 of one year paid after its due date; `leaves_window` is the first day its 年度 is off the list."""

    person: str
    year: int
    fiscal_year: int
    label: str
    collection: str
    municipality: str
    leaves_window: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "year": self.year,
            "fiscal_year": self.fiscal_year,
            "label": self.label,
            "collection": self.collection,
            "municipality": self.municipality,
            "leaves_window": self.leaves_window.isoformat() if self.leaves_window else None,
        }


@dataclass(frozen=True)
class LateEnrolment:
    """Pension or health insurance paid late during an enrolment (months as YYYY-MM); `leaves_window` is the first
    application date whose window (直近N月) no longer holds a late month (None while the enrolment goes on)."""

    person: str
    kind: str
    start: str
    end: str | None
    window: tuple[str, str]
    leaves_window: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "kind": self.kind,
            "from": self.start,
            "to": self.end,
            "window": list(self.window),
            "leaves_window": self.leaves_window.isoformat() if self.leaves_window else None,
        }


@dataclass(frozen=True)
class LatePayments:
    resident_tax: list[LateTax]
    pension: list[LateEnrolment]
    health_insurance: list[LateEnrolment]

    def __bool__(self) -> bool:
        return bool(self.resident_tax or self.pension or self.health_insurance)

    @property
    def clean_from(self) -> date | None:
        """The first application date on which no late payment is left in the windows (None: not foreseeable)."""
        dates = [x.leaves_window for x in self.resident_tax] + [
            x.leaves_window for x in (*self.pension, *self.health_insurance)
        ]
        return None if not dates or any(d is None for d in dates) else max(d for d in dates if d is not None)

    def to_json(self) -> dict[str, Any]:
        return {
            "resident_tax": [t.to_json() for t in self.resident_tax],
            "pension": [e.to_json() for e in self.pension],
            "health_insurance": [e.to_json() for e in self.health_insurance],
        }


# ---------------------------------------------------------------- findings: what a 説明書 should explain


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
    decision: Decision | None = None  # set once the routes and checks are known (decide.py)
    fines: list[Fine] = field(default_factory=list)  # 罰金 (criminal penalties): 申請書13 must say 有 (conduct.py)
    holder: Holder = field(default_factory=lambda: Holder(False, None))  # 高度人材外国人, the one definition

    def route(self, route_id: str) -> RouteResult:
        return next(r for r in self.routes if r.id == route_id)

    def check(self, check_id: str) -> Check:
        return next(c for c in self.checks if c.id == check_id)

    def finding(self, kind: FindingKind) -> Finding | None:
        return next((f for f in self.findings if f.kind == kind), None)

    @property
    def finding_kinds(self) -> frozenset[FindingKind]:
        return frozenset(f.kind for f in self.findings)

    @property
    def decided(self) -> Decision:
        """The decision (always set by `assess_applicant`)."""
        if self.decision is None:
            raise ValueError("the assessment has no decision yet")
        return self.decision

    def to_json(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "category": self.category,
            "date": self.on.isoformat(),
            "decision": self.decided.to_json(),
            "applicant": {"name": self.applicant, "status": self.status, "period_of_stay": self.period_of_stay},
            "hsp_holder": {
                "holder": self.holder.holder,
                "since": self.holder.since.isoformat() if self.holder.since else None,
            },
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

    @property
    def decision(self) -> Decision:
        """The filing as a whole: blocked if anyone is, with the latest earliest date."""
        return case_decision([(a.applicant, a.decided) for a in self.everyone])

    def to_json(self) -> dict[str, Any]:
        return {
            **self.main.to_json(),
            "co_applicants": [a.to_json() for a in self.co_applicants],
            "case_decision": self.decision.to_json(),
        }
