"""The lookback engine: turns 直近N年分 / 直近N年間 / N年前 into real periods.

Conventions are fixed in shared/reference/contract.md ("Conventions for periods").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from dateutil.relativedelta import relativedelta

from docgen.wareki import fiscal_year_label, fiscal_years_range_label

DEFAULT_RELEASE_DAY = (6, 1)  # 新年度の課税証明書の発行開始日 (municipalities vary: early June)
# From a few weeks before the release (it varies by municipality) until certificates collected
# before the release are no longer valid for filing (3 months), the newest 年度 needs checking.
RELEASE_WINDOW_BEFORE = timedelta(days=21)
RELEASE_WINDOW_AFTER = timedelta(days=92)


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
    last = application_date.replace(day=1) - relativedelta(months=1)
    first = last - relativedelta(months=months - 1)
    return f"{first:%Y-%m}", f"{last:%Y-%m}"


def years_before(application_date: date, years: int) -> date:
    """Same day N years earlier; 29 February becomes 28 February."""
    return application_date - relativedelta(years=years)


def issued_on_or_after(application_date: date, months: int = 3) -> date:
    """Earliest issue date of a certificate that is still acceptable on the application date."""
    return application_date - relativedelta(months=months)


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


def fiscal_years_period(years: list[int]) -> dict[str, Any]:
    """The JSON period for a list of 年度 (newest first)."""
    return {
        "kind": "fiscal_years",
        "fiscal_years": years,
        "income_years": [y - 1 for y in years],
        "label": fiscal_years_range_label(years),
        "labels": [fiscal_year_label(y) for y in years],
    }


LookbackKind = Literal["fiscal_years", "months", "as_of", "issued_within", "current"]


@dataclass(frozen=True)
class Lookback:
    """A lookback rule as written in the checklist data, with its count resolved."""

    kind: LookbackKind
    count: int = 0  # years for fiscal_years / as_of, months for months / issued_within

    def resolve(self, application_date: date, release_day: tuple[int, int] = DEFAULT_RELEASE_DAY) -> dict[str, Any]:
        """The period as it appears in the checklist JSON (contract shape)."""
        if self.kind == "fiscal_years":
            return fiscal_years_period(fiscal_years(application_date, self.count, release_day))
        if self.kind == "months":
            start, end = month_window(application_date, self.count)
            return {"kind": "months", "from": start, "to": end, "months": self.count}
        if self.kind == "as_of":
            return {"kind": "as_of", "date": years_before(application_date, self.count).isoformat(), "years_before": self.count}
        if self.kind == "issued_within":
            return {
                "kind": "issued_within",
                "from": issued_on_or_after(application_date, self.count).isoformat(),
                "to": application_date.isoformat(),
                "months": self.count,
            }
        return {"kind": "current", "date": application_date.isoformat()}
