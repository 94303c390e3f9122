"""Reading what a client typed into a cell: full-width digits, 和暦, slashes, Excel dates, amounts with 円.

Every parser returns the value, None for an empty cell, or raises `BadValue` with a message in staff words
that never repeats what was typed (a cell may hold a passport number or an income).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from docgen.intake.questions import LANGS, texts
from docgen.messages import say
from docgen.wareki import ERAS

MAX_TEXT = 2000  # characters in one answer; a reason or an address is far shorter

ERA_START = dict(ERAS)
ERA_ALIASES = {"R": "令和", "H": "平成", "S": "昭和", "T": "大正", **{name: name for name, _ in ERAS}}
_ERA = "|".join(sorted(ERA_ALIASES, key=len, reverse=True))
_SEP = r"\s*[-/.年]\s*"
ERA_DATE_RE = re.compile(rf"^({_ERA})\s*(元|\d{{1,2}})" + _SEP + r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$", re.I)
ERA_MONTH_RE = re.compile(rf"^({_ERA})\s*(元|\d{{1,2}})" + _SEP + r"(\d{1,2})\s*月?$", re.I)
ERA_YEAR_RE = re.compile(rf"^({_ERA})\s*(元|\d{{1,2}})\s*年?分?$", re.I)
DATE_RE = re.compile(r"^(\d{4})" + _SEP + r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]0{1,2}:00(?::00)?)?$")
COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
MONTH_RE = re.compile(r"^(\d{4})" + _SEP + r"(\d{1,2})\s*月?$")
YEAR_RE = re.compile(r"^(\d{4})\s*年?分?$")
EXCEL_SERIALS = (1, 2958465)  # 1900-01-01 .. 9999-12-31


class BadValue(ValueError):
    """A cell that cannot be read; the message says what is expected, in staff words."""


def normalise(raw: str) -> str:
    """Full-width digits, letters and punctuation to ASCII (１９９０ -> 1990, ㍻ -> 平成); outer spaces gone."""
    return unicodedata.normalize("NFKC", raw).strip()


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _era_year(era: str, year: str) -> tuple[str, int]:
    name = ERA_ALIASES[era.upper() if len(era) == 1 else era]
    return name, 1 if year == "元" else int(year)


def _before_era(era: str, what: str) -> str:
    start = ERA_START[era].isoformat()
    return say(f"{era}は{start}からです。元号と{what}を確認してください", f"{era} began on {start}; check the era")


def _make_date(y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise BadValue(
            say("存在しない日付です（月・日を確認してください）", "no such day (check the month and day)")
        ) from None


DATE_HELP = (
    "日付として読めません（例: 1990-05-20、1990/05/20、平成2年5月20日、H2.5.20）",
    "not a date (e.g. 1990-05-20, 1990/05/20, 平成2年5月20日, H2.5.20)",
)


def parse_date(raw: Any) -> date | None:
    """A day: an Excel date cell, 1990-05-20, 1990/5/20, 1990年5月20日, 平成2年5月20日, H2/5/20, R8.1.2."""
    if _blank(raw):
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, bool):
        raise BadValue(say(*DATE_HELP))
    if isinstance(raw, int | float):
        if float(raw).is_integer() and 10_000_000 <= raw <= 99_991_231:  # 19900520 typed as a number
            return parse_date(str(int(raw)))
        if float(raw).is_integer() and EXCEL_SERIALS[0] <= raw <= EXCEL_SERIALS[1]:  # a date cell as a number
            return date(1899, 12, 30) + timedelta(days=int(raw))
        raise BadValue(say(*DATE_HELP))
    text = normalise(str(raw))
    if m := ERA_DATE_RE.match(text):
        era, n = _era_year(m.group(1), m.group(2))
        day = _make_date(ERA_START[era].year + n - 1, int(m.group(3)), int(m.group(4)))
        if day < ERA_START[era]:
            raise BadValue(_before_era(era, "日付"))
        return day
    if m := DATE_RE.match(text) or COMPACT_DATE_RE.match(text):
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    raise BadValue(say(*DATE_HELP))


MONTH_HELP = (
    "年月として読めません（例: 2024-04、2024/4、令和6年4月）",
    "not a month (e.g. 2024-04, 2024/4, 令和6年4月)",
)


def parse_month(raw: Any) -> str | None:
    """A month as YYYY-MM: 2024-04, 2024/4, 2024年4月, 令和6年4月, R6.4, or a date (its month)."""
    if _blank(raw):
        return None
    if isinstance(raw, date | datetime):
        return f"{raw.year:04d}-{raw.month:02d}"
    text = normalise(str(raw))
    year: int
    if m := ERA_MONTH_RE.match(text):
        era, n = _era_year(m.group(1), m.group(2))
        year, month = ERA_START[era].year + n - 1, int(m.group(3))
        if (year, month) < (ERA_START[era].year, ERA_START[era].month):
            raise BadValue(_before_era(era, "年月"))
    elif m := MONTH_RE.match(text):
        year, month = int(m.group(1)), int(m.group(2))
    else:
        try:
            day = parse_date(raw)
        except BadValue:
            raise BadValue(say(*MONTH_HELP)) from None
        assert day is not None
        return f"{day.year:04d}-{day.month:02d}"
    if not 1 <= month <= 12:
        raise BadValue(say("存在しない月です（1〜12）", "no such month (1 to 12)"))
    return f"{year:04d}-{month:02d}"


YEAR_HELP = ("年として読めません（例: 2024、2024年、令和6年）", "not a year (e.g. 2024, 2024年, 令和6年)")


def parse_year(raw: Any) -> int | None:
    """A calendar year: 2024, 2024年, 令和6年, R6, 令和元年."""
    if _blank(raw):
        return None
    if isinstance(raw, bool):
        raise BadValue(say(*YEAR_HELP))
    if isinstance(raw, date | datetime):
        return raw.year
    if isinstance(raw, int | float):
        if not float(raw).is_integer():
            raise BadValue(say(*YEAR_HELP))
        raw = str(int(raw))
    text = normalise(str(raw))
    if m := ERA_YEAR_RE.match(text):
        era, n = _era_year(m.group(1), m.group(2))
        year = ERA_START[era].year + n - 1
    elif m := YEAR_RE.match(text):
        year = int(m.group(1))
    else:
        raise BadValue(say(*YEAR_HELP))
    if not 1900 <= year <= 2100:
        raise BadValue(say("1900年から2100年までの年を書いてください", "write a year from 1900 to 2100"))
    return year


NUMBER_HELP = (
    "数字として読めません（例: 4500000、4,500,000円、450万円）",
    "not a number (e.g. 4500000, 4,500,000円, 450万円)",
)
_UNITS = ("円", "人", "点", "件", "本", "名", "通")


def parse_int(raw: Any) -> int | None:
    """A whole number ≥ 0: 4500000, ４５０００００, 4,500,000円, ¥4,500,000, 450万円, 3人."""
    if _blank(raw):
        return None
    if isinstance(raw, bool):
        raise BadValue(say(*NUMBER_HELP))
    if isinstance(raw, int | float):
        number = Decimal(str(raw)) if isinstance(raw, float) else Decimal(raw)
        if not number.is_finite():
            raise BadValue(say(*NUMBER_HELP))
    else:
        text = normalise(str(raw)).replace(",", "").replace("、", "").replace(" ", "")
        text = text.removeprefix("¥").removeprefix("\\")
        for unit in _UNITS:
            text = text.removesuffix(unit)
        factor = 1
        if text.endswith("万"):
            factor, text = 10_000, text[:-1]
        if not re.fullmatch(r"-?\d{1,15}(\.\d{1,6})?", text):
            raise BadValue(say(*NUMBER_HELP))
        try:
            number = Decimal(text) * factor
        except InvalidOperation:
            raise BadValue(say(*NUMBER_HELP)) from None
    if number < 0:
        raise BadValue(say("マイナスの数は書けません", "must not be negative"))
    if number != number.to_integral_value():
        raise BadValue(say("整数で書いてください（小数は書けません）", "write a whole number (no fractions)"))
    if number > 10**15:
        raise BadValue(say("数が大きすぎます", "the number is too large"))
    return int(number)


def _key(text: str) -> str:
    return re.sub(r"\s+", "", normalise(text)).casefold()


@cache
def choice_aliases(values: tuple[str, ...]) -> Mapping[str, str]:
    """Everything a client may pick or type for each value: the dropdown label in every language, the Japanese
    value and its translations ('特別徴収（从工资中代扣）', '特別徴収', '从工资中代扣' -> 特別徴収). Worked out
    once per list of choices (the texts are docgen's own; a questionnaire has hundreds of choice cells)."""
    t = texts()
    out: dict[str, str] = {}
    for value in values:
        for lang in LANGS:
            out.setdefault(_key(t.choice(value, lang)), value)
            out.setdefault(_key(t.choices.get(value, {}).get(lang, value)), value)
        out[_key(value)] = value
    return out


YES_WORDS = ("はい", "有", "有り", "あり", "yes", "y", "true", "○", "◯", "是", "có", "co", "1")
NO_WORDS = ("いいえ", "無", "無し", "なし", "no", "n", "false", "×", "否", "không", "khong", "0")
_BOOLS = {
    **{_key(w): True for w in YES_WORDS},
    **{_key(w): False for w in NO_WORDS},
    **{k: v == "はい" for k, v in choice_aliases(("はい", "いいえ")).items()},
}


def parse_bool(raw: Any) -> bool | None:
    """はい / いいえ in any of the languages (是, yes, có …), 有 / 無, ○ / ×, and Excel's TRUE / FALSE."""
    if _blank(raw):
        return None
    if isinstance(raw, bool):
        return raw
    value = _BOOLS.get(_key(str(raw)))
    if value is None:  # 'はい（是）' typed by hand
        value = _BOOLS.get(_key(re.split(r"[（(/]", normalise(str(raw)), maxsplit=1)[0]))
    if value is None:
        raise BadValue(say("「はい」か「いいえ」を選んでください", "choose はい (yes) or いいえ (no)"))
    return value


def parse_choice(raw: Any, values: tuple[str, ...]) -> str | None:
    """One of `values` (the Japanese words the profile stores), as picked from the dropdown or typed."""
    if _blank(raw):
        return None
    aliases = choice_aliases(values)
    found = aliases.get(_key(str(raw)))
    if found is None:  # '日本人（Japanese）', '日本人 / Japanese' typed by hand: the value before
        found = aliases.get(_key(re.split(r"[（(/]", normalise(str(raw)), maxsplit=1)[0]))
    if found is None:
        raise BadValue(
            say(f"一覧から選んでください（{'・'.join(values)}）", f"choose from the list: {', '.join(values)}")
        )
    return found


def parse_text(raw: Any, *, latin: bool = False) -> str | None:
    """Text as typed (outer spaces removed); `latin` fields (names in the passport, numbers, phones) are made
    half-width (ＮＧＵＹＥＮ -> NGUYEN). A number Excel stored is written back without '.0'."""
    if _blank(raw):
        return None
    if isinstance(raw, bool):
        text = "はい" if raw else "いいえ"
    elif isinstance(raw, datetime):
        text = raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat(sep=" ")
    elif isinstance(raw, date):
        text = raw.isoformat()
    elif isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    else:
        text = str(raw)
    text = normalise(text) if latin else text.strip()
    if len(text) > MAX_TEXT:
        raise BadValue(say(f"長すぎます（{MAX_TEXT}文字まで）", f"too long (at most {MAX_TEXT} characters)"))
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        raise BadValue(
            say("制御文字が含まれています。文字だけを書いてください", "contains control characters; write text only")
        )
    return text or None
