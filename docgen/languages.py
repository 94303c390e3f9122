"""One registry of the languages docgen knows, and the one rule for the client's language.

Staff read docgen in Japanese or English (docgen.messages). Clients read the questionnaire, the handout and the
reference translations of the 了解書 in their own language: the profile records it (`client_language`); when it
does not, it follows the applicant's nationality (the languages ISA publishes the 了解書 in, reference §3.3), and
English for any other nationality. What docgen has in a language (a questionnaire, a handout, a translation) is
said here or found where it is made; where it has none, English is used and staff are told.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal, get_args

from docgen.text import Text

ClientLanguage = Literal["ja", "en", "zh", "zh-TW", "ko", "vi", "tl", "pt", "es", "ne", "th", "fr"]
FALLBACK: ClientLanguage = "en"


@dataclass(frozen=True)
class Language:
    code: ClientLanguage
    name: Text  # 中国語（簡体字） / Chinese (simplified)
    questionnaire: bool = False  # the client questionnaire (docgen intake) is written in it


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("ja", Text("日本語", "Japanese"), questionnaire=True),
        Language("en", Text("英語", "English"), questionnaire=True),
        Language("zh", Text("中国語（簡体字）", "Chinese (simplified)"), questionnaire=True),
        Language("zh-TW", Text("中国語（繁体字）", "Chinese (traditional)"), questionnaire=True),
        Language("vi", Text("ベトナム語", "Vietnamese"), questionnaire=True),
        Language("ko", Text("韓国語", "Korean")),
        Language("tl", Text("タガログ語", "Tagalog")),
        Language("pt", Text("ポルトガル語", "Portuguese")),
        Language("es", Text("スペイン語", "Spanish")),
        Language("ne", Text("ネパール語", "Nepali")),
        Language("th", Text("タイ語", "Thai")),
        Language("fr", Text("フランス語", "French")),
    )
}
assert set(LANGUAGES) == set(get_args(ClientLanguage))

# the languages the questionnaire is written in, in the order of its columns
QUESTIONNAIRE_LANGUAGES: tuple[str, ...] = ("ja", "zh", "zh-TW", "en", "vi")
assert {code for code, lang in LANGUAGES.items() if lang.questionnaire} == set(QUESTIONNAIRE_LANGUAGES)

# The language of a client by nationality, when the profile records none: the languages ISA publishes the 了解書
# in; Japanese needs no translation; any other nationality gets English.
NATIONALITY_LANGUAGES: dict[str, ClientLanguage] = {
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


def language_name(code: str) -> Text:
    """'中国語（繁体字）' / 'Chinese (traditional)'; an unknown code is its own name."""
    found = LANGUAGES.get(code)
    return found.name if found else Text(code, code)


def nationality_language(nationality: str) -> ClientLanguage:
    """台湾 → zh-TW, 韓国 → ko, 日本 → ja, any other → en."""
    key = unicodedata.normalize("NFKC", nationality).replace(" ", "").replace("\u3000", "")
    return NATIONALITY_LANGUAGES.get(key, FALLBACK)


def client_language(recorded: str | None, nationality: str) -> ClientLanguage:
    """The language a client reads: the one the profile records, else the one of the nationality."""
    if recorded in LANGUAGES:
        return LANGUAGES[recorded].code
    return nationality_language(nationality)
