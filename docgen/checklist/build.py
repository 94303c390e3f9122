"""Build the checklist for a category and date; for a case, with conditions decided from the profile and
the assessment, the people named, and co-applicants' items merged into one list in official order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from docgen.case import Case
from docgen.checklist.concerns import people_for
from docgen.checklist.conditions import (
    Subject,
    decide,
    own_exemptions_apply,
)
from docgen.checklist.model import (
    Checklist,
    ChecklistItem,
    CountPer,
    Requirement,
    default_count_per,
)
from docgen.checklist.people import pays_own_pension
from docgen.profile.model import IncomeYear, Profile
from docgen.rules.book import ItemRule, Params, RuleBook, merge_item
from docgen.rules.dated import in_force
from docgen.rules.periods import (
    DEFAULT_RELEASE_DAY,
    FiscalYears,
    IssuedWithin,
    Months,
    Period,
    issued_on_or_after,
    month_window,
    release_window_warning,
    resolve_lookback,
)
from docgen.wareki import fiscal_year_label

if TYPE_CHECKING:  # the checklist of a category on a date needs no assessment loaded
    from docgen.assessment.results import CaseAssessment


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
    return _case_checklist(case.profile, case.release_day, case.book, assessment, _business_standards(case, assessment))


def _business_standards(case: Case, assessment: CaseAssessment) -> frozenset[str]:
    """The BusinessFacts fields the decision checks (経営・管理 and 高度専門職1号ハ), as the assessment's
    business-standards check applies them on the application date; empty when it does not apply."""
    if not any(c.id == "business_standards" for c in assessment.main.checks):
        return frozenset()
    rule = case.rules.assessment.eligibility.business_standards
    version = in_force(rule.versions, case.application_date, "business_standards")
    return frozenset(r.field for r in version.requirements)


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
                months = (period.start, period.end) if isinstance(period, Months) else None
                verdict = decide(rule.condition, replace(subject, fiscal_years=fy, months=months))
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


def _note_own_periods(items: list[ChecklistItem]) -> None:
    """Each person whose period differs from their item's keeps it, in words next to their name."""
    for item in items:
        for p in item.people:
            if p.period == item.period:
                p.period = None
            p.period_note = p.period.label() if p.period is not None else ""


def _income_warnings(checklist: Checklist, incomes: Sequence[IncomeYear], name: str) -> list[str]:
    """A warning for each lookback 年度 whose income year the profile does not give."""
    years = sorted({y for i in checklist.items if isinstance(i.period, FiscalYears) for y in i.period.years})
    known = {inc.year for inc in incomes}
    missing = [fy for fy in years if fy - 1 not in known]
    if not missing:
        return []
    labels = "、".join(f"{fiscal_year_label(fy)}（{fy - 1}年分）" for fy in missing)
    return [f"{name}: {labels}の所得と住民税の徴収方法がプロフィールにありません。普通徴収として納付資料を求めます。"]


def _own_pension_warnings(book: RuleBook, category: str, subject: Subject, name: str) -> list[str]:
    """A dependant adult who paid 国民年金 premiums themselves: the list asks the supporter's pension records, so
    the office is told to decide whether theirs go in too."""
    window = month_window(subject.application_date, book.params(category, subject.application_date).insurance_months)
    if (
        not subject.dependant
        or not own_exemptions_apply(subject)
        or not pays_own_pension(subject.details.pension, window)
    ):
        return []
    return [
        f"{name}: 収入のない扶養家族ですが、対象期間に国民年金保険料を本人が納付した期間があります。本人の年金の記録"
        "と国民年金保険料領収証書(写し)を添付するか事務所で確認してください。"
    ]


def _case_checklist(
    profile: Profile,
    release_day: tuple[int, int],
    book: RuleBook,
    assessment: CaseAssessment,
    business_standards: frozenset[str] = frozenset(),
) -> Checklist:
    on = profile.application_date
    a = profile.applicant
    main_subject = Subject(
        profile,
        a,
        a.birth_date,
        True,
        on,
        findings=assessment.main.finding_kinds,
        business_standards=business_standards,
    )
    main = _one(book, profile.category, on, main_subject, release_day)
    for item in main.items:
        item.people = people_for(item, main_subject, a.display_name)
    supporter = main_subject.supporter
    if main_subject.dependant and supporter is not None:  # the supporter earns: their years are the ones asked
        main.warnings += _income_warnings(main, list(supporter.incomes), supporter.name)
        if not supporter.known:
            main.warnings.append(
                f"{a.display_name}: 扶養者がプロフィールにありません（supporter）。扶養者の職業・納税・年金等の資料を"
                "求めます。"
            )
    else:
        main.warnings += _income_warnings(main, [*a.income, *(supporter.incomes if supporter else ())], a.display_name)
    main.warnings += _own_pension_warnings(book, profile.category, main_subject, a.display_name)
    main.applicants = [a.display_name]
    merged: dict[str, ChecklistItem] = {i.id: i for i in main.items}
    order = [i.id for i in main.items]
    for member in profile.co_applicants:
        assert member.application is not None
        subject = Subject(profile, member.application, member.birth_date, False, on)
        sub = _one(book, member.application.category, on, subject, release_day)
        sub.warnings += _own_pension_warnings(book, member.application.category, subject, member.display_name)
        main.applicants.append(member.display_name)
        last = -1
        for item in sub.items:
            people = people_for(item, subject, member.display_name)
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
