"""The checklist for a family filing together (examples/gijinkoku-family.yaml): NGUYEN VAN AN (技人国) with
his 家族滞在 wife TRAN THI BINH and their son NGUYEN MINH (born 2017). One list for the whole case: each
document once, with the people it concerns and whose application they belong to."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

FAMILY = EXAMPLES / "gijinkoku-family.yaml"
HUSBAND, WIFE, SON = "NGUYEN VAN AN", "TRAN THI BINH", "NGUYEN MINH"
# the husband's 2024 income was not deducted from his salary either (普通徴収): 令和7年度 needs payment proof
HUSBAND_2024_SPECIAL = "    - {year: 2024, amount: 5600000, resident_tax: 特別徴収}\n"
HUSBAND_2024_ORDINARY = "    - {year: 2024, amount: 5600000, resident_tax: 普通徴収}\n"


def run_all(*argv: tuple[str, ...], cwd: Path) -> list[subprocess.CompletedProcess]:
    """Several `docgen` runs side by side."""
    env = {k: v for k, v in os.environ.items() if k != "DOCGEN_SETTINGS"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "docgen", *a],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=cwd,
            env=env,
        )
        for a in argv
    ]
    out = []
    for a, proc in zip(argv, procs, strict=True):
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, (a, stderr)
        out.append(subprocess.CompletedProcess(a, proc.returncode, stdout, stderr))
    return out


def official_order() -> list[str]:
    """Item ids in the order of checklists/_items.yaml (the order of the official list)."""
    text = (ROOT / "checklists" / "_items.yaml").read_text(encoding="utf-8")
    return re.findall(r"^  ([a-z0-9_]+):\s*$", text, re.MULTILINE)


def people(item: dict) -> list[tuple[str, str, str]]:
    return [(p["role"], p["name"], p["applicant"]) for p in item.get("people", [])]


def applicant_entries(*names: str) -> list[tuple[str, str, str]]:
    return [("applicant", n, n) for n in names]


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    folder = tmp_path_factory.mktemp("family")
    variant = folder / "family-ordinary.yaml"
    text = FAMILY.read_text(encoding="utf-8")
    assert text.count(HUSBAND_2024_SPECIAL) == 1
    variant.write_text(text.replace(HUSBAND_2024_SPECIAL, HUSBAND_2024_ORDINARY), encoding="utf-8")
    family_json, family_text, variant_json, variant_text = run_all(
        ("checklist", "gijinkoku", "--profile", str(FAMILY), "--format", "json"),
        ("checklist", "gijinkoku", "--profile", str(FAMILY)),
        ("checklist", "gijinkoku", "--profile", str(variant), "--format", "json"),
        ("checklist", "gijinkoku", "--profile", str(variant)),
        cwd=folder,
    )
    return {"json": family_json, "text": family_text, "variant_json": variant_json, "variant_text": variant_text}


@pytest.fixture(scope="module")
def checklist(runs) -> dict:
    return json.loads(runs["json"].stdout)


@pytest.fixture(scope="module")
def items(checklist) -> dict[str, dict]:
    return {i["id"]: i for i in checklist["items"]}


def test_one_list_for_the_whole_family_on_the_profile_date(checklist, runs):
    assert checklist["category"] == "gijinkoku" and checklist["application_date"] == "2026-12-15"
    assert checklist["applicants"] == [HUSBAND, WIFE, SON]
    assert f"申請人: {HUSBAND}、{WIFE}、{SON}" in runs["text"].stdout


def test_each_document_is_listed_once_in_the_official_order(checklist):
    ids = [i["id"] for i in checklist["items"]]
    assert len(ids) == len(set(ids))
    order = official_order()
    assert [i for i in order if i in ids] == ids


def test_the_dependants_own_documents_are_merged_in_at_their_official_place(items):
    """身分関係を証明する資料 is a 家族滞在 item only: it comes right after 理由書, for the wife and the son."""
    ids = list(items)
    assert ids.index("relationship_proof") == ids.index("reason_letter") + 1
    assert people(items["relationship_proof"]) == applicant_entries(WIFE, SON)
    assert items["relationship_proof"]["required"] is True


def test_every_applicant_is_listed_with_their_own_application(items):
    for item_id in ("application_form", "reason_letter", "passport", "residence_card", "acknowledgement"):
        assert people(items[item_id]) == applicant_entries(HUSBAND, WIFE, SON), item_id
    # one guarantor, one 住民票 (whole household) and one filing agent, recorded for each application
    for item_id, role, name in (
        ("guarantor_letter", "guarantor", "鈴木 健太"),
        ("guarantor_id", "guarantor", "鈴木 健太"),
        ("residence_certificate", "household", "世帯全員"),
        ("filer_id", "filer", "山田 花子（山田行政書士事務所）"),
    ):
        assert people(items[item_id]) == [(role, name, a) for a in (HUSBAND, WIFE, SON)], item_id


def test_the_son_needs_no_photo_and_his_income_documents_are_his_fathers(items):
    """Under 16: no photo. A child: covered by the supporter's (his father's) documents; only his own
    health-insurance card (資格確認書) is asked of him, as of every person."""
    assert people(items["photo"]) == applicant_entries(HUSBAND, WIFE)
    for item_id in (
        "resident_tax_certificates",
        "national_tax_certificate",
        "pension_records",
        "employment_proof",
        "income_proof",
        "assets_proof",
    ):
        assert people(items[item_id]) == applicant_entries(HUSBAND, WIFE), item_id
    assert people(items["health_insurance_records"]) == applicant_entries(HUSBAND, WIFE, SON)
    # the father is not listed a second time as the supporter of his wife's and son's applications
    assert all(p["role"] != "supporter" for i in items.values() for p in i.get("people", []))


def test_the_wifes_non_taxable_years_are_named_for_a_non_taxation_certificate(items, runs):
    """She earned 0.3–0.98 million yen: 令和4年度 and 令和6〜8年度 were 非課税 (a 非課税証明書 each), 令和5年度
    普通徴収. Her husband's years were all taxed."""
    tax = items["resident_tax_certificates"]
    wife = next(p for p in tax["people"] if p["name"] == WIFE)
    assert wife["non_taxable_years"] == [2026, 2025, 2024, 2022]
    assert wife["detail"] == "令和4年度・令和6年度・令和7年度・令和8年度は住民税の非課税証明書"
    husband = next(p for p in tax["people"] if p["name"] == HUSBAND)
    assert "non_taxable_years" not in husband and "detail" not in husband
    assert f"{WIFE}（令和4年度・令和6年度・令和7年度・令和8年度は住民税の非課税証明書）" in runs["text"].stdout


def test_payment_proof_is_asked_only_of_the_wife_for_her_ordinary_collection_year(items):
    """Her 2022 income was 普通徴収 (令和5年度); the husband's tax was always deducted from his salary."""
    proof = items["resident_tax_payment_proof"]
    assert people(proof) == applicant_entries(WIFE)
    assert proof["period"]["fiscal_years"] == [2023] and proof["period"]["label"] == "令和5年度"
    assert proof["required"] is True


def test_a_different_period_for_one_person_stays_with_that_person(runs):
    """With the husband's 2024 income also 普通徴収, the item's period is his (令和7年度); the wife's own
    period (令和5年度) is kept next to her name instead of being lost in the merge."""
    data = json.loads(runs["variant_json"].stdout)
    proof = next(i for i in data["items"] if i["id"] == "resident_tax_payment_proof")
    assert proof["period"]["fiscal_years"] == [2025]
    assert people(proof) == applicant_entries(HUSBAND, WIFE)
    text = runs["variant_text"].stdout
    block = text[text.index("住民税を適正な時期に納めたことを証明する資料") :].split("\n□", 1)[0]
    assert "対象期間: 令和7年度" in block
    assert f"対象者: {HUSBAND}、{WIFE}（令和5年度" in block


def test_the_json_keeps_the_wifes_own_period_too(runs):
    data = json.loads(runs["variant_json"].stdout)
    proof = next(i for i in data["items"] if i["id"] == "resident_tax_payment_proof")
    wife = next(p for p in proof["people"] if p["name"] == WIFE)
    assert any("令和5年度" in str(v) or "2023" in str(v) for k, v in wife.items() if k not in ("name", "applicant"))


def test_the_only_optional_item_stays_optional_and_the_fee_waits_for_the_grant(items):
    assert [i for i, item in items.items() if item["required"] is False] == ["contribution_proof"]
    assert [i for i, item in items.items() if item["required"] == "conditional"] == ["revenue_stamp"]


def test_each_applicant_of_the_family_pays_the_fee_only_if_granted(items):
    """The 手数料 is per applicant and paid on grant; on 2026-12-15 the reported increase makes its amount 要確認."""
    fee = items["revenue_stamp"]
    assert people(fee) == applicant_entries(HUSBAND, WIFE, SON)
    assert fee["condition"]["id"] == "on_grant" and fee["needs_review"] is True
    assert "金額は要確認" in fee["title"]
    assert list(items)[-1] == "revenue_stamp"


def test_the_fee_is_not_a_missing_document_in_the_packet_index():
    """The bundle's index marks it 許可時 (paid when granted), and the missing-documents report leaves it out."""
    from docgen.assessment import assess_case
    from docgen.checklist import case_checklist
    from docgen.packet.index import ItemStatus, item_status
    from tests.conftest import case_of

    case = case_of(FAMILY)
    fee = next(i for i in case_checklist(case, assess_case(case)).items if i.id == "revenue_stamp")
    assert item_status(fee, has_pages=False) is ItemStatus.ON_GRANT
