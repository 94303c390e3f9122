"""Which translation a client gets: the template of a client copy in the client's language (docgen.languages).

A client copy (the 了解書's reference translation) is a template per language, `<base>_<lang>.docx`
(acknowledgement_translation_ko.docx …), found among the office's templates and the built-in ones as every
template is. ISA publishes the 了解書 in English, Chinese (simplified and traditional), Korean, French,
Portuguese, Spanish, Tagalog, Vietnamese, Nepali and Thai (reference §3.3); docgen ships only the translations it
can source (English, simplified Chinese). Where neither the office nor docgen has the client's language, the
English one is attached and the packet's summary says so (`fallback_note`): no translation is made up.
"""

from __future__ import annotations

from docgen.case.settings import Settings
from docgen.languages import FALLBACK, language_name


def has_template(settings: Settings, name: str) -> bool:
    """The office or docgen has a template of this name."""
    path, _ = settings.template(name)
    return path.is_file()


def translation_template(settings: Settings, base: str, language: str) -> tuple[str, str]:
    """(template name, its language): `<base>_<language>` where the office or docgen has it, else English."""
    if has_template(settings, f"{base}_{language}"):
        return f"{base}_{language}", language
    return f"{base}_{FALLBACK}", FALLBACK


def fallback_note(people: list[str], wanted: str) -> str:
    """The summary's note when clients' translations are not in their language (in Japanese, as the summary's
    other notes): one note for everyone who wanted that language."""
    ja = language_name(wanted).ja
    return (
        f"{'、'.join(people)}: 了解書の参考訳は{ja}のものがないため、英語の参考訳を client/ に入れました。"
        f"{ja}の参考訳を使うには、事務所のテンプレートに acknowledgement_translation_{wanted}.docx を置いてください。"
    )
