"""The requirements of the law and the guideline that decide a filing (reference §11.1–§11.3, §7): the longest
period of stay per status, a fine as a criminal penalty, the 経営・管理 standards, and a route met only later.
Each case is fictional; each test asserts the decision, its earliest date and the blocker / risk ids."""

from __future__ import annotations

from datetime import date

import pytest

from docgen.errors import InputFileError
from docgen.profile.load import load_profile
from tests.conftest import assess
from tests.test_decision import FINE, profile_file, wife
from tests.test_eligibility import make_profile

TODAY = date(2026, 11, 22)


def decision(profile, on: date | None = None):
    return assess(profile, on, today=TODAY).decided


def ids(items) -> list[str]:
    return [x.id for x in items]


# ---------------------------------------------------------------- 最長の在留期間 (施行規則別表第二)


def test_eleven_years_on_gijinkoku_with_a_one_year_period_is_blocked_until_a_renewal():
    p = make_profile(
        period_of_stay="1年",
        residence_history=[{"status": "技術・人文知識・国際業務", "start": "2015-10-01"}],
        application_date="2026-12-15",
    )
    a = assess(p, today=TODAY)
    assert a.route("general").status == "met"  # the years are there; the period of stay is not
    d = a.decided
    assert d.status == "blocked" and d.earliest_date is None and ids(d.blockers) == ["longest_period_of_stay"]
    assert "3年又は5年" in d.earliest_reason[0]
    # from 2027-04-01 only the real longest period (5年) will do
    later = decision(p, date(2027, 6, 1))
    assert later.status == "blocked" and later.earliest_reason == (
        "更新で5年の在留期間を得た後",
        "after a renewal grants 5年",
    )


@pytest.mark.parametrize("status", ["特定技能2号", "興行"])
def test_three_years_is_the_longest_period_for_tokutei_ginou_2_and_kogyo_also_after_march_2027(status):
    p = make_profile(
        status=status,
        period_of_stay="3年",
        residence_history=[{"status": status, "start": "2014-04-01"}],
        application_date="2027-05-10",
    )
    a = assess(p, today=TODAY)
    c = a.check("longest_period_of_stay")
    assert c.status == "ok" and c.data["maximum"] == "3年"
    assert any(s.reliability == "A" and "別表第二" in s.title for s in c.sources)
    assert a.decided.status == "ready" and a.decided.earliest_date == date(2027, 5, 10)


def test_a_three_year_gijinkoku_period_no_longer_counts_from_april_2027():
    p = make_profile(period_of_stay="3年", application_date="2027-05-10")
    d = decision(p)
    assert d.status == "blocked" and ids(d.blockers) == ["longest_period_of_stay"] and d.earliest_date is None


def test_a_wife_filing_together_on_one_year_is_a_point_to_check_not_a_blocker(tmp_path):
    from docgen.assessment import assess_case
    from tests.test_decision import case_of_profile

    p = make_profile(application_date="2026-12-15", family=[wife(period_of_stay="1年", stay_expiry="2027-09-30")])
    case = assess_case(case_of_profile(p, tmp_path))
    her = case.co_applicants[0]
    assert her.check("longest_period_of_stay").status == "review"
    d = her.decided
    assert d.status == "ready_with_risks" and d.blockers == [] and d.earliest_date == date(2026, 12, 15)
    assert [(r.id, r.kind.value) for r in d.review] == [("family_period_of_stay", "to_check")]
    assert case.decision.status == "ready_with_risks"
    # the same period filed alone is not the longest: blocked
    alone = make_profile(
        status="家族滞在", period_of_stay="1年", residence_history=[{"status": "家族滞在", "start": "2014-04-01"}]
    )
    assert "longest_period_of_stay" in ids(decision(alone).blockers)


# ---------------------------------------------------------------- 罰金 as a criminal penalty (刑法34条の2)


def test_a_speeding_fine_blocks_until_five_years_after_payment_not_after_the_offence():
    d = decision(make_profile(traffic=[FINE], application_date="2026-12-15"))
    assert d.status == "blocked" and d.earliest_date == date(2028, 7, 10)  # the offence was 2023-05-01
    assert ids(d.blockers) == ["criminal_penalty"] and d.blockers[0].until == date(2028, 7, 10)
    assert ids(d.review) == ["criminal_record_form"]  # the profile says 無 for item 13: it must be 有
    assert decision(make_profile(traffic=[FINE]), date(2028, 7, 9)).status == "blocked"
    assert decision(make_profile(traffic=[FINE]), date(2028, 7, 10)).status == "ready_with_risks"  # item 13 still


def test_a_fine_with_the_record_declared_is_ready_once_the_sentence_has_lapsed():
    record = {"has_record": True, "details": "2023-05-01 速度超過 略式命令 罰金8万円 (2023-07-10納付)"}
    incomes = [{"year": y, "amount": 4_500_000, "resident_tax": "特別徴収"} for y in range(2022, 2028)]
    p = make_profile(traffic=[FINE], criminal_record=record, income=incomes, application_date="2028-07-10")
    d = decision(p)
    assert d.status == "ready_with_risks" and d.blockers == []
    assert [(r.id, r.kind.value) for r in d.review] == [("criminal_record", "to_check")]  # only these fines?


def test_blue_tickets_stay_a_risk_by_count_and_a_fine_is_not_counted_among_them():
    tickets = [
        {"date": d, "kind": "反則金"} for d in ("2022-01-10", "2023-03-01", "2024-06-01", "2025-02-02", "2025-09-09")
    ]
    d = decision(make_profile(traffic=tickets))
    assert d.status == "ready_with_risks" and d.blockers == []
    assert [(r.id, r.level.value, r.until) for r in d.risks] == [("traffic_violations", "high", date(2030, 9, 9))]
    with_fine = decision(make_profile(traffic=[*tickets[:1], FINE], application_date="2026-12-15"))
    assert ids(with_fine.blockers) == ["criminal_penalty"]
    assert [(r.id, r.level.value) for r in with_fine.risks] == [("traffic_violations", "low")]  # one blue ticket


def test_a_fine_paid_before_the_offence_is_refused_with_the_field_named(tmp_path):
    wrong = dict(FINE, paid_on="2023-04-01")
    path = profile_file(tmp_path, make_profile(application_date="2026-12-15"))
    path.write_text(path.read_text(encoding="utf-8").replace('"traffic": []', f'"traffic": [{_json(wrong)}]'))
    with pytest.raises(InputFileError, match=r"traffic\[0\]") as err:
        load_profile(path)
    assert "paid_on" in str(err.value) and "2023-04-01" not in str(err.value)  # the value is not repeated


def _json(d: dict) -> str:
    import json

    return json.dumps(d, ensure_ascii=False)


# ---------------------------------------------------------------- 経営・管理 standards (2025-10-16)


def business_owner(**business):
    """A 経営・管理 owner in Japan since 2014 whose company has 5 million yen and no qualifying staff."""
    facts = {
        "company_name": "株式会社テスト",
        "capital_yen": 5_000_000,
        "full_time_staff_qualifying": 0,
        "japanese_b2": True,
        "management_degree_or_3_years": True,
        "business_plan_checked_by_expert": True,
    }
    return make_profile(
        category="keiei_kanri",
        status="経営・管理",
        business={**facts, **business},
        residence_history=[{"status": "経営・管理", "start": "2014-04-01"}],
        application_date="2026-12-15",
    )


def test_a_business_owner_whose_company_fails_the_2025_standards_is_blocked():
    d = decision(business_owner())
    assert d.status == "blocked" and d.earliest_date is None and ids(d.blockers) == ["status_requirements"]
    assert "3,000万円" in d.blockers[0].ja and "常勤職員" in d.blockers[0].ja
    assert d.earliest_reason == ("事業が基準を満たした後", "once the business meets the standards")
    assert decision(business_owner(capital_yen=30_000_000, full_time_staff_qualifying=1)).status == "ready"


def test_a_business_owner_without_business_facts_is_undecided():
    p = make_profile(
        category="keiei_kanri", status="経営・管理", residence_history=[{"status": "経営・管理", "start": "2014-04-01"}]
    )
    d = decision(p)
    assert d.status == "undecided" and [(r.id, r.kind.value) for r in d.review] == [("business_facts", "missing_fact")]


# ---------------------------------------------------------------- a route met only later


def test_a_route_met_in_2028_gives_that_date_when_nothing_else_stands_in_the_way():
    p = make_profile(
        residence_history=[{"status": "技術・人文知識・国際業務", "start": "2018-04-01"}], application_date="2026-12-15"
    )
    d = decision(p)
    assert d.status == "blocked" and d.earliest_date == date(2028, 4, 1)
    assert [(b.id, b.until) for b in d.blockers] == [("route_not_met", date(2028, 4, 1))]


def test_a_route_met_in_2028_on_a_three_year_period_has_no_date_the_3_year_treatment_ends_first():
    p = make_profile(
        period_of_stay="3年",
        residence_history=[{"status": "技術・人文知識・国際業務", "start": "2018-04-01"}],
        application_date="2026-12-15",
    )
    d = decision(p)
    assert d.status == "blocked" and ids(d.blockers) == ["route_not_met"] and d.earliest_date is None
    assert d.earliest_reason == (
        "2028-04-01には最長の在留期間を有していない: 更新で5年の在留期間を得た後",
        "on 2028-04-01, not holding the longest period of stay: after a renewal grants 5年",
    )
    # the one line says what must happen first; the report's next line says why
    assert d.line_pair()[0] == "申請できません（時期未定: 更新で5年の在留期間を得た後）: 在留年数などの要件を満たす前"


def test_a_status_lost_abroad_blocks_with_no_date():
    trip = {"departure": "2025-01-10", "exit": "みなし再入国"}  # not back within a year
    d = decision(make_profile(trips=[trip], application_date="2026-03-01"))
    assert d.status == "blocked" and "status_lapsed" in ids(d.blockers) and d.earliest_date is None
