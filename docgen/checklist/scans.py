"""What a scan's name says: whose document it is and which 住民税 年度 it is for.

The words read are the sub-folders under the item's folder and the file name (docgen/pdf/evidence.py
`scan_words`), e.g. `resident_tax_certificates/NGUYEN VAN AN/2025.pdf`.

A person is named by their name as in the profile (letter case, full-width letters and the separators
space _ - . ・ aside; 鈴木健太 for 鈴木 健太, NguyenVanAn for NGUYEN VAN AN), or by a role word when only one
person of the item has that role (申請人 / applicant, 扶養者 / supporter, 身元保証人 / guarantor).

A 年度 is named as 2025, 2025年度, R7, r07, 令和7年度, 令和7年, 令和元年度, H31 or 平成31年度 (full-width digits
read too): each means 令和7年度 (2025), the 年度 whose certificate it is. 2024年分 / 令和6年分 is the income year,
whose 年度 is the next one (令和7年度). A range names every 年度 in it: 2022-2026, R4〜R8, 令和4年度〜令和8年度,
令和4〜8年度. A day or a month (2026-07-01, 20260701, 2026-07, 令和8年7月1日) is an issue date, not a 年度.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from itertools import pairwise

from docgen.checklist.model import PersonRef
from docgen.wareki import ERAS

_ERA_BASE = {name: start.year - 1 for name, start in ERAS}  # 令和N = 2018 + N
_ERA_BASE |= {"r": _ERA_BASE["令和"], "h": _ERA_BASE["平成"]}
_ERA = r"(令和|平成|(?<![a-z])[rh])"
_N = r"(元|\d{1,2})"
_DASH = r"[〜~\-–—]"
_ISSUE_DATES = (
    re.compile(r"(?<!\d)(?:19|20)\d{2}[-_./](?:0[1-9]|1[0-2])(?:[-_./](?:0[1-9]|[12]\d|3[01]))?(?!\d)"),
    re.compile(r"(?<!\d)(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)"),
    re.compile(r"(?<!\d)(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?"),
    re.compile(_ERA + r"\s*" + _N + r"\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?"),
    re.compile(r"(?<![a-z])[rh]\d{1,2}\.\d{1,2}\.\d{1,2}(?!\d)"),
)
_SUFFIX = r"\s*(年度|年分|年)?"
_ERA_RANGE = re.compile(_ERA + r"\s*" + _N + r"\s*(?:年度|年)?\s*" + _DASH + r"\s*" + _N + r"(?!\d)" + _SUFFIX)
_MENTIONS = re.compile(r"(?:(?<!\d)((?:19|20)\d{2})(?!\d)|" + _ERA + r"\s*" + _N + r"(?!\d))" + _SUFFIX)
_BETWEEN_RANGE = re.compile(r"\s*" + _DASH + r"\s*")
MAX_RANGE = 10  # 年度 in one named range
FIRST_YEAR, LAST_YEAR = 1989, 2099

ROLE_WORDS = {
    "applicant": ("applicant", "申請人", "本人"),
    "supporter": ("supporter", "扶養者"),
    "guarantor": ("guarantor", "身元保証人", "保証人"),
    "filer": ("filer", "取次者"),
}
_SEPARATORS = re.compile(r"[\s_\-.・,、()（）\[\]【】「」]+")


def _plain(text: str) -> str:
    """Full-width to half-width, lower case, and separators as single spaces."""
    return " ".join(_SEPARATORS.split(unicodedata.normalize("NFKC", text).casefold())).strip()


def _year(era: str | None, number: str) -> int:
    n = 1 if number == "元" else int(number)
    return _ERA_BASE[era] + n if era else n


def _fiscal(year: int, suffix: str | None) -> int:
    """The 年度 a year names: 年分 is the income year, assessed in the next 年度."""
    return year + 1 if suffix == "年分" else year


def years_named(text: str) -> frozenset[int]:
    """The 年度 a name mentions (see the module docstring); none when it names no 年度."""
    t = unicodedata.normalize("NFKC", text).casefold()
    for date_like in _ISSUE_DATES:
        t = date_like.sub(" ", t)
    found: set[int] = set()

    def add_range(first: int, last: int) -> bool:
        first, last = sorted((first, last))
        if last <= first + MAX_RANGE:
            found.update(range(first, last + 1))
            return True
        return False

    for m in _ERA_RANGE.finditer(t):  # 令和4〜8年度, r4-8
        era, first, last, suffix = m.groups()
        add_range(_fiscal(_year(era, first), suffix), _fiscal(_year(era, last), suffix))
    t = _ERA_RANGE.sub(" ", t)
    mentions = [(m, int(m.group(1)) if m.group(1) else _year(m.group(2), m.group(3))) for m in _MENTIONS.finditer(t)]
    in_range: set[int] = set()
    for k, ((a, first), (b, last)) in enumerate(pairwise(mentions)):  # 2022-2026, R4〜R8
        if _BETWEEN_RANGE.fullmatch(t[a.end() : b.start()]):
            suffix = "年分" if "年分" in (a.group(4), b.group(4)) else None  # 2022〜2023年分: both income years
            if add_range(_fiscal(first, suffix), _fiscal(last, suffix)):
                in_range |= {k, k + 1}
    found.update(_fiscal(y, m.group(4)) for k, (m, y) in enumerate(mentions) if k not in in_range)
    return frozenset(y for y in found if FIRST_YEAR <= y <= LAST_YEAR)


def _names(words: str, name: str) -> bool:
    """Whether `words` name `name`: as whole words, or run together (NguyenVanAn, 鈴木健太)."""
    wanted, text = _plain(name), _plain(words)
    if not wanted:
        return False
    if f" {wanted} " in f" {text} ":
        return True
    joined = wanted.replace(" ", "")
    if joined in text.split(" "):
        return True
    return not joined.isascii() and joined in text.replace(" ", "")


def person_named(words: Sequence[str], people: Sequence[PersonRef]) -> str | None:
    """The one person of `people` the words name (by name, or by a role only they have), else None: nobody, or
    more than one person, is named."""
    text = " / ".join(words)
    by_name = {p.name: p for p in people}
    named = [n for n in by_name if _names(text, n)]
    named = [n for n in named if not any(n != m and _names(m, n) for m in named)]  # LI inside LI WEI
    if not named:
        for role, said in ROLE_WORDS.items():
            holders = {p.name for p in people if p.role == role}
            if len(holders) == 1 and any(_names(text, w) for w in said):
                named.append(holders.pop())
    unique = set(named)
    return unique.pop() if len(unique) == 1 else None
