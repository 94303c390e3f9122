"""The case board in the browser: the office's cases most urgent first (the order of `docgen cases`), with the
decision, earliest date, what is missing and the next action; searched and filtered by category, status and
employer; and the deadlines as a calendar subscribed to by address (a per-account token, case ids only)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from starlette.testclient import TestClient

from docgen.case.in_charge import record_staff
from docgen.usecases.audit import audit_log
from docgen.usecases.board import case_board
from tests.conftest import EXAMPLES, NOW
from tests.test_web_auth import (
    ADMIN,
    FAMILY,
    STAFF,
    STAFF_PASSWORD,
    Office,
    add_example_case,
    csrf_of,
    log_in,
    make_office,
)

SINGLE, SPOUSE, BROKEN = "2026-102-single", "2026-103-spouse", "2026-104-broken"
LATE = (NOW.date() - timedelta(days=5)).isoformat()  # the spouse case's planned date has passed


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Office:
    office = make_office(tmp_path_factory.mktemp("board") / "office")
    add_example_case(office.cases, "gijinkoku-single.yaml", SINGLE)
    record_staff(office.cases / SINGLE, "佐藤")  # as docgen case new --staff / the new-case form records it
    spouse = (EXAMPLES / "spouse-of-japanese.yaml").read_text(encoding="utf-8")
    add_example_case(
        office.cases, "", SPOUSE, re.sub(r"^application_date: .*$", f"application_date: {LATE}", spouse, flags=re.M)
    )
    broken = (EXAMPLES / "teijusha.yaml").read_text(encoding="utf-8").replace("  sex: 男", "  sexx: 男", 1)
    add_example_case(office.cases, "", BROKEN, broken)
    (office.cases / ".hidden-case").mkdir()
    return office


@pytest.fixture(scope="module")
def client(office: Office):
    with office.app_client() as c:
        log_in(c)
        yield c


def case_links(html: str) -> list[str]:
    return re.findall(r'<td><a href="http://127\.0\.0\.1/cases/([^"]+)">', html)


def test_the_board_lists_every_case_as_docgen_cases_sorts_them(client: TestClient, office: Office):
    page = client.get("/")
    assert page.status_code == 200
    expected = [row.case_id for row in case_board(office.ctx).rows]
    assert case_links(page.text) == expected
    assert expected[0] == SPOUSE  # overdue first
    assert set(expected) == {FAMILY, SINGLE, SPOUSE, BROKEN}  # the hidden folder is left off
    assert "2026年12月15日（火）" in page.text  # the planned and earliest dates, as staff read them
    assert "期限超過" in page.text
    assert "プロフィールにエラー" in page.text and "[applicant.sexx]" in page.text  # the broken case says why


def test_the_board_shows_decision_next_action_and_what_is_missing(client: TestClient, office: Office):
    html = client.get("/").text
    rows = {row.case_id: row for row in case_board(office.ctx).rows}
    for case_id in (FAMILY, SINGLE, SPOUSE):
        row = rows[case_id]
        line = re.search(rf"/cases/{case_id}\">.*?</tr>", html, re.S).group(0)  # type: ignore[union-attr]
        assert row.decision is not None and f'class="tag {row.decision.status}"' in line
        assert row.next_action is not None and row.next_action.label.ja in line  # the admin reads Japanese
        assert "パケット未作成" in line  # no packet built yet: the missing documents are not counted yet


def test_an_english_speaking_staff_member_reads_the_boards_words_in_english(office: Office):
    """The board's error labels, problems and next actions are in the staff member's language, on the board and on
    the case page; a Japanese-speaking colleague reads the same rows in Japanese."""
    rows = {row.case_id: row for row in case_board(office.ctx).rows}
    spouse = rows[SPOUSE].next_action
    assert spouse is not None
    with office.app_client() as english:
        log_in(english, STAFF, STAFF_PASSWORD)
        board = english.get("/").text
        line = re.search(rf"/cases/{SPOUSE}\">.*?</tr>", board, re.S).group(0)  # type: ignore[union-attr]
        assert spouse.label.en in line and spouse.label.ja not in line
        assert "errors in the profile" in board and "line 11 [applicant.sexx]" in board
        assert "プロフィールにエラー" not in board and "11行目" not in board
        case = english.get(f"/cases/{BROKEN}").text
        assert "errors in the profile" in case and "line 11 [applicant.sexx]" in case and "11行目" not in case
    with office.app_client() as japanese:
        log_in(japanese)
        board = japanese.get("/").text
        line = re.search(rf"/cases/{SPOUSE}\">.*?</tr>", board, re.S).group(0)  # type: ignore[union-attr]
        assert spouse.label.ja in line and spouse.label.en not in line
        assert "プロフィールにエラー" in board and "11行目 [applicant.sexx]" in board
        assert "11行目 [applicant.sexx]" in japanese.get(f"/cases/{BROKEN}").text


def test_the_board_shows_no_names(client: TestClient):
    html = client.get("/").text
    for name in ("NGUYEN", "VAN AN", "みなとテック"):
        assert name not in html


def test_search_and_filters(client: TestClient):
    def shown(**params: str) -> list[str]:
        return case_links(client.get("/", params=params).text)

    assert shown(category="gijinkoku") == [c for c in shown() if c in (FAMILY, SINGLE)]
    assert shown(status="overdue") == [SPOUSE]
    assert shown(status="error") == [BROKEN]
    assert shown(q="single") == [SINGLE]
    assert shown(q="SINGLE") == [SINGLE]
    assert shown(employer="みなとテック") == [FAMILY]  # the family's main applicant works there
    assert shown(employer="サクラソフト", category="gijinkoku") == [SINGLE]
    assert shown(staff="佐藤") == [SINGLE]  # the staff member in charge, chosen from those recorded
    assert '<option value="佐藤">佐藤</option>' in client.get("/").text
    assert shown(q="nobody-has-this") == []
    assert "該当する案件はありません" in client.get("/", params={"q": "nobody-has-this"}).text


def test_a_board_filter_value_is_shown_escaped(client: TestClient):
    html = client.get("/", params={"q": '"><script>alert(1)</script>'}).text
    assert "<script>alert(1)" not in html
    assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_viewing_the_board_is_audited(client: TestClient, office: Office):
    client.get("/")
    assert any(e.user == ADMIN and e.action == "view_board" for e in audit_log(office.ctx))


def subscribe(client: TestClient) -> str:
    page = client.post("/calendar/new", data={"csrf_token": csrf_of(client)})
    assert page.status_code == 200
    return re.search(r'<code id="calendar-url">([^<]+)</code>', page.text).group(1)  # type: ignore[union-attr]


def test_the_calendar_is_subscribed_by_a_token_address_with_case_ids_only(office: Office):
    with office.app_client() as staff:
        log_in(staff, STAFF, STAFF_PASSWORD)
        url = subscribe(staff)
    assert re.fullmatch(r"http://127\.0\.0\.1/calendar/[A-Za-z0-9_-]{40,}\.ics", url)
    with office.app_client() as program:  # a calendar program: no session, the address is the credential
        feed = program.get(url)
        assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
        events = Calendar.from_ical(feed.content).walk("VEVENT")
        summaries = " ".join(str(e["summary"]) for e in events)
        assert events and all(case in summaries for case in (FAMILY, SINGLE, SPOUSE))
        for name in ("NGUYEN", "VAN AN", "WANG", "SANTOS", "みなとテック"):
            assert name not in feed.text
        assert program.get(url.replace(".ics", "x.ics")).status_code == 404
    with office.app_client() as staff:  # a new address stops the old one
        log_in(staff, STAFF, STAFF_PASSWORD)
        newer = subscribe(staff)
    with office.app_client() as program:
        assert program.get(url).status_code == 404
        assert program.get(newer).status_code == 200
    assert any(e.user == STAFF and e.action == "calendar_read" for e in audit_log(office.ctx))


def test_a_disabled_accounts_calendar_stops(tmp_path: Path):
    from docgen.usecases.accounts import disable_account

    office = make_office(tmp_path / "office")
    with office.app_client() as staff:
        log_in(staff, STAFF, STAFF_PASSWORD)
        url = subscribe(staff)
    disable_account(office.ctx, STAFF)
    with office.app_client() as program:
        assert program.get(url).status_code == 404
