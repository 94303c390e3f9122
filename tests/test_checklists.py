"""Every category's checklist: items, counts, lookbacks and dated rule versions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
    ("child", 1, 12, False, set()),
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


COMPANY_ITEMS = ["company_register", "company_financial_statements", "company_tax_certificates", "labour_insurance"]
STANDARD_ITEMS = [
    "business_capital_proof",
    "business_staff_proof",
    "business_japanese_proof",
    "business_career_proof",
    "business_plan",
]


def test_a_business_owner_brings_the_company_documents_as_items_marked_for_review():
    """Reference §11.12: the company's documents practitioners file with a 経営・管理 owner's PR application are
    items of the list (not a note), each 要確認 because the source is a practitioner list, not ISA's."""
    got = for_profile(EXAMPLES / "keiei-kanri-owner.yaml")
    by_id = {i.id: i for i in got.items}
    for item_id in COMPANY_ITEMS:
        item = by_id[item_id]
        assert item.required is Requirement.REQUIRED and item.rule.needs_review, item_id
        assert [p.name for p in item.people] == ["金 民洙"], item_id
        assert "§11.12" in (item.rule.review or ""), item_id
    assert by_id["company_register"].title() == "法人の登記事項証明書（履歴事項全部証明書）"
    assert "法人税" in by_id["company_tax_certificates"].title()
    # the 事業主's 社会保険料 納入証明書 is the ISA item 8(3), already on the list for a social-insurance employer
    assert by_id["employer_social_insurance"].required is Requirement.REQUIRED
    # the note that used to list them is gone; the 職業 item points at the separate items instead
    note = by_id["employment_proof"].notes()
    assert "別の項目" in note and "3,000万円" not in note and "公租公課" not in note
    # in official order: the company's documents after the employer's records, before the assets
    ids = [i.id for i in got.items]
    assert ids.index("employer_social_insurance") < ids.index("company_register") < ids.index("assets_proof")


def test_the_2025_standards_the_decision_checks_are_asked_as_evidence_items():
    """The decision checks capital, staff, Japanese, career and the expert-checked plan for an application from
    2025-10-16 (§7): each becomes an item; the plan stays optional (a 許可・更新 document, §10.8)."""
    by_id = {i.id: i for i in for_profile(EXAMPLES / "keiei-kanri-owner.yaml").items}
    for item_id in STANDARD_ITEMS:
        assert by_id[item_id].rule.needs_review, item_id
    assert [i for i in STANDARD_ITEMS if by_id[i].required is Requirement.REQUIRED] == STANDARD_ITEMS[:4]
    assert by_id["business_plan"].required is Requirement.OPTIONAL
    # no company items for an employee: the conditions hold only for a business the decision checks
    employee = {i.id for i in for_profile(EXAMPLES / "gijinkoku-single.yaml").items}
    assert not employee & set(COMPANY_ITEMS + STANDARD_ITEMS)


def test_under_the_old_standards_only_capital_or_staff_evidence_is_asked(example_copy):
    """Before 2025-10-16 the decision checks capital or staff only: the Japanese, career and plan items drop."""
    path = example_copy("keiei-kanri-owner.yaml")
    text = path.read_text(encoding="utf-8").replace("application_date: 2026-12-15", "application_date: 2025-10-15")
    path.write_text(text.replace("    - {year: 2025, amount: 7800000, resident_tax: 普通徴収}\n", ""), encoding="utf-8")
    ids = {i.id for i in for_profile(path).items}
    assert {"business_capital_proof", "business_staff_proof"} <= ids
    assert not ids & {"business_japanese_proof", "business_career_proof", "business_plan"}
    assert set(COMPANY_ITEMS) <= ids


def test_without_a_profile_the_business_items_are_conditional_and_only_on_the_keiei_list():
    got = items("keiei_kanri")
    for item_id in COMPANY_ITEMS + STANDARD_ITEMS[:4]:
        assert got[item_id].required is Requirement.CONDITIONAL, item_id
    assert not set(items("gijinkoku")) & set(COMPANY_ITEMS + STANDARD_ITEMS)
    case = case_of(EXAMPLES / "keiei-kanri-owner.yaml")
    assert assess_case(case).main.check("business_standards").status.value == "ok"


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


# ------------------------------------------------ issue 9 item 7: the lists match the reference (§10, §6.5)


def docgen_json(*cases: tuple[str, str], cwd) -> dict[tuple[str, str], dict]:
    """`docgen checklist CATEGORY --date D --format json` for each (category, date), run side by side."""
    env = {k: v for k, v in os.environ.items() if k != "DOCGEN_SETTINGS"}
    procs = {
        case: subprocess.Popen(
            [sys.executable, "-m", "docgen", "checklist", case[0], "--date", case[1], "--format", "json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=cwd,
            env=env,
        )
        for case in cases
    }
    out = {}
    for case, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, (case, stderr)
        out[case] = {i["id"]: i for i in json.loads(stdout)["items"]}
    return out


@pytest.fixture(scope="module")
def cli(tmp_path_factory) -> dict[tuple[str, str], dict]:
    return docgen_json(
        ("child", "2026-11-30"),
        ("spouse", "2026-11-30"),
        ("gijinkoku", "2025-03-31"),
        ("gijinkoku", "2025-04-01"),
        ("gijinkoku", "2026-03-15"),
        ("gijinkoku", "2026-09-30"),
        ("gijinkoku", "2026-10-01"),
        cwd=tmp_path_factory.mktemp("cli"),
    )


def test_a_child_of_a_permanent_resident_brings_one_year_of_resident_tax_and_pension_records(cli):
    got = cli[("child", "2026-11-30")]
    tax = got["resident_tax_certificates"]
    assert tax["period"]["fiscal_years"] == [2026] and tax["period"]["label"] == "令和8年度"
    assert got["resident_tax_payment_proof"]["period"]["fiscal_years"] == [2026]
    for item_id in ("pension_records", "health_insurance_records"):
        period = got[item_id]["period"]
        assert (period["from"], period["to"], period["months"]) == ("2025-11", "2026-10", 12), item_id
    # the lookback cites the child list [B], so it is not printed as 要確認
    child_list = {"url": "https://yusukehoumu.com/", "reliability": "B"}
    assert any(child_list.items() <= s.items() and "実子等" in s["title"] for s in tax["sources"])
    assert any("実子等" in s["title"] for s in got["pension_records"]["sources"])
    assert tax["needs_review"] is False


def test_a_spouse_still_brings_three_years_of_resident_tax_and_two_years_of_pension_records(cli):
    got = cli[("spouse", "2026-11-30")]
    assert got["resident_tax_certificates"]["period"]["fiscal_years"] == [2026, 2025, 2024]
    assert got["pension_records"]["period"]["months"] == 24
    assert got["health_insurance_records"]["period"]["from"] == "2024-11"


def test_spouses_and_children_may_leave_out_the_assets_proof():
    """法22条2項ただし書: no 独立生計 requirement for them, so 資産 is optional (reference §10.9)."""
    for category in ("spouse", "child"):
        assets = items(category)["assets_proof"]
        assert assets.required is Requirement.OPTIONAL, category
        assert "任意" in assets.notes() and "Optional" in assets.notes("en") and "可选" in assets.notes("zh")
        assert "rule22" in {s.key for s in assets.rule.sources}
    for category in ("gijinkoku", "teijusha", "hsp_points_80"):
        assert items(category)["assets_proof"].required is Requirement.REQUIRED, category


def test_a_points_applicant_on_a_spouse_visa_also_brings_the_relationship_documents(example_copy):
    """ISA splits the non-holder points lists by current status (reference §10.12)."""
    for category in ("hsp_points_70", "hsp_points_80"):
        got = build_checklist(category, ON)
        rel = next(i for i in got.items if i.id == "relationship_proof")
        assert rel.required is Requirement.CONDITIONAL and rel.rule.condition == "spouse_type_status"
        ids = [i.id for i in got.items]
        assert ids.index("relationship_proof") == ids.index("reason_letter") + 1
    # the example engineer (技術・人文知識・国際業務) is not asked for them
    assert "relationship_proof" not in {i.id for i in for_profile(EXAMPLES / "hsp-points-80.yaml").items}
    path = example_copy("hsp-points-80.yaml")
    text = path.read_text(encoding="utf-8")
    for status in ("日本人の配偶者等", "永住者の配偶者等", "定住者"):
        path.write_text(text.replace("status: 技術・人文知識・国際業務", f"status: {status}"), encoding="utf-8")
        got = {i.id: i for i in for_profile(path).items}
        assert got["relationship_proof"].required is Requirement.REQUIRED, status
        assert [p.role for p in got["relationship_proof"].people] == ["applicant"]
        assert "戸籍謄本" in got["relationship_proof"].notes()


@pytest.mark.parametrize("on", [date(2026, 11, 30), date(2027, 4, 1)])
def test_the_office_prepares_the_self_check_sheet_and_the_applicant_signs_it_by_hand(on):
    sheet = items("gijinkoku", on)["self_checksheet"]
    assert sheet.rule.prepared_by == "office"
    assert "申請人が内容を確認して自筆で署名" in sheet.notes()
    assert "signs it by hand" in sheet.notes("en") and "亲笔签名" in sheet.notes("zh")
    assert any("自署" in s.title for s in sheet.rule.sources)


def test_the_fee_line_shows_10000_yen_in_2026_and_needs_checking_after_the_reported_increase(cli):
    """手数料 is paid by 収入印紙 only when permission is granted: 8,000円 for applications received until
    2025-03-31, 10,000円 from 2025-04-01; the increase reported from 2026-10-01 has no confirmed amount."""
    fees = {on: cli[("gijinkoku", on)]["revenue_stamp"] for on in ("2025-03-31", "2025-04-01", "2026-03-15")}
    assert "8,000円" in fees["2025-03-31"]["title"]
    for on in ("2025-04-01", "2026-03-15"):
        fee = fees[on]
        assert "10,000円" in fee["title"] and "10,000円" in fee["notes"], on
        assert fee["needs_review"] is False and fee["rule_version"] == {"from": "2025-04-01", "until": "2026-09-30"}
        assert all(s["reliability"] == "B" for s in fee["sources"])
    assert "10,000円" in cli[("gijinkoku", "2026-09-30")]["revenue_stamp"]["title"]
    later = cli[("gijinkoku", "2026-10-01")]["revenue_stamp"]
    assert "金額は要確認" in later["title"] and "円" not in later["title"]
    assert later["needs_review"] is True and later["review"]
    assert [s["reliability"] for s in later["sources"]] == ["C"]
    assert "要確認" in later["notes"]
    for fee in (*fees.values(), later):
        assert fee["action"] == "submit" and fee["concerns"] == ["applicant"]
        assert fee["required"] == "conditional" and fee["condition"]["id"] == "on_grant"
        assert "許可" in fee["notes"]


def test_every_category_lists_the_fee_last_and_marks_it_for_review_in_the_text(tmp_path):
    for category in CONTRACT_CATEGORIES:
        assert build_checklist(category, ON).items[-1].id == "revenue_stamp", category
    text = as_text(build_checklist("child", ON))
    fee_line = next(line for line in text.splitlines() if "手数料納付書" in line)
    assert "金額は要確認" in fee_line and "※要確認" in fee_line and "該当する場合" in fee_line
    assert "10,000円" in as_text(build_checklist("child", date(2026, 3, 15)))


def test_with_a_profile_the_fee_stays_conditional_because_the_grant_is_not_known_yet():
    got = {i.id: i for i in for_profile(EXAMPLES / "gijinkoku-single.yaml").items}
    fee = got["revenue_stamp"]
    assert fee.required is Requirement.CONDITIONAL
    assert [p.role for p in fee.people] == ["applicant"]
