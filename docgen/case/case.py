"""The case: everything one run works from, built once at the entry point and passed down.

In: a profile file, the office settings, the rules and the time of the run (read by the CLI only).
Out: a `Case` holding the
profile (checked against the rules, with the office as 取次者 when the profile names none), the rule book
with the office's folders, the assessment rules, the release day, the application date and today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from docgen.case.checks import category_problems, with_category_ids
from docgen.case.settings import Settings
from docgen.hashing import file_sha256
from docgen.profile.load import load_profile
from docgen.profile.model import Profile
from docgen.rules.book import RuleBook
from docgen.rules.data import AssessmentRules, load_assessment_rules


@dataclass(frozen=True)
class Rules:
    """The rules of one run: the checklist rule book (built-in + office), the assessment data, the release day."""

    book: RuleBook
    assessment: AssessmentRules
    release_day: tuple[int, int]
    processing_days: int | None = None  # the office's processing time; None = the sourced default


def load_rules(settings: Settings, release_day: tuple[int, int] | None = None) -> Rules:
    """Every rule file, read and checked once."""
    return Rules(
        settings.rulebook(), load_assessment_rules(), release_day or settings.release_day, settings.processing_days
    )


@dataclass(frozen=True)
class Case:
    profile: Profile
    profile_path: Path
    settings: Settings
    rules: Rules
    now: datetime  # when the run started (the CLI reads the clock; nothing below it does)
    profile_sha256: str = ""  # the hash of the profile's bytes this case was read from

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def book(self) -> RuleBook:
        return self.rules.book

    @property
    def application_date(self) -> date:
        return self.profile.application_date

    @property
    def release_day(self) -> tuple[int, int]:
        return self.rules.release_day


def build_case(profile_path: Path, settings: Settings, rules: Rules, *, now: datetime, on: date | None = None) -> Case:
    """Read the profile and check it against the rules; `on` replaces the planned application date. The case
    records the hash of the bytes it was read from (read again if the file changed while it was being read)."""
    for _ in range(3):
        before = file_sha256(Path(profile_path))
        profile = load_profile(profile_path, lambda p: category_problems(p, rules.book, rules.assessment.eligibility))
        if file_sha256(Path(profile_path)) == before:
            break
    profile = with_category_ids(profile, rules.book)
    if on is not None and on != profile.application_date:
        profile = profile.model_copy(update={"application_date": on})
    if profile.filing_agent is None and settings.office is not None:
        profile = profile.model_copy(update={"filing_agent": settings.office})
    return Case(profile, Path(profile_path), settings, rules, now, before or "")
