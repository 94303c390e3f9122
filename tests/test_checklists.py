"""Every category's checklist: items, counts, lookbacks and dated rule versions."""

from __future__ import annotations

import json
from datetime import date

import pytest

from docgen.assessment import assess_case
from docgen.checklist import Checklist, Requirement, case_checklist
from docgen.checklist import build_checklist as build
from docgen.checklist.output import as_markdown, as_text
from tests.conftest import EXAMPLES, RULES, case_of


def build_checklist(category: str, on: date) -> Checklist:
    """The checklist `docgen checklist CATEGORY --date ON` prints (built-in rules)."""
    return build(RULES.book, category, on, RULES.release_day)


def for_profile(path) -> Checklist:
    """The checklist `docgen checklist CATEGORY --profile PATH` prints."""
    case = case_of(path)
    return case_checklist(case, assess_case(case))


CONTRACT_CATEGORIES = {
    "gijinkoku",
    "kigyonai_tenkin",
    "keiei_kanri",
    "ginou",
    "other_work",
    "kazoku_taizai",
    "hsp_70",
    "hsp_80",
    "hsp_points_70",
    "hsp_points_80",
    "spouse",
    "child",
    "teijusha",
}
ON = date(2026, 11, 30)

# (category, 住民税 年度 count, 年金・保険 months, reason letter required?, points items)
EXPECTED = [
    ("gijinkoku", 5, 24, True, set()),
    ("kigyonai_tenkin", 5, 24, True, set()),
    ("keiei_kanri", 5, 24, True, set()),
    ("ginou", 5, 24, True, set()),
    ("other_work", 5, 24, True, set()),
    ("kazoku_taizai", 5, 24, True, set()),
    ("teijusha", 5, 24, True, set()),
    ("spouse", 3, 24, False, set()),
    ("child", 3, 24, False, set()),
    ("hsp_80", 1, 12, True, {"hsp_points_current", "hsp_points_notice", "hsp_points_lookback"}),
    ("hsp_70", 3, 24, True, {"hsp_points_current", "hsp_points_notice", "hsp_points_lookback"}),
    ("hsp_points_80", 1, 12, True, {"hsp_points_current", "hsp_points_lookback"}),
    ("hsp_points_70", 3, 24, True, {"hsp_points_current", "hsp_points_lookback"}),
]


def items(category, on=ON):
    return {i.id: i for i in build_checklist(category, on).items}


def test_every_contract_category_has_a_checklist():
    assert set(RULES.book.categories) == CONTRACT_CATEGORIES


@pytest.mark.parametrize("category, tax_years, months, reason_required, points", EXPECTED)
def test_lookbacks_match_the_reference(category, tax_years, months, reason_required, points):
    got = items(category)
    tax = got["resident_tax_certificates"].period.to_json()
    assert tax["kind"] == "fiscal_years" and len(tax["fiscal_years"]) == tax_years
    assert tax["fiscal_years"][0] == 2026  # 令和8年度 is issued by 30 November
    assert got["pension_records"].period.to_json()["months"] == months
    assert got["health_insurance_records"].period.to_json()["months"] == months
    assert (got["reason_letter"].required is Requirement.REQUIRED) is reason_required
    assert {i for i in got if i.startswith("hsp_")} == points
    for common in (
        "application_form",
        "photo",
        "residence_certificate",
        "national_tax_certificate",
        "passport",
        "residence_card",
        "guarantor_letter",
        "guarantor_id",
        "acknowledgement",
        "submission_checksheet",
        "self_checksheet",
    ):
        assert common in got, f"{category} lacks {common}"
    assert got["passport"].rule.action == "present" and got["residence_card"].rule.action == "present"


def test_hsp_70_lookbacks_are_marked_for_review_and_hsp_80_are_not():
    assert items("hsp_70")["resident_tax_certificates"].rule.needs_review
    assert items("hsp_points_70")["pension_records"].rule.needs_review
    assert not items("hsp_80")["resident_tax_certificates"].rule.needs_review
    assert not items("gijinkoku")["resident_tax_certificates"].rule.needs_review


def test_points_reference_date_is_three_or_one_year_before():
    assert items("hsp_points_70")["hsp_points_lookback"].period.to_json() == {
        "kind": "as_of",
        "date": "2023-11-30",
        "years_before": 3,
    }
    assert items("hsp_points_80", date(2028, 2, 29))["hsp_points_lookback"].period.to_json()["date"] == "2027-02-28"


def test_keiei_kanri_standards_apply_from_2025_10_16():
    before = items("keiei_kanri", date(2025, 10, 15))
    after = items("keiei_kanri", date(2025, 10, 16))
    standards = {
        "keiei_capital_proof",
        "keiei_staff_proof",
        "keiei_japanese_proof",
        "keiei_career_proof",
        "keiei_business_plan_check",
        "keiei_public_dues_proof",
    }
    assert not standards & set(before)
    assert standards <= set(after)
    assert not standards & set(items("gijinkoku"))


def test_acknowledgement_from_2021_10_01_and_check_sheets_from_2024_12():
    assert "acknowledgement" not in items("gijinkoku", date(2021, 9, 30))
    assert "acknowledgement" in items("gijinkoku", date(2021, 10, 1))
    assert "self_checksheet" not in items("spouse", date(2024, 11, 30))
    sheet = items("spouse", date(2024, 12, 1))["submission_checksheet"]
    assert sheet.title() == "提出書類チェックシート（配偶者用）"


def test_the_three_year_period_of_stay_note_changes_after_2027_03_31():
    until = items("gijinkoku", date(2027, 3, 31))["self_checksheet"]
    after = items("gijinkoku", date(2027, 4, 1))["self_checksheet"]
    assert "2027年3月31日まで" in until.notes() and until.rule.version_until == date(2027, 3, 31)
    assert "扱われない" in after.notes() and after.rule.version_from == date(2027, 4, 1)


def test_health_insurance_wording_changes_with_the_end_of_paper_cards():
    assert "資格確認書" not in items("gijinkoku", date(2024, 12, 1))["health_insurance_records"].notes()
    assert "資格確認書" in items("gijinkoku", date(2024, 12, 2))["health_insurance_records"].notes()


def test_dates_before_the_2019_rules_are_an_error_not_a_gap():
    from docgen.errors import DocgenError

    with pytest.raises(DocgenError, match=r"no version .* in force on 2019-06-30"):
        build_checklist("gijinkoku", date(2019, 6, 30))


def test_without_a_profile_conditional_items_say_so():
    got = items("gijinkoku")
    assert got["resident_tax_payment_proof"].required is Requirement.CONDITIONAL
    assert got["employer_social_insurance"].required is Requirement.CONDITIONAL
    assert got["contribution_proof"].required is Requirement.OPTIONAL
    assert [
        got[i].to_json()["required"] for i in ("resident_tax_payment_proof", "contribution_proof", "application_form")
    ] == ["conditional", False, True]


def test_json_output_follows_the_contract():
    data = build_checklist("gijinkoku", ON).to_json()
    assert data["category"] == "gijinkoku" and data["application_date"] == "2026-11-30"
    tax = next(i for i in data["items"] if i["id"] == "resident_tax_certificates")
    assert tax["title"] == "住民税の課税（又は非課税）証明書及び納税証明書"
    assert tax["action"] == "submit" and tax["required"] is True
    assert tax["period"]["fiscal_years"] == [2026, 2025, 2024, 2023, 2022]
    assert tax["period"]["label"] == "令和4年度〜令和8年度"
    assert tax["sources"][0]["url"].startswith("https://")
    pension = next(i for i in data["items"] if i["id"] == "pension_records")
    assert pension["period"]["from"] == "2024-11" and pension["period"]["to"] == "2026-10"
    json.dumps(data)  # serialisable
    assert [i["id"] for i in data["items"]][:3] == ["application_form", "photo", "reason_letter"]


def test_a_profile_decides_conditions_and_names_people():
    got = {i.id: i for i in for_profile(EXAMPLES / "gijinkoku-single.yaml").items}
    assert "resident_tax_payment_proof" not in got  # every year 特別徴収
    assert "employer_social_insurance" not in got
    assert "filer_id" in got  # filed by the 行政書士
    assert [p.name for p in got["guarantor_letter"].people] == ["佐藤 一郎"]


def test_a_business_owner_paying_himself_gets_payment_proof_and_employer_records():
    got = {i.id: i for i in for_profile(EXAMPLES / "keiei-kanri-owner.yaml").items}
    assert got["resident_tax_payment_proof"].period.to_json()["fiscal_years"] == [2026, 2025, 2024, 2023, 2022]
    assert got["employer_social_insurance"].required is Requirement.REQUIRED


def test_a_family_filing_together_merges_everyone_and_keeps_ordinary_years():
    cl = for_profile(EXAMPLES / "gijinkoku-family.yaml")
    got = {i.id: i for i in cl.items}
    assert cl.applicants == ["NGUYEN VAN AN", "TRAN THI BINH", "NGUYEN MINH"]
    # the 家族滞在 co-applicants bring the 身分関係 item, placed in official order after the 理由書
    order = [i.id for i in cl.items]
    assert order.index("relationship_proof") == order.index("reason_letter") + 1
    assert {p.name for p in got["relationship_proof"].people} == {"TRAN THI BINH", "NGUYEN MINH"}
    # one application form, 理由書, 身元保証書 and 了解書 per applicant
    for item_id in ("application_form", "acknowledgement", "guarantor_letter"):
        assert {p.applicant for p in got[item_id].people} == set(cl.applicants)
    # the wife's 2022 income was 普通徴収 -> 令和5年度 payment proof only
    proof = got["resident_tax_payment_proof"]
    assert proof.period.to_json()["fiscal_years"] == [2023] and proof.period.to_json()["label"] == "令和5年度"
    assert [p.name for p in proof.people if p.role == "applicant"] == ["TRAN THI BINH"]
    # the 9-year-old needs no photo, and his father's tax, pension and income papers cover him
    assert {p.name for p in got["photo"].people} == {"NGUYEN VAN AN", "TRAN THI BINH"}
    for item_id in ("resident_tax_certificates", "pension_records", "national_tax_certificate", "income_proof"):
        assert "NGUYEN MINH" not in {p.name for p in got[item_id].people}, item_id
    assert "NGUYEN MINH" in {p.name for p in got["passport"].people}
    # the father paid everything by payroll deduction: he is not named for the payment proof
    assert {p.name for p in proof.people} == {"TRAN THI BINH"}


def test_a_spouse_with_one_ordinary_year_gets_payment_proof_for_that_year_only():
    got = {i.id: i for i in for_profile(EXAMPLES / "spouse-of-japanese.yaml").items}
    assert got["resident_tax_payment_proof"].period.to_json()["fiscal_years"] == [2026]  # 2025 income: 普通徴収
    assert got["resident_tax_certificates"].period.to_json()["label"] == "令和6年度〜令和8年度"


def test_missing_income_years_are_reported_and_asked_for_to_be_safe(example_copy):
    path = example_copy("gijinkoku-single.yaml")
    path.write_text(
        path.read_text(encoding="utf-8").replace("    - {year: 2021, amount: 4200000, resident_tax: 特別徴収}\n", ""),
        encoding="utf-8",
    )
    cl = for_profile(path)
    assert any("令和4年度（2021年分）" in w for w in cl.warnings)
    proof = next(i for i in cl.items if i.id == "resident_tax_payment_proof")
    assert proof.period.to_json()["fiscal_years"] == [2022]


@pytest.mark.parametrize(
    "lang, heading", [("ja", "必要書類チェックリスト"), ("en", "documents to collect"), ("zh", "所需材料清单")]
)
def test_text_and_markdown_in_three_languages(lang, heading):
    cl = build_checklist("hsp_points_70", ON)
    text = as_text(cl, lang)
    assert heading in text and "□" in text
    md = as_markdown(cl, lang)
    assert md.startswith("# ") and "| ✓ |" in md
    assert (
        "※" + {"ja": "要確認", "en": "to be checked", "zh": "待确认"}[lang] in text
    )  # the HSP 70 lookbacks rest on [C] sources
