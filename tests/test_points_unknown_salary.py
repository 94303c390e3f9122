"""A salary the profile does not give for a date is unknown, not low: the office is told to record it, never that
an amount it does not have falls short of the 3,000,000 yen minimum."""

from __future__ import annotations

from datetime import date

from docgen.profile.model import Profile
from tests.conftest import assess
from tests.test_eligibility import make_profile

TODAY = date(2026, 11, 22)


def newcomer_salary_recorded_from_2026() -> Profile:
    """A 1号ロ points applicant (80 points, 1-year lookback) whose salary the office entered only from April 2026:
    on the reference date (2025-12-01) the profile says nothing about it."""
    hsp = {
        "field": "ロ",
        "degrees": [{"level": "博士", "awarded": "2015-03-25"}],
        "experience": [{"start": "2015-04-01"}],
        "salary": [{"start": "2026-04-01", "amount": 9_000_000}],
        "japanese": "N1",
        "japanese_since": "2016-01-01",
    }
    return make_profile(category="hsp_points_80", hsp=hsp, birth_date="1990-05-01", application_date="2026-12-01")


def test_an_unknown_salary_on_the_reference_date_is_reported_as_unknown_not_as_too_low():
    a = assess(newcomer_salary_recorded_from_2026(), today=TODAY)
    reference = a.points[80].reference
    assert reference.salary is None and not reference.income_minimum_met
    reasons = a.route("hsp_points_80").reasons
    salary_reasons = [x for x in reasons if "年収" in x.ja]
    assert [x.ja for x in salary_reasons] == [
        "2025-12-01時点の年収がプロフィールにないため、1号ロの最低年収3,000,000円以上か確認できません"
        "(applicant.hsp.salary に記入してください)"
    ]
    assert salary_reasons[0].en == (
        "the salary as of 2025-12-01 is not in the profile, so the 3,000,000 yen minimum for 1-ロ cannot be checked "
        "(add it under applicant.hsp.salary)"
    )
    assert not any("不明" in x.ja or "達しません" in x.ja for x in reasons)


def test_a_known_salary_below_the_minimum_is_still_reported_with_its_amount():
    p = newcomer_salary_recorded_from_2026()
    p.applicant.hsp.salary[0].start = date(2025, 4, 1)  # known on the reference date, and too low
    p.applicant.hsp.salary[0].amount = 2_800_000
    reasons = assess(p, today=TODAY).route("hsp_points_80").reasons
    assert any(
        x.ja.startswith("2025-12-01時点の年収(2,800,000円)が1号ロの最低年収3,000,000円に達しません") for x in reasons
    )
