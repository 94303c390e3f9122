"""What the client is not asked: the 申請の類型 of the case and of each family member filing together.

The office writes a category on the 事務所用 sheet and beside a co-applicant's answers (「申請の類型（事務所記入）」),
by id, by Japanese name or by 在留資格 (docgen.rules.category_names, as every command takes it). Left empty, it
is derived from the person's status through the categories' `statuses:` (家族滞在 → kazoku_taizai); the spouse
and child routes are taken for a spouse or a child whose status no other category is for. A co-applicant whose
category cannot be derived does not stop the import: the field is left for the office and the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docgen.intake.profile_data import get
from docgen.messages import say
from docgen.profile.checks import Loc
from docgen.profile.model import CHILDREN, SPOUSES
from docgen.rules import category_names
from docgen.rules.book import Category, RuleBook

# stands for a category the office has still to choose while the rest of the profile is validated; never written
STAND_IN = "（事務所記入）"


@dataclass
class OfficeFields:
    """The categories as resolved: problems (a name that is no category), notes (what was derived, for staff)
    and the fields left for the office (validated with STAND_IN, written empty)."""

    problems: list[tuple[Loc, str]] = field(default_factory=list)
    notes: list[tuple[Loc, str]] = field(default_factory=list)
    left: list[tuple[Loc, str]] = field(default_factory=list)


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def derived_category(book: RuleBook, status: str, relationship: str = "") -> Category | None:
    """The category a person's status and relationship lead to, or None when the rules leave a choice."""
    found = [c for c in category_names.for_status(book, status) if c.route not in category_names.FACT_ROUTES]
    if len(found) == 1:
        return found[0]
    if found:
        return None  # several categories for this status (高度専門職1号ロ: 70 or 80 points): the office decides
    route = "spouse" if relationship in SPOUSES else "child" if relationship in CHILDREN else ""
    by_route = [c for c in category_names.for_status(book, status) if c.route == route]
    return by_route[0] if len(by_route) == 1 else None


def _every(book: RuleBook) -> str:
    return "、".join(
        f"{c.id}（{c.name.get('ja', c.id)}）" for c in sorted(book.categories.values(), key=lambda c: c.id)
    )


def _derived_note(cat: Category) -> str:
    name = cat.name.get("ja", cat.id)
    return say(
        f"申請の類型が空欄のため、在留資格から {cat.id}（{name}）としました。違う場合は事務所で直してください",
        f"the category was empty: {cat.id} ({name}) was taken from the status of residence; correct it if wrong",
    )


def _left_note(book: RuleBook, field_path: str) -> str:
    return say(
        "申請の類型は在留資格から1つに決まらないため、空欄のまま取り込みました。事務所で決めて、プロフィールの"
        f" {field_path} に記入してください（使える類型: {_every(book)}）",
        "the category does not follow from the status of residence, so it was left empty: the office decides and"
        f" writes it in the profile's {field_path}",
    )


def _case_category_missing(book: RuleBook) -> str:
    return say(
        "申請の類型（事務所記入）が空欄で、申請人の在留資格からも1つに決まりません。事務所で記入してください"
        f"（使える類型: {_every(book)}）",
        "the case's category (filled in by the office) is empty and does not follow from the applicant's status"
        " of residence: the office writes it (docgen categories lists them)",
    )


def resolve_categories(data: dict[str, Any], book: RuleBook) -> OfficeFields:
    """Turn every typed category of `data` (changed in place) into its id, or derive it; see the module."""
    out = OfficeFields()
    typed = _text(data.get("category"))
    if typed:
        found = category_names.find_category(book, typed)
        if found is None:
            out.problems.append((("category",), category_names.not_a_category(book, typed)))
        else:
            data["category"] = found.id
    else:
        applicant = data.get("applicant") if isinstance(data.get("applicant"), dict) else {}
        cat = derived_category(book, _text(get(applicant, ("status",))))
        if cat is not None:
            data["category"] = cat.id
            out.notes.append((("category",), _derived_note(cat)))
        else:  # the case's category decides every list and letter: the office writes it before the import
            out.problems.append((("category",), _case_category_missing(book)))
    family = data.get("family")
    for i, member in enumerate(family if isinstance(family, list) else []):
        application = member.get("application") if isinstance(member, dict) else None
        if not isinstance(application, dict):
            continue
        loc: Loc = ("family", i, "application", "category")
        typed = _text(application.get("category"))
        if typed:
            found = category_names.find_category(book, typed)
            if found is None:
                out.problems.append((loc, category_names.not_a_category(book, typed)))
            else:
                application["category"] = found.id
            continue
        status = _text(application.get("status")) or _text(member.get("status"))
        if not status:
            continue  # the co-applicant's status is itself unanswered: that is the problem reported
        cat = derived_category(book, status, _text(member.get("relationship")))
        if cat is not None:
            application["category"] = cat.id
            out.notes.append((loc, _derived_note(cat)))
        else:
            application["category"] = STAND_IN
            out.left.append((loc, _left_note(book, f"family[{i}].application.category")))
    return out
