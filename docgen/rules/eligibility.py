"""The eligibility rules (docgen/data/eligibility.yaml): routes, the longest period of stay, the income
benchmark, late payments, criminal penalties, job gaps, work outside the status, the guarantor, the 経営・管理
standards, certificate validity — dated and sourced.

Reference: permanent-residence.md §4, §4.4, §6, §7, §11.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import Field

from docgen.errors import DocgenError, InputFileError, Problem
from docgen.profile.model import normalise_status
from docgen.rules.dated import Dated, version_problems
from docgen.rules.sources import Source, SourceDef, Strict, check_cited, resolve_sources
from docgen.text import Text
from docgen.validation import validate_document
from docgen.yamlfile import LoadedYaml, with_located_problems


class Text2(Strict):
    ja: str
    en: str


class RouteBase(Dated):
    """What every route has: its id, name, sources and the dates it is in force."""

    id: str
    name: Text2
    sources: list[str] = Field(min_length=1)
    review: str | None = None


class GeneralRoute(RouteBase):
    """原則10年在留: `years_in_japan` in Japan, `years_qualifying` of them on a work or residence status."""

    kind: Literal["general"]
    years_in_japan: int = Field(gt=0)
    years_qualifying: int = Field(gt=0)

    @property
    def years_of_stay(self) -> int:
        """The years of continuous residence the route counts (a break restarts them)."""
        return self.years_in_japan


class HspRoute(RouteBase):
    """高度人材: `threshold` points for `years` (as a holder, or now and on the reference date)."""

    kind: Literal["hsp_holder", "hsp_points"]
    threshold: int = Field(gt=0)
    years: int = Field(gt=0)

    @property
    def years_of_stay(self) -> int:
        """The years of continuous residence the route counts (a break restarts them)."""
        return self.years


class SpouseRoute(RouteBase):
    """配偶者: `marriage_years` of marriage and `years_in_japan` in Japan."""

    kind: Literal["spouse"]
    marriage_years: int = Field(gt=0)
    years_in_japan: int = Field(gt=0)

    @property
    def years_of_stay(self) -> int:
        """The years of continuous residence the route counts (a break restarts them)."""
        return self.years_in_japan


class ChildRoute(RouteBase):
    """実子等: `years_in_japan` in Japan."""

    kind: Literal["child"]
    years_in_japan: int = Field(gt=0)

    @property
    def years_of_stay(self) -> int:
        """The years of continuous residence the route counts (a break restarts them)."""
        return self.years_in_japan


class TeijushaRoute(RouteBase):
    """定住者: `years` on `status`."""

    kind: Literal["teijusha"]
    status: str = Field(min_length=1)
    years: int = Field(gt=0)

    @property
    def years_of_stay(self) -> int:
        """The years of continuous residence the route counts (a break restarts them)."""
        return self.years


class InformationalRoute(RouteBase):
    """A route shown for information only: the profile has no facts for it; `note` says what to check by hand."""

    kind: Literal["informational"]
    note: Text2


RouteDef = Annotated[
    GeneralRoute | HspRoute | SpouseRoute | ChildRoute | TeijushaRoute | InformationalRoute,
    Field(discriminator="kind"),
]
CountedRoute = GeneralRoute | HspRoute | SpouseRoute | ChildRoute | TeijushaRoute  # routes counted in years


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
    """The longest period of stay: `counted_years` (3年) counts as the longest while a version says so (§4.4)."""

    counted_years: int = Field(ge=1)
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
    """More than `months` without the work status's activity (入管法22条の4第1項6号); a change of employer is
    notified within `notify_within_days` (法19条の16)."""

    months: int = Field(ge=1)
    notify_within_days: int = Field(ge=1)
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


ROUTE_KINDS: dict[str, type[RouteBase]] = {
    kind: cls
    for cls in (GeneralRoute, HspRoute, SpouseRoute, ChildRoute, TeijushaRoute, InformationalRoute)
    for kind in get_args(cls.model_fields["kind"].annotation)
}
FIELD_WORDS = {
    "years_in_japan": Text("日本での継続在留の年数", "years of continuous residence in Japan"),
    "years_qualifying": Text("就労資格・居住資格での在留年数", "years on a work or residence status"),
    "threshold": Text("ポイントの基準点", "points threshold"),
    "years": Text("必要な在留年数", "years required"),
    "marriage_years": Text("婚姻期間の年数", "years of marriage"),
    "status": Text("在留資格の名前", "name of the residence status"),
    "note": Text("個別に確認する内容(ja・en)", "what to check by hand (ja and en)"),
}


def required_fields(kind: str) -> list[str]:
    """The fields a route of `kind` needs beyond what every route has (its years, threshold, status …)."""
    cls = ROUTE_KINDS[kind]
    return [
        n for n, f in cls.model_fields.items() if f.is_required() and n != "kind" and n not in RouteBase.model_fields
    ]


def _route_problems(doc: LoadedYaml) -> dict[int, list[Problem]]:
    """Each route's kind, and the fields its kind requires, present — every number a whole number of 1 or more —
    by route index. Checked before the schema so that staff read which route lacks which figure."""
    routes = doc.data.get("routes") if isinstance(doc.data, dict) else None
    out: dict[int, list[Problem]] = {}
    for i, entry in enumerate(routes if isinstance(routes, list) else []):
        if not isinstance(entry, dict):
            continue
        route = str(entry.get("id") or f"routes[{i}]")
        kind = entry.get("kind")
        if not isinstance(kind, str) or kind not in ROUTE_KINDS:
            kinds = ", ".join(ROUTE_KINDS)
            out[i] = [
                Problem(
                    doc.path,
                    doc.line_of(("routes", i, "kind")),
                    f"routes[{i}].kind",
                    Text(
                        f"ルート {route} の種類(kind)は次のいずれかで書いてください: {kinds}",
                        f"route {route}: its kind must be one of: {kinds}",
                    ),
                )
            ]
            continue
        for name in required_fields(kind):
            words, value = FIELD_WORDS[name], entry.get(name)
            number = ROUTE_KINDS[kind].model_fields[name].annotation is int
            if value is None:
                text = Text(
                    f"ルート {route}({kind})に必要な {name}({words.ja})が書かれていません",
                    f"route {route} ({kind}) needs {name} ({words.en}), which is missing",
                )
            elif number and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                text = Text(
                    f"ルート {route} の {name}({words.ja})は1以上の整数で書いてください",
                    f"route {route}: {name} ({words.en}) must be a whole number of 1 or more",
                )
            else:
                continue
            line = doc.line_of(("routes", i, name))
            out.setdefault(i, []).append(Problem(doc.path, line, f"routes[{i}].{name}", text))
    return out


def _routes_checked(doc: LoadedYaml) -> EligibilityRules:
    """The rules validated, with each route's required fields reported in staff words (route and field named)
    instead of the schema's words for the same routes."""
    problems = _route_problems(doc)
    try:
        rules = validate_document(doc, EligibilityRules)
    except InputFileError as exc:
        others = [
            p
            for p in exc.problems
            if not any(p.field == f"routes[{i}]" or p.field.startswith(f"routes[{i}].") for i in problems)
        ]
        raise InputFileError([*(p for ps in problems.values() for p in ps), *others]) from None
    if problems:  # the schema reads true or "3" as a number; the rules must write a whole number
        raise InputFileError([p for ps in problems.values() for p in ps])
    return rules


def load_eligibility(path: Path) -> EligibilityRules:
    """Read the eligibility rules: every route has the fields its kind requires (a positive whole number for each
    year and threshold), and every cited source is defined."""
    rules = with_located_problems(lambda read: _routes_checked(read(path)))
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
