"""The language of staff-facing messages: Japanese by default; English with `docgen --lang en`,
DOCGEN_LANG=en, or an English locale (LC_ALL / LC_MESSAGES / LANG starting with 'en')."""

from __future__ import annotations

import os


def message_lang() -> str:
    """'ja' or 'en' for messages, read when a message is made (the CLI sets DOCGEN_LANG from --lang)."""
    chosen = os.environ.get("DOCGEN_LANG", "").strip().lower()
    if chosen:
        return "en" if chosen.startswith("en") else "ja"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "ja"
    return "ja"


def say(ja: str, en: str) -> str:
    """The message in the staff's language."""
    return en if message_lang() == "en" else ja
