"""Work and payments in the decision (reference §11.5–§11.8): 資格外活動 income beyond 28 hours a week, gaps of
over 3 months between jobs, the day late payments leave the window, and records that are not payments at all
(免除・猶予・学生納付特例・第3号, 非課税). All risks or facts — never a blocker."""

from __future__ import annotations

from datetime import date

from docgen.assessment import assess_case
from tests.conftest import assess
from tests.test_decision import case_of_profile, wife
from tests.test_eligibility import make_profile

TODAY = date(2026, 11, 22)


def risks(d) -> list[tuple[str, str, date | None]]:
    return [(r.id, r.level.value, r.until) for r in d.risks]


def test_a_family_stay_wife_earning_beyond_28_hours_is_a_high_risk_for_her_and_a_note_for_the_household(tmp_path):
    income = [
        {"year": 2023, "amount": 2_300_000, "resident_tax": "特別徴収"},
        {"year": 2024, "amount": 2_400_000, "resident_tax": "特別徴収"},
        {"year": 2025, "amount": 1_200_000, "resident_tax": "特別徴収"},
    ]
    p = make_profile(application_date="2026-12-15", family=[wife(income=income)])
    case = assess_case(case_of_profile(p, tmp_path))
    her = case.co_applicants[0]
    c = her.check("work_outside_status")
    assert (
        c.status == "risk"
        and not c.official
        and c.data["years"]
        == [
            {"year": 2023, "income": 2_300_000},
            {"year": 2024, "income": 2_400_000},
        ]
    )
    assert "2023年 2,300,000円" in c.reasons[0].ja and "週28時間" in c.reasons[0].ja
    # her lookback is 5 年度 (令和4〜8年度): 2024's income (令和7年度) is off the list from 2030-06-01
    assert risks(her.decided) == [("work_outside_status", "high", date(2030, 6, 1))]
    assert her.decided.status == "ready_with_risks" and her.decided.blockers == []
    assert her.decided.earliest_date == date(2026, 12, 15)  # a risk, never a date to wait for
    main = case.main.decided
    assert risks(main) == [("household_work_outside_status", "low", date(2030, 6, 1))]
    assert main.status == "ready"  # a note: low risks do not change the decision
    assert case.decision.status == "ready_with_risks"


def test_part_time_pay_within_28_hours_is_no_risk(tmp_path):
    income = [{"year": y, "amount": 1_100_000, "resident_tax": "特別徴収"} for y in range(2021, 2026)]
    case = assess_case(
        case_of_profile(make_profile(application_date="2026-12-15", family=[wife(income=income)]), tmp_path)
    )
    assert case.co_applicants[0].check("work_outside_status").status == "ok"
    assert case.decision.status == "ready"


def gap_and_late_pension():
    """Left one job at the end of February 2025, started the next on 1 July (4 months without a job); paid the
    国民年金 of March–June 2025 late."""
    return make_profile(
        employment=[
            {"employer": "株式会社A", "start": "2014-04-01", "end": "2025-02-28"},
            {"employer": "株式会社B", "start": "2025-07-01"},
        ],
        pension=[
            {"kind": "厚生年金", "start": "2014-04", "end": "2025-02"},
            {"kind": "国民年金", "start": "2025-03", "end": "2025-06", "paid_on_time": False},
            {"kind": "厚生年金", "start": "2025-07"},
        ],
    )


def test_late_pension_months_have_the_date_they_leave_the_24_month_window():
    a = assess(gap_and_late_pension(), today=TODAY)
    c = a.check("late_payments")
    assert c.status == "risk" and c.until == date(2027, 7, 1)  # 2025-06 leaves 直近24か月 on a July 2027 filing
    assert c.data["pension"][0]["leaves_window"] == "2027-07-01"
    assert "2027-07-01以降" in c.reasons[0].ja
    assert ("late_payments", "high", date(2027, 7, 1)) in risks(a.decided)
    assert a.decided.status == "ready_with_risks" and a.decided.earliest_date == date(2026, 11, 30)


def test_a_gap_of_four_months_between_jobs_is_a_risk_that_names_the_gap():
    a = assess(gap_and_late_pension(), today=TODAY)
    c = a.check("job_gaps")
    assert c.data["gaps"] == [{"from": "2025-03-01", "to": "2025-06-30", "ongoing": False}]
    assert "2025-03-01〜2025-06-30(4か月)" in c.reasons[0].ja
    assert ("job_gap", "medium", None) in risks(a.decided)
    d = a.decided
    assert d.status == "ready_with_risks" and d.blockers == [] and d.earliest_date == date(2026, 11, 30)


def test_three_months_between_jobs_is_not_a_gap_and_an_ongoing_one_is_high():
    three = make_profile(
        employment=[
            {"employer": "株式会社A", "start": "2014-04-01", "end": "2025-02-28"},
            {"employer": "株式会社B", "start": "2025-06-01"},
        ]
    )
    assert "job_gaps" not in {c.id for c in assess(three, today=TODAY).checks}
    idle = make_profile(employment=[{"employer": "株式会社A", "start": "2014-04-01", "end": "2026-05-31"}])
    assert ("job_gap", "high", None) in risks(assess(idle, today=TODAY).decided)


def test_exemptions_and_a_non_taxable_year_are_never_read_as_late():
    p = make_profile(
        pension=[
            {
                "kind": "国民年金",
                "start": "2024-04",
                "end": "2025-03",
                "paid_on_time": False,
                "exemption": "学生納付特例",
            },
            {"kind": "国民年金", "start": "2025-04", "end": "2025-09", "paid_on_time": False, "exemption": "免除"},
            {"kind": "国民年金", "start": "2025-10", "paid_on_time": False, "exemption": "第3号被保険者"},
        ],
        income=[
            {
                "year": y,
                "amount": 0 if y == 2023 else 4_500_000,
                "resident_tax": "普通徴収",
                "paid_on_time": y != 2023,
                "non_taxable": y == 2023,
            }
            for y in range(2019, 2026)
        ],
    )
    a = assess(p, today=TODAY)
    assert a.check("late_payments").status == "ok"
    # the 非課税 year is below the income benchmark (a rule of thumb): that is the only thing left to weigh
    assert risks(a.decided) == [("income_benchmark", "medium", date(2029, 6, 1))]
    assert a.decided.status == "ready_with_risks" and a.decided.earliest_date == date(2026, 11, 30)
