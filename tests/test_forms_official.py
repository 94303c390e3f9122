"""The packet as the office will file it (issue 18, item 4 and the fee).

The 申請書 carries the official form's English where the reference gives it (§11.10): the header
"Part 1 (Permanent Residence) Ministry of Justice, Government of Japan", "To the Minister of Justice" and the
preamble. Lines the reference lacks are template text the office confirms once (`docgen templates check` warns
until it does), never a ［ ］ gap in a client's packet. The 身元保証書 leaves the 氏名（署名） cell for the
guarantor's hand. The fee note says the increase is planned with amount and date 要確認 (§11.11), no date as fact.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from docgen.case import Settings
from docgen.checklist import Checklist
from docgen.checklist import build_checklist as build
from docgen.checklist.output import as_text
from docgen.documents.placeholders import paragraph_texts
from docgen.packet.build import PacketResult, build_packet
from tests.conftest import EXAMPLES, ROOT, RULES, case_of, needs_libreoffice
from tests.test_forms import body_texts

CATEGORIES = sorted(p.stem for p in (ROOT / "checklists").glob("[!_]*.yaml"))


def build_checklist(category: str, on: date) -> Checklist:
    """The checklist `docgen checklist CATEGORY --date ON` prints (built-in rules)."""
    return build(RULES.book, category, on, RULES.release_day)


# ---------------------------------------------------------------- the fee (§11.11)

# a start date printed as fact: 2026年10月1日, 2026-10-01, 1 Oct 2026, 2026年10月1日起 …
A_START_DATE = re.compile(
    r"20\d\d年\d{1,2}月\d{1,2}日以降|20\d\d-\d\d-\d\d受付|\d{1,2} \w{3} 20\d\d|20\d\d年\d{1,2}月\d{1,2}日起"
)


@pytest.mark.parametrize("on", [date(2026, 11, 30), date(2027, 4, 1)])
def test_the_fee_increase_is_planned_with_amount_and_date_to_be_checked_never_a_date_as_fact(on):
    for category in CATEGORIES:
        fee = next(i for i in build_checklist(category, on).items if i.id == "revenue_stamp")
        ja, en, zh = fee.notes("ja"), fee.notes("en"), fee.notes("zh")
        assert "引上げ予定（額・施行日は政令で決定、要確認）" in ja, category
        assert "to be checked" in en and "cabinet order" in en, category
        assert "需确认" in zh and "政令" in zh, category
        for text in (ja, en, zh, fee.rule.review or "", *(s.title for s in fee.rule.sources)):
            assert not A_START_DATE.search(text), (category, text)
            assert "2026年10月" not in text and "2026-10-01" not in text and "Oct 2026" not in text, text
            assert "約20万円" not in text and "报道约" not in text  # a press figure is not the fee
        line = next(x for x in as_text(build_checklist(category, on)).splitlines() if "手数料納付書" in x)
        assert "要確認" in line and "2026年10月" not in line


def test_before_the_increase_the_fee_is_the_known_10000_yen():
    fee = next(i for i in build_checklist("gijinkoku", date(2026, 3, 15)).items if i.id == "revenue_stamp")
    assert "10,000円" in fee.title() and not fee.rule.needs_review


# ---------------------------------------------------------------- the 申請書 and the 身元保証書 in every example

EXAMPLE_PROFILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture(scope="module")
def packets(tmp_path_factory) -> dict[str, PacketResult]:
    """Every example's packet in Word (the text the office files once printed)."""
    out: dict[str, PacketResult] = {}
    for profile in EXAMPLE_PROFILES:
        tmp = tmp_path_factory.mktemp(profile.stem)
        out[profile.stem] = build_packet(case_of(profile, Settings(output_dir=tmp)), out=tmp / "packet", pdf=False)
    return out


def test_no_example_packet_has_an_english_gap_for_the_office_to_fill(packets):
    """The form's English is never a ［英文 …］ placeholder that would stop `--final`."""
    assert len(packets) == len(EXAMPLE_PROFILES) >= 8
    for name, result in packets.items():
        assert not [p.line() for p in result.placeholders if "英文" in p.text], name
        for form in (d for d in result.documents if "_application_form_" in d.name):
            text = "\n".join(paragraph_texts(form))
            assert "Part 1 (Permanent Residence) Ministry of Justice, Government of Japan" in text, form.name
            assert "I hereby apply for Permanent Resident." in text and "To the Minister of Justice" in text
            assert "［英文" not in text and "{#" not in text and "要確認" not in text, form.name


def test_item_13_keeps_its_detail_space_when_there_is_no_record(packets):
    form = next(d for d in packets["gijinkoku-single"].documents if "_application_form_" in d.name)
    item = next(t for t in body_texts(form) if "具体的内容" in t)
    answer, english = item.splitlines()
    assert (
        answer.startswith("□有　■無（具体的内容: ")
        and answer.endswith("）")
        and not answer.removeprefix("□有　■無（具体的内容: ")[:-1].strip()
    )
    assert english == "Yes (Detail: ) / No"


def guarantor_rows(docx: Path) -> dict[str, str]:
    """The 身元保証人 table of a filled 身元保証書: label -> what is typed in the cell beside it."""
    table = Document(str(docx)).tables[-1]
    return {row.cells[0].text: row.cells[1].text for row in table.rows}


def test_the_guarantor_signs_his_name_by_hand_in_an_empty_cell(packets):
    letters = [d for r in packets.values() for d in r.documents if "_guarantor_letter_" in d.name]
    assert letters
    for letter in letters:
        rows = guarantor_rows(letter)
        assert rows["氏名（署名）"] == "", letter.name  # nothing typed: his own hand
        assert rows["住所"].strip() and rows["被保証人との関係"].strip()  # the rest is filled from the profile


@needs_libreoffice()
@pytest.mark.libreoffice
def test_the_printed_guarantor_letter_has_no_typed_name_in_the_signature_row(tmp_path):
    result = build_packet(
        case_of(EXAMPLES / "spouse-of-japanese.yaml", Settings(output_dir=tmp_path)), out=tmp_path / "packet"
    )
    pdf = next((result.folder / "pdf").glob("*_guarantor_letter_*.pdf"))
    text = "".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    lines = [line for line in text.splitlines() if "氏名（署名）" in line.replace(" ", "")]
    assert lines and all(line.replace(" ", "").replace("\u3000", "") == "氏名（署名）" for line in lines), lines
