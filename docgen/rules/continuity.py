"""How each 在留資格 counts toward continuous residence, and the practitioners' absence thresholds
(docgen/data/continuity.yaml). Reference: permanent-residence.md §4.2 (3)ア, §4.3, §6.2.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import Field

from docgen.profile.model import normalise_status
from docgen.rules.dated import Dated
from docgen.rules.sources import Source, SourceDef, Strict, check_cited, resolve_sources
from docgen.validation import validate_document
from docgen.yamlfile import LoadedYaml, with_located_problems


@dataclass(frozen=True)
class StatusClass:
    status: str
    kind: str
    total: bool
    qualifying: bool
    hsp: bool
    known: bool
    sources: tuple[Source, ...]
    review: str | None


class StatusRuleDef(Strict):
    match: list[str] = Field(min_length=1)
    kind: str
    total: bool
    qualifying: bool
    hsp: bool = False
    sources: list[str] = Field(min_length=1)
    review: str | None = None


class ThresholdsDef(Strict):
    long_trip_days: int = Field(gt=0)
    year_days_abroad: int = Field(gt=0)
    sources: list[str] = Field(min_length=1)
    official: bool


class ReentryDef(Strict):
    """The law on leaving Japan: how long みなし再入国 lasts (a 再入国許可 carries its own validity)."""

    deemed_reentry_years: int = Field(gt=0)
    sources: list[str] = Field(min_length=1)


class CovidDef(Dated):
    """Trips in this window may be treated as continuous with a 申立書 (COVID entry restrictions)."""

    sources: list[str] = Field(min_length=1)
    review: str | None = None


class ContinuityRules(Strict):
    last_checked: date
    sources: dict[str, SourceDef]
    thresholds: ThresholdsDef
    reentry: ReentryDef
    covid: CovidDef
    statuses: list[StatusRuleDef]

    def source_list(self, keys: list[str]) -> tuple[Source, ...]:
        return resolve_sources(self.sources, keys)

    def classify(self, status: str) -> StatusClass:
        """How a 在留資格 counts; an unknown status counts toward the total only, and says so."""
        name = normalise_status(status)
        for rule in self.statuses:
            if any(name.startswith(normalise_status(m)) for m in rule.match):
                return StatusClass(
                    status,
                    rule.kind,
                    rule.total,
                    rule.qualifying,
                    rule.hsp,
                    True,
                    self.source_list(rule.sources),
                    rule.review,
                )
        return StatusClass(
            status,
            "unknown",
            True,
            False,
            False,
            False,
            (),
            "この在留資格は分類表(data/continuity.yaml)にありません（合計の年数にだけ数えます）",  # no value echoed
        )


def load_continuity(path: Path) -> ContinuityRules:
    """Read the continuity rules; every cited source must be defined."""
    return with_located_problems(lambda read: _checked(read(path), path))


def _checked(doc: LoadedYaml, path: Path) -> ContinuityRules:
    rules = validate_document(doc, ContinuityRules)
    check_cited(rules, rules.sources, path)
    return rules
