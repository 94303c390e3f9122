"""What every command shares: option parsing (plain errors, never tracebacks) and building the case.

The clock is read here and nowhere below: the case carries the time of the run to every stage.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from pathlib import Path

from docgen.case import Case, Rules, Settings, build_case, load_rules, load_settings
from docgen.errors import DocgenError
from docgen.messages import say


class Lang(str, Enum):
    ja = "ja"
    en = "en"
    zh = "zh"


RUN_STAGE: dict[str, str] = {"done": "", "now": ""}  # what a long command finished last, for an interruption


def parse_date(value: str | None, option: str = "--date") -> date | None:
    """'2026-11-30' -> date; a clear error otherwise."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DocgenError(
            say(
                f"{option}: '{value}' は日付として読めません。YYYY-MM-DD で書いてください（例: 2026-11-30）",
                f"{option}: '{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-30",
            )
        ) from None


def parse_release_day(value: str | None) -> tuple[int, int] | None:
    """'06-10' -> (6, 10); a day that exists every year (not 29 February)."""
    if value is None:
        return None
    try:
        month, day = (int(x) for x in value.split("-"))
        date(2023, month, day)
    except ValueError:
        raise DocgenError(
            say(
                f"--release-day: '{value}' は毎年ある日付ではありません。MM-DD で書いてください（例: 06-10）",
                f"--release-day: '{value}' is not a day of every year; write it as MM-DD, e.g. 06-10",
            )
        ) from None
    return month, day


def now() -> datetime:
    """The time of this run, in the local time zone."""
    return datetime.now().astimezone()


def settings_and_rules(release_day: str | None = None) -> tuple[Settings, Rules]:
    """The office settings and every rule file, read once per command."""
    settings = load_settings()
    return settings, load_rules(settings, parse_release_day(release_day))


def load_case(profile: Path, *, on: date | None = None, release_day: str | None = None) -> Case:
    """The case of a command that works on a profile."""
    settings, rules = settings_and_rules(release_day)
    return build_case(profile, settings, rules, now=now(), on=on)
