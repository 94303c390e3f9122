"""The eligibility rules (docgen/data/eligibility.yaml): routes, the longest period of stay, the income
benchmark, late payments, criminal penalties, job gaps, work outside the status, the guarantor, the 経営・管理
standards, certificate validity — dated and sourced.

Reference: permanent-residence.md §4, §4.4, §6, §7, §11.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import Field

from docgen.errors import DocgenError
from docgen.profile.model import normalise_status
from docgen.rules.dated import Dated, version_problems
from docgen.rules.sources import Source, SourceDef, Strict, check_cited, resolve_sources
from docgen.validation import validate_document
from docgen.yamlfile import load_yaml


class Text2(Strict):
    ja: str
    en: str


class RouteDef(Dated):
    id: str
    kind: Literal["general", "hsp_holder", "hsp_points", "spouse", "child", "teijusha", "informational"]
    name: Text2
    years_in_japan: int | None = None
    years_qualifying: int | None = None
    threshold: int | None = None
    years: int | None = None
    marriage_years: int | None = None
    status: str | None = None
    note: Text2 | None = None
    sources: list[str] = Field(min_length=1)
    review: str | None = None


class LongestStayVersion(Dated):
    three_years_counts: bool
    sources: list[str]
    review: str | None = None


class MaximumDef(Dated):
    """施行規則別表第二: the longest period of stay of the statuses in `match`, in force from a date."""

    match: list[str] = Field(min_length=1)
    max: str
    sources: list[str] = Field(min_length=1)


class FamilyPeriodDef(Strict):
    """A family member filing together with a main applicant who holds one of `main_holds` (§11.2)."""

    main_holds: list[str] = Field(min_length=1)
    sources: list[str] = Field(min_length=1)
    review: str


class LongestStayDef(Strict):
    versions: list[LongestStayVersion]
    maximum: list[MaximumDef]
    default_maximum: str
    default_review: str
    family_co_filing: FamilyPeriodDef

    def maximum_for(self, status: str, on: date) -> MaximumDef | None:
        """The first entry in force on `on` whose names start the status (full-width brackets normalised)."""
        name = normalise_status(status)
        return next(
            (m for m in self.maximum if m.in_force(on) and any(name.startswith(normalise_status(x)) for x in m.match)),
            None,
        )


class BenchmarkVersion(Dated):
    single: int
    per_dependant: int
    official: bool
    sources: list[str]
    review: str | None = None


class IncomeBenchmarkDef(Strict):
    versions: list[BenchmarkVersion]
    exempt_routes: list[str]


class LatePaymentVersion(Dated):
    explicit: bool
    sources: list[str]


class LatePaymentDef(Strict):
    versions: list[LatePaymentVersion]


class SourcesOnly(Strict):
    sources: list[str]


class CriminalPenaltyDef(Strict):
    """刑の消滅 (刑法34条の2): a fine's sentence lapses `lapse_years` after it was paid."""

    lapse_years: int = Field(ge=1)
    sources: list[str] = Field(min_length=1)


class JobGapDef(Strict):
    """More than `months` without the work status's activity (入管法22条の4第1項6号)."""

    months: int = Field(ge=1)
    sources: list[str] = Field(min_length=1)


class WorkOutsideStatusDef(Strict):
    """資格外活動 (28 hours a week): the statuses it concerns and the annual income 28 hours cannot plausibly earn."""

    statuses: list[str] = Field(min_length=1)
    hours_per_week: int = Field(ge=1)
    annual_income_limit: int = Field(ge=1)
    sources: list[str] = Field(min_length=1)
    review: str | None = None


class GuarantorDef(Strict):
    allowed: list[str]
    sources: list[str]


class Requirement(Strict):
    field: str
    min: int
    ja: str
    en: str


class BusinessVersion(Dated):
    mode: Literal["any_of", "all_of"]
    requirements: list[Requirement]
    profile_facts_required: bool = False  # a profile for this category must give applicant.business
    sources: list[str]
    review: str | None = None


class BusinessDef(Strict):
    statuses: list[str]
    versions: list[BusinessVersion]


class CertificatesDef(Strict):
    valid_months: int
    sources: list[str]


class DecisionVersion(Dated):
    processing_days: int = Field(ge=1, le=1000)
    sources: list[str]
    review: str | None = None


class DecisionDef(Strict):
    versions: list[DecisionVersion]
    stay_expiry_sources: list[str]


class NoticeLevel(Strict):
    from_: int = Field(alias="from", ge=1)
    level: Literal["low", "medium", "high"]


class TrafficVersion(Dated):
    lookback_years: int = Field(ge=1)
    notice_levels: list[NoticeLevel]
    sources: list[str]
    review: str | None = None


class TrafficDef(Strict):
    versions: list[TrafficVersion]


class EligibilityRules(Strict):
    last_checked: date
    sources: dict[str, SourceDef]
    routes: list[RouteDef]
    longest_stay: LongestStayDef
    income_benchmark: IncomeBenchmarkDef
    late_payment: LatePaymentDef
    criminal_record: SourcesOnly
    criminal_penalty: CriminalPenaltyDef
    job_gap: JobGapDef
    work_outside_status: WorkOutsideStatusDef
    family_co_filing: SourcesOnly
    guarantor: GuarantorDef
    business_standards: BusinessDef
    certificates: CertificatesDef
    decision: DecisionDef
    traffic: TrafficDef

    def src(self, keys: list[str]) -> tuple[Source, ...]:
        return resolve_sources(self.sources, keys)


def load_eligibility(path: Path) -> EligibilityRules:
    """Read the eligibility rules; every cited source must be defined."""
    rules = validate_document(load_yaml(path), EligibilityRules)
    check_cited(rules, rules.sources, path)
    for name, versions in (
        ("longest_stay", rules.longest_stay.versions),
        ("income_benchmark", rules.income_benchmark.versions),
        ("late_payment", rules.late_payment.versions),
        ("business_standards", rules.business_standards.versions),
        ("decision", rules.decision.versions),
        ("traffic", rules.traffic.versions),
    ):
        for problem in version_problems(versions):
            raise DocgenError(f"{path} [{name}.versions]: {problem}")
    return rules
