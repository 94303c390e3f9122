"""The profile as forms, through HTTP: staff open the family example's profile page by page (every field of the
model on one of the pages), type a 和暦 date, see `docgen profile check`'s message beside a field they got wrong,
save — and the YAML keeps its comments and order, with only the changed line rewritten and the previous version
kept with who saved it. Two staff editing the same profile: the second save is refused with the first one's
change shown and nothing lost; an edit made with a text editor meanwhile is caught the same way."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel
from starlette.testclient import TestClient

from docgen.profile.model import Profile
from docgen.usecases.audit import audit_log
from docgen.usecases.profile_fields import GROUPS
from tests.test_web_auth import ADMIN, FAMILY, STAFF, STAFF_PASSWORD, Office, log_in, make_office
from tests.web_form import form_fields


@pytest.fixture
def office(tmp_path: Path) -> Office:
    return make_office(tmp_path / "office")


@pytest.fixture
def taro(office: Office) -> Iterator[TestClient]:
    """Taro, a staff member who reads the pages in English."""
    with office.app_client() as c:
        assert log_in(c, STAFF, STAFF_PASSWORD).status_code == 303
        yield c


@pytest.fixture
def hanako(office: Office) -> Iterator[TestClient]:
    """Hanako, the office's administrator (Japanese pages)."""
    with office.app_client() as c:
        assert log_in(c).status_code == 303
        yield c


def profile_of(office: Office) -> Path:
    return office.cases / FAMILY / f"{FAMILY}-profile.yaml"


def page_url(group: str) -> str:
    return f"/cases/{FAMILY}/profile/{group}"


def open_page(client: TestClient, group: str) -> tuple[str, dict[str, str]]:
    page = client.get(page_url(group))
    assert page.status_code == 200, page.text[:500]
    return page.text, form_fields(page.text, f"/profile/{group}")


def field_box(html: str, name: str) -> str:
    """The widget of one field with what is shown beside it (its label, its problems)."""
    ident = "f-" + name.replace(".", "-")
    m = re.search(rf'<div class="field[^"]*"><label for="{re.escape(ident)}">.*?</div>', html, re.S)
    assert m, name
    return m.group(0)


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def _leaves(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Every value of the model, by its YAML path (list entries without their index), read from pydantic."""
    import types
    import typing

    out: set[tuple[str, ...]] = set()
    for name, info in model.model_fields.items():
        key, annotation = info.alias or name, info.annotation
        if typing.get_origin(annotation) in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        if typing.get_origin(annotation) is list:
            annotation = typing.get_args(annotation)[0]
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            out |= _leaves(annotation, (*prefix, key))
        else:
            out.add((*prefix, key))
    return out


def test_every_field_of_the_model_is_on_one_of_the_pages(taro: TestClient):
    shown: dict[tuple[str, ...], str] = {}
    for group in GROUPS:
        html, fields = open_page(taro, group.key)
        assert "<script>" not in html.split("<main>")[1]  # no inline script (the CSP allows none)
        for name in fields:
            if name in ("csrf_token", "version"):
                continue
            path = tuple(p for p in name.split(".") if not p.isdigit())
            assert path not in shown or shown[path] == group.key, (path, group.key)
            shown[path] = group.key
    assert _leaves(Profile) <= set(shown)
    assert shown[("applicant", "trips", "departure")] == "trips"
    assert shown[("applicant", "income", "resident_tax")] == "income"
    assert shown[("family", "application", "pension", "exemption")] == "family"
    assert shown[("applicant", "hsp", "degrees", "level")] == "hsp"
    assert shown[("guarantor", "relationship")] == "guarantor"
    assert shown[("applicant", "passport", "number")] == "person"  # a block of the applicant no page claims


def test_a_japanese_era_date_typed_full_width_is_saved_and_only_its_line_changes(taro: TestClient, office: Office):
    before = profile_of(office).read_text(encoding="utf-8")
    html, fields = open_page(taro, "person")
    assert fields["applicant.stay_expiry"] == "2027-08-31"
    assert 'placeholder="2026-11-30 / 令和8年11月30日"' in field_box(html, "applicant.stay_expiry")
    fields["applicant.stay_expiry"] = "令和１２年８月３１日"  # as typed on a Japanese keyboard
    saved = taro.post(page_url("person"), data=fields, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].endswith("/profile/person?saved=1")
    after = profile_of(office).read_text(encoding="utf-8")
    assert changed_lines(before, after) == ["-  stay_expiry: 2027-08-31", "+  stay_expiry: 2030-08-31"]
    # comments, the block scalar and the one-line table entries are as they were
    assert "  trips_confirmed_since: 2012-10-01        # 出入国記録（開示請求の回答）で確かめた期間の始まり" in after
    assert profile_of(office).stat().st_mode & 0o777 == 0o600
    page = taro.get(saved.headers["location"])
    assert "Saved (the previous version is kept in the history)" in page.text
    assert form_fields(page.text, "/profile/person")["applicant.stay_expiry"] == "2030-08-31"


def test_a_wrong_value_is_refused_with_the_command_lines_message_beside_its_field(taro: TestClient, office: Office):
    before = profile_of(office).read_text(encoding="utf-8")
    _, fields = open_page(taro, "person")
    fields["applicant.residence_card_number"] = "EF2345"
    fields["applicant.mobile"] = "090-1111-2222"
    refused = taro.post(page_url("person"), data=fields, follow_redirects=False)
    assert refused.status_code == 400
    box = field_box(refused.text, "applicant.residence_card_number")
    assert "a residence card number is 2 letters, 8 digits and 2 letters (e.g. AB12345678CD)" in box
    assert 'aria-invalid="true"' in box
    assert "Not saved: correct the fields marked in red (what you typed is kept)" in refused.text
    kept = form_fields(refused.text, "/profile/person")
    assert kept["applicant.residence_card_number"] == "EF2345" and kept["applicant.mobile"] == "090-1111-2222"
    assert "a residence card number" not in field_box(refused.text, "applicant.mobile")
    assert profile_of(office).read_text(encoding="utf-8") == before  # nothing written

    # a date that is no date: the intake's words, beside the field, the value never repeated in a message
    kept["applicant.residence_card_number"] = "EF23456789GH"
    kept["applicant.birth_date"] = "平成99年2月30日"
    again = taro.post(page_url("person"), data=kept, follow_redirects=False)
    assert again.status_code == 400
    assert "no such day (check the month and day)" in field_box(again.text, "applicant.birth_date")
    assert again.text.count("平成99年2月30日") == 1  # in its field only

    # corrected: saved, with the mobile typed before
    kept["applicant.birth_date"] = "S63.9.3"
    assert taro.post(page_url("person"), data=kept, follow_redirects=False).status_code == 303
    after = profile_of(office).read_text(encoding="utf-8")
    assert changed_lines(before, after) == ["-  mobile: 080-2345-6789", "+  mobile: 090-1111-2222"]


def test_a_consistency_problem_is_shown_beside_the_entry_it_concerns(taro: TestClient, office: Office):
    _, fields = open_page(taro, "trips")
    fields["applicant.trips.0.return"] = "2024-12-01"  # before the departure
    refused = taro.post(page_url("trips"), data=fields, follow_redirects=False)
    assert refused.status_code == 400
    cell = re.search(r'<td class="has-error"><input id="f-applicant-trips-0-return".*?</td>', refused.text, re.S)
    assert cell and 'value="2024-12-01"' in cell.group(0)
    assert "the return date is before the departure date" in cell.group(0)


def test_rows_are_added_and_removed_and_new_ones_written_on_one_line(taro: TestClient, office: Office):
    _, fields = open_page(taro, "trips")
    fields.update(
        {
            "applicant.trips.1.departure": "2025/8/10",
            "applicant.trips.1.return": "２０２５年８月２０日",
            "applicant.trips.1.destination": "ベトナム",
            "applicant.trips.1.purpose": "親族訪問",
            "applicant.trips.1.exit": "みなし再入国",
        }
    )
    assert taro.post(page_url("trips"), data=fields, follow_redirects=False).status_code == 303
    text = profile_of(office).read_text(encoding="utf-8")
    assert (
        "    - {departure: 2025-08-10, return: 2025-08-20, destination: ベトナム, purpose: 親族訪問,"
        " exit: みなし再入国}" in text
    )
    _, fields = open_page(taro, "trips")
    fields["applicant.trips.0._delete"] = "1"
    assert taro.post(page_url("trips"), data=fields, follow_redirects=False).status_code == 303
    text = profile_of(office).read_text(encoding="utf-8")
    assert "2024-12-25" not in text and "2025-08-10" in text


def test_a_value_with_markup_is_kept_as_text_and_shown_escaped(taro: TestClient, office: Office):
    _, fields = open_page(taro, "person")
    fields["applicant.home_town"] = '<script>alert("x")</script> ハノイ'
    assert taro.post(page_url("person"), data=fields, follow_redirects=False).status_code == 303
    assert """home_town: <script>alert("x")</script> ハノイ""" in profile_of(office).read_text(encoding="utf-8")
    html = taro.get(page_url("person")).text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; ハノイ" in html


def test_two_staff_edit_the_same_profile_the_second_save_is_refused_with_the_first_ones_change(
    taro: TestClient, hanako: TestClient, office: Office
):
    _, taros = open_page(taro, "person")
    _, hanakos = open_page(hanako, "person")
    taros["applicant.mobile"] = "090-1111-2222"
    assert taro.post(page_url("person"), data=taros, follow_redirects=False).status_code == 303
    after_taro = profile_of(office).read_text(encoding="utf-8")

    hanakos["applicant.address"] = "神奈川県横浜市西区みなとみらい三丁目1番1号"
    refused = hanako.post(page_url("person"), data=hanakos, follow_redirects=False)
    assert refused.status_code == 409
    assert profile_of(office).read_text(encoding="utf-8") == after_taro  # taro's save is not overwritten
    conflict = re.search(r'<section class="card conflict".*?</section>', refused.text, re.S).group(0)  # type: ignore[union-attr]
    assert "別の人がプロフィールを変更しました" in conflict
    assert re.search(
        rf"{STAFF}（\d{{4}}年\d{{1,2}}月\d{{1,2}}日（.） \d{{2}}:\d{{2}}）", conflict
    )  # when, as staff read it
    assert "applicant.mobile" in conflict and "080-2345-6789" in conflict and "090-1111-2222" in conflict
    # nothing lost: the form holds taro's mobile and hanako's address, ready to save again
    merged = form_fields(refused.text, "/profile/person")
    assert merged["applicant.mobile"] == "090-1111-2222"
    assert merged["applicant.address"] == "神奈川県横浜市西区みなとみらい三丁目1番1号"
    assert hanako.post(page_url("person"), data=merged, follow_redirects=False).status_code == 303
    text = profile_of(office).read_text(encoding="utf-8")
    assert "mobile: 090-1111-2222" in text and "address: 神奈川県横浜市西区みなとみらい三丁目1番1号" in text

    history = hanako.get(f"/cases/{FAMILY}/profile/history").text
    saves = re.findall(
        r"<tr><td class=\"date\">(.*?)</td><td>(.*?)</td><td class=\"how\">(.*?)</td>"
        r"<td>(.*?)</td><td><a href=\"([^\"]+)\"",
        history,
    )
    assert [(who, how, what) for _, who, how, what, _ in saves] == [  # the page by its name, not its code
        (ADMIN, "「本人」のページ", "applicant.address"),
        (STAFF, "「本人」のページ", "applicant.mobile"),
    ]
    assert all(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日（.） \d{2}:\d{2}", when) for when, *_ in saves)  # no ISO time
    assert [e.action for e in audit_log(office.ctx, case_id=FAMILY) if e.action == "change"] == ["change", "change"]
    # the version before taro's save, downloaded from the history (audited)
    before_taro = hanako.get(saves[1][4])
    assert before_taro.status_code == 200 and "mobile: 080-2345-6789" in before_taro.text
    assert before_taro.headers["content-disposition"].startswith(f'attachment; filename="{FAMILY}-profile.')
    assert hanako.get(f"/cases/{FAMILY}/profile/history/{'0' * 64}").status_code == 404
    assert hanako.get(f"/cases/{FAMILY}/profile/history/..%2F..%2Fx").status_code == 404
    # the versions before each save are kept, owner-only
    versions = sorted((office.cases / FAMILY / ".docgen-history" / profile_of(office).name / "versions").iterdir())
    assert len(versions) == 3 and all(v.stat().st_mode & 0o777 == 0o600 for v in versions)


def test_an_edit_made_with_a_text_editor_meanwhile_is_caught_too(taro: TestClient, office: Office):
    _, fields = open_page(taro, "person")
    path = profile_of(office)
    path.write_text(path.read_text(encoding="utf-8").replace("occupation: 会社員", "occupation: 会社役員"), "utf-8")
    fields["applicant.phone"] = "045-999-0000"
    refused = taro.post(page_url("person"), data=fields, follow_redirects=False)
    assert refused.status_code == 409
    assert "a change made outside the browser (command line or an editor)" in refused.text
    merged = form_fields(refused.text, "/profile/person")
    assert merged["applicant.occupation"] == "会社役員" and merged["applicant.phone"] == "045-999-0000"
    assert "occupation: 会社役員" in path.read_text(encoding="utf-8")


def test_problems_on_other_pages_are_counted_on_their_tabs(taro: TestClient, office: Office):
    path = profile_of(office)
    path.write_text(
        path.read_text(encoding="utf-8").replace("resident_tax: 特別徴収", "resident_tax: 天引き", 1), "utf-8"
    )
    html, _ = open_page(taro, "person")
    tab = re.search(r'<a href="[^"]*/profile/income"[^>]*>(.*?)</a>', html, re.S).group(1)  # type: ignore[union-attr]
    assert '<span class="count"' in tab
    income, fields = open_page(taro, "income")
    cell = re.search(r'<td class="has-error"><select id="f-applicant-income-0-resident_tax".*?</td>', income, re.S)
    assert (
        cell and "must be one of: &#39;特別徴収&#39;, &#39;普通徴収&#39; or &#39;途中から普通徴収&#39;" in cell.group(0)
    )
    assert fields["applicant.income.0.resident_tax"] == "天引き"  # what the file says is shown, not dropped


def test_a_page_of_another_case_or_an_unknown_page_is_not_found(taro: TestClient):
    assert taro.get("/cases/..%2F..%2Fetc/profile/person").status_code == 404
    assert taro.get(f"/cases/{FAMILY}/profile/nothing").status_code == 404
    assert taro.get("/cases/2026-999-none/profile/person").status_code == 404


def test_a_new_cases_skeleton_is_filled_in_page_by_page(taro: TestClient, office: Office):
    """Fields still empty elsewhere do not stop a save; the skeleton's placeholder entries go when their page is
    saved; its comments stay."""
    from datetime import date

    from docgen.usecases.case_folder import start_case

    made = start_case(office.ctx, "2026-102-wang", "gijinkoku", date(2026, 12, 15), "zh", pdf=False)
    url = "/cases/2026-102-wang/profile/person"
    page = taro.get(url)
    assert page.status_code == 200
    fields = form_fields(page.text, "/profile/person")
    assert "this field is empty; fill it in" in field_box(page.text, "applicant.nationality")  # as profile check says
    fields.update(
        {
            "applicant.family_name": "wang",
            "applicant.given_name": "fang",
            "applicant.nationality": "中国",
            "applicant.birth_date": "平成2年5月20日",
            "applicant.sex": "女",
        }
    )
    saved = taro.post(url, data=fields, follow_redirects=False)
    assert saved.status_code == 303, re.findall(r"field-error[^>]*>([^<]*)", saved.text)
    text = made.folder.profile.read_text(encoding="utf-8")
    assert "  nationality: 中国 # 国籍・地域, e.g. 中国, ベトナム, 日本 — required" in text
    assert "  birth_date: 1990-05-20 # YYYY-MM-DD — required" in text and "  family_name: wang" in text
    assert "other_identities" not in text and "traffic:" not in text  # the blank placeholder entries went
    assert "  passport:  # required" in text  # still to be filled, left as the skeleton has it
    again = taro.get(url)
    assert "this field is empty; fill it in" in field_box(again.text, "applicant.passport.number")


def test_saving_a_page_nobody_changed_writes_nothing(taro: TestClient, office: Office):
    before = profile_of(office).read_bytes()
    _, fields = open_page(taro, "family")
    sent = taro.post(page_url("family"), data=fields, follow_redirects=False)
    assert sent.status_code == 303
    assert profile_of(office).read_bytes() == before
    assert taro.get(f"/cases/{FAMILY}/profile/history").text.count('<td class="date">') == 0
    shown = taro.get(sent.headers["location"]).text  # the page says nothing was saved, not 「保存しました」
    assert "Nothing changed: nothing was saved" in shown and "Saved (the previous version" not in shown


def test_an_optional_block_is_removed_with_its_remove_box(taro: TestClient, office: Office):
    """The 取次者 (an optional block of the model) has a 削除 box; ticked, the block goes from the profile, the
    rest of the file as it was; a required block (the applicant's passport) has none."""
    html, fields = open_page(taro, "case")
    assert 'name="filing_agent._delete"' in html
    assert "filing_agent:" in profile_of(office).read_text(encoding="utf-8")
    assert 'name="applicant.passport._delete"' not in open_page(taro, "person")[0]
    fields["filing_agent._delete"] = "1"
    sent = taro.post(page_url("case"), data=fields, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"].endswith("?saved=1")
    text = profile_of(office).read_text(encoding="utf-8")
    assert "filing_agent:" not in text and "registration_number" not in text
    assert "employer: {name: みなとテック株式会社" in text  # the rest kept


def test_a_long_statement_is_saved_and_a_control_character_refused(taro: TestClient, office: Office):
    statement = "私は横浜で家族と暮らしております。" * 200  # 3400 characters: longer than a questionnaire's cell
    _, fields = open_page(taro, "person")
    fields["applicant.statement"] = statement.replace("。", "。\r\n", 3)  # a browser sends CR LF
    assert taro.post(page_url("person"), data=fields, follow_redirects=False).status_code == 303
    from docgen.usecases.profile import check_profile

    assert check_profile(office.ctx, profile_of(office)).profile.applicant.statement.startswith(
        "私は横浜で家族と暮らしております。\n私は"
    )
    _, fields = open_page(taro, "person")
    fields["applicant.occupation"] = "会社員\x07"
    refused = taro.post(page_url("person"), data=fields, follow_redirects=False)
    assert refused.status_code == 400
    assert "contains control characters" in field_box(refused.text, "applicant.occupation")


def test_a_field_added_to_the_model_appears_on_its_page_without_page_code(
    taro: TestClient, monkeypatch: pytest.MonkeyPatch
):
    """The pages are generated from the model: a new top-level field lands on the case page, a new field of the
    applicant on the person page."""
    from pydantic import Field

    import docgen.usecases.profile_fields as profile_fields
    from docgen.profile.model import Applicant

    class NewApplicant(Applicant):
        line_id: str = Field("", description="LINE の ID")

    class NewProfile(Profile):
        office_note: str = Field("", description="事務所メモ")
        applicant: NewApplicant

    monkeypatch.setattr(profile_fields, "Profile", NewProfile)
    profile_fields.profile_tree.cache_clear()
    try:
        case_page, _ = open_page(taro, "case")
        person_page, _ = open_page(taro, "person")
    finally:
        monkeypatch.undo()
        profile_fields.profile_tree.cache_clear()
    assert '<label for="f-office_note">office note</label>' in case_page  # in Japanese: 事務所メモ
    assert '<label for="f-applicant-line_id">line id</label>' in person_page


def test_a_page_given_back_keeps_the_rows_ticked_for_removal(taro: TestClient, office: Office):
    _, fields = open_page(taro, "residence")
    fields["applicant.residence_history.0._delete"] = "1"
    fields["applicant.residence_history.1.start"] = "2016年4月31日"  # no such day: the page comes back
    refused = taro.post(page_url("residence"), data=fields, follow_redirects=False)
    assert refused.status_code == 400
    again = form_fields(refused.text, "/profile/residence")
    assert again["applicant.residence_history.0._delete"] == "1"  # still ticked
    assert again["applicant.residence_history.1.start"] == "2016年4月31日"


def test_two_saves_at_the_same_moment_one_wins_the_other_is_refused(
    taro: TestClient, hanako: TestClient, office: Office
):
    from concurrent.futures import ThreadPoolExecutor

    _, taros = open_page(taro, "person")
    _, hanakos = open_page(hanako, "person")
    taros["applicant.phone"] = "045-111-1111"
    hanakos["applicant.phone"] = "045-222-2222"
    with ThreadPoolExecutor(2) as pool:
        done = list(
            pool.map(
                lambda who: who[0].post(page_url("person"), data=who[1], follow_redirects=False),
                [(taro, taros), (hanako, hanakos)],
            )
        )
    assert sorted(r.status_code for r in done) == [303, 409]
    winner = "045-111-1111" if done[0].status_code == 303 else "045-222-2222"
    assert f"phone: {winner}" in profile_of(office).read_text(encoding="utf-8")
    assert len(profile_versions_of(office)) == 1


def profile_versions_of(office: Office):
    from docgen.usecases.profile_edit import profile_versions

    return profile_versions(office.ctx, FAMILY)
