"""Which items concern whom, from role, age and payment facts (issue 18, reference §1.a, §11.8, §11.9).

A child or a family member without income of their own is never asked for their own work, tax, pension or asset
documents, whatever rows their record has: their supporter's (扶養者's) are. A 非課税 year gives a 非課税証明書 and
no payment proof; a year switched to 普通徴収 after leaving a job gives payment proof; an approved 国民年金 免除
gives its approval notice; a 第3号 period pays nothing; none of them is a late payment.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.assessment import assess_case
from docgen.assessment.results import CheckStatus, FindingKind
from docgen.checklist import Checklist, Requirement, case_checklist
from docgen.checklist.output import as_text
from tests.conftest import EXAMPLES, case_of

FAMILY = EXAMPLES / "gijinkoku-family.yaml"
HUSBAND, WIFE, SON = "NGUYEN VAN AN", "TRAN THI BINH", "NGUYEN MINH"
OWN_MONEY_ITEMS = (  # 職業, 住民税, 国税その3, 所得, 年金, 資産: the earner's documents
    "employment_proof",
    "resident_tax_certificates",
    "resident_tax_payment_proof",
    "national_tax_certificate",
    "income_proof",
    "pension_records",
    "pension_exemption_notice",
    "employer_social_insurance",
    "assets_proof",
)


def checklist_of(path: Path) -> Checklist:
    case = case_of(path)
    return case_checklist(case, assess_case(case))


def named(cl: Checklist, item_id: str) -> list[tuple[str, str]]:
    """(role, name) of everyone an item concerns; [] when the item is not on the list."""
    item = next((i for i in cl.items if i.id == item_id), None)
    return [(p.role, p.name) for p in item.people] if item else []


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


SON_BLOCK_END = "        - {status: 家族滞在, start: 2017-08-01}\n"


@pytest.fixture
def son_with_records(example_copy) -> Path:
    """The family, with rows a careless intake might fill for the 9-year-old: health insurance, a pension
    row, and even a pocket-money income row."""
    path = example_copy("gijinkoku-family.yaml")
    edit(
        path,
        SON_BLOCK_END,
        SON_BLOCK_END
        + "      income:\n"
        + "        - {year: 2025, amount: 120000, resident_tax: 普通徴収}\n"
        + "      pension:\n"
        + "        - {kind: 国民年金, start: 2024-01}\n",  # his health insurance is in the example already
    )
    return path


def test_a_child_co_applicant_is_never_asked_for_his_own_money_documents_whatever_his_record_says(son_with_records):
    cl = checklist_of(son_with_records)
    for item_id in OWN_MONEY_ITEMS:
        assert SON not in {name for _, name in named(cl, item_id)}, item_id
    # his father's documents cover him (the father is named once, as an applicant, not again as supporter)
    for item_id in ("employment_proof", "resident_tax_certificates", "national_tax_certificate", "assets_proof"):
        assert ("applicant", HUSBAND) in named(cl, item_id), item_id
        assert ("supporter", HUSBAND) not in named(cl, item_id), item_id
    # his own health-insurance card is asked, as every person's is
    assert ("applicant", SON) in named(cl, "health_insurance_records")
    # and his own applicant documents stay his
    for item_id in ("application_form", "passport", "residence_card", "acknowledgement", "relationship_proof"):
        assert ("applicant", SON) in named(cl, item_id), item_id


def test_the_childs_pocket_money_row_asks_no_payment_proof(son_with_records):
    """His 普通徴収 row would have asked 令和8年度 payment proof; as a child he pays nothing of his own."""
    cl = checklist_of(son_with_records)
    proof = next(i for i in cl.items if i.id == "resident_tax_payment_proof")
    assert [p.name for p in proof.people] == [WIFE]
    assert proof.period.to_json()["fiscal_years"] == [2023]


CHILD_ALONE = """
case_id: 2026-120-li
category: child
application_date: 2026-12-15
applicant:
  family_name: LI
  given_name: MEI
  nationality: 中国
  birth_date: 2024-03-10
  sex: 女
  birth_place: 東京都新宿区
  home_town: 中国 上海市
  occupation: 無職
  address: 東京都新宿区西新宿二丁目8番1号 新宿ハイツ305
  passport: {number: E12345678, expiry: 2029-03-01}
  residence_card_number: AB12345678CD
  status: 永住者の配偶者等
  period_of_stay: 3年
  stay_expiry: 2027-05-31
  residence_history:
    - {status: 永住者の配偶者等, start: 2024-05-01, period_of_stay: 3年}
  income:
    - {year: 2025, amount: 0, non_taxable: true}
  health_insurance:
    - {kind: 健康保険, start: 2024-03}
family:
  - relationship: 父
    family_name: LI
    given_name: WEI
    name_kanji: 李 偉
    nationality: 中国
    birth_date: 1987-07-01
    sex: 男
    living_together: true
    status: 永住者
supporter:
  name: 李 偉
  relationship: 父
  occupation: 会社員
  employer: 新宿システム株式会社
  income:
    - {year: 2025, amount: 6200000, resident_tax: 途中から普通徴収}
  social_insurance_employer: false
guarantor:
  name: 李 偉
  address: 東京都新宿区西新宿二丁目8番1号 新宿ハイツ305
  status: 永住者
  nationality: 中国
  relationship: 父
"""


@pytest.fixture(params=["child", "kazoku_taizai"])
def child_alone(request, write) -> Checklist:
    """The 2-year-old filing alone as the child of a permanent resident, or on her 家族滞在 status."""
    text = CHILD_ALONE
    if request.param == "kazoku_taizai":
        text = text.replace("category: child", "category: kazoku_taizai").replace("永住者の配偶者等", "家族滞在")
    return checklist_of(write("child-alone.yaml", text))


def test_a_two_year_old_filing_alone_gets_her_fathers_documents_and_none_of_her_own(child_alone):
    father = ("supporter", "李 偉")
    for item_id in ("employment_proof", "resident_tax_certificates", "national_tax_certificate", "income_proof"):
        assert named(child_alone, item_id) == [father], item_id
    assert named(child_alone, "pension_records") == [father]
    # her own insurance card (as her father's dependant) is still asked
    assert named(child_alone, "health_insurance_records") == [("applicant", "LI MEI"), father]
    # no payment proof of her own 非課税 year: her father's, for the 年度 he left his job mid-year
    proof = next(i for i in child_alone.items if i.id == "resident_tax_payment_proof")
    assert named(child_alone, "resident_tax_payment_proof") == [father]
    assert 2026 in proof.period.to_json()["fiscal_years"] and proof.required is Requirement.REQUIRED
    # her own forms stay hers; no photo under 16
    assert named(child_alone, "application_form") == [("applicant", "LI MEI")]
    assert named(child_alone, "photo") == []


def test_the_child_alone_list_prints_the_father_as_her_supporter(child_alone):
    text = as_text(child_alone)
    block = text[text.index("職業を証明する資料") :].split("\n□", 1)[0]
    assert "対象者: 扶養者（李 偉）" in block
    assert "LI MEI" not in block


def test_a_child_filing_alone_without_a_supporter_block_is_covered_by_the_parent_named_in_the_family(write):
    cl = checklist_of(
        write(
            "no-supporter.yaml",
            CHILD_ALONE.split("supporter:")[0] + CHILD_ALONE.split("  social_insurance_employer: false\n")[1],
        )
    )
    assert named(cl, "employment_proof") == [("supporter", "李 偉")]
    assert not any(n == "LI MEI" for item in OWN_MONEY_ITEMS for _, n in named(cl, item))
    # the father's income is not in the profile: his 年度 are asked for, to be safe, and the staff are told
    assert named(cl, "resident_tax_payment_proof") == [("supporter", "李 偉")]
    assert any(w.startswith("李 偉: 令和8年度（2025年分）の所得") for w in cl.warnings)


def test_a_child_filing_alone_with_no_parent_in_the_profile_still_lists_a_supporter_to_name(write):
    no_parent = CHILD_ALONE.split("family:")[0] + "guarantor:" + CHILD_ALONE.split("guarantor:")[1]
    cl = checklist_of(write("no-parent.yaml", no_parent))
    assert named(cl, "employment_proof") == [("supporter", "未記入")]
    assert any("扶養者がプロフィールにありません" in w for w in cl.warnings)
    assert not any(n == "LI MEI" for item in OWN_MONEY_ITEMS for _, n in named(cl, item))


@pytest.fixture
def wife_non_taxable(example_copy) -> Path:
    """The 家族滞在 wife earning 0.8–0.95 million yen: every one of her years 非課税 (no 普通徴収 year)."""
    path = example_copy("gijinkoku-family.yaml")
    edit(
        path,
        "        - {year: 2022, amount: 1100000, resident_tax: 普通徴収, paid_on_time: true}\n",
        "        - {year: 2022, amount: 800000, non_taxable: true, paid_on_time: false}\n",
    )
    return path


def test_a_non_taxable_wife_gets_non_taxation_certificates_and_no_payment_proof(wife_non_taxable):
    cl = checklist_of(wife_non_taxable)
    tax = next(i for i in cl.items if i.id == "resident_tax_certificates")
    wife = next(p for p in tax.people if p.name == WIFE)
    assert wife.non_taxable_years == (2026, 2025, 2024, 2023, 2022)
    assert all(tax.title_for(wife, fy) == "住民税の非課税証明書" for fy in wife.non_taxable_years)
    husband = next(p for p in tax.people if p.name == HUSBAND)
    assert tax.title_for(husband, 2026) == "住民税の課税（又は非課税）証明書及び納税証明書"
    assert "令和4年度・令和5年度・令和6年度・令和7年度・令和8年度は住民税の非課税証明書" in as_text(cl)
    # nobody paid 住民税 themselves: no payment-proof item at all
    assert "resident_tax_payment_proof" not in {i.id for i in cl.items}
    # she earns (a little): her own 職業 and 国税 documents are still hers
    assert ("applicant", WIFE) in named(cl, "employment_proof")


def no_late_payment_in_the_decision(path: Path) -> None:
    """Neither a blocker, a risk nor a finding (an explanation letter) for late payment, for any applicant."""
    assessment = assess_case(case_of(path))
    for one in (assessment.main, *assessment.co_applicants):
        assert one.check("late_payments").status is CheckStatus.OK
        assert FindingKind.LATE_PAYMENT not in one.finding_kinds
        decision = one.decided
        assert not [b for b in decision.blockers if b.id == "late_payments"]
        assert not [r for r in decision.risks if r.id == "late_payments"]


def test_a_non_taxable_year_marked_late_is_no_late_payment(wife_non_taxable):
    no_late_payment_in_the_decision(wife_non_taxable)


WIFE_PENSION = "        - {kind: 国民年金, start: 2016-09, exemption: 第3号被保険者}\n"


@pytest.fixture
def wife_exempt(example_copy) -> Path:
    """The wife was her husband's 第3号被保険者 until 2025-03, then on 国民年金 with an approved 免除 — both
    entered with paid_on_time: false by an over-careful intake."""
    path = example_copy("gijinkoku-family.yaml")
    edit(
        path,
        WIFE_PENSION,
        "        - {kind: 国民年金, start: 2016-09, end: 2025-03, exemption: 第3号被保険者, paid_on_time: false}\n"
        "        - {kind: 国民年金, start: 2025-04, exemption: 免除, paid_on_time: false}\n",
    )
    return path


def test_an_approved_exemption_gives_the_approval_notice_with_its_period(wife_exempt):
    cl = checklist_of(wife_exempt)
    notice = next(i for i in cl.items if i.id == "pension_exemption_notice")
    assert notice.title() == "国民年金保険料の免除・納付猶予等の承認通知書"
    assert notice.required is Requirement.REQUIRED
    assert [(p.role, p.name) for p in notice.people] == [("applicant", WIFE)]
    assert notice.people[0].detail() == "免除 2025年4月〜"
    assert "exemption 2025-04 to now" in notice.people[0].detail("en")
    assert f"{WIFE}（免除 2025年4月〜）" in as_text(cl)
    # in the official order, right after the pension records
    ids = [i.id for i in cl.items]
    assert ids.index("pension_exemption_notice") == ids.index("pension_records") + 1


def test_a_third_category_period_asks_no_notice_and_neither_is_a_late_payment(wife_exempt, write):
    no_late_payment_in_the_decision(wife_exempt)
    assert "explanation_late_payment" not in {i.id for i in checklist_of(wife_exempt).items}
    # the example's wife: a 第3号 period only, nothing was due, no notice
    only_third = write("third.yaml", FAMILY.read_text(encoding="utf-8"))
    assert WIFE_PENSION in only_third.read_text(encoding="utf-8")
    ids = {i.id for i in checklist_of(only_third).items}
    assert "pension_exemption_notice" not in ids


def test_a_year_switched_to_ordinary_collection_after_leaving_a_job_asks_payment_proof(example_copy):
    path = example_copy("gijinkoku-single.yaml")
    text = path.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if "{year: 2024," in line)
    edit(path, row + "\n", row.replace("特別徴収", "途中から普通徴収") + "\n")
    cl = checklist_of(path)
    proof = next(i for i in cl.items if i.id == "resident_tax_payment_proof")
    assert proof.period.to_json()["fiscal_years"] == [2025] and proof.required is Requirement.REQUIRED
    assert [p.role for p in proof.people] == ["applicant"]


@pytest.fixture
def wife_at_home(example_copy) -> Path:
    """The wife without a job or income of her own, on 国民年金 whose premiums she paid herself since 2025."""
    path = example_copy("gijinkoku-family.yaml")
    text = path.read_text(encoding="utf-8")
    start = text.index("      employment:\n        - {employer: 株式会社ハマベーカリー")
    end = text.index("      pension:\n", start)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    edit(
        path,
        WIFE_PENSION,
        "        - {kind: 国民年金, start: 2016-09, end: 2024-12, exemption: 第3号被保険者}\n"
        "        - {kind: 国民年金, start: 2025-01}\n",
    )
    return path


def test_a_wife_without_income_is_covered_by_her_husbands_documents(wife_at_home):
    cl = checklist_of(wife_at_home)
    for item_id in OWN_MONEY_ITEMS:
        assert WIFE not in {name for _, name in named(cl, item_id)}, item_id
    assert ("applicant", WIFE) in named(cl, "health_insurance_records")
    # the premiums she paid herself are not dropped silently: the office decides
    assert any(w.startswith(f"{WIFE}: 収入のない扶養家族ですが") for w in cl.warnings)


def test_a_wife_with_a_job_but_no_income_rows_yet_is_asked_for_her_own_documents(example_copy):
    """A job she still holds means she earns, even before her income rows are typed in."""
    path = example_copy("gijinkoku-family.yaml")
    text = path.read_text(encoding="utf-8")
    start = text.index("      income:\n        - {year: 2021, amount: 300000")
    end = text.index("      pension:\n", start)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    cl = checklist_of(path)
    for item_id in ("employment_proof", "resident_tax_certificates", "national_tax_certificate"):
        assert ("applicant", WIFE) in named(cl, item_id), item_id


def test_a_taxed_year_paid_late_still_is_a_late_payment(example_copy):
    """The control for the tests above: the same check does see a real late payment."""
    path = example_copy("gijinkoku-family.yaml")
    edit(
        path,
        "    - {year: 2024, amount: 5600000, resident_tax: 特別徴収}\n",
        "    - {year: 2024, amount: 5600000, resident_tax: 特別徴収, paid_on_time: false}\n",
    )
    main = assess_case(case_of(path)).main
    assert "late_payments" in [r.id for r in main.decided.risks]
    assert FindingKind.LATE_PAYMENT in main.finding_kinds


def test_one_predicate_says_who_is_a_dependant_for_the_whole_case(son_with_records, write):
    """docgen.checklist.people.dependant_in: what the checklist decides, for letters and forms to reuse."""
    from docgen.checklist.people import dependant_in

    profile = case_of(son_with_records).profile
    wife, son = (m for m in profile.family if m.filing_together)
    assert (dependant_in(profile), dependant_in(profile, wife), dependant_in(profile, son)) == (False, False, True)
    child = case_of(write("child-alone.yaml", CHILD_ALONE)).profile
    assert dependant_in(child) is True


MOTHER_AND_SON = """
case_id: 2026-121-chen
category: kazoku_taizai
application_date: 2026-12-15
applicant:
  family_name: CHEN
  given_name: JING
  nationality: 中国
  birth_date: 1990-05-05
  sex: 女
  birth_place: 中国 大連市
  home_town: 中国 大連市
  occupation: 主婦
  address: 千葉県千葉市中央区中央一丁目1番1号
  passport: {number: E87654321, expiry: 2030-01-01}
  residence_card_number: CD12345678EF
  status: 家族滞在
  period_of_stay: 5年
  stay_expiry: 2029-05-31
  residence_history:
    - {status: 家族滞在, start: 2015-04-01, period_of_stay: 5年}
family:
  - relationship: 夫
    family_name: ZHANG
    given_name: WEI
    name_kanji: 張 偉
    nationality: 中国
    birth_date: 1986-01-01
    sex: 男
    living_together: true
    status: 永住者
  - relationship: 長男
    family_name: ZHANG
    given_name: HAO
    nationality: 中国
    birth_date: 2016-02-02
    sex: 男
    living_together: true
    filing_together: true
    application:
      category: kazoku_taizai
      birth_place: 千葉県千葉市
      home_town: 中国 大連市
      occupation: 学生
      passport: {number: E11223344, expiry: 2030-01-01}
      residence_card_number: GH12345678IJ
      status: 家族滞在
      period_of_stay: 5年
      stay_expiry: 2029-05-31
      residence_history:
        - {status: 家族滞在, start: 2016-04-01, period_of_stay: 5年}
supporter:
  name: 張 偉
  relationship: 夫
  occupation: 会社員
  income:
    - {year: 2021, amount: 5000000, resident_tax: 特別徴収}
    - {year: 2022, amount: 5000000, resident_tax: 特別徴収}
    - {year: 2023, amount: 5000000, resident_tax: 特別徴収}
    - {year: 2024, amount: 5000000, resident_tax: 特別徴収}
    - {year: 2025, amount: 5000000, resident_tax: 普通徴収}
guarantor:
  name: 張 偉
  address: 千葉県千葉市中央区中央一丁目1番1号
  status: 永住者
  nationality: 中国
  relationship: 夫
"""


def test_a_mother_at_home_filing_with_her_son_are_both_covered_by_the_father(write):
    """Neither the 家族滞在 mother (no income) nor the son earns: the father, the profile's 扶養者, is named once."""
    cl = checklist_of(write("mother-and-son.yaml", MOTHER_AND_SON))
    assert cl.applicants == ["CHEN JING", "ZHANG HAO"]
    for item_id in ("employment_proof", "resident_tax_certificates", "national_tax_certificate", "assets_proof"):
        assert named(cl, item_id) == [("supporter", "張 偉")], item_id
    assert named(cl, "resident_tax_payment_proof") == [("supporter", "張 偉")]
    assert named(cl, "health_insurance_records") == [
        ("applicant", "CHEN JING"),
        ("supporter", "張 偉"),
        ("applicant", "ZHANG HAO"),
    ]
