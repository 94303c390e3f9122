"""What every command shares: option parsing (plain errors, never tracebacks) and building the case.

The clock is read here and nowhere below: the case carries the time of the run to every stage.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from enum import Enum
from pathlib import Path

from docgen.case import Case, Rules, Settings, build_case, load_rules, load_settings
from docgen.errors import DocgenError
from docgen.messages import say
from docgen.text import Text


class Lang(str, Enum):
    ja = "ja"
    en = "en"
    zh = "zh"


RUN_STAGE: dict[str, str] = {"done": "", "now": ""}  # what a long command finished last, for an interruption


# 2026-12-01, 2026/12/01 and 2026.12.01 (one separator throughout; a one-digit month or day is fine), after
# full-width characters are made half-width (２０２６／１２／０１) and the dashes a Japanese keyboard types
# (ー − ‐ …) are made '-'. The profile's YAML dates stay strict YYYY-MM-DD: this is for the command line only.
DATE_OPTION_RE = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$", re.ASCII)
DASHES = str.maketrans(dict.fromkeys("ー－−‐‑‒–—―", "-"))


def parse_date(value: str | None, option: str = "--date") -> date | None:
    """'2026-11-30', '2026/11/30', '2026.11.30', '２０２６／１１／３０' -> date; a clear error otherwise."""
    if value is None:
        return None
    m = DATE_OPTION_RE.match(unicodedata.normalize("NFKC", value.translate(DASHES)).strip())
    try:
        if m is None:
            raise ValueError(value)
        return date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
    except ValueError:
        raise DocgenError(
            Text(
                f"{option}: '{value}' は日付として読めません。YYYY-MM-DD で書いてください（例: 2026-11-30、"
                "2026/11/30）",
                f"{option}: '{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-30 or 2026/11/30",
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
            Text(
                f"--release-day: '{value}' は毎年ある日付ではありません。MM-DD で書いてください（例: 06-10）",
                f"--release-day: '{value}' is not a day of every year; write it as MM-DD, e.g. 06-10",
            )
        ) from None
    return month, day


def where_option(option: str) -> str:
    """How a command's option or argument is named in a message: '類型（--category）'."""
    return say(f"類型（{option}）", f"category ({option})")


def now() -> datetime:
    """The time of this run, in the local time zone."""
    return datetime.now().astimezone()


def settings_and_rules(release_day: str | None = None, *, near: Path | None = None) -> tuple[Settings, Rules]:
    """The office settings (the working folder's docgen.toml, else the one nearest `near`, a profile) and every
    rule file, read once per command."""
    settings = load_settings(near=near)
    return settings, load_rules(settings, parse_release_day(release_day))


def load_case(profile: Path, *, on: date | None = None, release_day: str | None = None) -> Case:
    """The case of a command that works on a profile."""
    settings, rules = settings_and_rules(release_day, near=profile)
    return build_case(profile, settings, rules, now=now(), on=on)


def settings_line(settings: Settings) -> str:
    """What a command that writes says about the office settings it used (or that it found none)."""
    if settings.source is None:
        return say(
            "設定: docgen.toml は見つかりませんでした（事務所の設定なしで作成）",
            "settings: no docgen.toml found (built without office settings)",
        )
    return say(f"設定: {settings.source}", f"settings: {settings.source}")
