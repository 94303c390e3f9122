"""高度専門職 points: each row of the table, as of the application date and the reference date."""

from __future__ import annotations

from datetime import date

from docgen.assessment import points as engine
from docgen.assessment.points.calculation import Scores
from docgen.profile.hsp import HspFacts
from tests.conftest import TABLE


# the engine with the points table from docgen/data/hsp_points.yaml, as the assessment passes it
def calculate(f: HspFacts, birth: date, on: date) -> engine.PointsResult:
    return engine.calculate(f, birth, on, TABLE)


def check_points(f: HspFacts, birth: date, on: date, threshold: int) -> engine.PointsCheck:
    return engine.check_points(Scores(f, birth, TABLE), on, threshold)


def reference_date(on: date, threshold: int) -> date:
    return engine.reference_date(on, threshold, TABLE)


def earliest_points_date(
    f: HspFacts, birth: date, threshold: int, start: date, until: date, *, with_reference: bool
) -> date | None:
    return engine.earliest_points_date(Scores(f, birth, TABLE), threshold, start, until, with_reference=with_reference)


BIRTH = date(1994, 6, 15)  # turns 30 on 2024-06-15


def facts(**kw) -> HspFacts:
    base = {"field": "ロ", "degrees": [], "experience": [], "salary": [{"start": "2020-04-01", "amount": 4500000}]}
    base.update(kw)
    return HspFacts.model_validate(base)


def points_of(result, item: str) -> int:
    line = result.line(item)
    return line.points if line else 0


def excluded_ids(result) -> dict[str, str]:
    return {e.id: e.reason_ja for e in result.excluded}


# ---------------------------------------------------------------- 学歴


def test_only_the_highest_degree_counts_plus_the_bonus_for_two_fields():
    f = facts(
        degrees=[
            {"level": "学士", "field_of_study": "経済学", "awarded": "2016-03-20"},
            {"level": "修士", "field_of_study": "情報工学", "awarded": "2018-03-20"},
            {"level": "博士", "field_of_study": "統計学", "awarded": "2021-03-20"},
        ]
    )
    before_phd = calculate(f, BIRTH, date(2021, 3, 19))
    after_phd = calculate(f, BIRTH, date(2021, 3, 20))
    assert points_of(before_phd, "education") == 20  # 修士
    assert points_of(before_phd, "education_multiple_fields") == 0  # one graduate field only
    assert points_of(after_phd, "education") == 30  # 博士, not 30 + 20 + 10
    assert points_of(after_phd, "education_multiple_fields") == 5  # 情報工学 and 統計学


def test_mba_is_worth_25_under_ro_and_ha_but_20_under_i():
    mba = [{"level": "経営管理専門職学位", "awarded": "2015-03-20"}]
    on = date(2026, 11, 30)
    assert points_of(calculate(facts(field="ロ", degrees=mba), BIRTH, on), "education") == 25
    assert points_of(calculate(facts(field="ハ", degrees=mba), BIRTH, on), "education") == 25
    assert points_of(calculate(facts(field="イ", degrees=mba), BIRTH, on), "education") == 20
    phd = [{"level": "博士", "awarded": "2015-03-20"}]
    assert points_of(calculate(facts(field="ハ", degrees=phd), BIRTH, on), "education") == 20  # ハ tops out at 25 (MBA)


# ---------------------------------------------------------------- 職歴


def test_experience_is_counted_up_to_the_date_and_reaches_a_band_on_the_anniversary():
    f = facts(experience=[{"start": "2016-04-01", "end": "2019-03-31"}, {"start": "2019-06-01"}])
    # 3 years to 2019-03-31, a two-month break, then from 2019-06-01: 7 years on 2023-06-01
    assert points_of(calculate(f, BIRTH, date(2023, 5, 31)), "experience") == 10  # 6y11m: 5年以上
    assert points_of(calculate(f, BIRTH, date(2023, 6, 1)), "experience") == 15  # 7年以上


def test_overlapping_experience_is_counted_once():
    f = facts(experience=[{"start": "2016-04-01", "end": "2020-03-31"}, {"start": "2018-04-01", "end": "2021-03-31"}])
    assert points_of(calculate(f, BIRTH, date(2026, 1, 1)), "experience") == 10  # 5 years, not 7


# ---------------------------------------------------------------- 年収 and 年齢


def test_age_and_salary_bands_change_on_the_30th_birthday():
    f = facts(salary=[{"start": "2023-04-01", "amount": 4500000}])
    day_before = calculate(f, BIRTH, date(2024, 6, 14))
    birthday = calculate(f, BIRTH, date(2024, 6, 15))
    assert points_of(day_before, "age") == 15 and points_of(day_before, "salary") == 10  # 400万 band is for under 30
    assert points_of(birthday, "age") == 10 and points_of(birthday, "salary") == 0
    assert birthday.total == day_before.total - 15


def test_salary_in_force_on_the_date_is_used():
    f = facts(salary=[{"start": "2022-04-01", "amount": 6200000}, {"start": "2025-04-01", "amount": 8100000}])
    assert calculate(f, BIRTH, date(2025, 3, 31)).salary == 6200000
    assert points_of(calculate(f, BIRTH, date(2025, 3, 31)), "salary") == 20
    assert points_of(calculate(f, BIRTH, date(2025, 4, 1)), "salary") == 30


def test_high_salary_scores_at_any_age_but_700_man_needs_under_40():
    older = date(1980, 1, 1)
    assert (
        points_of(
            calculate(facts(salary=[{"start": "2020-01-01", "amount": 9500000}]), older, date(2026, 1, 1)), "salary"
        )
        == 35
    )
    assert (
        points_of(
            calculate(facts(salary=[{"start": "2020-01-01", "amount": 7500000}]), older, date(2026, 1, 1)), "salary"
        )
        == 0
    )


def test_ha_salary_bands_have_no_age_limit_and_position_counts():
    f = facts(
        field="ハ",
        salary=[{"start": "2020-01-01", "amount": 20000000}],
        position="代表取締役",
        position_since="2021-05-01",
    )
    r = calculate(f, date(1970, 1, 1), date(2026, 1, 1))
    assert points_of(r, "salary") == 30
    assert points_of(r, "position") == 10
    assert points_of(r, "age") == 0
    assert points_of(calculate(f, date(1970, 1, 1), date(2021, 4, 30)), "position") == 0  # not yet appointed


# ---------------------------------------------------------------- 研究実績 and 資格


def test_papers_count_only_from_the_third_and_two_kinds_score_more_under_i():
    papers = [{"kind": "論文", "obtained": "2019-01-10"}, {"kind": "論文", "obtained": "2020-02-10", "count": 2}]
    f = facts(field="イ", research=papers + [{"kind": "特許", "obtained": "2022-07-01"}])
    assert points_of(calculate(f, BIRTH, date(2020, 2, 9)), "research") == 0  # 1 paper
    assert points_of(calculate(f, BIRTH, date(2020, 2, 10)), "research") == 20  # 3 papers
    assert points_of(calculate(f, BIRTH, date(2022, 7, 1)), "research") == 25  # papers and a patent
    assert (
        points_of(
            calculate(facts(field="ロ", research=f.model_dump()["research"]), BIRTH, date(2022, 7, 1)), "research"
        )
        == 15
    )


def test_qualifications_score_only_under_ro():
    quals = [{"name": "基本情報技術者", "obtained": "2019-04-01"}, {"name": "応用情報技術者", "obtained": "2021-04-01"}]
    assert points_of(calculate(facts(qualifications=quals), BIRTH, date(2020, 1, 1)), "qualifications") == 5
    assert points_of(calculate(facts(qualifications=quals), BIRTH, date(2022, 1, 1)), "qualifications") == 10
    assert points_of(calculate(facts(field="イ", qualifications=quals), BIRTH, date(2022, 1, 1)), "qualifications") == 0


# ---------------------------------------------------------------- 特別加算 and their exclusions


def test_n2_counts_alone_but_not_with_a_japanese_degree():
    n2 = {"japanese": "N2", "japanese_since": "2017-12-01"}
    alone = calculate(facts(**n2), BIRTH, date(2026, 1, 1))
    assert points_of(alone, "japanese_n2") == 10
    jp_degree = [{"level": "学士", "awarded": "2017-03-20", "japanese_university": True}]
    both = calculate(facts(degrees=jp_degree, **n2), BIRTH, date(2026, 1, 1))
    assert points_of(both, "japanese_university") == 10
    assert points_of(both, "japanese_n2") == 0
    assert "japanese_n2" in excluded_ids(both)


def test_n1_with_a_japanese_degree_scores_both():
    r = calculate(
        facts(
            degrees=[{"level": "修士", "awarded": "2018-03-20", "japanese_university": True}],
            japanese="N1",
            japanese_since="2017-07-01",
        ),
        BIRTH,
        date(2026, 1, 1),
    )
    assert points_of(r, "japanese_n1") == 15 and points_of(r, "japanese_university") == 10
    assert r.line("japanese_n2") is None


def test_japanese_level_counts_only_from_the_date_it_was_obtained():
    f = facts(japanese="N1", japanese_since="2024-12-01")
    assert points_of(calculate(f, BIRTH, date(2024, 11, 30)), "japanese_n1") == 0
    assert points_of(calculate(f, BIRTH, date(2024, 12, 1)), "japanese_n1") == 15


def test_investment_of_100m_yen_is_for_ha_only():
    bonus = [{"bonus": "1億円以上投資", "start": "2020-01-01"}]
    assert points_of(calculate(facts(field="ハ", bonuses=bonus), BIRTH, date(2026, 1, 1)), "investment_100m") == 5
    ro = calculate(facts(field="ロ", bonuses=bonus), BIRTH, date(2026, 1, 1))
    assert points_of(ro, "investment_100m") == 0
    assert "ハ" in excluded_ids(ro)["investment_100m"]


def test_investment_management_bonus_is_for_ro_and_ha_and_only_from_2021_07_01():
    bonus = [{"bonus": "投資運用業等", "start": "2020-01-01"}]
    assert (
        points_of(calculate(facts(field="ロ", bonuses=bonus), BIRTH, date(2021, 6, 30)), "investment_management") == 0
    )
    assert "investment_management" in excluded_ids(
        calculate(facts(field="ロ", bonuses=bonus), BIRTH, date(2021, 6, 30))
    )
    assert (
        points_of(calculate(facts(field="ロ", bonuses=bonus), BIRTH, date(2021, 7, 1)), "investment_management") == 10
    )
    assert (
        points_of(calculate(facts(field="ハ", bonuses=bonus), BIRTH, date(2021, 7, 1)), "investment_management") == 10
    )
    assert points_of(calculate(facts(field="イ", bonuses=bonus), BIRTH, date(2021, 7, 1)), "investment_management") == 0


def test_innovative_sme_bonus_needs_the_innovation_support_bonus():
    sme_only = [{"bonus": "イノベーション中小企業", "start": "2020-01-01"}]
    r = calculate(facts(bonuses=sme_only), BIRTH, date(2026, 1, 1))
    assert points_of(r, "innovation_sme") == 0 and "innovation_sme" in excluded_ids(r)
    both = sme_only + [{"bonus": "イノベーション促進支援", "start": "2020-01-01"}]
    r2 = calculate(facts(bonuses=both), BIRTH, date(2026, 1, 1))
    assert points_of(r2, "innovation_support") + points_of(r2, "innovation_sme") == 20


def test_a_dated_bonus_counts_only_while_it_lasts():
    f = facts(bonuses=[{"bonus": "成長分野先端事業", "start": "2022-04-01", "end": "2024-03-31"}])
    assert points_of(calculate(f, BIRTH, date(2024, 3, 31)), "growth_field") == 10
    assert points_of(calculate(f, BIRTH, date(2024, 4, 1)), "growth_field") == 0


# ---------------------------------------------------------------- thresholds, minimum income, reference date


def strong_ro(salary: int) -> HspFacts:
    return facts(
        degrees=[{"level": "博士", "awarded": "2015-03-20"}],
        experience=[{"start": "2010-04-01"}],
        salary=[{"start": "2020-04-01", "amount": salary}],
        japanese="N1",
        japanese_since="2014-01-01",
    )


def test_ro_and_ha_need_3_million_yen_even_with_enough_points():
    low = calculate(strong_ro(2900000), BIRTH, date(2026, 1, 1))
    assert low.total >= 70  # 博士30 + 職歴20 + 年齢10 + N1 15
    assert not low.meets(70)
    assert any("最低年収" in ja for ja, _ in low.shortfall_reasons(70))
    assert calculate(strong_ro(3000000), BIRTH, date(2026, 1, 1)).meets(70)
    i_field = calculate(strong_ro(2900000).model_copy(update={"field": "イ"}), BIRTH, date(2026, 1, 1))
    assert i_field.minimum_income is None and i_field.meets(70)  # no minimum for イ


def test_reference_date_is_3_or_1_years_before_and_29_february_becomes_28():
    assert reference_date(date(2028, 2, 29), 70) == date(2025, 2, 28)
    assert reference_date(date(2028, 2, 29), 80) == date(2027, 2, 28)
    assert reference_date(date(2026, 11, 30), 70) == date(2023, 11, 30)


def test_points_that_pass_now_but_fail_at_the_reference_date():
    # a raise to 8.5 million in 2025: 80+ now, but 1 year before the salary was 5.5 million
    f = facts(
        degrees=[{"level": "修士", "awarded": "2016-03-20"}],
        experience=[{"start": "2016-04-01"}],
        salary=[{"start": "2020-04-01", "amount": 5500000}, {"start": "2026-04-01", "amount": 8500000}],
        japanese="N1",
        japanese_since="2015-01-01",
    )
    chk = check_points(f, BIRTH, date(2026, 11, 30), 80)
    assert chk.reference_date == date(2025, 11, 30)
    assert chk.now.meets(80)
    assert not chk.reference.meets(80)
    assert not chk.met
    # the route is first met when the reference date passes the raise
    assert earliest_points_date(f, BIRTH, 80, date(2026, 11, 30), date(2030, 1, 1), with_reference=True) == date(
        2027, 4, 1
    )


def test_evidence_plan_lists_each_item_with_the_dates_it_must_be_proved_as_of():
    f = strong_ro(6500000)
    chk = check_points(f, BIRTH, date(2026, 11, 30), 70)
    plan = {n.item: n for n in chk.evidence_plan()}
    assert plan["education"].as_of == (date(2026, 11, 30), date(2023, 11, 30))
    assert "学位記" in plan["education"].evidence
    assert set(plan) >= {"education", "experience", "salary", "age", "japanese_n1"}


def test_every_row_of_the_table_cites_a_source_with_a_reliability_tag():
    t = TABLE
    for item in t.items.values():
        assert item.sources
    for b in t.bonuses:
        assert b.sources and all(t.sources[s].reliability in "ABCD" for s in b.sources)
    assert t.thresholds == {70: 3, 80: 1}
