"""The shapes of the checklist rule files (`checklists/`), as pydantic models.

  _sources.yaml   sources by key, each with a reliability tag (A–D)
  _items.yaml     every item with its versions, in the official order (see its header for the fields)
  <category>.yaml one file per category id: names, route, dated parameters, the items it uses
Office folders use the same shapes, plus patches (`ItemPatch`, `CategoryPatch`) for built-in items and categories.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field, model_validator

from docgen.messages import say
from docgen.rules.dated import Dated
from docgen.rules.sources import Strict

LANGS = ("ja", "en", "zh")
ROUTES = ("general", "hsp_holder", "hsp_points", "spouse", "child", "teijusha")


class Localized(Strict):
    ja: str = Field(min_length=1)
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)


class LookbackDef(Strict):
    kind: Literal["fiscal_years", "months", "as_of", "issued_within", "current"]
    years: int | str | None = None
    months: int | str | None = None

    @model_validator(mode="after")
    def _count(self) -> LookbackDef:
        need = {"fiscal_years": "years", "as_of": "years", "months": "months", "issued_within": "months"}.get(self.kind)
        if need and getattr(self, need) is None:
            raise ValueError(
                say(
                    f"'{self.kind}' の lookback には '{need}:'（数値か、類型のパラメーター名）が必要です",
                    f"a '{self.kind}' lookback needs '{need}:' (a number or a category parameter name)",
                )
            )
        return self


class ItemFields(Strict):
    """Fields an item, a version or a category override may set."""

    title: Localized | None = None
    action: Literal["submit", "present"] | None = None
    prepared_by: Literal["client", "office"] | None = None
    required: bool | None = None
    condition: str | None = None
    copies: str | None = None
    concerns: list[Literal["applicant", "supporter", "dependant", "household", "guarantor", "filer"]] | None = Field(
        None,
        description="who the document is about; with supporter, a dependant applicant (a child, a member without"
        " income) is named only when `dependant` is listed too (e.g. each person's health-insurance card)",
    )
    lookback: LookbackDef | None = None
    issued_within_months: int | None = None
    notes: Localized | None = None
    sources: list[str] | None = None
    last_checked: date | None = None
    review: str | None = Field(None, description="why a person must check this rule")
    count_per: Literal["item", "person", "person_year"] | None = Field(
        None,
        description="what completes the item: one document for the item, one per person it concerns, or one per"
        " person and 住民税 年度 of the period (default: person_year for a fiscal_years lookback, item when it"
        " concerns only the household, guarantor or filer, else person)",
    )


class VersionDef(ItemFields, Dated):
    start: date = Field(alias="from")
    applies: bool = True


class ItemDef(ItemFields):
    versions: list[VersionDef] = Field(min_length=1)


class ItemsFile(Strict):
    items: dict[str, ItemDef]


class ItemPatch(ItemFields):
    """An office change to a built-in item, applied to all of its versions."""


class OfficeItemsFile(Strict):
    items: dict[str, dict[str, Any]]


class CategoryAdd(ItemFields):
    id: str
    after: str | None = Field(None, description="put the item after this one (default: at the end)")


class CategoryPatch(Strict):
    """An office file for a built-in category: add, change or switch off items."""

    id: str
    add: list[CategoryAdd] = Field(default_factory=list)
    change: list[CategoryItemRef] = Field(default_factory=list)
    remove: list[str] = Field(default_factory=list)


class ParamsVersion(Dated):
    start: date = Field(alias="from")
    tax_years: int | None = None
    insurance_months: int | None = None
    points_reference_years: int | None = None
    points_threshold: int | None = None
    sources: list[str] = Field(min_length=1)
    last_checked: date
    review: str | None = None


class CategoryItemRef(ItemFields):
    id: str
    enabled: bool = True


class CategoryFile(Strict):
    id: str
    name: Localized
    route: Literal["general", "hsp_holder", "hsp_points", "spouse", "child", "teijusha"]
    route_name: Localized
    statuses: list[str]
    checksheet: str
    params: list[ParamsVersion] = Field(min_length=1)
    items: list[str | CategoryItemRef]


CategoryPatch.model_rebuild()
