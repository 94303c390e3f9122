"""Dates that matter to the office (reference §10.5, §10.6): when a decision is likely, what ends before it,
and certificates that would be too old on the planned date."""

from __future__ import annotations

from datetime import date

from docgen.case import load_settings
from tests.conftest import assess
from tests.test_eligibility import make_profile

TODAY = date(2026, 11, 22)


def test_the_likely_decision_is_the_filing_date_plus_the_sourced_average_processing_time():
    c = assess(make_profile(), today=TODAY).check("decision_date")
    assert c.data["likely_decision"] == "2027-10-26"  # 2026-11-30 + 330 days (令和7年2月の平均 329.3日)
    assert c.to_json()["needs_review"] and not c.official
    assert any("gofujii" in s.title for s in c.sources)


def test_the_office_sets_its_own_processing_time(write):
    settings = load_settings(write("docgen.toml", "[rules]\nprocessing_days = 180\n"))
    assert settings.processing_days == 180
    c = assess(make_profile(), today=TODAY, processing_days=settings.processing_days).check("decision_date")
    assert c.data["likely_decision"] == "2027-05-29" and "事務所の設定" in c.reasons[0].ja


def test_a_stay_expiring_during_the_review_must_be_renewed_separately():
    p = make_profile(stay_expiry="2027-08-31", period_of_stay="5年")
    c = assess(p, today=TODAY).check("stay_during_review")
    assert c.status == "risk" and c.data["renew_by"] == "2027-08-31"
    assert "2027-08-31までに在留期間更新許可申請を別途" in c.reasons[0].ja
    assert "does not extend" in c.reasons[0].en
    later = assess(make_profile(stay_expiry="2029-03-31"), today=TODAY).check("stay_during_review")
    assert later.status == "ok"


def test_a_passport_expiring_during_the_review_is_flagged():
    p = make_profile(passport={"number": "C1234567", "expiry": "2027-02-01"})
    c = assess(p, today=TODAY).check("passport_during_review")
    assert c.status == "risk" and c.data["passport_expiry"] == "2027-02-01" and "C1234567" not in str(c.to_json())
    assert "passport_during_review" not in {c.id for c in assess(make_profile(), today=TODAY).checks}


def test_a_3_year_stay_decided_after_2027_03_31_is_a_risk_to_check_not_a_verdict():
    p = make_profile(period_of_stay="3年")
    a = assess(p, date(2026, 7, 1), today=date(2026, 6, 1))
    c = a.check("longest_period_of_stay")
    # the 要確認 sentence comes first now: the decision quotes a check's first reason
    assert c.status == "risk" and "要確認" in c.reasons[0].ja and c.data["likely_decision"] == "2027-05-27"
    assert a.decided.status == "ready_with_risks"
    assert [(r.id, r.level.value) for r in a.decided.risks] == [("three_year_period", "medium")]
    assert (
        assess(p, date(2026, 7, 1), today=date(2026, 6, 1), processing_days=200).check("longest_period_of_stay").status
        == "ok"
    )  # decided 2027-01-17, before the change


def test_certificates_collected_today_would_be_stale_on_a_date_far_ahead():
    far = assess(make_profile(application_date="2027-04-15"), today=TODAY).check("certificates")
    assert far.data["stale_if_issued_today"] and "取り直して" in far.reasons[-1].ja
    assert far.data["issued_on_or_after"] == "2027-01-15"
    near = assess(make_profile(application_date="2026-12-15"), today=TODAY).check("certificates")
    assert not near.data["stale_if_issued_today"]
