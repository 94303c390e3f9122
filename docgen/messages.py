"""The language of staff-facing messages: Japanese by default; English with `docgen --lang en`,
DOCGEN_LANG=en, or an English locale (LC_ALL / LC_MESSAGES / LANG starting with 'en').

A face serving several staff members at once (the web app) chooses the language per request with
`messages_in(lang)`: it holds for the thread or task that set it (a context variable), and the environment is
only the default of a process that never chose (the command line)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_CHOSEN: ContextVar[str | None] = ContextVar("docgen_message_lang", default=None)


def message_lang() -> str:
    """'ja' or 'en' for messages: the language chosen for this thread or task, else the process's default."""
    chosen = _CHOSEN.get()
    if chosen is not None:
        return chosen
    return _from_environment()


def _from_environment() -> str:
    chosen = os.environ.get("DOCGEN_LANG", "").strip().lower()
    if chosen:
        return "en" if chosen.startswith("en") else "ja"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "ja"
    return "ja"


@contextmanager
def messages_in(lang: str) -> Iterator[None]:
    """Messages made inside the block are in `lang` ('ja', or 'en' for any English), in this thread or task only;
    a worker process forked inside it keeps the choice."""
    token = _CHOSEN.set("en" if lang.strip().lower().startswith("en") else "ja")
    try:
        yield
    finally:
        _CHOSEN.reset(token)


def say(ja: str, en: str) -> str:
    """The message in the staff's language."""
    return en if message_lang() == "en" else ja
