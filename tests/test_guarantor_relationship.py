"""The 身元保証人's relationship is written from each applicant's side (reference §10.7): the husband's
employer is his wife's 夫の雇用主 and his son's 父の雇用主, on the 身元保証書 and in 申請書 item 19."""

from __future__ import annotations

from docx import Document

from docgen.case import Settings
from docgen.packet.build import build_packet
from docgen.profile.family import guarantor_relationship
from docgen.profile.load import load_profile
from tests.conftest import EXAMPLES, case_of


def _text(path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_family_sees_the_husbands_employer_as_his(tmp_path):
    profile = load_profile(EXAMPLES / "gijinkoku-family.yaml")
    wife, son = profile.co_applicants
    assert guarantor_relationship(profile, None) == "雇用主"
    assert guarantor_relationship(profile, wife) == "夫の雇用主"
    assert guarantor_relationship(profile, son) == "父の雇用主"

    result = build_packet(
        case_of(EXAMPLES / "gijinkoku-family.yaml", Settings(output_dir=tmp_path)), out=tmp_path / "p", pdf=False
    )
    letters = {p.name: _text(p) for p in result.documents if "guarantor_letter" in p.name}
    forms = {p.name: _text(p) for p in result.documents if "application_form" in p.name}
    assert sum("夫の雇用主" in t for t in letters.values()) == 1
    assert sum("父の雇用主" in t for t in letters.values()) == 1
    assert sum("夫の雇用主" in t for t in forms.values()) == 1
    assert sum("父の雇用主" in t for t in forms.values()) == 1


def _family_with(tmp_path, old: str, new: str):
    text = (EXAMPLES / "gijinkoku-family.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "case.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return load_profile(path)


def test_an_office_can_write_the_relationship_for_one_applicant(tmp_path):
    son_reason = "      reason: 両親とともに日本で生活を続けるため。\n"
    profile = _family_with(tmp_path, son_reason, son_reason + "      guarantor_relationship: 父の勤務先の代表者\n")
    assert guarantor_relationship(profile, profile.co_applicants[1]) == "父の勤務先の代表者"


def test_a_japanese_wife_as_guarantor_is_her_childs_mother(tmp_path):
    profile = _family_with(tmp_path, "  relationship: 雇用主", "  relationship: 妻")
    assert guarantor_relationship(profile, profile.co_applicants[1]) == "母"
