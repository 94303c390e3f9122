"""The rule book: every source, item and category, and the item rules in force on a date.

Built by `docgen.rules.loader.load_rulebook` (which checks the files once); read by the checklist stage.
"""

from __future__ import annotations

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

PARAM_NAMES = ("tax_years", "insurance_months", "points_reference_years", "points_threshold")


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
        try:
            return self.categories[category_id]
        except KeyError:
            known = ", ".join(sorted(self.categories))
            raise DocgenError(
                say(
                    f"類型 '{category_id}' はありません。使える類型: {known}",
                    f"unknown category '{category_id}'. Known categories: {known}",
                )
            ) from None

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
