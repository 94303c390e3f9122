"""A new case in the browser: staff fill in the client's name, the category by its Japanese name, the planned date
in 和暦, the client's language, the staff member in charge and the employer; the case folder made is the one
`docgen case new` makes (same files, same skeleton), with the client's name and employer in the profile (its
comments kept) and the staff member recorded. Wrong fields are named beside them and nothing is made."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from docgen.usecases.audit import audit_log
from docgen.usecases.case_folder import case_staff, start_case
from docgen.usecases.context import RunContext
from docgen.usecases.profile_edit import problems_of
from tests.conftest import NOW
from tests.test_intake import Client, fill_in_as_mr_li
from tests.test_web_auth import STAFF, STAFF_PASSWORD, Office, log_in, make_office
from tests.web_form import form_fields


@pytest.fixture
def office(tmp_path: Path) -> Office:
    return make_office(tmp_path / "office")


@pytest.fixture
def taro(office: Office) -> Iterator[TestClient]:
    with office.app_client() as c:
        assert log_in(c, STAFF, STAFF_PASSWORD).status_code == 303
        yield c


def new_case_form(client: TestClient) -> tuple[str, dict[str, str]]:
    page = client.get("/new-case")
    assert page.status_code == 200
    return page.text, form_fields(page.text, "/new-case")


def files_of(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if not p.name.startswith("."))


def test_the_page_offers_the_next_case_id_the_categories_by_name_and_the_languages(taro: TestClient, office: Office):
    html, fields = new_case_form(taro)
    assert 'placeholder="2026-102"' in html  # 2026-101-family is in the cases folder
    assert '<option value="gijinkoku">Engineer/Specialist in Humanities/International Services (gijinkoku)' in html
    assert '<option value="vi">Vietnamese</option>' in html
    with office.app_client() as hanako:  # the administrator reads the pages in Japanese
        log_in(hanako)
        japanese = hanako.get("/new-case").text
    assert '<option value="gijinkoku">技術・人文知識・国際業務（gijinkoku）</option>' in japanese
    assert '<option value="vi">ベトナム語</option>' in japanese
    assert fields["staff"] == STAFF and fields["pdf"] == "1"
    assert '<script src="/static/case_new.js" defer></script>' in html


def test_a_new_case_is_the_folder_docgen_case_new_makes_with_the_clients_name(
    taro: TestClient, office: Office, tmp_path: Path
):
    _, fields = new_case_form(taro)
    fields.update(
        {
            "family_name": "Wang",
            "given_name": "Ｆａｎｇ",  # full-width, as a Chinese IME types it
            "category": "gijinkoku",
            "planned": "令和８年１２月１５日",
            "lang": "zh",
            "employer": "みなとテック株式会社",
        }
    )
    del fields["pdf"]  # the handout as Word only (no LibreOffice run in this test)
    made = taro.post("/new-case", data=fields, follow_redirects=False)
    assert made.status_code == 303, made.text[:800]
    assert made.headers["location"].endswith("/cases/2026-102-wang")
    root = office.cases / "2026-102-wang"
    assert root.stat().st_mode & 0o777 == 0o700

    # the same folder as the command line's case new (another office, same case)
    other = tmp_path / "cli"
    (other / "cases").mkdir(parents=True)
    (other / "docgen.toml").write_text('[paths]\ncases = "cases"\noutput = "output"\n', encoding="utf-8")
    cli = RunContext.load(now=NOW, near=other / "cases", lang="ja", user="setup")
    by_cli = start_case(cli, "2026-102-wang", "gijinkoku", date(2026, 12, 15), "zh", pdf=False)
    assert files_of(root) == files_of(by_cli.folder.root)
    assert "2026-102-wang-handout-zh.docx" in files_of(root)

    profile = (root / "2026-102-wang-profile.yaml").read_text(encoding="utf-8")
    skeleton = by_cli.folder.profile.read_text(encoding="utf-8")
    changed = sorted(set(profile.splitlines()) ^ set(skeleton.splitlines()))
    assert sorted(line.split("#")[0].strip() for line in changed) == [
        "family_name:",
        "family_name: WANG",
        "given_name:",
        "given_name: FANG",
        "name:",
        "name: みなとテック株式会社",
    ]
    assert "application_date: 2026-12-15" in profile and "client_language: zh" in profile
    assert case_staff(root) == STAFF
    assert (root / "2026-102-wang-profile.yaml").stat().st_mode & 0o777 == 0o600
    assert [(e.user, e.action, e.document) for e in audit_log(office.ctx, case_id="2026-102-wang")] == [
        (STAFF, "new_case", "2026-102-wang-profile.yaml")
    ]
    # the case page shows the new case, with the way to its profile and questionnaire
    page = taro.get(made.headers["location"]).text
    assert 'id="profile-links"' in page and "/cases/2026-102-wang/questionnaire" in page


def test_wrong_fields_are_named_beside_them_and_nothing_is_made(taro: TestClient, office: Office):
    _, fields = new_case_form(taro)
    fields.update(
        {
            "family_name": "王",
            "category": "",
            "planned": "令和8年13月1日",
            "employer": "<script>alert(1)</script>",
            "case_id": "2026-101-family",
        }
    )
    refused = taro.post("/new-case", data=fields, follow_redirects=False)
    assert refused.status_code == 400
    html = refused.text

    def beside(name: str) -> str:
        m = re.search(rf'<label class="has-error">[^<]*<(input|select)[^>]*name="{name}".*?</label>', html, re.S)
        assert m, name
        return m.group(0)

    assert "write the name in roman letters exactly as in the passport" in beside("family_name")
    assert "choose a category from the list" in beside("category")
    assert "no such month (1 to 12)" in beside("planned") or "no such day" in beside("planned")
    assert "a case folder with this id already exists" in beside("case_id")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert sorted(p.name for p in office.cases.iterdir()) == ["2026-101-family"]  # nothing made


@pytest.fixture
def hanako(office: Office) -> Iterator[TestClient]:
    with office.app_client() as c:  # the administrator reads the pages in Japanese
        assert log_in(c).status_code == 303
        yield c


def test_a_new_case_says_what_is_left_to_fill_in_and_the_questionnaire_clears_the_skeletons_blank_entries(
    hanako: TestClient, office: Office, tmp_path: Path
):
    """Mr Li's case, just started: its page says how many fields are still to fill in and where (the
    questionnaire, the profile pages) instead of a wall of 「空欄です」; his questionnaire comes back and is taken
    in whole — the skeleton's family member nobody named and its blank 取次者 go with it, as `intake import
    --merge` leaves them out; the review shows his answers as staff read them."""
    _, fields = new_case_form(hanako)
    fields.update({"family_name": "Li", "given_name": "Wei", "case_id": "2026-110-li", "category": "gijinkoku"})
    fields.update({"planned": "令和8年12月15日", "lang": "zh", "employer": "新宿ソフト株式会社"})
    del fields["pdf"]
    assert hanako.post("/new-case", data=fields, follow_redirects=False).status_code == 303
    profile = office.cases / "2026-110-li" / "2026-110-li-profile.yaml"

    page = hanako.get("/cases/2026-110-li").text
    note = re.search(r'<section class="card" id="profile-unfilled">.*?</section>', page, re.S)
    assert note is not None and "プロフィールは記入中です" in note.group(0)
    count = int(re.search(r'<span class="count">(\d+)</span>', note.group(0)).group(1))  # type: ignore[union-attr]
    assert count == len(problems_of(office.ctx, profile)) > 10  # every one an empty field
    assert "/cases/2026-110-li/questionnaire" in note.group(0) and "/cases/2026-110-li/profile" in note.group(0)
    assert "空欄です" not in page and "プロフィールにエラー" not in page

    book = tmp_path / "li.xlsx"
    book.write_bytes(hanako.get("/cases/2026-110-li/questionnaire/download").content)
    fill_in_as_mr_li(Client(book))
    token = form_fields(hanako.get("/cases/2026-110-li/questionnaire").text, "/questionnaire")["csrf_token"]
    review = hanako.post(
        "/cases/2026-110-li/questionnaire",
        data={"csrf_token": token},
        files={"workbook": (book.name, book.read_bytes(), "application/octet-stream")},
    )
    assert review.status_code == 200, review.text[:800]

    def row(field: str) -> str:
        m = re.search(
            rf'<tr><td><input type="checkbox" name="accept" value="{re.escape(field)}".*?</tr>', review.text, re.S
        )
        assert m, field
        return m.group(0)

    assert '<td class="new">1990年5月20日</td>' in row("applicant.birth_date")  # not 1990-05-20
    assert '<td class="new">いいえ</td>' in row("applicant.criminal_record.has_record")  # not false
    assert str(office.root) not in review.text  # the server's folders are not shown, the file by its name only
    accept = form_fields(review.text, "/questionnaire/accept")
    accept["all"] = "1"
    taken = hanako.post("/cases/2026-110-li/questionnaire/accept", data=accept, follow_redirects=False)
    assert taken.status_code == 303
    text = profile.read_text(encoding="utf-8")
    assert "\nfamily:" not in text and "\nfiling_agent:" not in text  # the skeleton's blank entries, gone
    assert "# 国籍・地域, e.g. 中国, ベトナム, 日本 — required" in text  # the comments kept
    assert not any(
        "family" in str(loc[0]) or "filing_agent" in str(loc[0]) for loc, _ in problems_of(office.ctx, profile)
    )


def test_a_real_error_in_the_profile_is_still_shown_on_the_case_page(hanako: TestClient, office: Office):
    """A profile with a value that is wrong (not just empty) shows its problems, each with its line and field."""
    profile = office.cases / "2026-101-family" / "2026-101-family-profile.yaml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace("sex: 男", "sex: 不明", 1), encoding="utf-8")
    page = hanako.get("/cases/2026-101-family").text
    assert 'id="profile-unfilled"' not in page
    assert "プロフィールにエラー" in page and "[applicant.sex]" in page
