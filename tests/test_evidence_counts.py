"""Evidence counted per person and per period: an office puts the clients' scans in the evidence folder and reads
the packet's index and missing.txt to see what is still to collect.

The family example (examples/gijinkoku-family.yaml) files three applications together: NGUYEN VAN AN (技人国),
his wife TRAN THI BINH (家族滞在, part-time work) and their son NGUYEN MINH (born 2017, no income). The son's
tax and work documents are his father's, so 住民税 certificates concern the couple: 5 年度 × 2 people = 10.
Packets are real (`build_packet` without PDFs for the counts and missing.txt; one with real LibreOffice for the
index, read from its Word file and from the bundle's pages), the scans real PDF and PNG files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from docx import Document
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from docgen.case.settings import Settings
from docgen.checklist.progress import IncompleteItem, ItemProgress
from docgen.packet.build import PacketResult, build_packet
from tests.conftest import EXAMPLES, case_of, needs_libreoffice

FAMILY = EXAMPLES / "gijinkoku-family.yaml"
HUSBAND, WIFE, SON = "NGUYEN VAN AN", "TRAN THI BINH", "NGUYEN MINH"
HUSBAND_2024_SPECIAL = "    - {year: 2024, amount: 5600000, resident_tax: 特別徴収}\n"
HUSBAND_2024_ORDINARY = "    - {year: 2024, amount: 5600000, resident_tax: 普通徴収}\n"


def scan(path: Path, text: str = "SCAN") -> Path:
    """A one-page PDF as a client's scanner makes it (or a PNG photo of a page, by its suffix)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".png":
        Image.new("RGB", (800, 1100), "white").save(path)
        return path
    c = canvas.Canvas(str(path))
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return path


def packet(tmp_path: Path, evidence: Path, profile: Path = FAMILY, pdf: bool = False) -> PacketResult:
    case = case_of(profile, Settings(output_dir=tmp_path))
    return build_packet(case, out=tmp_path / "packet", evidence=evidence, pdf=pdf)


def progress(result: PacketResult, item_id: str) -> ItemProgress | None:
    """The count of an item the packet lists as missing; None when the item is complete."""
    found = next((i for i in result.missing if i.id == item_id), None)
    if found is None:
        return None
    assert isinstance(found, IncompleteItem)
    return found.progress


def index_table(result: PacketResult) -> dict[str, dict[str, str]]:
    """The rows of the index Word file in the packet, by title: {状況, 対象者, …}, and the lines below it."""
    doc = Document(str(next((result.folder / "docx").glob("*index*.docx"))))
    table = doc.tables[0]
    heads = [c.text for c in table.rows[0].cells]
    rows = {}
    for row in table.rows[1:]:
        cells = dict(zip(heads, (c.text for c in row.cells), strict=True))
        rows[cells["書類名"]] = cells
    return rows


def index_notes(result: PacketResult) -> str:
    doc = Document(str(next((result.folder / "docx").glob("*index*.docx"))))
    return "\n".join(p.text for p in doc.paragraphs)


TAX = "住民税の課税（又は非課税）証明書及び納税証明書"
WORK = "職業を証明する資料（在職証明書等）"
TAX_GAPS = f"{HUSBAND} 令和4年度〜令和6年度、令和8年度／{WIFE} 令和4年度〜令和8年度"


def squeeze(text: str) -> str:
    """Text without spaces (PDF extraction adds spaces between kana and digits)."""
    return re.sub(r"[ \u3000\n]", "", text)


def client_scans(folder: Path) -> Path:
    """What the family brought: the husband's 令和7年度 certificate and his 在職証明書, the wife's 在職証明書 that
    cannot be read, the household's 住民票 and the guarantor's licence."""
    scan(folder / "resident_tax_certificates" / HUSBAND / "2025.pdf")
    scan(folder / "employment_proof" / HUSBAND / "在職証明書.pdf")
    broken = folder / "employment_proof" / WIFE / "在職証明書.pdf"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"%PDF-1.4\n not really a pdf \x00\x01")
    scan(folder / "residence_certificate" / "住民票.pdf")
    scan(folder / "guarantor_id-license.png")
    return folder


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> PacketResult:
    tmp = tmp_path_factory.mktemp("bundle")
    return packet(tmp, client_scans(tmp / "evidence"), pdf=True)


@needs_libreoffice()
@pytest.mark.libreoffice
def test_the_index_shows_one_certificate_as_1_of_10_and_what_is_missing(bundled):
    rows = index_table(bundled)
    assert rows[TAX]["状況"] == "一部（1/10）"
    assert f"{TAX}（1/10）　不足: {TAX_GAPS}" in index_notes(bundled)
    reader = PdfReader(str(bundled.bundle))
    index_text = squeeze("".join(page.extract_text() or "" for page in reader.pages[:3]))
    assert squeeze("一部（1/10）") in index_text and squeeze(f"不足: {TAX_GAPS}") in index_text


@needs_libreoffice()
@pytest.mark.libreoffice
def test_the_index_leaves_the_wifes_employment_proof_missing_when_her_scan_was_excluded(bundled):
    """The husband's 在職証明書 does not complete his wife's item, and her unreadable scan completes nothing."""
    assert [p.name for p, _ in bundled.rejected] == ["在職証明書.pdf"]
    assert index_table(bundled)[WORK]["状況"] == "一部（1/2）"
    assert f"{WORK}（1/2）　不足: {WIFE}" in index_notes(bundled)
    work = progress(bundled, "employment_proof")
    assert work is not None and (work.have, work.need) == (1, 2) and [g.person for g in work.missing] == [WIFE]


@needs_libreoffice()
@pytest.mark.libreoffice
def test_complete_items_are_submitted_and_the_son_counts_only_for_his_own_documents(bundled):
    """One 住民票 for the household and one licence for the guarantor serve all three applications; the form,
    generated for each applicant, is complete; the son (no income) is not asked for tax or work documents."""
    rows = index_table(bundled)
    for title in (
        "住民票（世帯全員・個人番号省略）",
        "身元保証人の身分事項を明らかにする書類（運転免許証の写し等）",
        "永住許可申請書",
    ):
        assert rows[title]["状況"] == "提出", title
    assert rows["国税の納税証明書（その3）"]["状況"] == "未提出"
    missing = {i.id for i in bundled.missing}
    assert {"resident_tax_certificates", "employment_proof", "national_tax_certificate"} <= missing
    assert not {"residence_certificate", "guarantor_id", "application_form"} & missing
    for item_id, need in (("resident_tax_certificates", 10), ("employment_proof", 2), ("pension_records", 2)):
        count = progress(bundled, item_id)
        assert count is not None and count.need == need and SON not in {g.person for g in count.missing}


def test_the_word_only_index_counts_the_scans_too(tmp_path):
    result = packet(tmp_path, client_scans(tmp_path / "evidence"))
    assert index_table(result)[TAX]["状況"] == "一部（1/10）"


def test_one_certificate_of_one_year_is_1_of_10_in_the_missing_list(tmp_path):
    """The husband's 令和7年度 certificate alone: 9 documents are still missing, named by person and 年度."""
    evidence = tmp_path / "evidence"
    scan(evidence / "resident_tax_certificates" / HUSBAND / "2025.pdf")
    result = packet(tmp_path, evidence)

    tax = progress(result, "resident_tax_certificates")
    assert tax is not None and (tax.have, tax.need, tax.complete) == (1, 10, False)
    assert [(g.person, g.period) for g in tax.missing] == [
        (HUSBAND, "令和4年度"),
        (HUSBAND, "令和5年度"),
        (HUSBAND, "令和6年度"),
        (HUSBAND, "令和8年度"),
        *((WIFE, f"令和{n}年度") for n in range(4, 9)),
    ]
    report = result.report.read_text(encoding="utf-8")
    entry = report[report.index(TAX) :].split("\n  □", 1)[0]
    assert "1/10" in entry and f"不足: {TAX_GAPS}" in entry


def test_each_person_named_in_the_file_name_completes_the_item(tmp_path):
    """No sub-folders: the names in the file names say whose each certificate is (case and separators aside)."""
    evidence = tmp_path / "evidence"
    scan(evidence / "employment_proof-nguyen-van-an.pdf")
    scan(evidence / "employment_proof" / "在職証明書_TranThiBinh.png")
    result = packet(tmp_path, evidence)

    assert progress(result, "employment_proof") is None  # complete: not in the missing list
    assert "職業を証明する資料" not in result.report.read_text(encoding="utf-8")


@pytest.fixture
def no_evidence(tmp_path: Path) -> Path:
    folder = tmp_path / "evidence"
    folder.mkdir()
    return folder


def test_every_year_of_both_spouses_in_the_forms_clients_use_completes_the_item(no_evidence):
    """Western years, R5, 令和, full-width digits, 年分 (income year), and one PDF holding a range of 年度."""
    folder = no_evidence / "resident_tax_certificates"
    for name in ("2022.pdf", "R5.pdf", "令和6年度.png", "２０２５年度_課税証明書.pdf", "2025年分.pdf"):
        scan(folder / HUSBAND / name)
    scan(folder / WIFE / "課税・納税証明書 令和4年度〜令和8年度.pdf")
    result = packet(no_evidence.parent, no_evidence)

    assert progress(result, "resident_tax_certificates") is None
    assert TAX not in result.report.read_text(encoding="utf-8")


def test_a_certificate_whose_year_cannot_be_read_counts_once_and_is_to_be_checked(no_evidence):
    """Not as all five 年度: one document each, and every 年度 of the husband stays listed until staff name it."""
    scan(no_evidence / "resident_tax_certificates" / HUSBAND / "課税証明書.pdf")
    scan(no_evidence / "resident_tax_certificates" / HUSBAND / "scan 2026-07-01.pdf")  # an issue date, not a 年度
    result = packet(no_evidence.parent, no_evidence)

    tax = progress(result, "resident_tax_certificates")
    assert tax is not None and (tax.have, tax.need) == (2, 10)
    assert [g.period for g in tax.missing if g.person == HUSBAND] == [f"令和{n}年度" for n in range(4, 9)]
    assert [(d.kind, d.person, d.documents) for d in tax.doubts] == [("period_unknown", HUSBAND, 2)]
    assert f"（要確認: {HUSBAND}: 年度の分からない資料2件）" in result.report.read_text(encoding="utf-8")


def test_enough_scans_that_do_not_say_whose_they_are_are_to_be_checked_not_submitted(no_evidence):
    scan(no_evidence / "employment_proof" / "在職証明書1.pdf")
    scan(no_evidence / "employment_proof" / "在職証明書2.pdf")
    result = packet(no_evidence.parent, no_evidence)

    work = progress(result, "employment_proof")
    assert work is not None and (work.have, work.need, work.complete) == (2, 2, False)
    assert [(d.kind, d.documents) for d in work.doubts] == [("person_unknown", 2)]
    assert "対象者の分からない資料2件" in result.report.read_text(encoding="utf-8")


def test_a_year_outside_the_period_counts_for_nothing_and_is_named(no_evidence):
    scan(no_evidence / "resident_tax_certificates" / WIFE / "令和2年度.pdf")
    result = packet(no_evidence.parent, no_evidence)

    tax = progress(result, "resident_tax_certificates")
    assert tax is not None and tax.have == 0
    assert [(d.kind, d.person, d.years) for d in tax.doubts] == [("outside_period", WIFE, (2020,))]
    assert f"{WIFE}: 対象期間外（令和2年度）の資料" in result.report.read_text(encoding="utf-8")


def test_payment_proof_counts_each_persons_own_years(tmp_path, no_evidence):
    """With the husband's 2024 income also 普通徴収, payment proof is his 令和7年度 and her 令和5年度: her receipt
    of 令和5年度 leaves his 令和7年度 missing."""
    profile = tmp_path / "family.yaml"
    text = FAMILY.read_text(encoding="utf-8")
    profile.write_text(text.replace(HUSBAND_2024_SPECIAL, HUSBAND_2024_ORDINARY), encoding="utf-8")
    scan(no_evidence / "resident_tax_payment_proof" / WIFE / "領収証書 R5.pdf")
    result = packet(tmp_path, no_evidence, profile)

    proof = progress(result, "resident_tax_payment_proof")
    assert proof is not None and (proof.have, proof.need) == (1, 2)
    assert [(g.person, g.period) for g in proof.missing] == [(HUSBAND, "令和7年度")]


def test_the_count_for_the_manifest_names_no_one(tmp_path, no_evidence):
    """The manifest holds no personal data beyond the case id: people by role and position."""
    scan(no_evidence / "resident_tax_certificates" / WIFE / "2025.pdf")
    scan(no_evidence / "resident_tax_certificates" / WIFE / "年度なし.pdf")
    result = packet(tmp_path, no_evidence)

    tax = progress(result, "resident_tax_certificates")
    assert tax is not None
    data = tax.to_json()
    text = json.dumps(data, ensure_ascii=False)
    assert all(name not in text for name in ("NGUYEN", "VAN AN", "TRAN", "BINH"))
    assert data["have"] == 2 and data["need"] == 10 and data["complete"] is False
    assert {m["who"] for m in data["missing"]} == {"applicant1", "applicant2"}
    assert {"who": "applicant2", "fiscal_year": 2024} in data["missing"]
    assert {"who": "applicant2", "fiscal_year": 2025} not in data["missing"]
    assert data["check"] == [{"kind": "period_unknown", "who": "applicant2", "documents": 1}]
