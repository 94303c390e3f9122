"""The lookback engine: turns 直近N年分 / 直近N年間 / N年前 into real periods for an application date.

Conventions are fixed in shared/reference/contract.md ("Conventions for periods"). Each period is a typed
value whose `to_json` gives the contract's shape and whose `label` gives the words staff read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from docgen.dates import months_before, years_before
from docgen.wareki import fiscal_year_label, fiscal_years_range_label

DEFAULT_RELEASE_DAY = (6, 1)  # 新年度の課税証明書の発行開始日 (municipalities vary: early June)
# From a few weeks before the release (it varies by municipality) until certificates collected
# before the release are no longer valid for filing (3 months), the newest 年度 needs checking.
RELEASE_WINDOW_BEFORE = timedelta(days=21)
RELEASE_WINDOW_AFTER = timedelta(days=92)

Lang = Literal["ja", "en", "zh"]


def latest_fiscal_year(application_date: date, release_day: tuple[int, int] = DEFAULT_RELEASE_DAY) -> int:
    """Newest 住民税 年度 that can be issued on the application date."""
    md = (application_date.month, application_date.day)
    return application_date.year if md >= release_day else application_date.year - 1


def fiscal_years(application_date: date, count: int, release_day: tuple[int, int] = DEFAULT_RELEASE_DAY) -> list[int]:
    """直近N年分: the newest 年度 and the N-1 before it, newest first."""
    latest = latest_fiscal_year(application_date, release_day)
    return [latest - k for k in range(count)]


def month_window(application_date: date, months: int) -> tuple[str, str]:
    """直近N月 = the N whole months ending with the month before the application month."""
    last = months_before(application_date.replace(day=1), 1)
    first = months_before(last, months - 1)
    return f"{first:%Y-%m}", f"{last:%Y-%m}"


def issued_on_or_after(application_date: date, months: int = 3) -> date:
    """Earliest issue date of a certificate that is still acceptable on the application date."""
    return months_before(application_date, months)


def release_window_warning(application_date: date, release_day: tuple[int, int] = DEFAULT_RELEASE_DAY) -> str | None:
    """A warning when the date is in the weeks around the new 年度's release."""
    release = date(application_date.year, *release_day)
    if release - RELEASE_WINDOW_BEFORE <= application_date <= release + RELEASE_WINDOW_AFTER:
        new = fiscal_year_label(application_date.year)
        return (
            f"申請日が新年度({new})の住民税証明書の発行開始時期({release.month}月{release.day}日頃)の前後のため、"
            f"発行済みかどうかを市区町村に確認してください。発行開始前に取得した証明書には{new}分が含まれないため、"
            f"発行後に申請する場合は{new}分を取得し直します。"
        )
    return None


def _day(d: date, lang: Lang, ja: str, en: str, zh: str) -> str:
    return {"ja": ja, "en": en, "zh": zh}[lang].format(y=d.year, m=d.month, d=d.day, iso=d.isoformat())


@dataclass(frozen=True)
class FiscalYears:
    """住民税 年度, newest first."""

    years: tuple[int, ...]
    kind: Literal["fiscal_years"] = field(default="fiscal_years", init=False)

    def only(self, keep: list[int]) -> FiscalYears:
        return FiscalYears(tuple(y for y in self.years if y in keep))

    def label(self, lang: Lang = "ja") -> str:
        """令和4年度〜令和8年度（5年度分）."""
        years, label = self.years, fiscal_years_range_label(list(self.years))
        if lang == "ja":
            return f"{label}（{len(years)}年度分）" if len(years) > 1 else label
        span = f"{min(years)}–{max(years)}" if len(years) > 1 else str(years[0])
        if lang == "en":
            return f"fiscal years {span} ({label})"
        return f"{span}年度（{label}，共{len(years)}个年度）"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "fiscal_years": list(self.years),
            "income_years": [y - 1 for y in self.years],
            "label": fiscal_years_range_label(list(self.years)),
            "labels": [fiscal_year_label(y) for y in self.years],
        }


@dataclass(frozen=True)
class Months:
    """直近N月: whole calendar months, as YYYY-MM."""

    start: str
    end: str
    months: int
    kind: Literal["months"] = field(default="months", init=False)

    def label(self, lang: Lang = "ja") -> str:
        (fy, fm), (ty, tm) = ((int(x) for x in m.split("-")) for m in (self.start, self.end))
        return {
            "ja": f"{fy}年{fm}月〜{ty}年{tm}月（{self.months}か月）",
            "en": f"{self.start} to {self.end} ({self.months} months)",
            "zh": f"{fy}年{fm}月至{ty}年{tm}月（{self.months}个月）",
        }[lang]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "from": self.start, "to": self.end, "months": self.months}


@dataclass(frozen=True)
class AsOf:
    """N年前の同日 (the points reference date)."""

    date: date
    years_before: int
    kind: Literal["as_of"] = field(default="as_of", init=False)

    def label(self, lang: Lang = "ja") -> str:
        return _day(self.date, lang, "{y}年{m}月{d}日時点", "as of {iso}", "{y}年{m}月{d}日时点")

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "date": self.date.isoformat(), "years_before": self.years_before}


@dataclass(frozen=True)
class IssuedWithin:
    """A certificate issued within N months before the application date."""

    start: date
    end: date
    months: int
    kind: Literal["issued_within"] = field(default="issued_within", init=False)

    def label(self, lang: Lang = "ja") -> str:
        return _day(self.start, lang, "{y}年{m}月{d}日以降のもの", "dated on or after {iso}", "{y}年{m}月{d}日以后开具")

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "from": self.start.isoformat(), "to": self.end.isoformat(), "months": self.months}


@dataclass(frozen=True)
class Current:
    """As it stands on the application date (no lookback)."""

    date: date
    kind: Literal["current"] = field(default="current", init=False)

    def label(self, lang: Lang = "ja") -> str:
        return ""

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "date": self.date.isoformat()}


Period = FiscalYears | Months | AsOf | IssuedWithin | Current
LookbackKind = Literal["fiscal_years", "months", "as_of", "issued_within", "current"]


def resolve_lookback(
    kind: LookbackKind, count: int, application_date: date, release_day: tuple[int, int] = DEFAULT_RELEASE_DAY
) -> Period:
    """A lookback rule (kind + years or months) as a real period for the application date."""
    if kind == "fiscal_years":
        return FiscalYears(tuple(fiscal_years(application_date, count, release_day)))
    if kind == "months":
        start, end = month_window(application_date, count)
        return Months(start, end, count)
    if kind == "as_of":
        return AsOf(years_before(application_date, count), count)
    if kind == "issued_within":
        return IssuedWithin(issued_on_or_after(application_date, count), application_date, count)
    return Current(application_date)
