"""素行 — traffic (reference §10.13): 反則金 and 罰金 give a risk level with the day it falls away, never a
verdict; the counts are rules of thumb, marked 要確認."""

from __future__ import annotations

from datetime import date

import pytest

from docgen.assessment import assess_case
from docgen.errors import InputFileError
from docgen.profile.load import load_profile
from tests.conftest import EXAMPLES, assess, case_of
from tests.test_eligibility import make_profile

TODAY = date(2026, 11, 22)


def _traffic(*violations: tuple[str, str]):
    p = make_profile(traffic=[{"date": d, "kind": k, "description": "速度超過"} for d, k in violations])
    return assess(p, today=TODAY).check("traffic")


def test_no_violations_is_ok():
    c = _traffic()
    assert c.status == "ok" and not c.official


def test_one_blue_ticket_is_a_low_risk_that_falls_away_after_5_years():
    c = _traffic(("2023-02-10", "反則金"))
    assert c.status == "risk" and c.data["level"] == "low" and c.data["clears_on"] == "2028-02-10"
    assert c.to_json()["needs_review"]


def test_three_blue_tickets_are_medium_and_old_ones_do_not_count():
    c = _traffic(("2020-01-10", "反則金"), ("2023-02-10", "反則金"), ("2024-03-01", "反則金"), ("2025-07-07", "反則金"))
    assert c.data["notices"] == 3 and c.data["level"] == "medium" and c.data["clears_on"] == "2030-07-07"


def test_a_fine_is_a_criminal_penalty_not_a_rule_of_thumb():
    # This test used to say a fine is "a high risk but never a hard not met". A 罰金 is a 刑 (§11.3): the 素行
    # requirement fails until 5 years after payment. Without the payment date the decision cannot be made.
    result = assess(make_profile(traffic=[{"date": "2025-01-20", "kind": "罰金"}]), today=TODAY)
    assert result.check("traffic").status == "ok"  # no 反則金 to count
    assert result.check("criminal_record").status == "unknown"
    assert result.route("general").status == "met"  # the route is met; the filing is not decided
    assert result.decided.status == "undecided" and "fine_payment_date" in [r.id for r in result.decided.review]
    paid = assess(
        make_profile(traffic=[{"date": "2025-01-20", "kind": "罰金", "paid_on": "2025-03-03"}]), today=TODAY
    ).decided
    assert paid.status == "blocked" and paid.earliest_date == date(2030, 3, 3)
    assert [b.id for b in paid.blockers] == ["criminal_penalty"]


def test_the_example_business_owner_shows_his_blue_ticket():
    c = assess_case(case_of(EXAMPLES / "keiei-kanri-owner.yaml")).main.check("traffic")
    assert c.status == "risk" and c.data["notices"] == 1 and any("一時不停止" in r.ja for r in c.reasons)


def test_a_violation_after_the_application_date_is_a_profile_error(example_copy):
    path = example_copy("keiei-kanri-owner.yaml")
    path.write_text(path.read_text(encoding="utf-8").replace("2024-05-18", "2030-05-18"), encoding="utf-8")
    with pytest.raises(InputFileError, match=r"traffic\[0\]\.date"):
        load_profile(path)
