"""A checklist: the items in force for a category and date, each with its period resolved, its requirement
level, and (with a profile) the people it concerns. `to_json` gives the contract's shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Literal

from docgen.rules.book import ItemRule
from docgen.rules.conditions import CONDITIONS
from docgen.rules.periods import Lang, Period
from docgen.rules.sources import sources_json

CountPer = Literal["item", "person", "person_year"]  # what completes an item (checklists/_items.yaml `count_per`)


def default_count_per(rule: ItemRule) -> CountPer:
    """For an item whose rule does not say: one per person and 年度 for a 住民税 lookback, one for the item when
    it concerns only the household, guarantor or filer (one document serves every application), else one per
    person."""
    if rule.lookback.kind == "fiscal_years":
        return "person_year"
    if set(rule.concerns) <= {"household", "guarantor", "filer"}:
        return "item"
    return "person"


class Requirement(StrEnum):
    """How strongly an item is asked for (the contract's `required`: true, false or "conditional")."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    CONDITIONAL = "conditional"  # depends on facts that no profile was given for

    def to_json(self) -> bool | str:
        return {Requirement.REQUIRED: True, Requirement.OPTIONAL: False}.get(self, self.value)


@dataclass
class PersonRef:
    """Someone an item concerns, e.g. role 'supporter', name '王 偉', for the application of `applicant`."""

    role: str
    name: str
    applicant: str  # whose application this belongs to
    period_note: str = ""  # set when this person's lookback differs from the item's
    period: Period | None = None  # that lookback itself (its 年度 are what completes the item for this person)


@dataclass
class ChecklistItem:
    rule: ItemRule
    required: Requirement
    period: Period
    issued_on_or_after: date | None
    people: list[PersonRef] = field(default_factory=list)
    count_per: CountPer = "person"  # what completes it: one document for the item, per person, per person and 年度

    @property
    def id(self) -> str:
        return self.rule.id

    def period_of(self, person: PersonRef) -> Period:
        """The period a person's documents cover: their own lookback when it differs from the item's."""
        return person.period or self.period

    def title(self, lang: Lang = "ja") -> str:
        return self.rule.title.get(lang) or self.rule.title["ja"]

    def notes(self, lang: Lang = "ja") -> str:
        return self.rule.notes.get(lang) or self.rule.notes.get("ja", "")

    def period_label(self, lang: Lang = "ja") -> str:
        """The period in words: 令和4年度〜令和8年度 / 2024年11月〜2026年10月 / 2023年11月30日時点."""
        return self.period.label(lang)

    def to_json(self) -> dict[str, Any]:
        r = self.rule
        out: dict[str, Any] = {
            "id": r.id,
            "title": r.title["ja"],
            "titles": {"en": r.title["en"], "zh": r.title["zh"]},
            "action": r.action,
            "required": self.required.to_json(),
            "period": self.period.to_json(),
            "copies": r.copies,
            "concerns": list(r.concerns),
            "count_per": self.count_per,
            "notes": r.notes.get("ja", ""),
            "sources": sources_json(r.sources),
            "needs_review": r.needs_review,
            "rule_version": {
                "from": r.version_from.isoformat(),
                "until": r.version_until.isoformat() if r.version_until else None,
            },
            "last_checked": r.last_checked.isoformat(),
        }
        if self.issued_on_or_after:
            out["issued_on_or_after"] = self.issued_on_or_after.isoformat()
        if r.condition:
            out["condition"] = {"id": r.condition, "description": CONDITIONS[r.condition]}
        if r.review:
            out["review"] = r.review
        if self.people:
            out["people"] = [
                {
                    "role": p.role,
                    "name": p.name,
                    "applicant": p.applicant,
                    **({"period": p.period_note} if p.period_note else {}),
                }
                for p in self.people
            ]
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
