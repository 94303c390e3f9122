"""How staff and clients name scans so that docgen can tell whose they are and which 住民税 年度: the documented
convention (docgen/checklist/scans.py), read from real folders (docgen/pdf/evidence.py `scan_words`), and what
completes an item as data in the rule files (`count_per`), which an office can change."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from docgen.checklist import build_checklist
from docgen.checklist.model import PersonRef
from docgen.checklist.scans import person_named, years_named
from docgen.errors import InputFileError
from docgen.pdf.evidence import scan_words
from docgen.rules import load_rulebook
from tests.conftest import ROOT, RULES

ON = date(2026, 11, 30)


@pytest.mark.parametrize(
    "name, years",
    [
        ("2025", {2025}),
        ("2025年度", {2025}),
        ("R7", {2025}),
        ("r07_課税証明書", {2025}),
        ("令和7年度", {2025}),
        ("令和７年度", {2025}),  # full-width digits
        ("Ｒ７", {2025}),
        ("２０２５", {2025}),
        ("令和元年度", {2019}),
        ("H31", {2019}),
        ("平成31年度", {2019}),
        ("2024年分", {2025}),  # the income year: its 年度 is the next one
        ("令和6年分", {2025}),
        ("課税証明書 令和7年度（令和6年分）", {2025}),
        ("2022-2026", {2022, 2023, 2024, 2025, 2026}),
        ("R4〜R8", {2022, 2023, 2024, 2025, 2026}),
        ("令和4年度〜令和8年度", {2022, 2023, 2024, 2025, 2026}),
        ("令和4〜8年度", {2022, 2023, 2024, 2025, 2026}),
        ("2022年分〜2023年分", {2023, 2024}),
        ("R6_R7", {2024, 2025}),
        ("2026-07-01", set()),  # an issue date
        ("20260701", set()),
        ("2026-07", set()),
        ("令和8年7月1日発行", set()),
        ("IMG_20250601", set()),
        ("scan0001", set()),
        ("在職証明書", set()),
    ],
)
def test_the_years_a_scan_name_gives(name, years):
    assert years_named(name) == frozenset(years)


FAMILY = [
    PersonRef("applicant", "NGUYEN VAN AN", "NGUYEN VAN AN"),
    PersonRef("applicant", "TRAN THI BINH", "TRAN THI BINH"),
]
SPOUSE = [PersonRef("applicant", "王 小明", "王 小明"), PersonRef("supporter", "佐藤 花子", "王 小明")]


@pytest.mark.parametrize(
    "words, people, whose",
    [
        (["NGUYEN VAN AN", "2025"], FAMILY, "NGUYEN VAN AN"),
        (["nguyen-van-an_2025"], FAMILY, "NGUYEN VAN AN"),
        (["NguyenVanAn"], FAMILY, "NGUYEN VAN AN"),
        (["ｔｒａｎ　ｔｈｉ　ｂｉｎｈ"], FAMILY, "TRAN THI BINH"),
        (["在職証明書"], FAMILY, None),  # nobody named
        (["NGUYEN VAN AN と TRAN THI BINH"], FAMILY, None),  # two people: whose is it?
        (["NGUYEN"], FAMILY, None),  # a family name the two share is no one's
        (["申請人"], FAMILY, None),  # two applicants: the role names no one
        (["扶養者_2025"], SPOUSE, "佐藤 花子"),  # the only supporter
        (["佐藤花子"], SPOUSE, "佐藤 花子"),
        (["課税証明書王小明R7"], SPOUSE, "王 小明"),
    ],
)
def test_whose_scan_the_words_say(words, people, whose):
    assert person_named(words, people) == whose


def test_the_words_are_the_folders_under_the_items_folder_and_the_file_name(tmp_path):
    """The folders above the item's folder (the case's, the office's) are never read: a case id with a year in
    it does not name a 年度."""
    case = tmp_path / "cases" / "2026-102-nguyen" / "evidence"
    tax = "resident_tax_certificates"
    assert scan_words(case / tax / "NGUYEN VAN AN" / "2025.pdf", tax) == ["NGUYEN VAN AN", "2025"]
    folder = f"07 住民税の課税（又は非課税）証明書及び納税証明書 [{tax}]"  # as `docgen case new` names it
    assert scan_words(case / folder / "TRAN THI BINH" / "R5" / "scan.png", tax) == ["TRAN THI BINH", "R5", "scan"]
    assert scan_words(case / f"{tax}-tran-thi-binh-R5.pdf", tax) == ["tran-thi-binh-R5"]
    assert scan_words(case / "employment_proof.pdf", "employment_proof") == []
    assert years_named(" ".join(scan_words(case / "passport-copy.jpg", "passport"))) == frozenset()


def test_what_completes_each_item_is_in_the_rule_files():
    items = {i.id: i for i in build_checklist(RULES.book, "gijinkoku", ON).items}
    assert items["resident_tax_certificates"].count_per == "person_year"
    assert items["employment_proof"].count_per == "person"
    assert items["residence_certificate"].count_per == "item"
    assert items["guarantor_letter"].count_per == "item"
    assert items["resident_tax_certificates"].to_json()["count_per"] == "person_year"


def test_an_office_item_without_count_per_gets_the_default_and_an_office_can_change_it(tmp_path):
    """A new office item that concerns the applicant counts one per person; a 年度 lookback per person and 年度;
    the office may say that one 住民税 document serves the whole household."""
    office = tmp_path / "office"
    office.mkdir()
    (office / "_sources.yaml").write_text(
        'office_practice:\n  title: "事務所の運用"\n  url: https://example.jp/office\n  reliability: C\n',
        encoding="utf-8",
    )
    (office / "_items.yaml").write_text(
        textwrap.dedent(
            """
            items:
              resident_tax_certificates:
                count_per: item
              office_tax_summary:
                title: {ja: 課税額の一覧, en: Tax summary, zh: 课税一览}
                action: submit
                required: true
                copies: 1通
                concerns: [applicant]
                lookback: {kind: fiscal_years, years: tax_years}
                sources: [office_practice]
                last_checked: 2026-11-01
                versions:
                  - from: 2019-07-01
              office_cover_letter:
                title: {ja: 送付状, en: Cover letter, zh: 送件函}
                action: submit
                required: true
                copies: 1通
                concerns: [applicant]
                lookback: {kind: current}
                sources: [office_practice]
                last_checked: 2026-11-01
                versions:
                  - from: 2019-07-01
            """
        ),
        encoding="utf-8",
    )
    (office / "gijinkoku.yaml").write_text(
        "id: gijinkoku\nadd:\n  - {id: office_tax_summary}\n  - {id: office_cover_letter, count_per: item}\n",
        encoding="utf-8",
    )
    book = load_rulebook(ROOT / "checklists", office)
    items = {i.id: i for i in build_checklist(book, "gijinkoku", ON).items}
    assert items["resident_tax_certificates"].count_per == "item"
    assert items["office_tax_summary"].count_per == "person_year"
    assert items["office_cover_letter"].count_per == "item"


def test_a_wrong_count_per_names_the_file_and_the_allowed_words(tmp_path):
    office = tmp_path / "office"
    office.mkdir()
    (office / "_items.yaml").write_text("items:\n  photo:\n    count_per: family\n", encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        load_rulebook(ROOT / "checklists", office)
    text = "\n".join(str(p) for p in info.value.problems)
    assert "_items.yaml" in text and "count_per" in text
    assert all(word in text for word in ("item", "person", "person_year"))


def test_no_path_is_read_as_a_person_outside_the_item(tmp_path: Path):
    """A scan named only by its item id in a family item: nobody is named."""
    words = scan_words(tmp_path / "evidence" / "employment_proof" / "employment_proof.pdf", "employment_proof")
    assert person_named(words, FAMILY) is None
