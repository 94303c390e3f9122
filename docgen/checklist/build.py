"""Build the checklist for a category and date; for a case, with conditions decided from the profile and
the assessment, the people named, and co-applicants' items merged into one list in official order."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from docgen.assessment.results import CaseAssessment
from docgen.case import Case
from docgen.checklist.conditions import Subject, decide, ordinary_years
from docgen.checklist.model import Checklist, ChecklistItem, CountPer, PersonRef, Requirement, default_count_per
from docgen.profile.model import IncomeYear, Profile
from docgen.rules.book import ItemRule, Params, RuleBook, merge_item
from docgen.rules.periods import (
    DEFAULT_RELEASE_DAY,
    FiscalYears,
    IssuedWithin,
    Period,
    issued_on_or_after,
    release_window_warning,
    resolve_lookback,
)
from docgen.wareki import fiscal_year_label


def _resolve_period(rule: ItemRule, params: dict[str, int], on: date, release_day: tuple[int, int]) -> Period:
    lb = rule.lookback
    raw = lb.years if lb.kind in ("fiscal_years", "as_of") else lb.months
    count = params[raw] if isinstance(raw, str) else (raw or 0)
    return resolve_lookback(lb.kind, count, on, release_day)


def build_checklist(
    book: RuleBook, category: str, on: date, release_day: tuple[int, int] = DEFAULT_RELEASE_DAY
) -> Checklist:
    """The checklist for a category and date, without a client: conditions stay "conditional"."""
    return _one(book, category, on, None, release_day)


def case_checklist(case: Case, assessment: CaseAssessment) -> Checklist:
    """The checklist for the whole case: conditions decided, people named, co-applicants merged in."""
    return _case_checklist(case.profile, case.release_day, case.book, assessment)


def _count_per(book: RuleBook, category: str, rule: ItemRule) -> CountPer:
    """What completes the item, as its rule (item, version in force, category override) says, else the default."""
    item = book.items[rule.id]
    version = next(v for v in item.versions if v.start == rule.version_from)
    ref = next((r for r in book.category(category).items if r.id == rule.id), None)
    said: CountPer | None = merge_item(item, version, ref).get("count_per")
    return said or default_count_per(rule)


def _with_params_sources(rule: ItemRule, params: Params) -> ItemRule:
    """A lookback item also cites the sources of the category's parameters (直近N年分 / N か月), and needs a
    person's check when they do."""
    sources = rule.sources + tuple(s for s in params.sources if s not in rule.sources)
    review = rule.review
    if params.needs_review:
        review = review or params.review or "lookback from a practitioner source"
    return replace(rule, sources=sources, review=review)


def _one(book: RuleBook, category: str, on: date, subject: Subject | None, release_day: tuple[int, int]) -> Checklist:
    cat = book.category(category)
    params = book.params(category, on)
    items: list[ChecklistItem] = []
    for rule in book.item_rules(category, on):
        period = _resolve_period(rule, params.values, on, release_day)
        required = Requirement.REQUIRED if rule.required else Requirement.OPTIONAL
        if rule.condition:
            if subject is None:
                required = Requirement.CONDITIONAL if rule.required else Requirement.OPTIONAL
            else:
                fy = period.years if isinstance(period, FiscalYears) else ()
                verdict = decide(rule.condition, replace(subject, fiscal_years=fy))
                if verdict is None:  # no profile decides it (e.g. the fee, paid only if granted)
                    required = Requirement.CONDITIONAL if rule.required else Requirement.OPTIONAL
                elif isinstance(verdict, list):
                    if not verdict or not isinstance(period, FiscalYears):
                        continue
                    period = period.only(verdict)
                elif not verdict:
                    continue
        if rule.lookback.kind in ("fiscal_years", "months"):
            rule = _with_params_sources(rule, params)
        issued = issued_on_or_after(on, rule.issued_within_months) if rule.issued_within_months else None
        if isinstance(period, IssuedWithin):
            issued = period.start
        items.append(ChecklistItem(rule, required, period, issued, count_per=_count_per(book, category, rule)))
    warnings = []
    if any(isinstance(i.period, FiscalYears) for i in items):
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
    fiscal = list(item.period.years) if isinstance(item.period, FiscalYears) else []
    own_records = bool(details.income or details.pension or details.health_insurance)
    own_years = ordinary_years(details.income, fiscal, dependant=not subject.is_main)
    supporter_years = ordinary_years(subject.supporter_incomes(), fiscal, dependant=True)
    out = []
    for role in item.rule.concerns:
        if role == "applicant":
            if payment_proof and not own_years:
                continue
            if not subject.is_main and "supporter" in item.rule.concerns and not own_records:
                continue
            period = _own_period(item.period, own_years) if payment_proof else None
            out.append(PersonRef("applicant", applicant_name, applicant_name, period=period))
        elif role == "supporter":
            if payment_proof and not supporter_years:
                continue
            period = _own_period(item.period, supporter_years) if payment_proof else None
            if profile.supporter is not None:
                out.append(PersonRef("supporter", profile.supporter.name, applicant_name, period=period))
            elif not subject.is_main:
                out.append(PersonRef("supporter", profile.applicant.display_name, applicant_name, period=period))
        elif role == "household":
            out.append(PersonRef("household", "世帯全員", applicant_name))
        elif role == "guarantor":
            out.append(PersonRef("guarantor", profile.guarantor.name, applicant_name))
        elif role == "filer" and profile.filing_agent is not None:
            out.append(
                PersonRef("filer", f"{profile.filing_agent.name}（{profile.filing_agent.office}）", applicant_name)
            )
    return out


def _own_period(period: Period, years: list[int]) -> Period | None:
    """A person's own 年度 of an item's period (their 普通徴収 years), when they are not all of it."""
    if isinstance(period, FiscalYears) and set(years) != set(period.years):
        return period.only(years)
    return None


def _note_own_periods(items: list[ChecklistItem]) -> None:
    """Each person whose period differs from their item's keeps it, in words next to their name."""
    for item in items:
        for p in item.people:
            if p.period == item.period:
                p.period = None
            p.period_note = p.period.label() if p.period is not None else ""


def _income_warnings(checklist: Checklist, incomes: list[IncomeYear], name: str) -> list[str]:
    """A warning for each lookback 年度 whose income year the profile does not give."""
    years = sorted({y for i in checklist.items if isinstance(i.period, FiscalYears) for y in i.period.years})
    known = {inc.year for inc in incomes}
    missing = [fy for fy in years if fy - 1 not in known]
    if not missing:
        return []
    labels = "、".join(f"{fiscal_year_label(fy)}（{fy - 1}年分）" for fy in missing)
    return [f"{name}: {labels}の所得と住民税の徴収方法がプロフィールにありません。普通徴収として納付資料を求めます。"]


def _case_checklist(
    profile: Profile, release_day: tuple[int, int], book: RuleBook, assessment: CaseAssessment
) -> Checklist:
    on = profile.application_date
    a = profile.applicant
    main_subject = Subject(profile, a, a.birth_date, True, on, findings=assessment.main.finding_kinds)
    main = _one(book, profile.category, on, main_subject, release_day)
    for item in main.items:
        item.people = _people_for(item, main_subject, a.display_name)
    main.warnings += _income_warnings(
        main, a.income + (profile.supporter.income if profile.supporter else []), a.display_name
    )
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
                        p.period = p.period or item.period
                known = {(p.role, p.name, p.applicant) for p in target.people}
                names = {p.name for p in target.people} | {p.name for p in people if p.role == "applicant"}
                target.people += [
                    p
                    for p in people
                    if (p.role, p.name, p.applicant) not in known and not (p.role == "supporter" and p.name in names)
                ]
                if item.required is Requirement.REQUIRED:
                    target.required = Requirement.REQUIRED
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
    _note_own_periods(main.items)
    return main
