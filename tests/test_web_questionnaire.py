"""The questionnaire's round trip in the browser: staff download the family's questionnaire (in Vietnamese, the
client's language, under a Japanese file name), the client fills it in with Excel (openpyxl here), staff upload
it, see every difference with the profile field by field and take in some of them — the profile keeps its
comments, the refused answers stay out, the previous version is kept with who and when, every step audited.
A workbook with mistakes is shown problem by problem (sheet, row, question) and changes nothing."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from openpyxl import load_workbook
from starlette.testclient import TestClient

from docgen.usecases.audit import audit_log
from docgen.usecases.profile_edit import profile_versions
from tests.test_intake import Client
from tests.test_web_auth import FAMILY, STAFF, STAFF_PASSWORD, Office, log_in, make_office
from tests.web_form import form_fields

NEW_MOBILE, NEW_ADDRESS = "０９０-７７７７-８８８８", "東京都港区芝浦三丁目1番1号"


@pytest.fixture
def office(tmp_path: Path) -> Office:
    return make_office(tmp_path / "office")


@pytest.fixture
def taro(office: Office) -> Iterator[TestClient]:
    with office.app_client() as c:
        assert log_in(c, STAFF, STAFF_PASSWORD).status_code == 303
        yield c


def profile_of(office: Office) -> Path:
    return office.cases / FAMILY / f"{FAMILY}-profile.yaml"


def download(client: TestClient, target: Path) -> Path:
    got = client.get(f"/cases/{FAMILY}/questionnaire/download")
    assert got.status_code == 200
    target.write_bytes(got.content)
    return target


def filled_by_the_client(client: TestClient, folder: Path, **answers: str) -> Path:
    book = download(client, folder / "returned.xlsx")
    excel = Client(book)
    sheet = excel.sheet("applicant")
    for field, value in answers.items():
        excel.answer(sheet, field.replace("__", "."), value)
    excel.save()
    return book


def upload(client: TestClient, book: Path):
    page = client.get(f"/cases/{FAMILY}/questionnaire")
    token = form_fields(page.text, "/questionnaire")["csrf_token"]
    return client.post(
        f"/cases/{FAMILY}/questionnaire",
        data={"csrf_token": token},
        files={"workbook": (book.name, book.read_bytes(), "application/octet-stream")},
    )


def test_the_questionnaire_is_downloaded_in_the_clients_language_under_a_japanese_name(
    taro: TestClient, office: Office, tmp_path: Path
):
    got = taro.get(f"/cases/{FAMILY}/questionnaire/download")
    assert got.status_code == 200
    name = f"{FAMILY}_質問票_ベトナム語.xlsx"
    assert f"filename*=utf-8''{quote(name)}" in got.headers["content-disposition"]
    assert got.headers["content-disposition"].startswith("attachment;")
    book = tmp_path / name
    book.write_bytes(got.content)
    wb = load_workbook(book)
    assert any("Người nộp đơn" in ws.title or "申請人" in ws.title for ws in wb.worksheets)
    kept = office.cases / FAMILY / f"{FAMILY}-intake-vi.xlsx"  # where docgen intake new writes it
    assert kept.read_bytes() == got.content and kept.stat().st_mode & 0o777 == 0o600
    assert [(e.action, e.document) for e in audit_log(office.ctx, case_id=FAMILY)] == [("download", kept.name)]


def test_differences_are_taken_in_field_by_field_and_the_yaml_keeps_its_comments(
    taro: TestClient, office: Office, tmp_path: Path
):
    before = profile_of(office).read_text(encoding="utf-8")
    book = filled_by_the_client(
        taro, tmp_path, mobile=NEW_MOBILE, address=NEW_ADDRESS, social_insurance_employer="はい"
    )
    review = upload(taro, book)
    assert review.status_code == 200, review.text[:1000]
    insured = re.search(r'value="applicant.social_insurance_employer".*?</tr>', review.text, re.S).group(0)  # type: ignore[union-attr]
    assert '<td class="old">no</td><td class="new">yes</td>' in insured  # as staff read it, not false / true
    changes = re.search(r'<table class="diff" id="changes">.*?</table>', review.text, re.S).group(0)  # type: ignore[union-attr]
    rows = re.findall(r'<tr><td><input type="checkbox" name="accept" value="([^"]+)"', changes)
    assert {"applicant.mobile", "applicant.address"} <= set(rows)
    assert "080-2345-6789" in changes and "090-7777-8888" in changes  # the full-width digits read as the intake reads
    assert "Mobile phone" in changes  # the questionnaire's question names the field

    # staff take in the mobile and leave the address out
    fields = form_fields(review.text, "/questionnaire/accept")
    accepted = taro.post(
        f"/cases/{FAMILY}/questionnaire/accept",
        data={**fields, "accept": ["applicant.mobile"], "chosen": "1"},
        follow_redirects=False,
    )
    assert accepted.status_code == 303 and accepted.headers["location"].endswith("?applied=1")
    after = profile_of(office).read_text(encoding="utf-8")
    changed = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed == ["-  mobile: 080-2345-6789", "+  mobile: 090-7777-8888"]
    assert "  notifications_on_time: true              # 住居地・所属機関等の届出を期限内にしたことを確認済み" in after
    assert "Taken into the profile: 1" in taro.get(accepted.headers["location"]).text

    saves = profile_versions(office.ctx, FAMILY)
    assert [(s.user, s.action, s.fields) for s in saves] == [(STAFF, "questionnaire", ("applicant.mobile",))]
    kept = (
        office.cases / FAMILY / ".docgen-history" / profile_of(office).name / "versions" / f"{saves[0].previous}.yaml"
    )
    assert kept.read_text(encoding="utf-8") == before  # the previous version
    returned = sorted((office.cases / FAMILY).glob(f"{FAMILY}-intake-returned-*.xlsx"))
    assert len(returned) == 1 and returned[0].stat().st_mode & 0o777 == 0o600
    assert [e.action for e in audit_log(office.ctx, case_id=FAMILY)] == ["download", "upload", "change"]


def test_a_workbook_with_mistakes_is_shown_by_sheet_row_and_question_and_changes_nothing(
    taro: TestClient, office: Office, tmp_path: Path
):
    before = profile_of(office).read_text(encoding="utf-8")
    book = filled_by_the_client(taro, tmp_path, birth_date="1990年13月45日", residence_card_number="XY99")
    rows = {ws.title: ws for ws in load_workbook(book).worksheets}
    review = upload(taro, book)
    assert review.status_code == 400
    table = re.search(r'<table id="problems">.*?</table>', review.text, re.S).group(0)  # type: ignore[union-attr]
    problems = re.findall(
        r"<tr><td>(.*?)</td><td class=\"num\">(\d*)</td><td>(\w*)</td><td>(.*?)<span.*?</td><td>(.*?)</td></tr>", table
    )
    by_question = {q: (sheet, row, column, message) for sheet, row, column, q, message in problems}
    sheet, row, column, message = by_question["生年月日"]  # the question as the workbook asks it (Japanese first)
    assert sheet in rows and column == "D" and message == "no such day (check the month and day)"
    assert rows[sheet].cell(int(row), 4).value == "1990年13月45日"
    assert "2 letters, 8 digits and 2 letters" in by_question["在留カード番号"][3]
    assert "XY99" not in table and "13月45日" not in table  # values never echoed
    assert 'id="changes"' not in review.text  # nothing to take in
    assert profile_of(office).read_text(encoding="utf-8") == before


def test_a_profile_changed_after_the_review_is_not_overwritten(taro: TestClient, office: Office, tmp_path: Path):
    book = filled_by_the_client(taro, tmp_path, mobile=NEW_MOBILE)
    review = upload(taro, book)
    fields = form_fields(review.text, "/questionnaire/accept")
    path = profile_of(office)
    edited = path.read_text(encoding="utf-8").replace("occupation: 会社員", "occupation: 会社役員")
    path.write_text(edited, encoding="utf-8")  # someone edits the YAML meanwhile
    refused = taro.post(f"/cases/{FAMILY}/questionnaire/accept", data={**fields, "all": "1"}, follow_redirects=False)
    assert refused.status_code == 409
    assert "someone else changed the profile after the review" in refused.text
    assert "applicant.occupation" in refused.text and "会社役員" in refused.text
    assert path.read_text(encoding="utf-8") == edited
    # uploaded again, compared with the profile as it is now, and taken in whole
    again = upload(taro, book)
    fields = form_fields(again.text, "/questionnaire/accept")
    done = taro.post(f"/cases/{FAMILY}/questionnaire/accept", data={**fields, "all": "1"}, follow_redirects=False)
    assert done.status_code == 303
    text = path.read_text(encoding="utf-8")
    assert "mobile: 090-7777-8888" in text and "occupation: 会社役員" in text
