"""和暦 (Japanese era) conversion for dates and 年度.

A table of era start dates is all this needs; the rules (元年, 年度 naming) are the
part that matters and are tested directly. Source: permanent-residence.md §8.3.
"""

from __future__ import annotations

from datetime import date

# (era name, first day). 令和 began 2019-05-01; 平成 1989-01-08; 昭和 1926-12-25.
ERAS: tuple[tuple[str, date], ...] = (
    ("令和", date(2019, 5, 1)),
    ("平成", date(1989, 1, 8)),
    ("昭和", date(1926, 12, 25)),
    ("大正", date(1912, 7, 30)),
)


def _year_label(era: str, n: int) -> str:
    return f"{era}{'元' if n == 1 else n}年"


def era_of(d: date) -> tuple[str, int]:
    """Era name and era year of a calendar date (2019-04-30 -> 平成31, 2019-05-01 -> 令和1)."""
    for name, start in ERAS:
        if d >= start:
            return name, d.year - start.year + 1
    raise ValueError(f"{d} is before the 大正 era")


def wareki_date(d: date) -> str:
    """'令和8年11月30日'; the first year is written 元年."""
    era, n = era_of(d)
    return f"{_year_label(era, n)}{d.month}月{d.day}日"


def fiscal_year_era(fy: int) -> tuple[str, int]:
    """Era of a 年度 (April–March). 2019年度 is 令和元年度, 1989年度 is 平成元年度."""
    for name, start in ERAS:
        if fy >= start.year:
            return name, fy - start.year + 1
    raise ValueError(f"{fy}年度 is before the 大正 era")


def fiscal_year_label(fy: int) -> str:
    """'令和8年度' for 2026; '令和元年度' for 2019; '平成30年度' for 2018."""
    era, n = fiscal_year_era(fy)
    return f"{era}{'元' if n == 1 else n}年度"


def fiscal_years_range_label(years: list[int]) -> str:
    """'令和4年度〜令和8年度' (oldest first); one year is its label; years with gaps are listed."""
    ordered = sorted(set(years))
    if len(ordered) == 1:
        return fiscal_year_label(ordered[0])
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{fiscal_year_label(ordered[0])}〜{fiscal_year_label(ordered[-1])}"
    return "、".join(fiscal_year_label(y) for y in ordered)


def seireki_date(d: date) -> str:
    """'2026年11月30日' (the PR application form uses 西暦)."""
    return f"{d.year}年{d.month}月{d.day}日"
