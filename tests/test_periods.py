"""The lookback engine: 住民税 年度, month windows, points reference dates, 和暦."""

from datetime import date

import pytest

from docgen.dates import years_before
from docgen.rules.periods import (
    fiscal_years,
    issued_on_or_after,
    latest_fiscal_year,
    month_window,
    release_window_warning,
    resolve_lookback,
)
from docgen.wareki import (
    era_of,
    fiscal_year_label,
    fiscal_years_range_label,
    wareki_date,
)


def test_the_newest_nendo_changes_on_the_release_day():
    # the day before 1 June the newest certificate is last year's 年度
    assert latest_fiscal_year(date(2026, 5, 31)) == 2025
    assert latest_fiscal_year(date(2026, 6, 1)) == 2026


def test_an_office_can_move_the_release_day():
    assert latest_fiscal_year(date(2026, 6, 5), release_day=(6, 10)) == 2025
    assert latest_fiscal_year(date(2026, 6, 10), release_day=(6, 10)) == 2026


def test_five_years_for_a_november_filing_match_the_reference_example():
    years = fiscal_years(date(2026, 11, 30), 5)
    assert years == [2026, 2025, 2024, 2023, 2022]
    assert fiscal_years_range_label(years) == "令和4年度〜令和8年度"


def test_a_march_filing_uses_the_previous_nendo():
    years = fiscal_years(date(2026, 3, 15), 5)
    assert years == [2025, 2024, 2023, 2022, 2021]
    assert [y - 1 for y in years] == [2024, 2023, 2022, 2021, 2020]  # income years (年分)


def test_reiwa_gannen_and_heisei_are_named_correctly():
    assert fiscal_year_label(2019) == "令和元年度"
    assert fiscal_year_label(2018) == "平成30年度"
    assert fiscal_years_range_label(fiscal_years(date(2023, 3, 1), 5)) == "平成30年度〜令和4年度"
    assert wareki_date(date(2019, 4, 30)) == "平成31年4月30日"
    assert wareki_date(date(2019, 5, 1)) == "令和元年5月1日"
    assert wareki_date(date(1989, 1, 7)) == "昭和64年1月7日"
    assert wareki_date(date(1989, 1, 8)) == "平成元年1月8日"
    assert era_of(date(2026, 11, 22)) == ("令和", 8)


def test_pension_window_is_whole_months_before_the_application_month():
    assert month_window(date(2026, 11, 30), 24) == ("2024-11", "2026-10")
    assert month_window(date(2026, 1, 5), 12) == ("2025-01", "2025-12")


def test_points_reference_date_on_a_leap_day():
    assert years_before(date(2028, 2, 29), 1) == date(2027, 2, 28)
    assert years_before(date(2028, 2, 29), 3) == date(2025, 2, 28)
    assert years_before(date(2026, 11, 30), 3) == date(2023, 11, 30)


def test_certificates_must_be_issued_within_three_months():
    assert issued_on_or_after(date(2026, 11, 30)) == date(2026, 8, 30)
    assert issued_on_or_after(date(2026, 5, 31)) == date(2026, 2, 28)


@pytest.mark.parametrize(
    "day, warns",
    [
        (date(2026, 4, 30), False),
        (date(2026, 5, 20), True),
        (date(2026, 6, 15), True),
        (date(2026, 8, 31), True),
        (date(2026, 9, 15), False),
    ],
)
def test_a_warning_in_the_weeks_around_the_new_nendo(day, warns):
    assert (release_window_warning(day) is not None) is warns


def test_lookback_json_shape_follows_the_contract():
    assert resolve_lookback("fiscal_years", 3, date(2026, 11, 30)).to_json()["fiscal_years"] == [2026, 2025, 2024]
    assert resolve_lookback("months", 24, date(2026, 11, 30)).to_json() == {
        "kind": "months",
        "from": "2024-11",
        "to": "2026-10",
        "months": 24,
    }
    assert resolve_lookback("as_of", 3, date(2026, 11, 30)).to_json()["date"] == "2023-11-30"
