"""Which translation a client gets: the client's language, and the template of a client copy in it.

A client copy (the 了解書's reference translation) is a template per language, `<base>_<lang>.docx`
(acknowledgement_translation_ko.docx …), found among the office's templates and the built-in ones as every
template is. ISA publishes the 了解書 in English, Chinese (simplified and traditional), Korean, French,
Portuguese, Spanish, Tagalog, Vietnamese, Nepali and Thai (reference §3.3); docgen ships only the translations it
can source (English, simplified Chinese). Where neither the office nor docgen has the client's language, the
English one is attached and the packet's summary says so (`fallback_note`): no translation is made up.
"""

from __future__ import annotations

import unicodedata

from docgen.case.settings import Settings

FALLBACK = "en"

# The language of a client's copies by nationality (the profile records no language): the languages ISA
# publishes the 了解書 in; Japanese needs no translation; any other nationality gets English (no note).
NATIONALITY_LANGUAGES: dict[str, str] = {
    "日本": "ja",
    "中国": "zh",
    "中華人民共和国": "zh",
    "台湾": "zh-TW",
    "韓国": "ko",
    "大韓民国": "ko",
    "朝鮮": "ko",
    "ベトナム": "vi",
    "フィリピン": "tl",
    "ブラジル": "pt",
    "ポルトガル": "pt",
    "ペルー": "es",
    "ボリビア": "es",
    "スペイン": "es",
    "メキシコ": "es",
    "ネパール": "ne",
    "タイ": "th",
    "フランス": "fr",
}

LANGUAGE_NAMES: dict[str, tuple[str, str]] = {
    "ja": ("日本語", "Japanese"),
    "en": ("英語", "English"),
    "zh": ("中国語（簡体字）", "Chinese (simplified)"),
    "zh-TW": ("中国語（繁体字）", "Chinese (traditional)"),
    "ko": ("韓国語", "Korean"),
    "vi": ("ベトナム語", "Vietnamese"),
    "tl": ("タガログ語", "Tagalog"),
    "pt": ("ポルトガル語", "Portuguese"),
    "es": ("スペイン語", "Spanish"),
    "ne": ("ネパール語", "Nepali"),
    "th": ("タイ語", "Thai"),
    "fr": ("フランス語", "French"),
}


def client_language(nationality: str) -> str:
    """The client's language from the nationality: 韓国 → ko, 台湾 → zh-TW, 日本 → ja, any other → en."""
    key = unicodedata.normalize("NFKC", nationality).replace(" ", "").replace("\u3000", "")
    return NATIONALITY_LANGUAGES.get(key, FALLBACK)


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
    ja, _ = LANGUAGE_NAMES.get(wanted, (wanted, wanted))
    return (
        f"{'、'.join(people)}: 了解書の参考訳は{ja}のものがないため、英語の参考訳を client/ に入れました。"
        f"{ja}の参考訳を使うには、事務所のテンプレートに acknowledgement_translation_{wanted}.docx を置いてください。"
    )
