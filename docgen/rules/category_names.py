"""A category by what staff or a client type: its id, its Japanese title, or the 在留資格 it is for.

The one lookup every command that takes a category uses (`case new --category`, `docgen checklist`, `profile
init`, `intake new --category`, the questionnaire's 申請の類型), with one wording for a name that is none of
these: Japanese first, the place named by the caller, the valid names listed, the typed value never repeated
(a passport number typed in the wrong cell stays out of messages and logs).

A status leads to a category through the categories' `statuses:` in checklists/*.yaml; the routes chosen by
the facts rather than by the status (spouse, child, the HSP points routes) are used only when no other
category is for that status, and a status several categories share is a choice staff make, listed for them.
"""

from __future__ import annotations

import unicodedata

from docgen.errors import DocgenError
from docgen.messages import say
from docgen.rules.book import Category, RuleBook

FACT_ROUTES = ("spouse", "child", "hsp_points")  # routes decided by marriage, parentage or points


def _key(text: str) -> str:
    """As compared: NFKC (full-width letters and brackets made half-width), no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def for_status(book: RuleBook, status: str) -> list[Category]:
    """The categories for a 在留資格 (家族滞在 → kazoku_taizai): those listing it whose route is not decided by
    the facts, else every category listing it."""
    key = _key(status)
    listing = [c for c in book.categories.values() if key and any(_key(s) == key for s in c.statuses)]
    by_status = [c for c in listing if c.route not in FACT_ROUTES]
    return by_status or listing


def matches(book: RuleBook, typed: str) -> list[Category]:
    """The categories `typed` may name, best kind of match first: the id (any width or case), the Japanese
    title, the status. One entry: found; several: a status several categories share; none: unknown."""
    key = _key(typed)
    if not key:
        return []
    for kind in (
        [c for c in book.categories.values() if _key(c.id) == key],
        [c for c in book.categories.values() if _key(c.name.get("ja", "")) == key],
    ):
        if len(kind) == 1:
            return kind
    return for_status(book, typed)


def find_category(book: RuleBook, typed: str) -> Category | None:
    """The one category `typed` names, or None (unknown, or a status several categories share)."""
    found = matches(book, typed)
    return found[0] if len(found) == 1 else None


def _named(categories: list[Category]) -> str:
    return "、".join(f"{c.id}（{c.name.get('ja', c.id)}）" for c in categories)


def not_a_category(book: RuleBook, typed: str) -> str:
    """Why `typed` names no single category, in staff words, without repeating it; the valid names listed."""
    several = matches(book, typed)
    if len(several) > 1:
        return say(
            f"この在留資格の方の類型は1つに決まりません。次のどれかを ID か類型名で指定してください: {_named(several)}",
            "this status of residence fits several categories; give one of them by id or Japanese name: "
            + ", ".join(f"{c.id} ({c.name.get('ja', c.id)})" for c in several),
        )
    guesses = book.close_categories(typed)
    maybe_ja = f"もしかして: {_named(guesses)}。" if guesses else ""
    maybe_en = f" Did you mean: {', '.join(c.id for c in guesses)}?" if guesses else ""
    every = sorted(book.categories.values(), key=lambda c: c.id)
    return say(
        "この類型はありません（類型の ID・類型名・在留資格のどれでもありません）。"
        f"{maybe_ja}使える類型: {_named(every)}",
        f"unknown category (neither a category id, nor its Japanese name, nor a status of residence; what is"
        f" written is not shown).{maybe_en} Known categories: "
        + ", ".join(f"{c.id} ({c.name.get('ja', c.id)})" for c in every),
    )


def category_id(book: RuleBook, typed: str, where: str) -> str:
    """The id of the category `typed` names (id, Japanese title or status); otherwise a DocgenError that names
    `where` (the field it was typed in, as the face names it: '類型（--category）' on the command line) and lists
    the valid names."""
    found = find_category(book, typed)
    if found is None:
        raise DocgenError(f"{where}: {not_a_category(book, typed)}")
    return found.id
