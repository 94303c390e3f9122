"""Every applicant's own 申請書 and 了解書 (issue 18, point 1): a co-applicant has her own phones and work
history; a minor's forms name the parent who acts for the child (法定代理人, item 20 and the 了解書).

The Word files are rendered from the built-in templates and read back with python-docx."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from docx import Document
from docx.text.paragraph import Paragraph

from docgen.documents.render import render_docx
from docgen.documents.views import build_context
from docgen.profile.load import load_profile
from docgen.profile.model import Profile
from docgen.resources import TEMPLATES
from tests.conftest import EXAMPLES

FAMILY = EXAMPLES / "gijinkoku-family.yaml"
TODAY = date(2026, 12, 1)


def text_of(docx: Path) -> str:
    """All the text of a rendered Word file, paragraphs and table cells in the order they are printed."""
    doc = Document(str(docx))
    out = []
    for block in doc.iter_inner_content():
        if isinstance(block, Paragraph):
            out.append(block.text)
        else:
            out += [c.text for row in block.rows for c in row.cells]
    return "\n".join(out).replace("\u2011", "-")  # telephone numbers keep non-breaking hyphens (|tel)


def rendered(profile: Profile, template: str, tmp_path: Path, member_index: int | None = None) -> str:
    member = None if member_index is None else profile.co_applicants[member_index]
    ctx = build_context(profile, member, today=TODAY)
    return text_of(render_docx(TEMPLATES / f"{template}.docx", ctx, tmp_path / f"{template}.docx"))


def item(text: str, start: str, end: str) -> str:
    """The part of a form between two item headings."""
    return text[text.index(start) : text.index(end, text.index(start))]


def test_the_wife_s_form_has_her_own_phones_and_her_part_time_job(tmp_path: Path) -> None:
    family = load_profile(FAMILY)
    form = rendered(family, "application_form", tmp_path, 0)
    address = item(form, "9 住居地", "10 旅券")
    assert "携帯電話番号: 090-8765-4321" in address  # her own mobile
    assert "電話番号: 045-123-4567" in address  # the household's line: she lives with her husband
    history = item(form, "16 経歴", "17 主たる生計維持者")
    assert "株式会社ハマベーカリー（パート（販売））" in history
    assert "みなとテック" not in history  # her husband's jobs are his


def test_telephone_numbers_never_break_at_a_hyphen(tmp_path: Path) -> None:
    family = load_profile(FAMILY)
    member = family.co_applicants[0]
    ctx = build_context(family, member, today=TODAY)
    raw = Document(str(render_docx(TEMPLATES / "application_form.docx", ctx, tmp_path / "form.docx")))
    cells = "\n".join(c.text for t in raw.tables for row in t.rows for c in row.cells)
    assert "090\u20118765\u20114321" in cells and "045\u2011222\u20113333" in cells  # hers, her husband's employer
    assert not re.search(r"\d{2,4}-\d{2,4}-\d{4}", cells)  # no telephone number with a breaking hyphen


def test_an_adult_s_item_20_stays_empty(tmp_path: Path) -> None:
    form = rendered(load_profile(FAMILY), "application_form", tmp_path)
    assert item(form, "20 代理人", "以上の記載内容").split("(1) 氏名")[1].split("(2)")[0].strip() == ""


def test_a_child_filing_with_his_parents_is_represented_by_his_father(tmp_path: Path) -> None:
    family = load_profile(FAMILY)
    form = rendered(family, "application_form", tmp_path, 1)
    rep = item(form, "20 代理人", "以上の記載内容")
    assert "NGUYEN VAN AN" in rep and "父" in rep
    assert "神奈川県横浜市中区本町一丁目2番3号" in rep and "080-2345-6789" in rep
    ack = rendered(family, "acknowledgement", tmp_path, 1)
    assert "法定代理人　氏名　NGUYEN VAN AN（父）" in ack


def child_filing_alone(age_years: int = 2) -> Profile:
    """A two-year-old on 家族滞在 filing alone; her father (a worker) supports her and acts for her."""
    family = load_profile(FAMILY)
    son = family.co_applicants[1]
    assert son.application is not None
    born = date(2026 - age_years, 3, 1)
    applicant = {
        **{k: getattr(son, k) for k in ("family_name", "nationality", "sex")},
        **son.application.model_dump(by_alias=True, exclude={"category", "guarantor_relationship"}),
        "given_name": "LAN",
        "sex": "女",
        "birth_date": born,
        "address": family.applicant.address,
        "residence_history": [{"status": "家族滞在", "start": born}],
    }
    return Profile.model_validate(
        {
            "case_id": "2026-200-lan",
            "category": "kazoku_taizai",
            "application_date": family.application_date,
            "applicant": applicant,
            "family": [
                {
                    "relationship": "父",
                    "family_name": "NGUYEN",
                    "given_name": "VAN AN",
                    "nationality": "ベトナム",
                    "birth_date": date(1988, 9, 3),
                    "sex": "男",
                    "living_together": True,
                    "status": "永住者",
                }
            ],
            "supporter": {
                "name": "NGUYEN VAN AN",
                "relationship": "父",
                "occupation": "会社員",
                "employer": "みなとテック株式会社",
                "mobile": "080-2345-6789",
                "income": [{"year": 2025, "amount": 5900000, "resident_tax": "特別徴収"}],
            },
            "guarantor": family.guarantor.model_dump(),
        }
    )


def test_a_child_filing_alone_names_the_supporting_parent_as_legal_representative(tmp_path: Path) -> None:
    child = child_filing_alone()
    form = rendered(child, "application_form", tmp_path)
    rep = item(form, "20 代理人", "以上の記載内容")
    assert "NGUYEN VAN AN" in rep and "父" in rep
    assert "神奈川県横浜市中区本町一丁目2番3号" in rep  # the supporter's address: the child's, as none is given
    assert "080-2345-6789" in rep
    ack = rendered(child, "acknowledgement", tmp_path)
    assert "法定代理人　氏名　NGUYEN VAN AN（父）" in ack
    assert "NGUYEN LAN" not in ack.split("法定代理人")[1]  # never the child as her own representative


def test_a_minor_with_no_parent_in_the_profile_gets_places_for_the_office_not_a_guess(tmp_path: Path) -> None:
    child = child_filing_alone()
    child = child.model_copy(update={"supporter": None, "family": []})
    rep = item(rendered(child, "application_form", tmp_path), "20 代理人", "以上の記載内容")
    assert "［法定代理人の氏名］" in rep and "［本人との関係］" in rep and "［住所・電話番号］" in rep
    assert "［法定代理人の氏名］" in rendered(child, "acknowledgement", tmp_path)


def test_an_eighteen_year_old_signs_for_herself(tmp_path: Path) -> None:
    adult = child_filing_alone(age_years=19)
    rep = item(rendered(adult, "application_form", tmp_path), "20 代理人", "以上の記載内容")
    assert "NGUYEN VAN AN" not in rep and "［" not in rep
    assert "法定代理人" not in rendered(adult, "acknowledgement", tmp_path)
