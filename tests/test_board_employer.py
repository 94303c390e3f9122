"""A company's HR asks the office "where are our employees' cases?": `docgen cases --employer みなとテック` (and the
web app, through the same use case) lists only the cases whose applicant works there — however the name is
written (株式会社 or ㈱, full-width letters, a part of the name) — including a case whose profile has a mistake,
and says how many folders were left off because no employer could be read from them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from docgen.board.employer import employer_key, works_for
from docgen.board.model import PROFILE_ERROR
from docgen.errors import DocgenError
from docgen.usecases.board import case_board
from docgen.usecases.context import RunContext
from tests.conftest import EXAMPLES, NOW

NGUYEN, TRAN, WANG, SANTOS, SILVA, LEE, EMPTY = (
    "2026-301-nguyen",  # みなとテック株式会社 (the family example)
    "2026-302-tran",  # the same company written "みなとテック　㈱"
    "2026-303-wang",  # 株式会社サクラソフト
    "2026-304-santos",  # no current employer block; her current job (employment, no end) is at みなとテック
    "2026-305-silva",  # みなとテック, but the profile has a mistake
    "2026-306-lee",  # no employer recorded at all
    "2026-307-empty",  # a folder without a profile
)
MINATO = (NGUYEN, TRAN, SANTOS, SILVA)


def add_case(cases: Path, example: str, case_id: str, *changes: tuple[str, str]) -> None:
    text = re.sub(r"^case_id: .*$", f"case_id: {case_id}", (EXAMPLES / example).read_text(encoding="utf-8"), flags=re.M)
    for pattern, replacement in changes:
        text, n = re.subn(pattern, replacement, text, flags=re.M)
        assert n, pattern
    (cases / case_id).mkdir(parents=True)
    (cases / case_id / f"{case_id}-profile.yaml").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("office")
    cases = root / "cases"
    add_case(cases, "gijinkoku-family.yaml", NGUYEN)
    add_case(cases, "gijinkoku-single.yaml", TRAN, ("株式会社サクラソフト", "みなとテック　㈱"))
    add_case(cases, "gijinkoku-single.yaml", WANG)
    add_case(
        cases,
        "spouse-of-japanese.yaml",
        SANTOS,
        (r"^  employer: \{name: .*\n", ""),
        (r"employer: 株式会社めいえきホテル", "employer: みなとテック株式会社"),
    )
    add_case(
        cases, "teijusha.yaml", SILVA, ("浜松部品工業株式会社", "みなとテック株式会社"), (r"^  sex: 男", "  sexx: 男")
    )
    add_case(
        cases,
        "spouse-of-japanese.yaml",
        LEE,
        (r"^  employer: \{name: .*\n", ""),
        (r"^    - \{employer: 株式会社めいえきホテル.*\n", ""),
    )
    (cases / EMPTY).mkdir()
    return root


def docgen(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DOCGEN_SETTINGS"}
    return subprocess.run(
        [sys.executable, "-m", "docgen", "cases", *args], capture_output=True, text=True, cwd=root, env=env
    )


def listed(text: str) -> set[str]:
    return {case_id for case_id in (NGUYEN, TRAN, WANG, SANTOS, SILVA, LEE, EMPTY) if case_id in text}


def test_the_board_of_one_employer_lists_its_employees_cases_however_the_name_is_written(office):
    out = docgen(office, "--employer", "みなとテック")
    assert out.returncode == 0, out.stderr
    first = out.stdout.splitlines()[0]
    assert first.startswith("勤務先「みなとテック」の案件一覧") and "— 4件" in first and "エラー 1件" in first
    assert listed(out.stdout) == set(MINATO)  # Tran's ㈱, Santos's current job, Silva's case with a mistake
    assert "勤務先が分からないフォルダー 2件は表示していません" in out.stdout  # Lee (none recorded), the empty folder

    everyone = docgen(office)
    assert everyone.returncode == 0, everyone.stderr
    assert listed(everyone.stdout) == {NGUYEN, TRAN, WANG, SANTOS, SILVA, LEE, EMPTY}  # unfiltered: every folder
    assert "勤務先" not in everyone.stdout.splitlines()[0]


def test_the_json_board_names_the_employer_asked_for_and_how_many_folders_were_left_off(office):
    out = docgen(office, "--format", "json", "--employer", "ＳＡＫＵＲＡ")  # no such employer in these cases
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["employer"], data["count"], data["cases"], data["employer_unknown"]) == ("ＳＡＫＵＲＡ", 0, [], 2)

    out = docgen(office, "--format", "json", "--employer", "サクラソフト 株式会社")
    data = json.loads(out.stdout)
    assert [c["case_id"] for c in data["cases"]] == [WANG]
    assert "employer" not in json.loads(docgen(office, "--format", "json").stdout)  # the whole board says nothing


def test_a_board_of_an_employer_with_no_cases_says_so(office):
    out = docgen(office, "--employer", "浜松部品工業")  # Silva's old employer: no case records it any more
    assert out.returncode == 0, out.stderr
    assert "勤務先「浜松部品工業」の案件がありません" in out.stdout
    assert "勤務先が分からないフォルダー 2件" in out.stdout


def test_the_web_app_filters_through_the_same_use_case(office):
    ctx = RunContext.load(now=NOW, near=office, lang="en")
    board = case_board(ctx, office / "cases", employer="みなとテック株式会社")
    assert {r.case_id for r in board.rows} == set(MINATO)
    silva = next(r for r in board.rows if r.case_id == SILVA)
    assert silva.error == PROFILE_ERROR and any("sexx" in p.en for p in silva.problems)
    assert board.employer == "みなとテック株式会社" and board.employer_unknown == 2
    assert {r.case_id for r in case_board(ctx, office / "cases").rows} >= {WANG, LEE, EMPTY}


def test_a_legal_form_alone_names_no_employer(office):
    ctx = RunContext.load(now=NOW, near=office, lang="en")
    with pytest.raises(DocgenError, match="no employer name to look for"):
        case_board(ctx, office / "cases", employer="（株）")
    out = docgen(office, "--employer", "株式会社")
    assert out.returncode != 0 and "no employer name to look for" in out.stderr and "Traceback" not in out.stderr


def test_names_are_compared_as_hr_and_staff_write_them():
    assert employer_key("みなとテック　㈱") == employer_key("みなとテック株式会社") == "みなとテック"
    assert employer_key("Sakura Soft Co., Ltd.") == employer_key("ＳＡＫＵＲＡ　ＳＯＦＴ") == "sakurasoft"
    assert employer_key("Costco") == "costco" and employer_key("Minato Tech K.K. (株)") == "minatotech"
    assert works_for(("株式会社サクラソフト",), "サクラ")
    assert not works_for(("株式会社サクラソフト",), "みなとテック")
    assert not works_for((), "サクラ")  # a case that records no employer is nobody's


def test_the_board_of_one_staff_member_lists_the_cases_they_are_in_charge_of(tmp_path):
    """Who is in charge is recorded when the case starts (`docgen case new --staff`, the web's new-case form);
    `docgen cases --staff` and the web board then show each member their own cases."""
    from docgen.case.in_charge import record_staff

    cases = tmp_path / "cases"
    add_case(cases, "gijinkoku-family.yaml", NGUYEN)
    add_case(cases, "gijinkoku-single.yaml", WANG)
    add_case(cases, "spouse-of-japanese.yaml", SANTOS)
    record_staff(cases / NGUYEN, "佐藤")
    record_staff(cases / WANG, "鈴木")

    sato = docgen(tmp_path, "--staff", "佐藤")
    assert sato.returncode == 0, sato.stderr
    assert listed(sato.stdout) == {NGUYEN}
    rows = json.loads(docgen(tmp_path, "--format", "json").stdout)["cases"]
    assert {r["case_id"]: r["staff"] for r in rows} == {NGUYEN: "佐藤", WANG: "鈴木", SANTOS: None}
    assert listed(docgen(tmp_path, "--staff", "田中").stdout) == set()  # nobody's cases: none listed
    ctx = RunContext.load(now=NOW, near=tmp_path)
    assert [r.case_id for r in case_board(ctx, cases, staff="鈴木").rows] == [WANG]
