"""Staff-facing text as data: a Japanese/English pair, rendered by a face in the language of the request.

The library keeps what it tells staff as `Text` (a reason, an error, a note) and never renders it for a
language itself; the command line renders it in the language chosen with --lang, the web app in the language
of each request (docgen.messages.messages_in). `str(text)` renders in the language chosen for this thread or
task, so text made in one language and read in another follows the reader."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from docgen.messages import message_lang


@dataclass(frozen=True)
class Text:
    """One message in Japanese (first) and English."""

    ja: str
    en: str

    def render(self, lang: str) -> str:
        """The text in `lang` ('en' for English, Japanese otherwise)."""
        return self.en if lang == "en" else self.ja

    def __str__(self) -> str:
        return self.render(message_lang())

    def __add__(self, other: Text) -> Text:
        return Text(self.ja + other.ja, self.en + other.en)

    def to_json(self) -> dict[str, str]:
        return {"ja": self.ja, "en": self.en}


class Step(StrEnum):
    """Something staff can do about a message. The library names the step; each face says how it is done (a
    flag on the command line, a button in the browser), so no library message names a command-line flag."""

    REGENERATE = "regenerate"  # make a document again from the profile, replacing staff's edit of it
    DRAFT = "draft"  # build a blocked case's packet anyway, stamped 下書き
    ACCEPT = "accept"  # make the filing copy knowing what is missing, with a reason
    WORD_ONLY = "word_only"  # make the Word files only, without LibreOffice
    REPLACE = "replace"  # replace files already in the folder
    REPAIR_TEMPLATES = "repair_templates"  # repair split tags and characters in templates
    NAME_OUTPUT = "name_output"  # say where the output goes
    NAME_PROFILE = "name_profile"  # say which profile a questionnaire belongs to
    MAKE_HANDOUT = "make_handout"  # make the client handout again (details: category, profile, lang, format)


@dataclass(frozen=True)
class NextStep:
    """A step and what it applies to (the document key of a document to make again, …) with any details a face
    needs to offer it (as name/value pairs)."""

    step: Step
    target: str = ""
    details: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Notice:
    """A note for staff with the steps that deal with it."""

    text: Text
    steps: tuple[NextStep, ...] = ()

    def __str__(self) -> str:
        return str(self.text)
