"""The run context every use case takes: what a run knows before it starts (settings, rules, the time, the
staff's language, the user) — passed explicitly, never read from the process (environment, clock, globals)."""

from __future__ import annotations

import dataclasses
import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from docgen.case import Case, Rules, Settings, build_case, load_rules, load_settings
from docgen.errors import DocgenError
from docgen.messages import messages_in

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class RunContext:
    """One run of one staff action."""

    settings: Settings
    rules: Rules
    now: datetime  # the time of the run, in the office's time zone: the stages never read the clock
    lang: str = "ja"  # the staff's language for messages ('ja' or 'en')
    user: str = ""  # who runs it (the login name on the command line, the account in the browser)

    @classmethod
    def load(
        cls,
        *,
        now: datetime,
        near: Path | None = None,
        release_day: tuple[int, int] | None = None,
        lang: str = "ja",
        user: str = "",
    ) -> RunContext:
        """The office settings (the working folder's docgen.toml, else the one nearest `near`) and every rule file,
        read once."""
        with messages_in(lang):
            settings = load_settings(near=near)
            return cls(settings, load_rules(settings, release_day), now, lang, user)

    def case(self, profile: Path, on: date | None = None) -> Case:
        """The case of a profile, on `on` instead of its planned date when given."""
        return build_case(profile, self.settings, self.rules, now=self.now, on=on)


def _rule_files(settings: Settings) -> tuple[tuple[str, int, int], ...]:
    """The office's checklist files as they are now (name, change time, size)."""
    found = []
    for folder in settings.checklist_dirs:
        try:
            found += [(p.name, (st := p.stat()).st_mtime_ns, st.st_size) for p in sorted(folder.glob("*.yaml"))]
        except OSError:
            found.append((str(folder), 0, 0))
    return tuple(found)


class OfficeContext:
    """The office's run context for a face that runs all day (docgen serve): its rule files are read again, once,
    when one of the office's checklist files has changed since (an administrator installed one), so that every
    request and build after it uses them. Files that no longer load leave the rules read last in use."""

    def __init__(self, base: RunContext) -> None:
        self._base, self._seen = base, _rule_files(base.settings)
        self._lock = threading.Lock()

    def current(self) -> RunContext:
        seen = _rule_files(self._base.settings)
        if seen != self._seen:
            with self._lock, messages_in(self._base.lang):
                if seen != self._seen:
                    self._seen = seen
                    try:
                        rules = load_rules(self._base.settings, self._base.rules.release_day)
                    except DocgenError:  # a file broken by hand: the rules read last go on (the admin page says so)
                        return self._base
                    self._base = dataclasses.replace(self._base, rules=rules)
        return self._base


def use_case(fn: Callable[Concatenate[RunContext, P], R]) -> Callable[Concatenate[RunContext, P], R]:
    """Run a use case with its messages in the context's language (for this thread or task only)."""

    @functools.wraps(fn)
    def run(ctx: RunContext, *args: P.args, **kwargs: P.kwargs) -> R:
        with messages_in(ctx.lang):
            return fn(ctx, *args, **kwargs)

    run.__use_case__ = True  # type: ignore[attr-defined]  # how tests find every use case
    return run
