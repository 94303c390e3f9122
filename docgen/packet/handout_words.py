"""The client handout's own words in each language, and the glosses that keep Japanese out of a translated one.

The rule data (checklists/) gives every item a title and notes in ja / en / zh; a few Japanese words still reach
the translated texts (the category's check-sheet kind substituted into every language, 「就労」; official names in
an English note). `gloss` replaces each with the client's word, or keeps an official name the client will see on
a document in 「」 next to its translation: the only Japanese a non-Japanese handout prints is inside 「」.
"""

from __future__ import annotations

import re
from datetime import date

from docgen.rules.periods import Lang

# The handout's headings: what the client brings, and what the office makes (listed apart, not to be brought).
HEADINGS: dict[Lang, dict[str, str]] = {
    "ja": {
        "bring": "お持ちいただく書類",
        "office": "事務所が作成",
        "office_note": "次の書類は事務所が作成します。お持ちいただく必要はありません"
        "（署名が必要なものは事務所でご案内します）。",
    },
    "en": {
        "bring": "Documents to bring",
        "office": "Prepared by the office",
        "office_note": "The office prepares these documents: you do not need to bring them (the office will tell"
        " you which ones you sign).",
    },
    "zh": {
        "bring": "需要您准备的材料",
        "office": "由事务所制作",
        "office_note": "以下材料由事务所制作，您无需准备（需要签名的材料，事务所会另行说明）。",
    },
}

# Items docgen fills in whose supporting evidence the client still brings (the points table is the office's,
# the proof of each point the client's): item id -> what the client brings, by language.
CLIENT_EVIDENCE: dict[str, dict[Lang, str]] = {
    item: {
        "ja": "高度専門職ポイントの疎明資料（学歴・職歴・年収・資格など加点の根拠となる資料）" + when_ja,
        "en": "Evidence for the highly skilled professional points (degree, career, annual salary, qualifications"
        " and anything else that earns points)" + when_en,
        "zh": "高度专门职积分的证明资料（学历、工作经历、年收入、资格等加分依据）" + when_zh,
    }
    for item, when_ja, when_en, when_zh in (
        ("hsp_points_current", "：申請時点", ": as of the application", "：申请时"),
        ("hsp_points_lookback", "：基準時点", ": as of the reference date", "：基准时点"),
    )
}

# Items dated by when they are made, not issued: a photograph is taken (the rule data's lookback says
# issued_within for it as for a certificate).
TAKEN: frozenset[str] = frozenset({"photo"})


def taken_within(months: int, start: date, lang: Lang) -> str:
    """'申請前3か月以内に撮影（2026年9月15日以降）' in the client's language."""
    return {
        "ja": f"申請前{months}か月以内に撮影（{start.year}年{start.month}月{start.day}日以降）",
        "en": f"taken within {months} months before applying (on or after {start.isoformat()})",
        "zh": f"申请前{months}个月内拍摄（{start.year}年{start.month}月{start.day}日以后）",
    }[lang]


# Japanese words the rule data leaves in translated texts, by language: the translation, or an official name
# kept in 「」 beside it. One pass, longest word first, so a replacement is never replaced again.
GLOSSARY: dict[str, dict[Lang, str]] = {
    "その他の就労資格": {"zh": "其他工作类在留资格"},
    "就労": {"en": "work statuses", "zh": "工作类在留资格"},
    "配偶者": {"en": "spouse statuses"},
    "定住者": {"en": "Long-Term Resident"},
    "資格確認書": {"en": "eligibility certificate 「資格確認書」"},
    "資格情報のお知らせ": {"en": "notice of eligibility information 「資格情報のお知らせ」"},
    "普通徴収": {"en": "paid yourself, 「普通徴収」"},
}
_WORDS = {lang: {ja: by_lang[lang] for ja, by_lang in GLOSSARY.items() if lang in by_lang} for lang in ("en", "zh")}
_PATTERNS = {
    lang: re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))) or r"(?!)")
    for lang, words in _WORDS.items()
}
_KEPT = re.compile(r"「[^「」]*」")  # an official Japanese name deliberately kept: left as it is


def gloss(text: str, lang: Lang) -> str:
    """`text` (a title, period or note in `lang`) with the Japanese words the rule data left in it translated;
    in Chinese the Japanese middle dot ・ becomes the Chinese ·. Japanese texts and 「」 glosses are unchanged."""
    if lang == "ja" or not text:
        return text
    words, pattern = _WORDS[lang], _PATTERNS[lang]
    out: list[str] = []
    at = 0
    for kept in _KEPT.finditer(text):
        out.append(_translate(text[at : kept.start()], words, pattern, lang))
        out.append(kept.group())
        at = kept.end()
    out.append(_translate(text[at:], words, pattern, lang))
    return "".join(out)


def _translate(text: str, words: dict[str, str], pattern: re.Pattern[str], lang: Lang) -> str:
    done = pattern.sub(lambda m: words[m.group()], text)
    return done.replace("・", "·") if lang == "zh" else done


def official_name(name: str, japanese: str, lang: Lang) -> str:
    """A category's name in the client's language; where the rule data gives the Japanese official status name
    itself (技術・人文知識・国際業務 in Chinese), it is kept in 「」 as printed on the residence card."""
    if lang == "ja":
        return name
    if name == japanese and name not in _WORDS[lang]:
        return f"「{japanese}」"
    return gloss(name, lang)
