"""What every command shares: option parsing (plain errors, never tracebacks) and the run context.

The clock, the language and the user are read here and nowhere below: the run context carries them to the use
cases (docgen/usecases), which carry them to every stage.
"""

from __future__ import annotations

import getpass
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.dates import day_of_every_year
from docgen.errors import DocgenError
from docgen.messages import message_lang, say
from docgen.text import Text

if TYPE_CHECKING:  # loaded by the command that runs, not by every start (docgen --help stays instant)
    from docgen.case import Settings
    from docgen.usecases.context import RunContext


class Lang(str, Enum):
    ja = "ja"
    en = "en"
    zh = "zh"


@dataclass
class Stages:
    """What a long command finished last and is doing now, for the message after an interruption (one per run,
    made by docgen.cli.main and handed to the command as click's context object)."""

    done: str = ""
    now: str = ""

    def enter(self, stage: str) -> None:
        self.done, self.now = self.now, stage


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


def parse_language(value: str, choices: Iterable[str], option: str = "--lang") -> str:
    """A language code among `choices` ('zh-tw' is 'zh-TW'); a clear error listing them otherwise."""
    known = {c.lower(): c for c in choices}
    found = known.get(value.strip().lower())
    if found is None:
        listed = " / ".join(known.values())
        raise DocgenError(
            Text(
                f"{option}: '{value}' には対応していません。次のいずれかを指定してください: {listed}",
                f"{option}: '{value}' is not supported; use one of: {listed}",
            )
        )
    return found


def parse_release_day(value: str | None) -> tuple[int, int] | None:
    """'06-10' -> (6, 10); a day that exists every year (not 29 February)."""
    if value is None:
        return None
    day = day_of_every_year(value)
    if day is None:
        raise DocgenError(
            Text(
                f"--release-day: '{value}' は毎年ある日付ではありません。MM-DD で書いてください（例: 06-10）",
                f"--release-day: '{value}' is not a day of every year; write it as MM-DD, e.g. 06-10",
            )
        )
    return day


def where_option(option: str) -> str:
    """How a command's option or argument is named in a message: '類型（--category）'."""
    return say(f"類型（{option}）", f"category ({option})")


def now() -> datetime:
    """The time of this run, in the local time zone."""
    return datetime.now().astimezone()


def context(*, near: Path | None = None, release_day: str | None = None) -> RunContext:
    """The run context of a command: the office settings (the working folder's docgen.toml, else the one nearest
    `near`, a profile), every rule file, the time of the run, the staff's language and login name."""
    from docgen.usecases.context import RunContext

    return RunContext.load(
        now=now(), near=near, release_day=parse_release_day(release_day), lang=message_lang(), user=getpass.getuser()
    )


def settings_line(settings: Settings) -> str:
    """What a command that writes says about the office settings it used (or that it found none)."""
    if settings.source is None:
        return say(
            "設定: docgen.toml は見つかりませんでした（事務所の設定なしで作成）",
            "settings: no docgen.toml found (built without office settings)",
        )
    return say(f"設定: {settings.source}", f"settings: {settings.source}")
