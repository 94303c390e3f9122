"""One place for status words: the assessment's tables (DECISION_WORDS next to DecisionStatus, ROUTE_WORDS and
ROUTE_MARKS next to RouteStatus) give the case board its word for each decision and the report and `docgen
points` theirs for each route; no other module spells them again."""

from __future__ import annotations

import ast
import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from docgen.assessment.decision import DECISION_WORDS, DecisionStatus
from docgen.assessment.points.summary import points_text
from docgen.assessment.report import report_text
from docgen.assessment.results import ROUTE_MARKS, ROUTE_WORDS, RouteStatus
from docgen.board import build_board
from docgen.board.output import board_text, co_applicants_text, verdict_text
from docgen.case import Settings
from docgen.profile.load import load_profile
from docgen.profile.model import Profile
from tests.conftest import RULES, assess
from tests.test_eligibility import FIXTURE, make_profile

DOCGEN = Path(__file__).parent.parent / "docgen"
NOW = datetime(2026, 11, 22, 10, 0).astimezone()
FINE = {"date": "2023-05-01", "kind": "罰金", "description": "速度超過 略式命令", "paid_on": "2023-07-10"}
TICKETS = [{"date": d, "kind": "反則金", "description": "速度超過"} for d in ("2023-02-10", "2024-03-01", "2025-07-07")]

CASES = {  # one case for each decision the assessment can make
    DecisionStatus.READY: make_profile(application_date="2026-12-15"),
    DecisionStatus.READY_WITH_RISKS: make_profile(traffic=TICKETS, application_date="2026-12-15"),
    DecisionStatus.BLOCKED: make_profile(traffic=[FINE], application_date="2026-12-15"),
    DecisionStatus.UNDECIDED: make_profile(
        traffic=[{k: v for k, v in FINE.items() if k != "paid_on"}], application_date="2026-12-15"
    ),
}


def profile_file(folder: Path, profile: Profile) -> None:
    folder.mkdir(parents=True)
    data = profile.model_dump(mode="json", by_alias=True) | {"case_id": folder.name}
    (folder / f"{folder.name}-profile.yaml").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    cases = tmp_path_factory.mktemp("office") / "cases"
    for status, profile in CASES.items():
        profile_file(cases / f"2026-40{list(CASES).index(status)}-{status.value.replace('_', '-')}", profile)
    return build_board(cases, Settings(), RULES, now=NOW)


def test_the_board_shows_each_decision_in_the_assessments_word(board) -> None:
    shown = {}
    text = board_text(board)
    for row in board.rows:
        [person] = row.people
        status = DecisionStatus(person.decision)
        shown[status] = verdict_text(person)
        assert shown[status].startswith(DECISION_WORDS[status].ja)
        assert next(line for line in text.splitlines() if row.case_id in line).count(DECISION_WORDS[status].ja) == 1
    assert set(shown) == set(DecisionStatus)  # every decision seen on the board, each case as decided
    assert shown[DecisionStatus.BLOCKED].startswith("申請不可 最短2028-07-10")
    assert shown[DecisionStatus.READY_WITH_RISKS].startswith("申請可(要検討)")
    ready = next(r.people[0] for r in board.rows if r.people[0].decision == "ready")
    assert co_applicants_text((ready, ready, ready)) == f"2名 {DECISION_WORDS[DecisionStatus.READY].ja}"


@pytest.mark.parametrize("status", list(RouteStatus))
def test_the_report_and_points_show_each_route_status_in_the_assessments_words(status: RouteStatus) -> None:
    a = assess(make_profile(), date(2026, 11, 30))
    a.routes = [replace(r, status=status) if r.filed else r for r in a.routes]
    [line] = [
        x for x in report_text(a).splitlines() if x.startswith(f"  [{ROUTE_MARKS[status]}]") and " general: " in x
    ]
    assert f" — {ROUTE_WORDS[status].ja} / {ROUTE_WORDS[status].en}" in line
    hsp = assess(load_profile(FIXTURE), date(2026, 11, 30))  # a non-holder with points facts
    hsp.routes = [replace(r, status=status) if r.id.startswith("hsp_points") else r for r in hsp.routes]
    lines = [x for x in points_text(hsp, RULES.assessment.eligibility).splitlines() if "点ルート" in x]
    assert lines and all(x.startswith(f"[{ROUTE_MARKS[status]}]") and ROUTE_WORDS[status].ja in x for x in lines)


# ---------------------------------------------------------------- spelled once


def spelled(source: str) -> list[str]:
    """The table words a module spells itself: a string equal to one, a pair ('満たす / met'), or an f-string
    piece ending with one ('{n}名 申請可')."""
    words = {w.ja for w in (*DECISION_WORDS.values(), *ROUTE_WORDS.values())}
    tree, found = ast.parse(source), []
    docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}  # may quote what the board shows
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            text = node.value
            found += [w for w in words if text == w or text.endswith(f" {w}") or text.startswith(f"{w} / ")]
    return found


def test_the_check_finds_a_table_spelled_again() -> None:
    old = (
        'WORDS = {"ready": "申請可", "blocked": "申請不可"}\nWORD = {"not_met": "満たさない"}\nx = f"{n}名 申請可"\n'
        'ROUTE_WORD = {"met": "満たす / met"}\n'
    )
    assert sorted(spelled(old)) == sorted(["申請可", "申請不可", "満たさない", "申請可", "満たす"])


@pytest.mark.parametrize(
    "module",
    [
        p
        for p in sorted(DOCGEN.rglob("*.py"))
        if p.relative_to(DOCGEN).as_posix() not in ("assessment/decision.py", "assessment/results.py")
    ],
    ids=lambda p: p.relative_to(DOCGEN).as_posix(),
)
def test_no_other_module_spells_a_status_word(module: Path) -> None:
    assert spelled(module.read_text(encoding="utf-8")) == []
