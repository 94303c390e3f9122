"""Build the checklist for a category and date, optionally decided and named by a profile."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from docgen.assessment.eligibility import findings
from docgen.errors import DocgenError
from docgen.checklist.conditions import FACTS, Subject, decide, ordinary_years
from docgen.rules.periods import (
    DEFAULT_RELEASE_DAY,
    Lookback,
    fiscal_years_period,
    issued_on_or_after,
    release_window_warning,
)
from docgen.profile.model import IncomeYear, Profile
from docgen.rules.book import ItemRule, RuleBook, rulebook
from docgen.wareki import fiscal_year_label

Required = bool | str  # True, False or "conditional"

PERIOD_WORDS = {
    "ja": {"months": "{fy}年{fm}月〜{ty}年{tm}月（{n}か月）", "as_of": "{y}年{m}月{d}日時点", "issued_within": "{y}年{m}月{d}日以降のもの"},
    "en": {"fiscal_years": "fiscal years {span} ({label})", "months": "{start} to {end} ({n} months)", "as_of": "as of {iso}",
           "issued_within": "dated on or after {iso}"},
    "zh": {"fiscal_years": "{span}年度（{label}，共{n}个年度）", "months": "{fy}年{fm}月至{ty}年{tm}月（{n}个月）", "as_of": "{y}年{m}月{d}日时点",
           "issued_within": "{y}年{m}月{d}日以后开具"},
}


@dataclass
class PersonRef:
    """Someone an item concerns, e.g. {'role': 'supporter', 'name': '王 偉'}."""

    role: str
    name: str
    applicant: str  # whose application this belongs to
    period_note: str = ""  # set when this person's lookback differs from the item's


@dataclass
class ChecklistItem:
    rule: ItemRule
    required: Required
    period: dict[str, Any]
    issued_on_or_after: date | None
    people: list[PersonRef] = field(default_factory=list)
    condition_note: str = ""

    @property
    def id(self) -> str:
        return self.rule.id

    def title(self, lang: str = "ja") -> str:
        return self.rule.title.get(lang) or self.rule.title["ja"]

    def notes(self, lang: str = "ja") -> str:
        return self.rule.notes.get(lang) or self.rule.notes.get("ja", "")

    def period_label(self, lang: str = "ja") -> str:
        """The period in words: 令和4年度〜令和8年度 / 2024年11月〜2026年10月 / 2023年11月30日時点."""
        p = self.period
        words = PERIOD_WORDS[lang]
        if p["kind"] == "fiscal_years":
            years = p["fiscal_years"]
            if lang == "ja":
                return f"{p['label']}（{len(years)}年度分）" if len(years) > 1 else p["label"]
            span = f"{min(years)}–{max(years)}" if len(years) > 1 else str(years[0])
            return words["fiscal_years"].format(span=span, label=p["label"], n=len(years))
        if p["kind"] == "months":
            fy, fm = (int(x) for x in p["from"].split("-"))
            ty, tm = (int(x) for x in p["to"].split("-"))
            return words["months"].format(fy=fy, fm=fm, ty=ty, tm=tm, start=p["from"], end=p["to"], n=p["months"])
        if p["kind"] in ("as_of", "issued_within"):
            d = date.fromisoformat(p["date"] if p["kind"] == "as_of" else p["from"])
            return words[p["kind"]].format(y=d.year, m=d.month, d=d.day, iso=d.isoformat())
        return ""

    def to_json(self) -> dict[str, Any]:
        r = self.rule
        out: dict[str, Any] = {
            "id": r.id,
            "title": r.title["ja"],
            "titles": {"en": r.title["en"], "zh": r.title["zh"]},
            "action": r.action,
            "required": self.required,
            "period": self.period,
            "copies": r.copies,
            "concerns": list(r.concerns),
            "notes": r.notes.get("ja", ""),
            "sources": [{"title": s.title, "url": s.url, "reliability": s.reliability} for s in r.sources],
            "needs_review": r.needs_review,
            "rule_version": {"from": r.version_from.isoformat(), "until": r.version_until.isoformat() if r.version_until else None},
            "last_checked": r.last_checked.isoformat(),
        }
        if self.issued_on_or_after:
            out["issued_on_or_after"] = self.issued_on_or_after.isoformat()
        if r.condition:
            out["condition"] = {"id": r.condition, "description": FACTS[r.condition][0]}
        if r.review:
            out["review"] = r.review
        if self.people:
            out["people"] = [{"role": p.role, "name": p.name, "applicant": p.applicant} for p in self.people]
        return out


@dataclass
class Checklist:
    category: str
    application_date: date
    items: list[ChecklistItem]
    warnings: list[str] = field(default_factory=list)
    category_name: dict[str, str] = field(default_factory=dict)
    route_name: dict[str, str] = field(default_factory=dict)
    params_need_review: bool = False
    applicants: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "category": self.category,
            "application_date": self.application_date.isoformat(),
            "items": [i.to_json() for i in self.items],
            "warnings": self.warnings,
        }
        if self.applicants:
            out["applicants"] = self.applicants
        return out


def _resolve_period(rule: ItemRule, params: dict[str, int], on: date, release_day: tuple[int, int]) -> dict[str, Any]:
    lb = rule.lookback
    raw = lb.years if lb.kind in ("fiscal_years", "as_of") else lb.months
    count = params[raw] if isinstance(raw, str) else (raw or 0)
    return Lookback(lb.kind, count).resolve(on, release_day)


def build_checklist(
    category: str,
    application_date: date,
    *,
    profile: Profile | None = None,
    release_day: tuple[int, int] = DEFAULT_RELEASE_DAY,
    book: RuleBook | None = None,
) -> Checklist:
    """The checklist for one category; with a profile, for the whole case (co-applicants merged in)."""
    book = book or rulebook()
    if profile is not None:
        return _case_checklist(profile, release_day, book, category)
    return _one(book, category, application_date, None, release_day)


def _one(book: RuleBook, category: str, on: date, subject: Subject | None, release_day: tuple[int, int], who: str = "") -> Checklist:
    cat = book.category(category)
    params = book.params(category, on)
    items: list[ChecklistItem] = []
    for rule in book.item_rules(category, on):
        period = _resolve_period(rule, params.values, on, release_day)
        required: Required = rule.required
        if rule.condition:
            if subject is None:
                required = "conditional" if rule.required else False
            else:
                fy = tuple(period.get("fiscal_years", ()))
                verdict = decide(rule.condition, replace(subject, fiscal_years=fy))
                if isinstance(verdict, list):
                    if not verdict:
                        continue
                    period = fiscal_years_period([y for y in period["fiscal_years"] if y in verdict])
                elif not verdict:
                    continue
        if params.needs_review and rule.lookback.kind in ("fiscal_years", "months"):
            review = params.review or "lookback from a practitioner source"
            rule = replace(rule, review=rule.review or review, sources=rule.sources + params.sources)
        issued = issued_on_or_after(on, rule.issued_within_months) if rule.issued_within_months else None
        if period["kind"] == "issued_within":
            issued = date.fromisoformat(period["from"])
        items.append(ChecklistItem(rule, required, period, issued))
    warnings = []
    if any(i.period["kind"] == "fiscal_years" for i in items):
        w = release_window_warning(on, release_day)
        if w:
            warnings.append(w)
    return Checklist(category, on, items, warnings, cat.name, cat.route_name, params.needs_review)


def _people_for(item: ChecklistItem, subject: Subject, applicant_name: str) -> list[PersonRef]:
    """Who an item concerns, by name. A dependant co-applicant with no income, pension or insurance
    records of their own is covered by the supporter's documents; payment proof names only the people
    with 普通徴収 years."""
    profile, details = subject.profile, subject.details
    payment_proof = item.rule.condition == "ordinary_collection"
    fiscal = item.period.get("fiscal_years", [])
    own_records = bool(details.income or details.pension or details.health_insurance)
    out = []
    for role in item.rule.concerns:
        if role == "applicant":
            if payment_proof and not ordinary_years(details.income, fiscal, dependant=not subject.is_main):
                continue
            if not subject.is_main and "supporter" in item.rule.concerns and not own_records:
                continue
            out.append(PersonRef("applicant", applicant_name, applicant_name))
        elif role == "supporter":
            if payment_proof and not ordinary_years(subject.supporter_incomes(), fiscal, dependant=True):
                continue
            if profile.supporter is not None:
                out.append(PersonRef("supporter", profile.supporter.name, applicant_name))
            elif not subject.is_main:
                out.append(PersonRef("supporter", profile.applicant.display_name, applicant_name))
        elif role == "household":
            out.append(PersonRef("household", "世帯全員", applicant_name))
        elif role == "guarantor":
            out.append(PersonRef("guarantor", profile.guarantor.name, applicant_name))
        elif role == "filer" and profile.filing_agent is not None:
            out.append(PersonRef("filer", f"{profile.filing_agent.name}（{profile.filing_agent.office}）", applicant_name))
    return out


def _income_warnings(checklist: Checklist, incomes: list[IncomeYear], name: str) -> list[str]:
    """A warning for each lookback 年度 whose income year the profile does not give."""
    years = sorted({y for i in checklist.items if i.period["kind"] == "fiscal_years" for y in i.period["fiscal_years"]})
    known = {inc.year for inc in incomes}
    missing = [fy for fy in years if fy - 1 not in known]
    if not missing:
        return []
    labels = "、".join(f"{fiscal_year_label(fy)}（{fy - 1}年分）" for fy in missing)
    return [f"{name}: {labels}の所得と住民税の徴収方法がプロフィールにありません。普通徴収として納付資料を求めます。"]


def _case_checklist(profile: Profile, release_day: tuple[int, int], book: RuleBook, category: str | None) -> Checklist:
    if category and category != profile.category:
        raise DocgenError(f"the profile is for category '{profile.category}', not '{category}'")
    on = profile.application_date
    a = profile.applicant
    main_subject = Subject(profile, a, a.birth_date, True, on, finding_ids=frozenset(f.id for f in findings(profile, on)))
    main = _one(book, profile.category, on, main_subject, release_day)
    for item in main.items:
        item.people = _people_for(item, main_subject, a.display_name)
    main.warnings += _income_warnings(main, a.income + (profile.supporter.income if profile.supporter else []), a.display_name)
    main.applicants = [a.display_name]
    merged: dict[str, ChecklistItem] = {i.id: i for i in main.items}
    order = [i.id for i in main.items]
    for member in profile.co_applicants:
        assert member.application is not None
        subject = Subject(profile, member.application, member.birth_date, False, on)
        sub = _one(book, member.application.category, on, subject, release_day)
        main.applicants.append(member.display_name)
        last = -1
        for item in sub.items:
            people = _people_for(item, subject, member.display_name)
            if item.id in merged:
                target = merged[item.id]
                if item.period != target.period:  # a different lookback for this person: keep it with them
                    for p in people:
                        p.period_note = item.period_label()
                known = {(p.role, p.name, p.applicant) for p in target.people}
                names = {p.name for p in target.people} | {p.name for p in people if p.role == "applicant"}
                target.people += [p for p in people if (p.role, p.name, p.applicant) not in known
                                  and not (p.role == "supporter" and p.name in names)]
                if target.required is not True and item.required is True:
                    target.required = True
                last = order.index(item.id)
            else:
                item.people = people
                merged[item.id] = item
                last += 1
                order.insert(last, item.id)
        for w in sub.warnings:
            if w not in main.warnings:
                main.warnings.append(w)
    main.items = [merged[i] for i in order]
    return main
