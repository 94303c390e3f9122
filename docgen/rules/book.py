"""The rule book: every source, item and category, and the item rules in force on a date.

Built by `docgen.rules.loader.load_rulebook` (which checks the files once); read by the checklist stage.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from docgen.errors import DocgenError
from docgen.messages import say
from docgen.rules.dated import in_force
from docgen.rules.schema import CategoryItemRef, ItemDef, ItemFields, LookbackDef, ParamsVersion, VersionDef
from docgen.rules.sources import Source, needs_review
from docgen.text import Text

PARAM_NAMES = ("tax_years", "insurance_months", "points_reference_years", "points_threshold")


def _title_key(text: str) -> str:
    """A category name as compared: NFKC (full-width letters and brackets made half-width), no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _in_order(short: str, title: str) -> bool:
    """Whether every character of `short` appears in `title` in the same order (技人国 in 技術・人文知識・国際業務)."""
    rest = iter(title)
    return all(c in rest for c in short)


@dataclass(frozen=True)
class ItemRule:
    """One item as in force on one date for one category."""

    id: str
    title: dict[str, str]
    action: str
    required: bool
    condition: str | None
    prepared_by: str
    copies: str
    concerns: tuple[str, ...]
    lookback: LookbackDef
    issued_within_months: int | None
    notes: dict[str, str]
    sources: tuple[Source, ...]
    last_checked: date
    review: str | None
    version_from: date
    version_until: date | None

    @property
    def needs_review(self) -> bool:
        return needs_review(self.sources, self.review)


@dataclass(frozen=True)
class Params:
    """A category's dated parameters (直近N年分, N か月, the points threshold …) on one date."""

    values: dict[str, int]
    sources: tuple[Source, ...]
    review: str | None
    version_from: date

    @property
    def needs_review(self) -> bool:
        return needs_review(self.sources, self.review)

    @property
    def tax_years(self) -> int:
        return self.values.get("tax_years", 5)

    @property
    def insurance_months(self) -> int:
        return self.values.get("insurance_months", 24)


@dataclass
class Category:
    id: str
    name: dict[str, str]
    route: str
    route_name: dict[str, str]
    statuses: list[str]
    checksheet: str
    params: list[ParamsVersion]
    items: list[CategoryItemRef]
    file: Path


def merge_item(item: ItemDef, version: VersionDef, ref: CategoryItemRef | None) -> dict[str, Any]:
    """Item defaults, then the version, then the category's override."""
    merged: dict[str, Any] = {}
    for layer in (item, version, ref):
        if layer is None:
            continue
        for name in ItemFields.model_fields:
            value = getattr(layer, name)
            if value is not None:
                merged[name] = value.model_dump() if isinstance(value, BaseModel) else value
    return merged


@dataclass
class RuleBook:
    """All sources, items and categories, with the checks done once at load time."""

    sources: dict[str, Source]
    items: dict[str, ItemDef]
    categories: dict[str, Category]
    files: list[Path] = field(default_factory=list)

    def category(self, category_id: str) -> Category:
        """The category of an id; otherwise an error with the nearest ids ('gijinkouku' → gijinkoku, '技人国' →
        gijinkoku). A Japanese title is refused here, naming its id: a caller that passes the text on (file names,
        the questionnaire's sections) needs the id — `category_id` turns a title into it."""
        found = self.categories.get(category_id)
        if found is not None:
            return found
        titled = self._by_title(category_id)
        if titled is not None:
            raise DocgenError(
                Text(
                    f"'{category_id}' は類型 {titled.id} の名前です。ここでは ID で {titled.id} と指定してください",
                    f"'{category_id}' is the name of category {titled.id}; give its id here: {titled.id}",
                )
            )
        known = ", ".join(sorted(self.categories))
        guesses = self.close_categories(category_id)
        ja = en = ""
        if guesses:
            ja = "もしかして: " + "、".join(f"{c.id}（{c.name.get('ja', c.id)}）" for c in guesses) + "。"
            en = " Did you mean: " + ", ".join(c.id for c in guesses) + "?"
        raise DocgenError(
            Text(
                f"類型 '{category_id}' はありません。{ja}使える類型: {known}",
                f"unknown category '{category_id}'.{en} Known categories: {known}",
            )
        )

    def category_id(self, name: str) -> str:
        """The id for what staff typed: an id, or a category's Japanese title as `docgen categories` lists it
        (技術・人文知識・国際業務 → gijinkoku; full-/half-width, spaces and case aside); the error of `category`
        otherwise."""
        if name in self.categories:
            return name
        titled = self._by_title(name)
        if titled is not None:
            return titled.id
        same_id = [i for i in self.categories if _title_key(i) == _title_key(name)]  # GIJINKOKU, ｇｉｊｉｎｋｏｋｕ
        return same_id[0] if len(same_id) == 1 else self.category(name).id

    def _by_title(self, name: str) -> Category | None:
        """The one category whose Japanese title is `name`, ignoring full-/half-width, spaces and case."""
        key = _title_key(name)
        found = [c for c in self.categories.values() if key and _title_key(c.name.get("ja", "")) == key]
        return found[0] if len(found) == 1 else None

    def close_categories(self, name: str) -> list[Category]:
        """Categories staff may have meant: ids and Japanese titles close in spelling (difflib), and titles that
        contain the typed characters in order, as a short name does (技人国 → 技術・人文知識・国際業務)."""
        key = _title_key(name)
        titles = {_title_key(c.name.get("ja", "")): c.id for c in self.categories.values()}
        same = [i for i in self.categories if _title_key(i) == key] or [i for t, i in titles.items() if t == key]
        if same:  # only the letter case or the width differs
            return [self.categories[i] for i in same]
        ids = difflib.get_close_matches(key, list(self.categories), n=3, cutoff=0.7)
        ids += [titles[t] for t in difflib.get_close_matches(key, list(titles), n=3, cutoff=0.6)]
        if len(key) >= 2 and not key.isascii():
            ids += [i for t, i in titles.items() if _in_order(key, t)]
        return [self.categories[i] for i in dict.fromkeys(ids)]

    def params(self, category_id: str, on: date) -> Params:
        cat = self.category(category_id)
        what = say(
            f"類型 '{category_id}' のパラメーター（{cat.file.name}）",
            f"the parameters of category '{category_id}' ({cat.file.name})",
        )
        version = in_force(cat.params, on, what)
        values = {k: v for k, v in version.model_dump(include=set(PARAM_NAMES)).items() if v is not None}
        return Params(values, tuple(self.sources[s] for s in version.sources), version.review, version.start)

    def item_rules(self, category_id: str, on: date) -> list[ItemRule]:
        """The items of a category in force on `on`, in official order (switched-off items left out)."""
        cat = self.category(category_id)
        out = []
        for ref in cat.items:
            if not ref.enabled:
                continue
            item = self.items[ref.id]
            version = in_force(item.versions, on, say(f"項目 '{ref.id}'", f"item '{ref.id}'"))
            if not version.applies:
                continue
            merged = merge_item(item, version, ref)
            out.append(
                ItemRule(
                    id=ref.id,
                    title={k: v.replace("{checksheet}", cat.checksheet) for k, v in merged["title"].items()},
                    action=merged["action"],
                    required=merged["required"],
                    prepared_by=merged.get("prepared_by") or "client",
                    condition=merged.get("condition"),
                    copies=merged.get("copies") or "",
                    concerns=tuple(merged["concerns"]),
                    lookback=LookbackDef.model_validate(merged["lookback"]),
                    issued_within_months=merged.get("issued_within_months"),
                    notes=merged.get("notes") or {},
                    sources=tuple(self.sources[s] for s in merged["sources"]),
                    last_checked=merged["last_checked"],
                    review=merged.get("review"),
                    version_from=version.start,
                    version_until=version.end,
                )
            )
        return out
