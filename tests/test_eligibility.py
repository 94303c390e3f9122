"""Eligibility: each route's boundary day, the other checks, findings for 説明書, JSON, text and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docgen.assessment.deadlines import last_filing_date
from docgen.assessment.report import report_text
from docgen.assessment.results import FindingKind
from docgen.cli.main import app
from docgen.profile.model import Profile
from tests.conftest import assess

FIXTURE = Path(__file__).parent / "fixtures" / "assess" / "hsp-points-70-raise.yaml"
TODAY = date(2026, 11, 22)
DAY = timedelta(days=1)


def make_profile(
    category: str = "gijinkoku",
    application_date: str = "2026-11-30",
    family: list | None = None,
    supporter: dict | None = None,
    guarantor: dict | None = None,
    **applicant,
) -> Profile:
    """A 技術・人文知識・国際業務 engineer in Japan since 2014-04-01; keyword arguments replace applicant fields."""
    a = {
        "family_name": "NGUYEN",
        "given_name": "VAN AN",
        "nationality": "ベトナム",
        "birth_date": "1990-05-20",
        "sex": "男",
        "birth_place": "ハノイ",
        "home_town": "ハノイ",
        "occupation": "会社員",
        "address": "横浜市中区本町1-1",
        "passport": {"number": "C1234567", "expiry": "2032-01-01"},
        "residence_card_number": "AB12345678CD",
        "status": "技術・人文知識・国際業務",
        "period_of_stay": "5年",
        "stay_expiry": "2029-03-31",
        "residence_history": [{"status": "技術・人文知識・国際業務", "start": "2014-04-01"}],
        "income": [{"year": y, "amount": 4500000, "resident_tax": "特別徴収"} for y in range(2019, 2026)],
        "pension": [{"kind": "厚生年金", "start": "2014-04"}],
        "health_insurance": [{"kind": "健康保険", "start": "2014-04"}],
    }
    a.update(applicant)
    return Profile.model_validate(
        {
            "case_id": "test",
            "category": category,
            "application_date": application_date,
            "applicant": a,
            "family": family or [],
            "supporter": supporter,
            "guarantor": guarantor
            or {"name": "佐藤 一郎", "address": "横浜市", "status": "日本人", "relationship": "雇用主"},
        }
    )


def route(profile: Profile, route_id: str, on: date):
    return assess(profile, on, today=TODAY).route(route_id)


# ---------------------------------------------------------------- general route


def test_general_route_is_met_on_the_10th_anniversary_of_arrival_not_the_day_before():
    p = make_profile()
    before = route(p, "general", date(2024, 3, 31))
    assert before.status == "not_met" and before.met is False
    assert before.earliest_date == date(2024, 4, 1)
    on_the_day = route(p, "general", date(2024, 4, 1))
    assert on_the_day.status == "met" and on_the_day.earliest_date == date(2024, 4, 1)


def test_technical_intern_years_do_not_count_toward_the_5_work_years():
    p = make_profile(
        residence_history=[
            {"status": "技能実習2号", "start": "2013-04-01", "end": "2016-03-31"},
            {"status": "留学", "start": "2016-04-01", "end": "2019-03-31"},
            {"status": "技術・人文知識・国際業務", "start": "2019-04-01"},
        ]
    )
    r = route(p, "general", date(2024, 3, 31))  # 11 years in Japan, 4 years 364 days on a work status
    assert r.status == "not_met" and r.earliest_date == date(2024, 4, 1)
    assert any("技能実習2号" in x.ja and "算入されません" in x.ja for x in r.reasons)
    assert route(p, "general", date(2024, 4, 1)).status == "met"


def test_a_long_trip_leaves_the_route_met_at_high_risk_until_10_years_after_the_return():
    p = make_profile(
        trips=[{"departure": "2021-06-01", "return": "2021-10-15", "destination": "ベトナム", "purpose": "出産"}]
    )
    r = route(p, "general", date(2026, 11, 30))
    assert r.status == "met"  # the law: back within the year, the status never lapsed
    # the trip (high) would restart the count on 2021-10-15, the 136-day year 2021 (medium) on 2022-01-01:
    # the last of them falls away 10 years after that
    assert r.risk is not None and r.risk.level == "high" and r.risk.clears_on == date(2032, 1, 1)
    assert any("136日" in x.ja and "申立書" in x.ja for x in r.risk.reasons)  # a COVID-era trip
    assert r.to_json()["risk"]["official"] is False
    text = report_text(assess(p, date(2026, 11, 30), today=TODAY))
    assert "[OK] general" in text and "リスク高" in text and "2032-01-01まで" in text


def test_a_lapse_under_mina_shi_reentry_is_a_hard_break_with_an_earliest_date():
    trip = {"departure": "2019-06-01", "return": "2020-10-15", "exit": "みなし再入国"}
    r = route(make_profile(trips=[trip]), "general", date(2026, 11, 30))
    assert r.status == "not_met" and r.earliest_date == date(2030, 10, 15)
    assert any("2020-10-15の入国から数え直します" in x.ja for x in r.reasons)


def test_currently_on_a_family_status_the_general_route_has_no_earliest_date():
    p = make_profile(status="家族滞在", residence_history=[{"status": "家族滞在", "start": "2010-04-01"}])
    r = route(p, "general", date(2026, 11, 30))
    assert r.status == "not_met" and r.earliest_date is None
    assert any("就労資格・居住資格ではありません" in x.ja for x in r.reasons)


# ---------------------------------------------------------------- HSP routes


HSP_NONHOLDER = {
    "field": "ロ",
    "degrees": [{"level": "修士", "field_of_study": "情報工学", "awarded": "2014-03-25"}],
    "experience": [{"start": "2014-04-01"}],
    "salary": [{"start": "2014-04-01", "amount": 4000000}, {"start": "2024-04-01", "amount": 7500000}],
    "japanese": "N1",
    "japanese_since": "2013-12-01",
}


def test_points_route_passes_now_but_fails_at_the_reference_date_until_the_raise_is_3_years_old():
    p = make_profile(category="hsp_points_70", hsp=HSP_NONHOLDER)
    a = assess(p, date(2026, 11, 30), today=TODAY)
    chk = a.points[70]
    assert chk.now.total >= 70 and chk.reference.total < 70  # 4 million at 33: no salary points then
    r = a.route("hsp_points_70")
    assert r.status == "not_met" and r.filed
    assert r.earliest_date == date(2027, 4, 1)
    assert route(p, "hsp_points_70", date(2027, 3, 31)).status == "not_met"
    assert route(p, "hsp_points_70", date(2027, 4, 1)).status == "met"


def test_points_route_needs_3_years_in_japan_from_arrival():
    hsp = dict(HSP_NONHOLDER, salary=[{"start": "2014-04-01", "amount": 7500000}])
    p = make_profile(
        category="hsp_points_70",
        hsp=hsp,
        residence_history=[{"status": "技術・人文知識・国際業務", "start": "2023-10-01"}],
    )
    assert route(p, "hsp_points_70", date(2026, 9, 30)).status == "not_met"
    assert route(p, "hsp_points_70", date(2026, 9, 30)).earliest_date == date(2026, 10, 1)
    assert route(p, "hsp_points_70", date(2026, 10, 1)).status == "met"


def test_hsp_holder_with_80_points_qualifies_one_year_after_becoming_a_holder():
    hsp = {
        "field": "ロ",
        "holder_since": "2025-06-01",
        "points_history": [{"date": "2025-06-01", "points": 85}],
        "degrees": [{"level": "博士", "awarded": "2015-03-25"}],
        "experience": [{"start": "2015-04-01"}],
        "salary": [{"start": "2025-06-01", "amount": 9200000}],
        "japanese": "N1",
        "japanese_since": "2015-01-01",
    }
    p = make_profile(
        category="hsp_80",
        status="高度専門職1号ロ",
        hsp=hsp,
        residence_history=[
            {"status": "技術・人文知識・国際業務", "start": "2015-04-01", "end": "2025-05-31"},
            {"status": "高度専門職1号ロ", "start": "2025-06-01"},
        ],
    )
    assert route(p, "hsp_80", date(2026, 5, 31)).status == "not_met"
    assert route(p, "hsp_80", date(2026, 5, 31)).earliest_date == date(2026, 6, 1)
    assert route(p, "hsp_80", date(2026, 6, 1)).status == "met"
    # route イ (points now and one year before) is open to holders too (§11.4; this test used to say
    # "not_applicable"): on 2026-06-01 the reference date reaches the 9.2 million salary as well
    assert route(p, "hsp_points_80", date(2026, 5, 31)).status == "not_met"
    assert route(p, "hsp_points_80", date(2026, 6, 1)).status == "met"


def test_an_hsp_holder_needs_the_score_held_for_the_whole_period_by_the_notices():
    # 5.5 million until the 2024 raise: 70 points then (the notice says 75), 95 after it (the notice: 85)
    hsp = {
        "field": "ロ",
        "holder_since": "2021-04-01",
        "degrees": [{"level": "博士", "awarded": "2015-03-25"}],
        "experience": [{"start": "2013-04-01"}],
        "salary": [{"start": "2021-04-01", "amount": 5500000}, {"start": "2024-04-01", "amount": 9000000}],
        "points_history": [{"date": "2021-04-01", "points": 75}, {"date": "2024-04-01", "points": 85}],
    }
    p = make_profile(
        category="hsp_80",
        status="高度専門職1号ロ",
        hsp=hsp,
        residence_history=[{"status": "高度専門職1号ロ", "start": "2021-04-01"}],
    )
    # 80+ only since the 2024 notice: today's score alone is not enough, the year counts from 2024-04-01 (and
    # route イ fails too: 75 points on the reference date, a year before)
    assert route(p, "hsp_80", date(2025, 3, 31)).status == "not_met"
    assert route(p, "hsp_80", date(2025, 3, 31)).earliest_date == date(2025, 4, 1)
    assert route(p, "hsp_80", date(2025, 4, 1)).status == "met"
    # 70+ held throughout since 2021: the 3 years of the 70 route were complete on 2024-04-01
    assert route(p, "hsp_70", date(2024, 3, 31)).earliest_date == date(2024, 4, 1)
    without = make_profile(
        category="hsp_80",
        status="高度専門職1号ロ",
        hsp={**hsp, "points_history": []},
        residence_history=[{"status": "高度専門職1号ロ", "start": "2021-04-01"}],
    )
    # Without the notices, ア (held as a 高度人材外国人) is not shown; but route イ — 80+ now and one year before —
    # is open to holders too (§11.4). This test used to expect "cannot_decide" here.
    r = route(without, "hsp_80", date(2026, 11, 30))
    assert r.status == "met"
    assert any(x.ja.startswith("ア:") and "points_history" in x.ja for x in r.reasons)
    assert r.reasons[-1].ja.startswith("イ")


def test_hsp_holder_without_points_facts_cannot_be_decided():
    p = make_profile(
        category="hsp_70",
        status="高度専門職1号ロ",
        residence_history=[{"status": "高度専門職1号ロ", "start": "2020-04-01"}],
    )
    assert route(p, "hsp_70", date(2026, 11, 30)).status == "cannot_decide"


# ---------------------------------------------------------------- spouse, child, 定住者


JAPANESE_WIFE = {
    "relationship": "妻",
    "family_name": "SATO",
    "given_name": "HANAKO",
    "nationality": "日本",
    "birth_date": "1992-01-01",
    "sex": "女",
    "living_together": True,
}


def test_spouse_route_cannot_be_decided_without_a_marriage_date_but_fails_before_one_year_in_japan():
    p = make_profile(
        category="spouse",
        status="日本人の配偶者等",
        family=[JAPANESE_WIFE],
        residence_history=[{"status": "日本人の配偶者等", "start": "2025-12-01"}],
    )
    early = route(p, "spouse", date(2026, 11, 30))
    assert early.status == "not_met"
    later = route(p, "spouse", date(2026, 12, 1))
    assert later.status == "cannot_decide" and later.met is None
    assert any("婚姻日" in x.ja for x in later.reasons) and any("marriage date" in x.en for x in later.reasons)


def test_spouse_route_does_not_apply_when_the_wife_is_a_co_applicant_on_a_family_status():
    wife = dict(
        JAPANESE_WIFE,
        nationality="ベトナム",
        filing_together=True,
        application={
            "category": "kazoku_taizai",
            "birth_place": "ハノイ",
            "home_town": "ハノイ",
            "occupation": "主婦",
            "passport": {"number": "C7654321", "expiry": "2031-01-01"},
            "residence_card_number": "CD12345678EF",
            "status": "家族滞在",
            "period_of_stay": "5年",
            "stay_expiry": "2029-03-31",
        },
    )
    assert route(make_profile(family=[wife]), "spouse", date(2026, 11, 30)).status == "not_applicable"


def test_child_route_is_met_after_one_year_in_japan():
    p = make_profile(
        category="child",
        status="日本人の配偶者等",
        birth_date="2010-05-01",
        family=[dict(JAPANESE_WIFE, relationship="母", birth_date="1980-01-01")],
        residence_history=[{"status": "日本人の配偶者等", "start": "2025-08-20"}],
    )
    assert route(p, "child", date(2026, 8, 19)).status == "not_met"
    assert route(p, "child", date(2026, 8, 19)).earliest_date == date(2026, 8, 20)
    assert route(p, "child", date(2026, 8, 20)).status == "met"


def test_teijusha_route_is_met_after_five_years_as_teijusha():
    p = make_profile(
        category="teijusha",
        status="定住者",
        residence_history=[
            {"status": "日本人の配偶者等", "start": "2017-04-01", "end": "2021-09-30"},
            {"status": "定住者", "start": "2021-10-01"},
        ],
    )
    assert route(p, "teijusha", date(2026, 9, 30)).status == "not_met"
    assert route(p, "teijusha", date(2026, 10, 1)).status == "met"
    assert route(make_profile(), "teijusha", date(2026, 10, 1)).status == "not_applicable"


# ---------------------------------------------------------------- longest period of stay


def test_three_year_period_counts_until_2027_03_31_and_not_from_2027_04_01():
    p = make_profile(period_of_stay="3年")
    decided_in_time = assess(p, date(2026, 11, 30), today=TODAY, processing_days=120).check("longest_period_of_stay")
    assert decided_in_time.status == "ok" and "2027-04-01以降の申請では5年が必要" in decided_in_time.reasons[0].ja
    last_day = assess(p, date(2027, 3, 31), today=TODAY).check("longest_period_of_stay")
    assert last_day.status == "risk" and last_day.to_json()["needs_review"]  # decided after the change: 要確認
    first_day = assess(p, date(2027, 4, 1), today=TODAY).check("longest_period_of_stay")
    assert first_day.status == "ng"
    assert assess(make_profile(), date(2027, 4, 1), today=TODAY).check("longest_period_of_stay").status == "ok"


def test_hsp_holders_have_the_longest_period_with_5_years():
    p = make_profile(status="高度専門職1号ロ", residence_history=[{"status": "高度専門職1号ロ", "start": "2020-04-01"}])
    c = assess(p, date(2027, 6, 1), today=TODAY).check("longest_period_of_stay")
    assert c.status == "ok" and c.data["maximum"] == "5年"


# ---------------------------------------------------------------- income, payments, record, guarantor, business


def test_a_year_below_the_income_benchmark_is_a_risk_and_a_finding():
    incomes = [{"year": y, "amount": 4000000, "resident_tax": "特別徴収"} for y in range(2019, 2026)]
    incomes[3]["amount"] = 3200000  # 2022
    child = {
        "relationship": "子",
        "family_name": "NGUYEN",
        "given_name": "MINH",
        "nationality": "ベトナム",
        "birth_date": "2018-01-01",
        "sex": "男",
        "living_together": True,
    }
    p = make_profile(income=incomes, family=[child])
    c = assess(p, date(2026, 11, 30), today=TODAY).check("income_benchmark")
    assert c.status == "risk" and c.official is False
    by_year = {y["year"]: y for y in c.data["years"]}
    assert sorted(by_year) == [2021, 2022, 2023, 2024, 2025]  # 令和4年度〜令和8年度
    assert by_year[2022]["benchmark"] == 3750000 and by_year[2022]["status"] == "below"
    low = [f for f in assess(p).findings if f.kind == FindingKind.LOW_INCOME]
    assert low and low[0].data_json()["years"][0]["year"] == 2022


def test_income_is_only_for_reference_on_the_spouse_route():
    p = make_profile(
        category="spouse",
        status="日本人の配偶者等",
        family=[JAPANESE_WIFE],
        income=[{"year": y, "amount": 1500000, "resident_tax": "特別徴収"} for y in range(2019, 2026)],
        residence_history=[{"status": "日本人の配偶者等", "start": "2020-04-01"}],
    )
    assert assess(p, date(2026, 11, 30), today=TODAY).check("income_benchmark").status == "info"
    assert not [f for f in assess(p).findings if f.kind == FindingKind.LOW_INCOME]


def test_late_payments_in_the_lookback_are_a_risk_even_if_paid_before_filing():
    incomes = [
        {"year": y, "amount": 4500000, "resident_tax": "普通徴収", "paid_on_time": y != 2023} for y in range(2019, 2026)
    ]
    p = make_profile(income=incomes, pension=[{"kind": "国民年金", "start": "2024-04", "paid_on_time": False}])
    c = assess(p, date(2026, 11, 30), today=TODAY).check("late_payments")
    assert c.status == "risk"
    assert [t["year"] for t in c.data["resident_tax"]] == [2023]
    assert c.data["pension"][0]["kind"] == "国民年金"
    assert any("2024-11-18" in x.ja for x in c.reasons)
    f = [f for f in assess(p).findings if f.kind == FindingKind.LATE_PAYMENT]
    assert f and f[0].data_json()["resident_tax"][0]["year"] == 2023


def test_a_late_payment_outside_the_lookback_is_not_reported():
    incomes = [
        {"year": y, "amount": 4500000, "resident_tax": "普通徴収", "paid_on_time": y != 2019} for y in range(2019, 2026)
    ]
    assert assess(make_profile(income=incomes), date(2026, 11, 30), today=TODAY).check("late_payments").status == "ok"


def test_criminal_record_is_reported_with_its_details():
    # A 罰金 is a 刑 that blocks until 5 years after payment (§11.3): a record known only as free text cannot be
    # judged. This test used to expect a mere "risk"; the decision now waits for the facts (undecided).
    p = make_profile(criminal_record={"has_record": True, "details": "2022-05 道路交通法違反 罰金10万円"})
    a = assess(p, date(2026, 11, 30), today=TODAY)
    c = a.check("criminal_record")
    assert c.status == "unknown" and any("罰金10万円" in r.ja for r in c.reasons)
    assert a.decided.status == "undecided" and [r.id for r in a.decided.review] == ["criminal_record"]


def test_guarantor_status_is_checked():
    c = assess(make_profile(), date(2026, 11, 30), today=TODAY).check("guarantor")
    assert c.status == "ok" and c.data["status"] == "日本人"


BUSINESS = {
    "company_name": "株式会社テスト",
    "capital_yen": 5000000,
    "full_time_staff_qualifying": 0,
    "japanese_b2": True,
    "management_degree_or_3_years": True,
    "business_plan_checked_by_expert": True,
}


def test_business_manager_standards_change_on_2025_10_16():
    p = make_profile(
        category="keiei_kanri",
        status="経営・管理",
        business=BUSINESS,
        residence_history=[{"status": "経営・管理", "start": "2014-04-01"}],
    )
    assert assess(p, date(2025, 10, 15), today=TODAY).check("business_standards").status == "ok"  # 500万円 was enough
    new = assess(p, date(2025, 10, 16), today=TODAY).check("business_standards")
    assert new.status == "ng"
    assert any("×" in x.ja and "3,000万円" in x.ja for x in new.reasons)
    assert "business_standards" not in {c.id for c in assess(make_profile(), date(2025, 10, 16), today=TODAY).checks}


# ---------------------------------------------------------------- certificates


def test_a_certificate_collected_today_can_be_filed_for_three_months():
    assert last_filing_date(date(2026, 11, 30)) == date(2027, 2, 28)
    assert last_filing_date(date(2027, 2, 28)) == date(2027, 5, 31)
    c = assess(make_profile(), date(2026, 12, 15), today=date(2026, 11, 30)).check("certificates")
    assert c.data["file_by"] == "2027-02-28" and c.data["issued_on_or_after"] == "2026-09-15"


# ---------------------------------------------------------------- findings for letters


def test_findings_list_long_absences_and_a_change_of_employer():
    p = make_profile(
        trips=[{"departure": "2024-01-10", "return": "2024-04-20", "destination": "ベトナム", "purpose": "父の看病"}],
        employment=[
            {"employer": "株式会社A", "start": "2014-04-01", "end": "2023-06-30"},
            {"employer": "株式会社B", "start": "2023-07-01"},
        ],
    )
    a = assess(p)
    absence, change = a.finding(FindingKind.LONG_ABSENCE), a.finding(FindingKind.EMPLOYER_CHANGE)
    assert absence is not None and change is not None
    assert absence.data_json()["trips"][0]["days"] == 101 and absence.data_json()["trips"][0]["purpose"] == "父の看病"
    assert absence.data_json()["years_over_limit"] == {"2024": 101}
    assert [j["employer"] for j in change.data_json()["jobs"]] == ["株式会社A", "株式会社B"]


def test_no_findings_for_a_clean_case():
    assert assess(make_profile()).findings == []


# ---------------------------------------------------------------- JSON, text, CLI


def test_assessment_serialises_to_json_with_the_contract_route_ids():
    data = json.loads(json.dumps(assess(make_profile(), date(2026, 11, 30), today=TODAY).to_json(), ensure_ascii=False))
    ids = [r["id"] for r in data["routes"]]
    for rid in ("general", "hsp_70", "hsp_80", "hsp_points_70", "hsp_points_80", "spouse", "child", "teijusha"):
        assert rid in ids
    general = data["routes"][ids.index("general")]
    assert general["met"] is True and general["earliest_date"] == "2026-11-30" and general["reasons"][0]["en"]
    assert {c["id"] for c in data["checks"]} >= {
        "longest_period_of_stay",
        "income_benchmark",
        "late_payments",
        "criminal_record",
        "guarantor",
        "certificates",
    }


def test_text_report_names_each_route_and_check_in_a_few_lines():
    text = report_text(assess(make_profile(period_of_stay="3年"), date(2026, 11, 30), today=TODAY))
    assert "[OK] general" in text and "最長の在留期間" in text
    assert len(text.splitlines()) < 40


def test_cli_assess_prints_json_for_a_profile_file():
    result = CliRunner().invoke(app, ["assess", str(FIXTURE), "--date", "2027-04-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    routes = {r["id"]: r for r in data["routes"]}
    assert routes["hsp_points_70"]["status"] == "met"
    assert data["points"]["70"]["reference_date"] == "2024-04-01"


def test_cli_points_shows_both_reference_dates_and_the_evidence():
    result = CliRunner().invoke(app, ["points", str(FIXTURE)])
    assert result.exit_code == 0, result.output
    assert "2023-11-30" in result.output and "2025-11-30" in result.output
    assert "[NG] 70点ルート" in result.output and "[OK] 80点ルート" in result.output


def test_cli_rejects_a_bad_date_with_a_plain_message(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "docgen", "assess", str(FIXTURE), "--date", "30/11/2026"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr and "Traceback" not in result.stderr


def test_spouse_route_counts_three_years_from_the_marriage_date():
    from docgen.profile.load import load_profile
    from tests.conftest import EXAMPLES

    profile = load_profile(EXAMPLES / "spouse-of-japanese.yaml")  # married 2021-06-20, in Japan since 2021-11-01
    day_before = assess(profile, on=date(2024, 6, 19)).route("spouse")
    assert day_before.status == "not_met" and day_before.earliest_date == date(2024, 6, 20)
    assert assess(profile, on=date(2024, 6, 20)).route("spouse").status == "met"
    no_date = profile.model_copy(
        update={"family": [m.model_copy(update={"marriage_date": None}) for m in profile.family]}
    )
    assert assess(no_date, on=date(2026, 12, 15)).route("spouse").status == "cannot_decide"


def test_an_applicant_abroad_for_over_a_year_does_not_meet_the_route_once_the_exit_is_known():
    from docgen.profile.load import load_profile
    from tests.conftest import EXAMPLES

    profile = load_profile(EXAMPLES / "gijinkoku-single.yaml")

    def abroad_since_2025(exit_kind: str):
        trips = [
            t.model_copy(update={"return_date": None, "exit": exit_kind}) if t.departure == date(2025, 8, 10) else t
            for t in profile.applicant.trips
        ]
        return profile.model_copy(update={"applicant": profile.applicant.model_copy(update={"trips": trips})})

    lapsed = assess(abroad_since_2025("みなし再入国"), on=date(2026, 9, 1)).route("general")
    assert lapsed.status == "not_met" and any("在留資格が失われています" in r.ja for r in lapsed.reasons)
    unknown = assess(abroad_since_2025("不明"), on=date(2026, 9, 1)).route("general")
    assert unknown.status == "cannot_decide" and any("trips[].exit" in r.ja for r in unknown.reasons)


def test_family_members_filing_together_are_assessed_as_applicants_of_their_own():
    out = CliRunner().invoke(
        app, ["assess", str(Path(__file__).parent.parent / "examples" / "gijinkoku-family.yaml"), "--format", "json"]
    )
    data = json.loads(out.stdout)
    wife = data["co_applicants"][0]
    assert wife["applicant"]["name"] == "TRAN THI BINH" and wife["category"] == "kazoku_taizai"
    routes = {r["id"]: r for r in wife["routes"]}
    assert routes["general"]["status"] == "not_met" and not routes["general"]["filed"]  # 家族滞在 is not a work status
    # examined as the spouse of a permanent resident: married 2015, in Japan since 2016 — met, if he is granted
    assert routes["spouse"]["status"] == "met" and routes["spouse"]["filed"]
    assert routes["spouse"]["conditional_on"] == "NGUYEN VAN AN" == wife["conditional_on_main_applicant"]
    assert any(s["reliability"] == "B" and "同時に申請" in s["title"] for s in routes["spouse"]["sources"])
    son = {r["id"]: r for r in data["co_applicants"][1]["routes"]}
    assert son["child"]["status"] == "met" and son["child"]["conditional_on"] == "NGUYEN VAN AN"
    assert data["conditional_on_main_applicant"] is None  # the main applicant stands on his own


def test_a_wife_filing_together_after_a_short_marriage_gets_the_date_three_years_on(example_copy, tmp_path):
    from docgen.assessment import assess_case
    from docgen.assessment.report import case_report_text
    from tests.conftest import case_of

    path = example_copy("gijinkoku-family.yaml")
    path.write_text(
        path.read_text(encoding="utf-8").replace("marriage_date: 2015-11-08", "marriage_date: 2025-03-01"),
        encoding="utf-8",
    )
    assessment = assess_case(case_of(path))
    spouse = assessment.co_applicants[0].route("spouse")
    assert spouse.status == "not_met" and spouse.earliest_date == date(2028, 3, 1)
    assert spouse.conditional_on == "NGUYEN VAN AN"
    text = case_report_text(assessment)
    assert "主たる申請人が不許可なら、この申請も不許可になります" in text and "最短 / earliest 2028-03-01" in text


@pytest.mark.parametrize("example", sorted(p.name for p in (Path(__file__).parent.parent / "examples").glob("*.yaml")))
def test_assess_on_every_example_reads_in_a_minute_and_has_json_for_scripts(example):
    from docgen.profile.load import load_profile

    profile = load_profile(Path(__file__).parent.parent / "examples" / example)
    result = assess(profile)
    text = report_text(result)
    assert len(text.splitlines()) <= 60 and "*申請区分 / filed" in text
    data = result.to_json()
    filed = [
        r
        for r in data["routes"]
        if r["id"] == profile.category
        or (
            r["id"] == "general"
            and profile.category
            in ("gijinkoku", "kigyonai_tenkin", "keiei_kanri", "ginou", "other_work", "kazoku_taizai")
        )
    ]
    assert filed and {"id", "status", "earliest_date", "reasons"} <= set(filed[0])
    assert filed[0]["status"] in ("met", "not_met", "cannot_decide")
    json.dumps(data, ensure_ascii=False)
