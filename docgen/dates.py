"""Date arithmetic used everywhere: ages, completed years, N years before / after (29 February → 28 February)."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta


def day_of_every_year(text: str) -> tuple[int, int] | None:
    """'06-10' -> (6, 10); None unless it is the MM-DD of a day every year has (not 29 February)."""
    try:
        month, day = (int(x) for x in text.split("-"))
        date(2023, month, day)
    except ValueError:
        return None
    return month, day


def completed_years(since: date, on: date) -> int:
    """Whole years from `since` to `on`: an age, or years of residence (N years are complete on the Nth anniversary)."""
    return relativedelta(on, since).years if on >= since else 0


def add_years(d: date, years: int) -> date:
    """The same day N years later (or earlier with a negative N); 29 February becomes 28 February."""
    return d + relativedelta(years=years)


def years_before(d: date, years: int) -> date:
    """The same day N years earlier; 29 February becomes 28 February."""
    return add_years(d, -years)


def add_months(d: date, months: int) -> date:
    """The same day N months later (the last day of a shorter month)."""
    return d + relativedelta(months=months)


def months_before(d: date, months: int) -> date:
    """The same day N months earlier (the last day of a shorter month)."""
    return add_months(d, -months)


def consecutive_runs(years: list[int]) -> list[list[int]]:
    """[2022, 2023, 2024, 2026] -> [[2022, 2023, 2024], [2026]]: runs of consecutive years, each once, in order."""
    runs: list[list[int]] = []
    for y in sorted(set(years)):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return runs
