"""Continuity of residence: statuses that count, gaps, long trips and days abroad."""

from __future__ import annotations

from datetime import date

from docgen.assessment import continuity as engine
from docgen.assessment.continuity import days_abroad_by_year, trip_infos
from docgen.dates import add_years
from docgen.profile.model import ApplicationDetails
from tests.conftest import RULES


def continuity(d: ApplicationDetails, on: date) -> engine.Continuity:
    """Continuity with the rules of docgen/data/continuity.yaml, as the assessment computes it."""
    return engine.continuity(d, on, RULES.assessment.continuity)


def load_rules():
    return RULES.assessment.continuity


def details(history: list[dict], trips: list[dict] | None = None) -> ApplicationDetails:
    return ApplicationDetails.model_validate(
        {
            "birth_place": "ハノイ",
            "home_town": "ハノイ",
            "occupation": "会社員",
            "passport": {"number": "C1234567", "expiry": "2032-01-01"},
            "residence_card_number": "AB12345678CD",
            "status": history[-1]["status"],
            "period_of_stay": "5年",
            "stay_expiry": "2030-01-01",
            "residence_history": history,
            "trips": trips or [],
        }
    )


TRAINEE_THEN_WORK = [
    {"status": "技能実習2号", "start": "2014-04-01", "end": "2017-03-31"},
    {"status": "特定技能1号", "start": "2017-04-01", "end": "2020-03-31"},
    {"status": "技術・人文知識・国際業務", "start": "2020-04-01"},
]


def test_technical_intern_and_specified_skilled_1_years_count_in_japan_but_not_as_work_years():
    c = continuity(details(TRAINEE_THEN_WORK), date(2026, 11, 30))
    assert c.stay_since == date(2014, 4, 1)
    assert c.years_in_japan == 12
    assert c.qualifying_since == date(2020, 4, 1)  # 技能実習 and 特定技能1号 are not 就労資格 here
    assert c.years_qualifying == 6


def test_study_counts_toward_the_stay_but_not_toward_the_work_years():
    c = continuity(
        details(
            [
                {"status": "留学", "start": "2015-04-01", "end": "2019-03-31"},
                {"status": "技術・人文知識・国際業務", "start": "2019-04-01"},
            ]
        ),
        date(2026, 1, 1),
    )
    assert c.stay_since == date(2015, 4, 1)
    assert c.qualifying_since == date(2019, 4, 1)


def test_switching_from_a_work_status_to_a_residence_status_keeps_the_run():
    c = continuity(
        details(
            [
                {"status": "技術・人文知識・国際業務", "start": "2016-04-01", "end": "2021-05-09"},
                {"status": "日本人の配偶者等", "start": "2021-05-10"},
            ]
        ),
        date(2026, 1, 1),
    )
    assert c.qualifying_since == date(2016, 4, 1)


def test_a_gap_in_the_status_history_restarts_the_count():
    c = continuity(
        details(
            [
                {"status": "技術・人文知識・国際業務", "start": "2012-04-01", "end": "2018-03-31"},
                {"status": "技術・人文知識・国際業務", "start": "2018-09-01"},
            ]
        ),
        date(2026, 1, 1),
    )
    assert c.stay_since == date(2018, 9, 1)
    assert [b.kind for b in c.breaks] == ["gap"]
    contiguous = continuity(
        details(
            [
                {"status": "留学", "start": "2012-04-01", "end": "2018-03-31"},
                {"status": "技術・人文知識・国際業務", "start": "2018-04-01"},
            ]
        ),
        date(2026, 1, 1),
    )
    assert contiguous.stay_since == date(2012, 4, 1) and not contiguous.breaks


def test_a_trip_of_90_days_is_a_high_risk_not_a_break():
    history = [{"status": "技術・人文知識・国際業務", "start": "2012-04-01"}]
    long_trip = [
        {"departure": "2019-01-05", "return": "2019-04-05", "destination": "ベトナム", "purpose": "親の介護"}
    ]  # 90 days, back within the year: the status never lapsed
    c = continuity(details(history, long_trip), date(2026, 1, 1))
    assert c.trips[0].days == 90 and c.trips[0].long
    assert c.stay_since == date(2012, 4, 1) and not c.breaks  # the law does not break it
    [risk] = c.risks
    assert risk.kind == "long_trip" and risk.level == "high" and not risk.official
    assert risk.restart == date(2019, 4, 5)  # where the count would restart if ISA took it as broken
    short_trip = [{"departure": "2019-01-05", "return": "2019-04-04"}]  # 89 days
    assert not continuity(details(history, short_trip), date(2026, 1, 1)).risks


def test_a_trip_past_mina_shi_reentry_breaks_continuity_for_certain():
    history = [{"status": "技術・人文知識・国際業務", "start": "2012-04-01"}]
    trip = {"departure": "2019-01-05", "return": "2020-01-06", "exit": "みなし再入国"}  # one year and a day
    c = continuity(details(history, [trip]), date(2026, 1, 1))
    assert [b.kind for b in c.breaks] == ["lapse"] and c.breaks[0].official
    assert c.stay_since == date(2020, 1, 6)  # counted again from the new entry
    back_in_time = {**trip, "return": "2020-01-05"}  # exactly one year: still valid
    assert continuity(details(history, [back_in_time]), date(2026, 1, 1)).stay_since == date(2012, 4, 1)


def test_a_trip_past_the_reentry_permit_breaks_continuity_and_one_within_it_does_not():
    history = [{"status": "技術・人文知識・国際業務", "start": "2012-04-01"}]
    permit = {
        "departure": "2019-01-05",
        "return": "2020-06-01",
        "exit": "再入国許可",
        "reentry_permit_until": "2021-01-04",
    }
    within = continuity(details(history, [permit]), date(2026, 1, 1))
    assert within.stay_since == date(2012, 4, 1) and [r.kind for r in within.risks] == [
        "long_trip",
        "year_days_abroad",
        "year_days_abroad",
    ]
    late = continuity(details(history, [{**permit, "reentry_permit_until": "2020-05-31"}]), date(2026, 1, 1))
    assert late.stay_since == date(2020, 6, 1) and late.breaks[0].kind == "lapse"


def test_a_trip_over_a_year_without_the_exit_recorded_cannot_be_decided():
    history = [{"status": "技術・人文知識・国際業務", "start": "2012-04-01"}]
    c = continuity(details(history, [{"departure": "2019-01-05", "return": "2020-06-01"}]), date(2026, 1, 1))
    assert [u.kind for u in c.undecided] == ["exit_unknown"] and "trips[].exit" in c.undecided[0].ja


def test_someone_abroad_past_the_legal_limit_on_the_date_is_not_continuously_resident():
    history = [{"status": "技術・人文知識・国際業務", "start": "2012-04-01"}]
    gone = continuity(details(history, [{"departure": "2024-09-01", "exit": "みなし再入国"}]), date(2025, 12, 15))
    assert gone.trips[0].ongoing and gone.stay_since is None and gone.breaks[0].kind == "abroad_now"
    # abroad for 105 days but within the law: still resident, at high risk (and must be back to file)
    away = continuity(details(history, [{"departure": "2025-09-01", "exit": "みなし再入国"}]), date(2025, 12, 15))
    assert away.stay_since == date(2012, 4, 1)
    assert {r.kind for r in away.risks} >= {"abroad_now"} and all(r.level for r in away.risks)


def test_a_covid_era_trip_mentions_the_special_treatment():
    history = [{"status": "技術・人文知識・国際業務", "start": "2012-04-01"}]
    c = continuity(details(history, [{"departure": "2020-02-01", "return": "2020-09-30"}]), date(2026, 1, 1))
    assert any("申立書" in r.ja for r in c.risks if r.kind == "long_trip")


def test_days_abroad_are_split_by_calendar_year_and_100_days_in_a_year_is_flagged():
    history = [{"status": "技術・人文知識・国際業務", "start": "2012-04-01"}]
    trips = [
        {"departure": "2022-12-20", "return": "2023-01-10"},  # 12 days in 2022, 9 in 2023
        {"departure": "2023-03-01", "return": "2023-05-25"},  # 85 days
        {"departure": "2023-08-01", "return": "2023-08-07"},  # 6 days
    ]
    c = continuity(details(history, trips), date(2026, 1, 1))
    assert c.days_abroad_by_year == {2022: 12, 2023: 100}
    assert [t.days for t in c.trips] == [21, 85, 6]
    year_risks = [r for r in c.risks if r.kind == "year_days_abroad"]
    assert len(year_risks) == 1 and "2023" in year_risks[0].ja
    assert c.stay_since == date(2012, 4, 1)  # a heavy year is a risk, not a reset


def test_the_thresholds_are_practitioner_rules_of_thumb_not_official():
    rules = load_rules()
    assert rules.thresholds.official is False
    assert rules.thresholds.long_trip_days == 90 and rules.thresholds.year_days_abroad == 100
    assert all(rules.sources[s].reliability == "C" for s in rules.thresholds.sources)


def test_hsp_statuses_are_recognised_with_full_width_brackets():
    rules = load_rules()
    assert rules.classify("特定活動（高度人材）").hsp
    assert rules.classify("高度専門職1号ロ").qualifying
    assert not rules.classify("特定活動（出国準備）").qualifying
    assert not rules.classify("技能実習1号").qualifying and rules.classify("技能").qualifying
    assert not rules.classify("特定技能1号").qualifying and rules.classify("特定技能2号").qualifying
    assert not rules.classify("未知の資格").known


def test_an_unknown_status_counts_toward_the_stay_but_is_reported():
    c = continuity(details([{"status": "架空の資格", "start": "2020-01-01"}]), date(2026, 1, 1))
    assert c.stay_since == date(2020, 1, 1) and c.qualifying_since is None
    assert any("在留歴（2020-01-01〜）" in w and "分類表" in w for w in c.warnings)
    assert not any("架空の資格" in w for w in c.warnings)  # what was typed is never repeated (it may be anything)


def test_trip_lengths_and_year_totals_helpers():
    d = details([{"status": "留学", "start": "2020-01-01"}], [{"departure": "2024-12-31", "return": "2025-01-02"}])
    infos = trip_infos(d.trips, date(2026, 1, 1), 90)
    assert infos[0].days == 2
    assert days_abroad_by_year(infos) == {2024: 1, 2025: 1}
    assert add_years(date(2016, 2, 29), 10) == date(2026, 2, 28)
