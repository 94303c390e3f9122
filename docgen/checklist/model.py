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
from docgen.wareki import fiscal_year_label

NON_TAXABLE_TITLE: dict[str, str] = {
    "ja": "住民税の非課税証明書",
    "en": "Resident tax non-taxation certificate",
    "zh": "住民税非课税证明书",
}

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


EXEMPTION_NAMES = {
    "en": {"免除": "exemption", "猶予": "deferral", "学生納付特例": "student deferral"},
    "zh": {"免除": "免除", "猶予": "缓缴", "学生納付特例": "学生缴纳特例"},
}


@dataclass(frozen=True)
class PensionExemptionPeriod:
    """An approved 国民年金 免除・猶予・学生納付特例 period (months YYYY-MM; end None while it runs)."""

    kind: str
    start: str
    end: str | None

    def label(self, lang: Lang = "ja") -> str:
        """「免除 2024年4月〜2025年3月」 / "exemption 2024-04 to 2025-03"."""
        if lang == "en":
            return f"{EXEMPTION_NAMES['en'].get(self.kind, self.kind)} {self.start} to {self.end or 'now'}"
        months = f"{_ym(self.start)}〜{_ym(self.end) if self.end else ''}"
        return f"{EXEMPTION_NAMES['zh'].get(self.kind, self.kind) if lang == 'zh' else self.kind} {months}"


def _ym(month: str) -> str:
    y, m = month.split("-")
    return f"{int(y)}年{int(m)}月"


@dataclass
class PersonRef:
    """Someone an item concerns, e.g. role 'supporter', name '王 偉', for the application of `applicant`."""

    role: str
    name: str
    applicant: str  # whose application this belongs to
    period_note: str = ""  # set when this person's lookback differs from the item's
    period: Period | None = None  # that lookback itself (its 年度 are what completes the item for this person)
    non_taxable_years: tuple[int, ...] = ()  # 住民税 年度 of the period with no tax (a 非課税証明書 for each)
    exemptions: tuple[PensionExemptionPeriod, ...] = ()  # approved 免除・猶予・学生納付特例 periods (the notice's)

    def detail(self, lang: Lang = "ja") -> str:
        """What this person's documents are, in words: 「令和6年度・令和7年度は非課税証明書」, the 免除 periods."""
        parts = []
        if self.non_taxable_years:
            years = sorted(self.non_taxable_years)
            labels = "・".join(fiscal_year_label(y) for y in years)
            parts.append(
                {
                    "ja": f"{labels}は{NON_TAXABLE_TITLE['ja']}",
                    "en": f"{NON_TAXABLE_TITLE['en']} for fiscal year{'s' if len(years) > 1 else ''} "
                    + ", ".join(str(y) for y in years)
                    + f" ({labels})",
                    "zh": f"{labels}为{NON_TAXABLE_TITLE['zh']}",
                }[lang]
            )
        parts += [e.label(lang) for e in self.exemptions]
        return "、".join(parts) if lang != "en" else "; ".join(parts)


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

    def title_for(self, person: PersonRef, fiscal_year: int | None = None, lang: Lang = "ja") -> str:
        """The title of one person's (and one 年度's) document: a 非課税 年度 of the 課税証明書 item is a
        「住民税の非課税証明書」."""
        if fiscal_year is not None and fiscal_year in person.non_taxable_years:
            return NON_TAXABLE_TITLE[lang]
        return self.title(lang)

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
                    **({"detail": p.detail()} if p.detail() else {}),
                    **({"non_taxable_years": list(p.non_taxable_years)} if p.non_taxable_years else {}),
                    **(
                        {"exemptions": [{"kind": e.kind, "from": e.start, "to": e.end} for e in p.exemptions]}
                        if p.exemptions
                        else {}
                    ),
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
