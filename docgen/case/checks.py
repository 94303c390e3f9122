"""A profile checked against the rules it will be assessed by: the category exists (built-in or office),
the status fits it, and the facts the category's rules need are there. Each problem names the line."""

from __future__ import annotations

from datetime import date

from docgen.profile.checks import Loc
from docgen.profile.model import SPOUSES, Profile
from docgen.rules.book import Category, RuleBook
from docgen.rules.eligibility import EligibilityRules


def _status_problem(cat: Category, status: str, loc: Loc) -> list[tuple[Loc, str]]:
    """A category is for certain 在留資格 (the spouse, child and points routes accept any status)."""
    if cat.route in ("spouse", "child", "hsp_points") or status in cat.statuses:
        return []
    return [
        (
            loc,
            f"the category '{cat.id}' ({cat.name['ja']}) is for {', '.join(cat.statuses)}; the status here is"
            f" '{status}'",
        )
    ]


def _business_facts_required(rules: EligibilityRules, on: date) -> bool:
    return any(v.profile_facts_required and v.in_force(on) for v in rules.business_standards.versions)


def category_problems(profile: Profile, book: RuleBook, rules: EligibilityRules) -> list[tuple[Loc, str]]:
    """Everyone's category against the rule book, and the facts each category needs."""
    out: list[tuple[Loc, str]] = []
    a, known = profile.applicant, ", ".join(sorted(book.categories))
    cat = book.categories.get(profile.category)
    if cat is None:
        out.append((("category",), f"unknown category '{profile.category}'; use one of: {known}"))
    else:
        out += _status_problem(cat, a.status, ("applicant", "status"))
        if cat.route in ("hsp_holder", "hsp_points") and a.hsp is None:
            out.append((("applicant", "hsp"), f"the route of '{cat.id}' needs the points facts under applicant.hsp"))
        if cat.route == "hsp_points" and a.status.startswith("高度専門職"):
            out.append((("category",), f"the applicant holds {a.status}; use hsp_70 / hsp_80 (the holder routes)"))
        if (
            a.status in rules.business_standards.statuses
            and a.business is None
            and _business_facts_required(rules, profile.application_date)
        ):
            out.append(
                (
                    ("applicant", "business"),
                    f"{a.status} applications on this date need the business facts (capital, staff, Japanese, car"
                    "eer, plan)",
                )
            )
        if cat.route == "spouse" and not any(m.relationship in SPOUSES for m in profile.family):
            out.append((("family",), "the spouse route needs the spouse in 'family' (relationship 妻 or 夫)"))
        if cat.id == "kazoku_taizai" and profile.supporter is None:
            out.append((("supporter",), "a 家族滞在 applicant needs the supporting person (扶養者) under 'supporter'"))
    for i, m in enumerate(profile.family):
        if m.application is None:
            continue
        own = book.categories.get(m.application.category)
        loc: Loc = ("family", i, "application")
        if own is None:
            out.append(((*loc, "category"), f"unknown category '{m.application.category}'; use one of: {known}"))
        else:
            out += _status_problem(own, m.application.status, (*loc, "status"))
    return out
