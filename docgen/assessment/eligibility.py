"""Eligibility assessment: every permanent-residence route and the other checks, as of a date.

`assess(profile, on=...)` says for each route whether it is met on the date and, if not, the earliest
date it will be (assuming nothing changes: same status, no long trip, salary as recorded), with reasons
in Japanese and English. `findings(profile)` lists what the packet should explain in a 説明書.
The rules (years, in-force dates, thresholds, sources) are data: data/eligibility.yaml.
Reference: permanent-residence.md §4, §4.4, §6, §7.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Literal

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field

from docgen.assessment.continuity import Continuity, add_years, continuity, normalise_status
from docgen.errors import DocgenError
from docgen.rules.periods import fiscal_years, issued_on_or_after, month_window
from docgen.assessment.points import check_points, earliest_points_date, load_table
from docgen.profile.model import PARENTS, SPOUSES, Enrolment, IncomeYear, Profile
from docgen.rules.book import Source, SourceDef, needs_review, rulebook
from docgen.validation import validate_document
from docgen.wareki import fiscal_year_label
from docgen.yamlfile import load_yaml
from docgen.resources import DATA

DATA_FILE = DATA / "eligibility.yaml"
PROJECTION_YEARS = 10  # how far ahead an earliest date is searched

RouteStatus = Literal["met", "not_met", "cannot_decide", "not_applicable", "informational"]
CheckStatus = Literal["ok", "risk", "ng", "unknown", "info"]


# ---------------------------------------------------------------- rules file


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


class Text2(_Strict):
    ja: str
    en: str


class Dated(_Strict):
    start: date | None = Field(None, alias="from")
    end: date | None = Field(None, alias="until")

    def in_force(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


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


class MaximumDef(_Strict):
    match: list[str]
    max: str
    sources: list[str]


class LongestStayDef(_Strict):
    versions: list[LongestStayVersion]
    maximum: list[MaximumDef]
    default_maximum: str
    default_review: str


class BenchmarkVersion(Dated):
    single: int
    per_dependant: int
    official: bool
    sources: list[str]
    review: str | None = None


class IncomeBenchmarkDef(_Strict):
    versions: list[BenchmarkVersion]
    exempt_routes: list[str]


class LatePaymentVersion(Dated):
    explicit: bool
    sources: list[str]


class LatePaymentDef(_Strict):
    versions: list[LatePaymentVersion]


class SourcesOnly(_Strict):
    sources: list[str]


class GuarantorDef(_Strict):
    allowed: list[str]
    sources: list[str]


class Requirement(_Strict):
    field: str
    min: int
    ja: str
    en: str


class BusinessVersion(Dated):
    mode: Literal["any_of", "all_of"]
    requirements: list[Requirement]
    sources: list[str]
    review: str | None = None


class BusinessDef(_Strict):
    statuses: list[str]
    versions: list[BusinessVersion]


class CertificatesDef(_Strict):
    valid_months: int
    sources: list[str]


class EligibilityRules(_Strict):
    last_checked: date
    sources: dict[str, SourceDef]
    routes: list[RouteDef]
    longest_stay: LongestStayDef
    income_benchmark: IncomeBenchmarkDef
    late_payment: LatePaymentDef
    criminal_record: SourcesOnly
    guarantor: GuarantorDef
    business_standards: BusinessDef
    certificates: CertificatesDef

    def src(self, keys: list[str]) -> tuple[Source, ...]:
        return tuple(Source(k, self.sources[k].title, self.sources[k].url, self.sources[k].reliability) for k in keys)


def _cited(node: Any) -> list[str]:
    """Every source key cited anywhere in the rules (the `sources:` lists)."""
    if isinstance(node, list):
        return [k for x in node for k in _cited(x)]
    if not isinstance(node, BaseModel):
        return []
    out: list[str] = []
    for name in type(node).model_fields:
        value = getattr(node, name)
        out += value if name == "sources" and isinstance(value, list) else _cited(value)
    return out


@lru_cache(maxsize=4)
def load_rules(path: Path = DATA_FILE) -> EligibilityRules:
    """Read the eligibility rules; every cited source must be defined."""
    rules = validate_document(load_yaml(path), EligibilityRules)
    for key in _cited(rules):
        if key not in rules.sources:
            raise DocgenError(f"{path}: unknown source '{key}'")
    return rules


def in_force(versions: list[Any], on: date, what: str) -> Any:
    """The version of a dated rule in force on `on`."""
    for v in versions:
        if v.in_force(on):
            return v
    raise DocgenError(f"no version of the rule '{what}' in data/eligibility.yaml is in force on {on}; add one")


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Reason:
    ja: str
    en: str

    def to_json(self) -> dict[str, str]:
        return {"ja": self.ja, "en": self.en}


def _sources_json(sources: tuple[Source, ...]) -> list[dict[str, str]]:
    return [{"title": s.title, "url": s.url, "reliability": s.reliability} for s in sources]



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

    @property
    def met(self) -> bool | None:
        return {"met": True, "not_met": False}.get(self.status)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name["ja"],
            "name_en": self.name["en"],
            "status": self.status,
            "met": self.met,
            "earliest_date": self.earliest_date.isoformat() if self.earliest_date else None,
            "filed": self.filed,
            "reasons": [r.to_json() for r in self.reasons],
            "sources": _sources_json(self.sources),
            "needs_review": needs_review(self.sources, self.review),
            **({"review": self.review} if self.review else {}),
        }


@dataclass
class Check:
    """Another requirement or risk (period of stay, income, payments, record, guarantor …)."""

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
            "status": self.status,
            "official": self.official,
            "reasons": [r.to_json() for r in self.reasons],
            "data": self.data,
            "sources": _sources_json(self.sources),
            "needs_review": needs_review(self.sources, self.review) or not self.official,
            **({"review": self.review} if self.review else {}),
        }


@dataclass
class Finding:
    """Something the packet should explain in a 説明書, with the data the letter needs."""

    id: str
    title_ja: str
    title_en: str
    data: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title_ja, "title_en": self.title_en, "data": self.data}


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
    points: dict[int, Any] = field(default_factory=dict)  # threshold -> PointsCheck

    def route(self, route_id: str) -> RouteResult:
        return next(r for r in self.routes if r.id == route_id)

    def check(self, check_id: str) -> Check:
        return next(c for c in self.checks if c.id == check_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "category": self.category,
            "date": self.on.isoformat(),
            "applicant": {"name": self.applicant, "status": self.status, "period_of_stay": self.period_of_stay},
            "routes": [r.to_json() for r in self.routes],
            "checks": [c.to_json() for c in self.checks],
            "continuity": self.continuity.to_json(),
            "points": {str(k): v.to_json() for k, v in self.points.items()},
            "findings": [f.to_json() for f in self.findings],
        }

    def text(self) -> str:
        return render_text(self)


# ---------------------------------------------------------------- the case being assessed


@dataclass
class _Case:
    profile: Profile
    on: date
    today: date
    rules: EligibilityRules
    cont: Continuity
    tax_years: int
    insurance_months: int
    route_kind: str  # route of the profile's category (general, spouse, …)

    @property
    def applicant(self):  # noqa: ANN201 - the profile's Applicant
        return self.profile.applicant


def _case(profile: Profile, on: date, today: date) -> _Case:
    book = rulebook()
    params = book.params(profile.category, on).values
    return _Case(profile, on, today, load_rules(), continuity(profile.applicant, on), params.get("tax_years", 5),
                 params.get("insurance_months", 24), book.category(profile.category).route)


def _fmt(d: date | None) -> str:
    return d.isoformat() if d else "—"


# ---------------------------------------------------------------- routes


def _route(r: RouteDef, case: _Case, status: RouteStatus, earliest: date | None, reasons: list[Reason]) -> RouteResult:
    filed = r.id == case.profile.category or (r.kind == "general" and case.route_kind == "general")
    return RouteResult(r.id, r.name.model_dump(), status, earliest, reasons, case.rules.src(r.sources), r.review, filed)


def _by_date(earliest: date | None, on: date) -> RouteStatus:
    return "met" if earliest is not None and earliest <= on else "not_met"


def _stay_reasons(c: Continuity) -> list[Reason]:
    out = [Reason(e.ja, e.en) for e in c.breaks]
    if c.stay_since:
        out.append(Reason(f"継続在留: {c.stay_since}から{c.years_in_japan}年", f"continuous residence since {c.stay_since}: {c.years_in_japan} years"))
    return out


def _no_stay(r: RouteDef, case: _Case, reasons: list[Reason]) -> RouteResult:
    """No continuous stay on the date: not met when the facts show why (abroad now, a status that does
    not count), undecidable only when the residence history is missing."""
    if any(e.kind in ("abroad_now", "not_counted", "no_status") for e in case.cont.breaks) or case.cont.segments:
        return _route(r, case, "not_met", None, reasons)
    return _route(r, case, "cannot_decide", None, reasons)


def _general(r: RouteDef, case: _Case) -> RouteResult:
    c, on = case.cont, case.on
    reasons = _stay_reasons(c)
    if c.stay_since is None:
        return _no_stay(r, case, reasons)
    total_date = add_years(c.stay_since, r.years_in_japan or 10)
    reasons.append(Reason(f"継続在留{r.years_in_japan}年の到達日: {total_date}", f"{r.years_in_japan} years in Japan on {total_date}"))
    for seg in c.segments:
        if c.stay_since <= seg.end and not seg.cls.qualifying:
            reasons.append(Reason(f"「{seg.cls.status}」({max(seg.start, c.stay_since)}〜{seg.end})は就労資格・居住資格の{r.years_qualifying}年に算入されません",
                                  f"{seg.cls.status} ({max(seg.start, c.stay_since)}–{seg.end}) does not count toward the {r.years_qualifying} years on a work or residence status"))
    if c.qualifying_since is None:
        cur = c.current_status()
        reasons.append(Reason(f"現在の在留資格「{cur.status if cur else '—'}」は就労資格・居住資格ではありません",
                              f"the current status ({cur.status if cur else '—'}) is not a work or residence status"))
        return _route(r, case, "not_met", None, reasons)
    q_date = add_years(c.qualifying_since, r.years_qualifying or 5)
    reasons.append(Reason(f"就労資格・居住資格で{c.qualifying_since}から在留; {r.years_qualifying}年の到達日: {q_date}",
                          f"on a work or residence status since {c.qualifying_since}; {r.years_qualifying} years on {q_date}"))
    earliest = max(total_date, q_date, on)
    return _route(r, case, _by_date(earliest, on), earliest, reasons)


def _holder_start(case: _Case) -> tuple[bool, date | None]:
    """Is the applicant a 高度人材外国人, and since when (holder_since, else the run of HSP statuses)?"""
    hsp = case.applicant.hsp
    cur = case.cont.current_status()
    is_holder = bool(hsp and hsp.holder_since) or bool(cur and cur.hsp)
    since = hsp.holder_since if hsp and hsp.holder_since else case.cont.run_since(lambda s: s.hsp)
    return is_holder, since


def _hsp(r: RouteDef, case: _Case) -> RouteResult:
    a, c, on = case.applicant, case.cont, case.on
    threshold, years = r.threshold or 70, r.years or 3
    holder, holder_since = _holder_start(case)
    if r.kind == "hsp_holder" and not holder:
        return _route(r, case, "not_applicable", None, [Reason("高度専門職(高度人材外国人)ではありません。非保有者はhsp_points_*を参照", "not an HSP holder; see hsp_points_* for non-holders")])
    if r.kind == "hsp_points" and holder:
        return _route(r, case, "not_applicable", None, [Reason(f"高度専門職の保有者はhsp_{threshold}の要件で判断します", f"HSP holders use hsp_{threshold}")])
    if a.hsp is None:
        status: RouteStatus = "cannot_decide" if case.profile.category == r.id or r.kind == "hsp_holder" else "not_applicable"
        return _route(r, case, status, None, [Reason("ポイントの根拠(applicant.hsp)が未入力のため評価していません", "no points facts (applicant.hsp) in the profile; not assessed")])
    reasons = _stay_reasons(c)
    if c.stay_since is None:
        return _no_stay(r, case, reasons)
    if r.kind == "hsp_holder":
        if holder_since is None:
            return _route(r, case, "cannot_decide", None, reasons + [Reason("高度人材外国人としての在留開始日(hsp.holder_since)が不明です", "the date the HSP status started (hsp.holder_since) is unknown")])
        since = max(holder_since, c.stay_since)
        period_date = add_years(since, years)
        reasons.append(Reason(f"高度人材外国人として{since}から継続在留; {years}年の到達日: {period_date}", f"continuously an HSP holder since {since}; {years} years on {period_date}"))
        now = check_points(a.hsp, a.birth_date, on, threshold).now
        reasons.append(Reason(f"{on}時点のポイント: {now.total}点 (必要{threshold}点)", f"{now.total} points on {on} ({threshold} needed)"))
        reasons += [Reason(ja, en) for ja, en in now.shortfall_reasons(threshold)]
        with_reference = False
    else:
        period_date = add_years(c.stay_since, years)
        reasons.append(Reason(f"継続在留{years}年の到達日: {period_date}", f"{years} years in Japan on {period_date}"))
        chk = check_points(a.hsp, a.birth_date, on, threshold)
        reasons.append(Reason(f"{on}時点のポイント: {chk.now.total}点、基準時点{chk.reference_date}のポイント: {chk.reference.total}点 (いずれも{threshold}点以上が必要)",
                              f"{chk.now.total} points on {on} and {chk.reference.total} points on the reference date {chk.reference_date} ({threshold} needed at both)"))
        reasons += [Reason(ja, en) for ja, en in chk.now.shortfall_reasons(threshold) + chk.reference.shortfall_reasons(threshold)]
        with_reference = True
    start = max(on, period_date)
    earliest = earliest_points_date(a.hsp, a.birth_date, threshold, start, start + relativedelta(years=PROJECTION_YEARS), with_reference=with_reference)
    if earliest is None:
        reasons.append(Reason(f"記録された事実のままでは{PROJECTION_YEARS}年以内にポイントを満たしません", f"with the facts as recorded the points are not reached within {PROJECTION_YEARS} years"))
    elif earliest > on:
        reasons.append(Reason(f"事実が変わらなければ{earliest}に要件を満たします", f"met on {earliest} if nothing changes"))
    return _route(r, case, _by_date(earliest, on), earliest, reasons)


def _relatives(case: _Case, relationships: tuple[str, ...]):  # noqa: ANN202 - list of FamilyMember
    return [m for m in case.profile.family if m.relationship in relationships]


def _not_resident_status(m) -> str | None:  # noqa: ANN001 - FamilyMember
    """The member's status when it shows they are not 永住者/特別永住者 (they file with a status of their own)."""
    recorded = m.application.status if m.application is not None else m.status
    if m.nationality == "日本" or not recorded:
        return None
    status = normalise_status(recorded)
    return None if status.startswith(("永住者", "特別永住者")) and not status.startswith("永住者の配偶者") else recorded


def _spouse(r: RouteDef, case: _Case) -> RouteResult:
    spouses = _relatives(case, SPOUSES)
    japanese = [m for m in spouses if m.nationality == "日本"]
    if case.profile.category != "spouse" and not japanese:
        known_not = [(m, _not_resident_status(m)) for m in spouses if _not_resident_status(m)]
        if spouses and len(known_not) == len(spouses):
            m, st = known_not[0]
            return _route(r, case, "not_applicable", None, [Reason(f"配偶者({m.display_name})は「{st}」で日本人・永住者ではありません", f"the spouse ({m.display_name}) holds {st}, not Japanese or a permanent resident")])
        if spouses:
            return _route(r, case, "cannot_decide", None, [Reason("配偶者が日本人・永住者・特別永住者かどうかプロフィールから分かりません", "the profile does not say whether the spouse is Japanese or a permanent resident")])
        return _route(r, case, "not_applicable", None, [Reason("配偶者がいません", "no spouse in the profile")])
    c, on = case.cont, case.on
    reasons = _stay_reasons(c)
    if c.stay_since is None:
        return _no_stay(r, case, reasons)
    one_year = add_years(c.stay_since, r.years_in_japan or 1)
    reasons.append(Reason(f"日本での継続在留{r.years_in_japan}年の到達日: {one_year}", f"{r.years_in_japan} year(s) in Japan on {one_year}"))
    married = [m.marriage_date for m in spouses if m.marriage_date is not None]
    if not married:
        reasons.append(Reason(f"婚姻期間{r.marriage_years}年(実体を伴う婚姻生活)は、プロフィールに婚姻日(family[].marriage_date)がないため判断できません",
                              f"{r.marriage_years} years of real marriage cannot be decided: the profile has no marriage date (family[].marriage_date)"))
        if one_year > on:
            return _route(r, case, "not_met", None, reasons)
        return _route(r, case, "cannot_decide", None, reasons)
    marriage_years = add_years(married[0], r.marriage_years or 3)
    reasons.append(Reason(f"婚姻期間{r.marriage_years}年の到達日: {marriage_years}(婚姻の実体があることが前提)",
                          f"{r.marriage_years} years of marriage on {marriage_years} (the marriage must be real and ongoing)"))
    earliest = max(one_year, marriage_years, on)
    return _route(r, case, _by_date(earliest, on), earliest, reasons)


def _child(r: RouteDef, case: _Case) -> RouteResult:
    parents = _relatives(case, PARENTS)
    if case.profile.category != "child" and not any(m.nationality == "日本" for m in parents):
        if parents and all(_not_resident_status(m) for m in parents):
            return _route(r, case, "not_applicable", None, [Reason("親は日本人・永住者ではありません", "no parent is Japanese or a permanent resident")])
        if parents:
            return _route(r, case, "cannot_decide", None, [Reason("親が日本人・永住者・特別永住者かどうかプロフィールから分かりません", "the profile does not say whether a parent is Japanese or a permanent resident")])
        return _route(r, case, "not_applicable", None, [Reason("日本人・永住者等の親がいません", "no parent who is Japanese or a permanent resident in the profile")])
    c, on = case.cont, case.on
    reasons = _stay_reasons(c) + [Reason("実子又は特別養子に限ります(普通養子は対象外)", "only a natural or specially adopted child (not an ordinary adoption)")]
    if c.stay_since is None:
        return _no_stay(r, case, reasons)
    earliest = max(add_years(c.stay_since, r.years_in_japan or 1), on)
    reasons.append(Reason(f"日本での継続在留{r.years_in_japan}年の到達日: {add_years(c.stay_since, r.years_in_japan or 1)}", f"{r.years_in_japan} year(s) in Japan on {add_years(c.stay_since, r.years_in_japan or 1)}"))
    return _route(r, case, _by_date(earliest, on), earliest, reasons)


def _teijusha(r: RouteDef, case: _Case) -> RouteResult:
    c, on = case.cont, case.on
    name = normalise_status(r.status or "定住者")
    since = c.run_since(lambda s: normalise_status(s.status).startswith(name))
    if since is None:
        return _route(r, case, "not_applicable", None, [Reason(f"現在の在留資格は「{r.status}」ではありません", f"the current status is not {r.status}")])
    earliest = max(add_years(since, r.years or 5), on)
    reasons = _stay_reasons(c) + [Reason(f"「{r.status}」で{since}から継続在留; {r.years}年の到達日: {add_years(since, r.years or 5)}",
                                         f"on {r.status} since {since}; {r.years} years on {add_years(since, r.years or 5)}")]
    return _route(r, case, _by_date(earliest, on), earliest, reasons)


def _informational(r: RouteDef, case: _Case) -> RouteResult:
    reasons = [Reason(r.note.ja, r.note.en)] if r.note else []
    if case.cont.stay_since:
        reasons.append(Reason(f"参考: 継続在留は{case.cont.stay_since}から{case.cont.years_in_japan}年", f"for reference: {case.cont.years_in_japan} years in Japan since {case.cont.stay_since}"))
    return _route(r, case, "informational", None, reasons)


ROUTES: dict[str, Callable[[RouteDef, _Case], RouteResult]] = {
    "general": _general,
    "hsp_holder": _hsp,
    "hsp_points": _hsp,
    "spouse": _spouse,
    "child": _child,
    "teijusha": _teijusha,
    "informational": _informational,
}


def _routes(case: _Case) -> list[RouteResult]:
    out = []
    for r in case.rules.routes:
        if not r.in_force(case.on):
            out.append(_route(r, case, "not_applicable", None, [Reason(f"この特例は{r.start}からです", f"this route exists from {r.start}")]))
            continue
        out.append(ROUTES[r.kind](r, case))
    return out


# ---------------------------------------------------------------- other checks


def _norm_period(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")


def _longest_stay(case: _Case) -> Check:
    rules, a, on = case.rules.longest_stay, case.applicant, case.on
    v = in_force(rules.versions, on, "longest_stay")
    status, period = normalise_status(a.status), _norm_period(a.period_of_stay)
    rule = next((m for m in rules.maximum if any(status.startswith(normalise_status(x)) for x in m.match)), None)
    maximum = rule.max if rule else rules.default_maximum
    sources = case.rules.src(v.sources + (rule.sources if rule else []))
    review = v.review or (None if rule else rules.default_review)
    title = {"ja": "最長の在留期間", "en": "Longest period of stay"}
    data = {"status": a.status, "period_of_stay": a.period_of_stay, "maximum": maximum, "three_years_counts": v.three_years_counts,
            "rule_from": v.start.isoformat() if v.start else None, "rule_until": v.end.isoformat() if v.end else None}
    if period == _norm_period(maximum):
        return Check("longest_period_of_stay", title, "ok", [Reason(f"在留期間{a.period_of_stay}は「{a.status}」の最長です", f"{a.period_of_stay} is the longest period for {a.status}")], sources, review, data=data)
    if period == "3年" and v.three_years_counts:
        after = f"(但し{v.end + timedelta(days=1)}以降の申請では{maximum}が必要)" if v.end else ""
        after_en = f" (applications from {v.end + timedelta(days=1)} need {maximum})" if v.end else ""
        reasons = [Reason(f"在留期間3年は{v.end or ''}まで最長の在留期間として扱われます{after}", f"a 3-year period counts as the longest until {v.end}{after_en}")]
        return Check("longest_period_of_stay", title, "ok", reasons, sources, review, data=data)
    if period == "3年":
        return Check("longest_period_of_stay", title, "ng", [Reason(f"{v.start}以降は3年を最長とみなす取扱いがなく、{maximum}が必要です", f"from {v.start} a 3-year period no longer counts; {maximum} is needed")], sources, review, data=data)
    return Check("longest_period_of_stay", title, "ng", [Reason(f"在留期間{a.period_of_stay}は最長の在留期間({maximum})ではありません", f"{a.period_of_stay} is not the longest period ({maximum})")], sources, review, data=data)


def _income_for(incomes: list[IncomeYear], year: int) -> int | None:
    hit = [i.amount for i in incomes if i.year == year]
    return sum(hit) if hit else None


def income_years(case: _Case) -> list[dict[str, Any]]:
    """Household income against the benchmark for each income year of the lookback (newest first).

    Conservative reading (§6.1: practitioners disagree on adding a 家族滞在 spouse's part-time pay):
    household income = the applicant's + the supporter's (扶養者). A family member living together is a
    dependant unless they are the supporter or their own recorded income reaches the single benchmark."""
    p, on = case.profile, case.on
    v = in_force(case.rules.income_benchmark.versions, on, "income_benchmark")
    supporter = p.supporter
    out = []
    for fy in fiscal_years(on, case.tax_years):
        year = fy - 1
        parts = [_income_for(p.applicant.income, year)] + ([_income_for(supporter.income, year)] if supporter else [])
        dependants, family_income = 0, {}
        for m in p.family:
            own = _income_for(m.application.income, year) if m.application else None
            if own is not None:
                family_income[m.display_name] = own
            is_supporter = supporter is not None and (m.relationship == supporter.relationship or supporter.name in (m.display_name, m.roman_name))
            if m.living_together and not is_supporter and (own or 0) < v.single:
                dependants += 1
        known = [x for x in parts if x is not None]
        benchmark = v.single + v.per_dependant * dependants
        household = sum(known) if known else None
        out.append({
            "year": year, "fiscal_year": fy, "label": f"{fiscal_year_label(fy)}({year}年分)",
            "income": household, "dependants": dependants, "benchmark": benchmark, "family_income_not_added": family_income,
            "status": "unknown" if household is None else ("ok" if household >= benchmark else "below"),
        })
    return out


def _income_check(case: _Case) -> Check:
    v = in_force(case.rules.income_benchmark.versions, case.on, "income_benchmark")
    years = income_years(case)
    title = {"ja": "収入の目安(独立生計)", "en": "Income benchmark (independent livelihood)"}
    src = case.rules.src(v.sources)
    below = [str(y["year"]) for y in years if y["status"] == "below"]
    unknown = [str(y["year"]) for y in years if y["status"] == "unknown"]
    summary = (f"直近{len(years)}年分すべて目安以上", f"all {len(years)} years at or above the benchmark") if not below and not unknown else (
        f"目安未満: {'、'.join(below) or 'なし'} / 未入力: {'、'.join(unknown) or 'なし'}", f"below: {', '.join(below) or 'none'}; unknown: {', '.join(unknown) or 'none'}")
    reasons = [Reason(*summary)]
    for y in years:
        amount = "未入力" if y["income"] is None else f"{y['income']:,}円"
        mark = {"ok": "目安以上", "below": "目安未満", "unknown": "不明"}[y["status"]]
        reasons.append(Reason(f"{y['label']}: 世帯年収{amount} / 目安{y['benchmark']:,}円(扶養{y['dependants']}人) — {mark}",
                              f"{y['year']}: household income {'unknown' if y['income'] is None else format(y['income'], ',')} vs benchmark {y['benchmark']:,} ({y['dependants']} dependants) — {y['status']}"))
    if case.route_kind in case.rules.income_benchmark.exempt_routes:
        reasons.insert(1, Reason("日本人・永住者等の配偶者・子は独立生計要件が不要です(法22条2項ただし書)。参考表示", "spouses and children of Japanese nationals / permanent residents are exempt from the livelihood requirement; for reference only"))
        status: CheckStatus = "info"
    elif any(y["status"] == "below" for y in years):
        status = "risk"
    elif any(y["status"] == "unknown" for y in years):
        status = "unknown"
    else:
        status = "ok"
    reasons.append(Reason("この目安は実務上のもので公式の基準ではありません", "this is a practitioners' benchmark, not an official criterion"))
    return Check("income_benchmark", title, status, reasons, src, v.review, official=v.official, data={"years": years, "single": v.single, "per_dependant": v.per_dependant})


def _overlaps(e: Enrolment, first: str, last: str) -> bool:
    return e.start <= last and (e.end is None or e.end >= first)


def late_payments(case: _Case) -> dict[str, list[dict[str, Any]]]:
    """Payments made after the deadline within the lookback (住民税 years; 年金・医療保険 months)."""
    p, on = case.profile, case.on
    years = {fy - 1: fy for fy in fiscal_years(on, case.tax_years)}
    first, last = month_window(on, case.insurance_months)
    tax = []
    who = [(p.applicant.display_name, p.applicant.income)] + ([(p.supporter.name, p.supporter.income)] if p.supporter else [])
    for name, incomes in who:
        for inc in incomes:
            if inc.year in years and not inc.paid_on_time:
                tax.append({"person": name, "year": inc.year, "fiscal_year": years[inc.year], "label": fiscal_year_label(years[inc.year]),
                            "collection": inc.resident_tax, "municipality": inc.municipality})
    insurance = {
        key: [{"person": p.applicant.display_name, "kind": e.kind, "from": e.start, "to": e.end, "window": [first, last]}
              for e in getattr(p.applicant, key) if not e.paid_on_time and _overlaps(e, first, last)]
        for key in ("pension", "health_insurance")
    }
    return {"resident_tax": tax, **insurance}


def _late_check(case: _Case) -> Check:
    v = in_force(case.rules.late_payment.versions, case.on, "late_payment")
    late = late_payments(case)
    title = {"ja": "住民税・年金・医療保険の納付時期", "en": "Tax, pension and health insurance paid on time"}
    reasons = []
    for t in late["resident_tax"]:
        reasons.append(Reason(f"{t['person']}: {t['label']}({t['year']}年分)の住民税を納期限後に納付", f"{t['person']}: resident tax for {t['year']} paid late"))
    for key, ja, en in (("pension", "年金", "pension"), ("health_insurance", "医療保険", "health insurance")):
        for e in late[key]:
            reasons.append(Reason(f"{e['person']}: {e['kind']}({e['from']}〜{e['to'] or '現在'})の{ja}保険料を納期限後に納付", f"{e['person']}: {en} ({e['kind']}, {e['from']}–{e['to'] or 'now'}) paid late"))
    if not reasons:
        return Check("late_payments", title, "ok", [Reason(f"直近{case.tax_years}年分の住民税と直近{case.insurance_months}か月の年金・医療保険に遅れの記録はありません",
                                                         f"no late payment recorded in the last {case.tax_years} tax years and {case.insurance_months} months")], case.rules.src(v.sources), data=late)
    if v.explicit:
        reasons.append(Reason("申請時に納付済みでも、当初の納期限内に納付していない場合は原則として消極的に評価されます(2024-11-18のガイドライン注記)",
                              "late payment counts against the applicant even if paid before filing (guideline note of 2024-11-18)"))
    else:
        reasons.append(Reason("納期限後の納付は不許可の原因になり得ます(実務上の見解)", "late payment can lead to refusal (practitioners)"))
    return Check("late_payments", title, "risk", reasons, case.rules.src(v.sources), data=late)


def _criminal(case: _Case) -> Check:
    rec = case.applicant.criminal_record
    title = {"ja": "犯罪歴(罰金刑・拘禁刑等)", "en": "Criminal record (fines, imprisonment)"}
    src = case.rules.src(case.rules.criminal_record.sources)
    if rec.has_record:
        return Check("criminal_record", title, "risk", [Reason(f"処分歴あり: {rec.details}", f"record: {rec.details}")], src, data={"has_record": True, "details": rec.details})
    return Check("criminal_record", title, "ok", [Reason("犯罪を理由とする処分歴なし(申請書13)", "no criminal record declared (form item 13)")], src, data={"has_record": False})


def _guarantor(case: _Case) -> Check:
    g, rule = case.profile.guarantor, case.rules.guarantor
    title = {"ja": "身元保証人", "en": "Guarantor"}
    ok = g.status in rule.allowed
    reason = (Reason(f"{g.name}({g.status}、{g.relationship})", f"{g.name} ({g.status}, {g.relationship})") if ok
              else Reason(f"身元保証人は{'・'.join(rule.allowed)}である必要があります", f"the guarantor must be one of: {', '.join(rule.allowed)}"))
    return Check("guarantor", title, "ok" if ok else "ng", [reason], case.rules.src(rule.sources), data={"name": g.name, "status": g.status, "relationship": g.relationship})


def _business(case: _Case) -> Check | None:
    a, rule = case.applicant, case.rules.business_standards
    status = normalise_status(a.status)
    hsp_ha = status.startswith("高度専門職") and a.hsp is not None and a.hsp.field == "ハ"
    if not (any(status.startswith(normalise_status(s)) for s in rule.statuses) or hsp_ha):
        return None
    v = in_force(rule.versions, case.on, "business_standards")
    title = {"ja": "経営・管理の基準", "en": "Business manager standards"}
    src = case.rules.src(v.sources)
    if a.business is None:
        return Check("business_standards", title, "unknown", [Reason("事業の情報(applicant.business)が未入力です", "no business facts (applicant.business) in the profile")], src, v.review)
    results = []
    for req in v.requirements:
        value = int(getattr(a.business, req.field))
        results.append((req, value >= req.min))
    met = all(ok for _, ok in results) if v.mode == "all_of" else any(ok for _, ok in results)
    reasons = [Reason(f"{'○' if ok else '×'} {req.ja}", f"{'yes' if ok else 'no'}: {req.en}") for req, ok in results]
    since = v.start.isoformat() if v.start else ""
    reasons.append(Reason(f"{since}以降の申請に適用される基準({'いずれか' if v.mode == 'any_of' else 'すべて'})", f"standards for applications from {since} ({v.mode.replace('_', ' ')})"))
    return Check("business_standards", title, "ok" if met else "ng", reasons, src, v.review,
                 data={"mode": v.mode, "from": since, "requirements": [{"field": r.field, "met": ok} for r, ok in results]})


def last_filing_date(issued: date, months: int = 3) -> date:
    """Last application date on which a certificate issued on `issued` is still within `months`."""
    d = issued + relativedelta(months=months)
    while issued_on_or_after(d + timedelta(days=1), months) <= issued:
        d += timedelta(days=1)
    return d


def _certificates(case: _Case) -> Check:
    rule = case.rules.certificates
    last = last_filing_date(case.today, rule.valid_months)
    first = issued_on_or_after(case.on, rule.valid_months)
    reasons = [
        Reason(f"{case.today}に取得した証明書は{last}までの申請に使えます", f"a certificate issued on {case.today} can be filed until {last}"),
        Reason(f"{case.on}に申請する場合、証明書は{first}以降に発行されたものが必要です", f"to file on {case.on}, certificates must be issued on or after {first}"),
    ]
    return Check("certificates", {"ja": "証明書の有効期間(発行後3か月)", "en": "Certificate validity (3 months)"}, "info", reasons, case.rules.src(rule.sources),
                 data={"collected_on": case.today.isoformat(), "file_by": last.isoformat(), "application_date": case.on.isoformat(), "issued_on_or_after": first.isoformat()})


def _continuity_check(case: _Case) -> Check:
    c = case.cont
    title = {"ja": "出国日数(継続性)", "en": "Time abroad (continuity)"}
    reasons = [Reason(e.ja, e.en) for e in c.risks]
    status: CheckStatus = "risk" if c.risks else "ok"
    if not reasons:
        reasons = [Reason("長期の出国はありません", "no long absences")]
    official = c.thresholds.official if c.thresholds else False
    reasons.append(Reason("出国日数の目安は実務上のもので公式の基準ではありません", "the absence thresholds are practitioners' rules of thumb, not official"))
    return Check("continuity", title, status, reasons, c.sources, official=official,
                 data={"trips": [t.to_json() for t in c.trips], "days_abroad_by_year": {str(k): v for k, v in sorted(c.days_abroad_by_year.items())}})


def _checks(case: _Case) -> list[Check]:
    out = [_longest_stay(case), _income_check(case), _late_check(case), _criminal(case), _guarantor(case)]
    business = _business(case)
    if business:
        out.append(business)
    return out + [_continuity_check(case), _certificates(case)]


# ---------------------------------------------------------------- findings for 説明書


def _findings(case: _Case) -> list[Finding]:
    out: list[Finding] = []
    c = case.cont
    long_trips = [t.to_json() for t in c.trips if t.long]
    th = c.thresholds
    heavy_years = {str(y): d for y, d in sorted(c.days_abroad_by_year.items()) if th and d >= th.year_days_abroad}
    if long_trips or heavy_years:
        out.append(Finding("long_absence", "長期出国についての説明書", "Explanation of long absences",
                           {"trips": long_trips, "all_trips": [t.to_json() for t in c.trips], "years_over_limit": heavy_years,
                            "long_trip_days": th.long_trip_days if th else None, "year_days_abroad": th.year_days_abroad if th else None}))
    late = late_payments(case)
    if any(late.values()):
        out.append(Finding("late_payment", "納付遅延についての説明書", "Explanation of late payments", late))
    window_start = date(min(fiscal_years(case.on, case.tax_years)) - 1, 1, 1)
    jobs = [j for j in case.applicant.employment if j.start <= case.on and (j.end is None or j.end >= window_start)]
    if len({j.employer for j in jobs}) > 1:
        out.append(Finding("employer_change", "転職についての説明書", "Explanation of a change of employer",
                           {"since": window_start.isoformat(), "jobs": [{"employer": j.employer, "start": j.start.isoformat(), "end": j.end.isoformat() if j.end else None,
                                                                       "position": j.position, "self_employed": j.self_employed} for j in sorted(jobs, key=lambda j: j.start)]}))
    if case.route_kind not in case.rules.income_benchmark.exempt_routes:
        low = [y for y in income_years(case) if y["status"] == "below"]
        if low:
            out.append(Finding("low_income", "収入についての説明書", "Explanation of a year below the income benchmark", {"years": low}))
    return out


def findings(profile: Profile, on: date | None = None) -> list[Finding]:
    """What the packet should explain in 説明書: long absences, late payments, employer changes, low income."""
    return _findings(_case(profile, on or profile.application_date, on or profile.application_date))


# ---------------------------------------------------------------- assess


def assess(profile: Profile, on: date | None = None, *, today: date | None = None) -> Assessment:
    """Every route and check as of `on` (default: the profile's application date).

    `today` is the day certificates would be collected (default: the real today)."""
    on = on or profile.application_date
    case = _case(profile, on, today or date.today())
    a = profile.applicant
    points = {}
    if a.hsp is not None:
        points = {t: check_points(a.hsp, a.birth_date, on, t) for t in sorted(load_table().thresholds)}
    return Assessment(profile.case_id, profile.category, on, a.display_name, a.status, a.period_of_stay, case.cont,
                      _routes(case), _checks(case), _findings(case), points)


# ---------------------------------------------------------------- text report

ROUTE_MARK = {"met": "[OK]", "not_met": "[NG]", "cannot_decide": "[??]", "not_applicable": "[--]", "informational": "[i] "}
ROUTE_WORD = {"met": "満たす / met", "not_met": "満たさない / not met", "cannot_decide": "判断不可 / cannot decide",
              "not_applicable": "対象外 / not applicable", "informational": "参考 / information"}
CHECK_MARK = {"ok": "[OK]", "risk": "[!!]", "ng": "[NG]", "unknown": "[??]", "info": "[i] "}


def render_text(a: Assessment) -> str:
    """A report a person can read in a minute: routes first, then the other checks."""
    lines = [
        f"永住許可 要件チェック / Eligibility — {a.case_id} ({a.category})",
        f"基準日 / Date: {a.on}   申請人: {a.applicant}   在留資格: {a.status} ({a.period_of_stay})",
        "",
        "ルート / Routes",
    ]
    for r in a.routes:
        if r.status in ("not_applicable", "informational") and not r.filed:
            continue
        star = " *申請区分 / filed" if r.filed else ""
        when = f" — 最短 / earliest {r.earliest_date}" if r.status == "not_met" and r.earliest_date else ""
        review = " [要確認]" if needs_review(r.sources, r.review) else ""
        lines.append(f"  {ROUTE_MARK[r.status]} {r.id}: {r.name['ja']} — {ROUTE_WORD[r.status]}{when}{star}{review}")
        for reason in r.reasons[-2:] if r.status == "met" else r.reasons:
            lines.append(f"       - {reason.ja}")
    info = [f"{r.id}({r.name['ja']})" for r in a.routes if r.status == "informational"]
    if info:
        lines.append(f"  [i]  参考(個別に確認) / check by hand: {'、'.join(info)}")
    hidden = [r.id for r in a.routes if r.status == "not_applicable" and not r.filed]
    if hidden:
        lines.append(f"  [--] 対象外 / not applicable: {', '.join(hidden)}")
    lines += ["", "その他の確認 / Other checks"]
    for c in a.checks:
        flag = " [目安・非公式]" if not c.official else (" [要確認]" if needs_review(c.sources, c.review) else "")
        lines.append(f"  {CHECK_MARK[c.status]} {c.title['ja']}{flag}")
        for reason in c.reasons[:1] if c.status == "ok" else c.reasons:
            lines.append(f"       - {reason.ja}")
    if a.findings:
        lines += ["", "説明書の候補 / Letters to consider: " + "、".join(f.title_ja for f in a.findings)]
    return "\n".join(lines)
