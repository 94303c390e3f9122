"""A profile checked against the rules it will be assessed by: the category exists (built-in or office),
the status fits it, and the facts the category's rules need are there. Each problem names the line."""

from __future__ import annotations

from datetime import date

from docgen.messages import say
from docgen.profile.checks import Loc
from docgen.profile.model import SPOUSES, Profile
from docgen.rules.book import Category, RuleBook
from docgen.rules.category_names import find_category, not_a_category
from docgen.rules.eligibility import EligibilityRules


def _status_problem(cat: Category, status: str, loc: Loc) -> list[tuple[Loc, str]]:
    """A category is for certain 在留資格 (the spouse, child and points routes accept any status). The message
    names the statuses the category is for, never the one written (it may be a passport number typed there)."""
    if cat.route in ("spouse", "child", "hsp_points") or status in cat.statuses:
        return []
    allowed = "、".join(cat.statuses)
    return [
        (
            loc,
            say(
                f"類型 {cat.id}（{cat.name['ja']}）は在留資格が {allowed} の方の類型です。ここに書かれた在留資格は"
                "そのどれでもありません",
                f"the category '{cat.id}' ({cat.name['ja']}) is for {', '.join(cat.statuses)}; the status written"
                " here is none of them",
            ),
        )
    ]


def _unknown_category(book: RuleBook, typed: str, loc: Loc) -> tuple[Loc, str]:
    """An unknown category, in the words every command uses (rules/category_names.py); what was typed is never
    repeated (a passport number typed in the wrong place stays out of the message)."""
    return loc, not_a_category(book, typed)


def with_category_ids(profile: Profile, book: RuleBook) -> Profile:
    """The profile with every category written by its id: staff may write a category as a command takes it (its
    id, its Japanese name or the 在留資格 it is for); `category_problems` has refused what names none."""

    def resolved(typed: str) -> str:
        found = find_category(book, typed)
        return found.id if found is not None else typed

    family = [
        m.model_copy(
            update={"application": m.application.model_copy(update={"category": resolved(m.application.category)})}
        )
        if m.application is not None
        else m
        for m in profile.family
    ]
    return profile.model_copy(update={"category": resolved(profile.category), "family": family})


def _business_facts_required(rules: EligibilityRules, on: date) -> bool:
    return any(v.profile_facts_required and v.in_force(on) for v in rules.business_standards.versions)


def category_problems(profile: Profile, book: RuleBook, rules: EligibilityRules) -> list[tuple[Loc, str]]:
    """Everyone's category against the rule book, and the facts each category needs."""
    out: list[tuple[Loc, str]] = []
    a = profile.applicant
    cat = find_category(book, profile.category)
    if cat is None:
        out.append(_unknown_category(book, profile.category, ("category",)))
    else:
        out += _status_problem(cat, a.status, ("applicant", "status"))
        if cat.route in ("hsp_holder", "hsp_points") and a.hsp is None:
            out.append(
                (
                    ("applicant", "hsp"),
                    say(
                        f"類型 {cat.id} にはポイントの根拠（applicant.hsp）が必要です",
                        f"the route of '{cat.id}' needs the points facts under applicant.hsp",
                    ),
                )
            )
        if cat.route == "hsp_points" and a.status.startswith("高度専門職"):
            out.append(
                (
                    ("category",),
                    say(
                        f"申請人は {a.status} です。hsp_70 / hsp_80（高度専門職の方の類型）を使ってください",
                        f"the applicant holds {a.status}; use hsp_70 / hsp_80 (the holder routes)",
                    ),
                )
            )
        if (
            a.status in rules.business_standards.statuses
            and a.business is None
            and _business_facts_required(rules, profile.application_date)
        ):
            out.append(
                (
                    ("applicant", "business"),
                    say(
                        f"この申請日の {a.status} の申請には経営の基準の事実（資本金・常勤職員・日本語・経歴・"
                        "事業計画）が必要です（applicant.business）",
                        f"{a.status} applications on this date need the business facts (capital, staff, Japanese,"
                        " career, plan)",
                    ),
                )
            )
        if cat.route == "spouse" and not any(m.relationship in SPOUSES for m in profile.family):
            out.append(
                (
                    ("family",),
                    say(
                        "配偶者の類型では、配偶者を family に書いてください（続柄 妻 又は 夫）",
                        "the spouse route needs the spouse in 'family' (relationship 妻 or 夫)",
                    ),
                )
            )
        if cat.id == "kazoku_taizai" and profile.supporter is None:
            out.append(
                (
                    ("supporter",),
                    say(
                        "家族滞在の申請人は、扶養者を supporter に書いてください",
                        "a 家族滞在 applicant needs the supporting person (扶養者) under 'supporter'",
                    ),
                )
            )
    for i, m in enumerate(profile.family):
        if m.application is None:
            continue
        own = find_category(book, m.application.category)
        loc: Loc = ("family", i, "application")
        if own is None:
            out.append(_unknown_category(book, m.application.category, (*loc, "category")))
        else:
            out += _status_problem(own, m.application.status, (*loc, "status"))
    return out
