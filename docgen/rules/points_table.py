"""The 高度専門職 points table (docgen/data/hsp_points.yaml): 分野 イ / ロ / ハ, bands, bonuses with their
limits and start dates, the 300万円 minimum, the reference-date years per threshold — dated and sourced.

Reference: permanent-residence.md §5.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import Field

from docgen.errors import DocgenError
from docgen.profile.hsp import PointsField
from docgen.rules.dated import Dated
from docgen.rules.sources import Source, SourceDef, Strict, check_cited, resolve_sources
from docgen.text import Text
from docgen.validation import validate_document
from docgen.yamlfile import with_located_problems

ALL_FIELDS: tuple[PointsField, ...] = ("イ", "ロ", "ハ")


class Text2(Strict):
    ja: str
    en: str


class YearsBand(Strict):
    years: int
    points: int


class SalaryBand(Strict):
    min: int
    points: int
    under_age: int | None = None


class AgeBand(Strict):
    under: int
    points: int


class OneOrMore(Strict):
    one: int
    two_or_more: int


class EducationDef(Strict):
    points: dict[str, int]
    multiple_fields: int


class FieldDef(Strict):
    name: Text2
    education: EducationDef
    experience: list[YearsBand]
    salary: list[SalaryBand]
    age: list[AgeBand] = Field(default_factory=list)
    research: OneOrMore | None = None
    qualifications: OneOrMore | None = None
    position: dict[str, int] | None = None


class ItemDef(Strict):
    label: Text2
    evidence: str
    sources: list[str]
    review: str | None = None


class BonusDef(Dated):
    id: str
    fact: str
    label: Text2
    points: int
    evidence: str
    sources: list[str]
    fields: list[PointsField] = Field(default_factory=lambda: list(ALL_FIELDS))
    requires: list[str] = Field(default_factory=list)
    excluded_by: list[str] = Field(default_factory=list)
    derived: bool = False
    review: str | None = None


class ResearchKindDef(Strict):
    min_count: int
    label: str


class MinimumIncomeDef(Strict):
    amount: int
    fields: list[PointsField]
    sources: list[str]


class PointsTable(Strict):
    last_checked: date
    covers_from: date
    covers_from_review: str
    thresholds: dict[int, int]
    sources: dict[str, SourceDef]
    minimum_income: MinimumIncomeDef
    research_kinds: dict[str, ResearchKindDef]
    items: dict[str, ItemDef]
    fields: dict[PointsField, FieldDef]
    bonuses: list[BonusDef]

    def source_list(self, keys: list[str]) -> tuple[Source, ...]:
        return resolve_sources(self.sources, keys)


def load_points_table(path: Path) -> PointsTable:
    """Read and check the points table (unknown source keys and bonus references are errors)."""
    table = with_located_problems(lambda read: validate_document(read(path), PointsTable))
    check_cited(table, table.sources, path)
    ids: set[str] = set()
    for b in table.bonuses:  # a bonus may only refer to bonuses listed above it (they are decided first)
        for other in b.requires + b.excluded_by:
            if other not in ids:
                raise DocgenError(
                    Text(
                        f"{path}: 加算 '{b.id}' が '{other}' を参照しています。'{other}' はこれより上に書いてください",
                        f"{path}: bonus '{b.id}' refers to '{other}', which must be listed above it",
                    )
                )
        ids.add(b.id)
    return table
