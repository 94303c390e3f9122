"""The board obeys the decision (issue 17): each observed case's line shows the decision the assessment made and
the action that unblocks it — never 申請 for a case the law or the guideline blocks."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from docgen.board import build_board
from docgen.board.ics import board_calendar
from docgen.board.output import board_csv, board_text
from docgen.case import Settings
from tests.conftest import RULES
from tests.test_decision import FINE, profile_file
from tests.test_decision_requirements import business_owner
from tests.test_eligibility import make_profile

NOW = datetime(2026, 11, 22, 10, 0).astimezone()

CASES = {
    # 技人国 for 11 years whose current period is 1年: blocked until a renewal gives a longer period
    "2026-301-one-year": make_profile(
        period_of_stay="1年",
        residence_history=[{"status": "技術・人文知識・国際業務", "start": "2015-10-01"}],
        application_date="2026-12-15",
    ),
    # a 経営・管理 owner whose company fails the 2025-10-16 standards
    "2026-302-owner": business_owner(),
    # the route is met only on 2028-04-01
    "2026-303-later": make_profile(
        residence_history=[{"status": "技術・人文知識・国際業務", "start": "2018-04-01"}], application_date="2026-12-15"
    ),
    # a speeding fine (略式命令, 罰金), paid 2023-07-10: 刑の消滅 on 2028-07-10
    "2026-304-fine": make_profile(traffic=[FINE], application_date="2026-12-15"),
    # nothing in the way
    "2026-305-clean": make_profile(application_date="2026-12-15"),
}


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    cases = tmp_path_factory.mktemp("office") / "cases"
    for case_id, profile in CASES.items():
        folder = cases / case_id
        folder.mkdir(parents=True)
        profile_file(folder, profile.model_copy(update={"case_id": case_id}), f"{case_id}-profile.yaml")
    return build_board(cases, Settings(), RULES, now=NOW)


def row(board, case_id: str):
    return next(r for r in board.rows if r.case_id == case_id)


@pytest.mark.parametrize(
    ("case_id", "status", "earliest", "next_words", "next_date"),
    [
        ("2026-301-one-year", "blocked", None, "更新で", None),
        ("2026-302-owner", "blocked", None, "事業が基準を満たした後", None),
        ("2026-303-later", "blocked", date(2028, 4, 1), "2028-04-01 を待つ", date(2028, 4, 1)),
        ("2026-304-fine", "blocked", date(2028, 7, 10), "刑の消滅", date(2028, 7, 10)),
        ("2026-305-clean", "ready", date(2026, 12, 15), "永住許可申請", date(2026, 12, 15)),
    ],
)
def test_each_case_shows_its_decision_and_what_to_do_next(board, case_id, status, earliest, next_words, next_date):
    r = row(board, case_id)
    assert r.decision is not None and r.decision.status == status and r.decision.earliest_date == earliest
    line = next(x for x in board_text(board).splitlines() if case_id in x and f"{case_id}:" not in x)
    assert next_words in line
    if next_date is not None:
        assert r.next_action is not None and r.next_action.on == next_date
    else:
        assert "時期未定" in line  # no date can be given: what must happen is said instead
    if status == "blocked":
        assert "申請不可" in line
        assert not any(a.kind.value in ("file", "certificates") for a in r.actions)
        assert "永住許可申請" not in line


def test_the_board_never_proposes_filing_for_a_blocked_case_in_any_output(board):
    blocked = [r for r in board.rows if r.decision and r.decision.status == "blocked"]
    assert len(blocked) == 4
    data = json.loads(json.dumps(board.to_json()))
    for case in data["cases"]:
        kinds = {a["kind"] for a in case["actions"]}
        assert ("file" in kinds) == (case["decision"]["status"] in ("ready", "ready_with_risks")), case["case_id"]
    csv_lines = [x for x in board_csv(board).splitlines() if any(r.case_id in x for r in blocked)]
    assert csv_lines and not any("永住許可申請" in x for x in csv_lines)
    calendar = board_calendar(board, NOW).to_ical().decode("utf-8")
    for r in blocked:
        assert f"【{r.case_id}】永住許可申請" not in calendar
    assert "【2026-304-fine】申請できるようになる日" in calendar.replace("\r\n ", "")
