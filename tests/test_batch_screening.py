"""`docgen batch screen` (issue 20, item 3a): a company's HR department sends the office its roster of foreign
employees — "which of them can apply for 永住, by which route, from when" — and gets back one workbook: a row per
employee with the decision docgen's assessment makes, coloured, and a summary sheet. A broken profile is one row
with its problem; the others are screened as usual. The rosters and profiles are fictional."""

from __future__ import annotations

import csv
import os
import shutil
import stat
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from docgen.assessment import assess_case
from docgen.assessment.decision import DECISION_WORDS, DecisionStatus
from docgen.batch.workbook import FILLS
from docgen.errors import DocgenError, InputFileError
from docgen.intake import prefill_data, write_questionnaire
from docgen.profile.load import load_profile_yaml
from docgen.usecases.batch import Screening, screen_roster
from docgen.usecases.context import RunContext
from tests.conftest import EXAMPLES

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)  # the day the office runs the screening
FINE = "  traffic:\n    - {date: 2023-05-01, kind: 罰金, description: 速度超過 略式命令, paid_on: 2023-07-10}\n"
HEADER = ["案件番号", "氏名", "類型", "申請予定日", "プロフィール", "勤務先"]
EMPLOYER = "株式会社さくら精機"


def company_folder(root: Path) -> Path:
    """What HR sends: profiles kept by the office, one returned questionnaire, one profile with a typo."""
    profiles = root / "profiles"
    profiles.mkdir(parents=True)
    for name in ("gijinkoku-single", "gijinkoku-family", "hsp-70-holder", "kigyonai-tenkin"):
        shutil.copyfile(EXAMPLES / f"{name}.yaml", profiles / f"{name}.yaml")
    single = (EXAMPLES / "gijinkoku-single.yaml").read_text(encoding="utf-8")
    # a speeding fine paid on 2023-07-10: a criminal penalty, so blocked until 5 years after payment (§11.3)
    fined = single.replace("\n  residence_history:", "\n" + FINE.rstrip("\n") + "\n  residence_history:", 1)
    (profiles / "fined.yaml").write_text(fined.replace("2026-101-wang", "2026-201-fined"), encoding="utf-8")
    # a birth date that is no date: the profile cannot be read (and the value must not be repeated)
    broken = single.replace("birth_date: 1990-04-12", "birth_date: 1990-13-45")
    (profiles / "broken.yaml").write_text(broken, encoding="utf-8")
    spouse = root / "intake" / "spouse-intake-ja.xlsx"
    spouse.parent.mkdir()
    write_questionnaire(spouse, "ja", prefill_data(load_profile_yaml(EXAMPLES / "spouse-of-japanese.yaml")))
    return root


ROWS = [
    # case id, name as the company knows the employee, category, planned date, profile, employer
    ["A001", "王 小明", "技術・人文知識・国際業務", None, "profiles/gijinkoku-single.yaml", EMPLOYER],
    ["A002", "グエン ヴァン アン", "gijinkoku", None, "profiles/gijinkoku-family.yaml", EMPLOYER],
    ["A003", "佐藤 花子", None, "2026-12-15", "profiles/fined.yaml", EMPLOYER],
    ["A004", "ミュラー", None, "令和8年1月10日", "profiles/hsp-70-holder.yaml", "さくら研究所"],
    ["A005", "誤記 太郎", None, None, "profiles/broken.yaml", "さくら研究所"],
    ["A006", "サントス", None, None, "intake/spouse-intake-ja.xlsx", "さくら研究所"],
    ["A007", "シャルマ", "企業内転勤", "２０２６／０１／１０", "profiles/kigyonai-tenkin.yaml", EMPLOYER],
]


def write_roster(folder: Path, rows: list[list[object]], name: str = "名簿.xlsx", header: list[str] = HEADER) -> Path:
    """The roster as HR keeps it: a title line, then the header, then one employee per row."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "社員名簿"
    ws.append(["外国籍社員 永住申請の確認用"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    path = folder / name
    wb.save(path)
    return path


def context(folder: Path) -> RunContext:
    return RunContext.load(now=NOW, near=folder, lang="en")


@pytest.fixture(scope="module")
def screened(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Screening]:
    folder = company_folder(tmp_path_factory.mktemp("company"))
    roster = write_roster(folder, ROWS)
    return folder, screen_roster(context(folder), roster, folder / "out" / "screening.xlsx")


def sheet_rows(path: Path, sheet: str) -> list[tuple]:
    return list(load_workbook(path)[sheet].iter_rows(values_only=True))


def expected(folder: Path, profile: str, on: date | None = None) -> DecisionStatus:
    """The decision docgen's assessment makes for the profile, as `docgen assess` would."""
    ctx = context(folder)
    return assess_case(ctx.case(folder / profile, on)).decision.status


# ---------------------------------------------------------------- the list: one row per employee


def test_every_employee_has_a_row_in_roster_order_with_the_assessments_decision(screened):
    folder, result = screened
    rows = sheet_rows(result.workbook, "一覧")
    assert rows[0][0].startswith("名簿の行") and rows[0][6] == "判定\nDecision"  # Japanese, English beneath
    body = rows[1:]
    assert [r[1] for r in body] == [row[0] for row in ROWS]
    assert [r[0] for r in body] == [3, 4, 5, 6, 7, 8, 9]  # the roster's own row numbers, below its title
    assert [r[2] for r in body] == [row[1] for row in ROWS]  # the names as the company wrote them
    words = {r[1]: r[6] for r in body}
    for case_id, profile, on in (
        ("A001", "profiles/gijinkoku-single.yaml", None),
        ("A002", "profiles/gijinkoku-family.yaml", None),
        ("A004", "profiles/hsp-70-holder.yaml", date(2026, 1, 10)),
        ("A007", "profiles/kigyonai-tenkin.yaml", date(2026, 1, 10)),
    ):
        assert words[case_id] == DECISION_WORDS[expected(folder, profile, on)].ja, case_id
    assert words["A003"] == "申請不可" and words["A005"] == "要修正"


def test_a_fined_employee_is_blocked_until_five_years_after_payment_with_the_date_as_a_date_cell(screened):
    _, result = screened
    ws = load_workbook(result.workbook)["一覧"]
    fined = next(r for r in ws.iter_rows(min_row=2) if r[1].value == "A003")
    assert fined[6].value == "申請不可"
    assert fined[8].value == datetime(2028, 7, 10) and fined[8].number_format == "yyyy-mm-dd"
    assert fined[5].value == datetime(2026, 12, 15) and fined[5].number_format == "yyyy-mm-dd"
    assert fined[9].value == "罰金刑の刑の消滅前（2028年7月10日まで）"  # 西暦 in words, never 2028-07-10 in text
    assert fined[7].value == "原則10年在留(うち就労資格・居住資格で5年)"
    assert {c.fill.fgColor.rgb[-6:] for c in fined} == {FILLS[DecisionStatus.BLOCKED]}


def test_the_rosters_planned_date_replaces_the_profiles_in_wareki_or_full_width(screened):
    _, result = screened
    by_id = {r.case_id: r for r in result.rows}
    assert by_id["A004"].planned_date == date(2026, 1, 10)  # 令和8年1月10日
    assert by_id["A007"].planned_date == date(2026, 1, 10)  # ２０２６／０１／１０
    assert by_id["A001"].planned_date == date(2026, 12, 15)  # none in the roster: the profile's
    # too early for the route on that day: blocked until the day it is met, which is this calendar year
    assert (by_id["A004"].decision, by_id["A004"].earliest_date) == ("blocked", date(2026, 9, 1))
    assert (by_id["A007"].decision, by_id["A007"].earliest_date) == ("blocked", date(2026, 4, 1))
    assert by_id["A004"].bucket == by_id["A007"].bucket == "this_year"


def test_rows_are_coloured_by_the_decision_with_header_frozen_and_filters(screened):
    _, result = screened
    ws = load_workbook(result.workbook)["一覧"]
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref == f"A1:M{len(ROWS) + 1}"
    assert ws.column_dimensions["J"].width >= 30
    for row in ws.iter_rows(min_row=2):
        status = next((s for s, w in DECISION_WORDS.items() if w.ja == row[6].value), None)
        assert row[0].fill.fgColor.rgb[-6:] == FILLS[status], row[1].value


def test_a_family_filing_names_each_person_by_relationship_never_by_name(screened):
    _, result = screened
    family = next(r for r in result.rows if r.case_id == "A002")
    text = "\n".join(family.blockers + family.risks + family.missing)
    assert "NGUYEN" not in text and "TRAN" not in text
    assert all(line.split(":")[0] in ("本人", "妻", "子") for line in family.risks), family.risks


def test_a_returned_questionnaire_is_screened_without_writing_a_profile(screened):
    folder, result = screened
    santos = next(r for r in result.rows if r.case_id == "A006")
    assert santos.problems == () and santos.category == "日本人・永住者・特別永住者の配偶者"
    assert santos.decision == expected(Path(EXAMPLES.parent), "examples/spouse-of-japanese.yaml")
    assert sorted(p.name for p in (folder / "intake").iterdir()) == ["spouse-intake-ja.xlsx"]


# ---------------------------------------------------------------- a broken row, and the others go on


def test_a_broken_profile_is_its_row_with_line_and_field_and_the_others_are_unaffected(screened, tmp_path):
    folder, result = screened
    broken = next(r for r in result.rows if r.case_id == "A005")
    assert broken.decision is None and broken.bucket == "problem"
    assert len(broken.problems) == 1
    problem = broken.problems[0]
    assert problem.startswith("broken.yaml, line 11 [applicant.birth_date]:"), problem
    assert "1990-13-45" not in problem  # the value typed is never repeated
    line = next(r for r in sheet_rows(result.workbook, "一覧") if r[1] == "A005")
    assert line[12] == problem and line[6] == "要修正"
    # the same roster without the broken row: every other row exactly as before
    alone = screen_roster(
        context(folder), write_roster(folder, [r for r in ROWS if r[0] != "A005"], "clean.xlsx"), tmp_path / "c.xlsx"
    )
    before = [r for r in result.rows if r.case_id != "A005"]
    assert [(r.case_id, r.decision, r.earliest_date, r.blockers, r.risks) for r in alone.rows] == [
        (r.case_id, r.decision, r.earliest_date, r.blockers, r.risks) for r in before
    ]


# ---------------------------------------------------------------- the summary


def test_the_summary_counts_now_this_year_later_blocked_undecided_and_problems(screened):
    folder, result = screened
    # the three with no blocker on their planned date can file then (with points to weigh or not)
    can_file = [expected(folder, row[4]) for row in ROWS if row[0] in ("A001", "A002")]
    assert set(can_file) <= {"ready", "ready_with_risks"}
    # the first table: Japanese words, English words, count (the employers' table has no English column)
    counts = {r[0]: r[2] for r in sheet_rows(result.workbook, "集計") if r[1] and isinstance(r[2], int)}
    assert counts == {
        "申請予定日に申請可": 3,  # A001, A002, A006
        "今年中に申請可能になる": 2,  # A004 (2026-09-01), A007 (2026-04-01)
        "来年以降に申請可能になる": 1,  # A003 (2028-07-10)
        "申請不可（時期未定）": 0,
        "判断不可（要確認）": 0,
        "要修正（名簿またはプロフィールの問題）": 1,  # A005
        "合計": len(ROWS),
    }
    assert {b.value: n for b, n in result.counts.items()} == {
        "now": 3,
        "this_year": 2,
        "later": 1,
        "blocked": 0,
        "undecided": 0,
        "problem": 1,
    }
    summary = sheet_rows(result.workbook, "集計")
    by_employer = {r[0]: r[-1] for r in summary if r[0] in (EMPLOYER, "さくら研究所")}
    assert by_employer == {EMPLOYER: 4, "さくら研究所": 3}
    assert load_workbook(result.workbook).sheetnames == ["集計", "一覧"]


def test_the_workbook_is_owner_only_and_goes_to_the_offices_output_folder_by_default(screened, tmp_path):
    folder, result = screened
    assert stat.S_IMODE(result.workbook.stat().st_mode) == 0o600
    (tmp_path / "docgen.toml").write_text('[paths]\noutput = "out"\n', encoding="utf-8")
    roster = write_roster(tmp_path, [ROWS[0][:4] + [str(folder / ROWS[0][4]), EMPLOYER]])
    done = screen_roster(context(tmp_path), roster, None)
    assert done.workbook == tmp_path / "out" / "名簿-screening.xlsx"
    assert stat.S_IMODE(done.workbook.stat().st_mode) == 0o600
    assert [r.case_id for r in done.rows] == ["A001"] and done.rows[0].problems == ()


# ---------------------------------------------------------------- bad roster input, named where it is


def test_a_missing_column_is_named_by_sheet_and_header_row(tmp_path):
    roster = write_roster(tmp_path, [["A001", "王 小明", "gijinkoku"]], header=["案件番号", "氏名", "類型"])
    with pytest.raises(InputFileError) as err:
        screen_roster(context(tmp_path), roster, tmp_path / "out.xlsx")
    message = str(err.value)
    assert message.startswith(f"{roster}: sheet 社員名簿, row 2:"), message
    assert "'profile' (プロフィール / profile)" in message
    assert not (tmp_path / "out.xlsx").exists()


def test_a_bad_date_in_row_4_is_named_by_sheet_row_and_column_and_the_others_go_on(tmp_path):
    folder = company_folder(tmp_path)
    rows = [ROWS[0], ["A002", "グエン ヴァン アン", None, "令和8年2月30日", "profiles/gijinkoku-family.yaml", EMPLOYER]]
    done = screen_roster(context(folder), write_roster(folder, rows), folder / "out.xlsx")
    bad = done.rows[1]
    assert bad.row == 4 and bad.bucket == "problem"
    assert bad.problems == ("sheet 社員名簿, row 4, column D (申請予定日): no such day (check the month and day)",)
    assert done.rows[0].problems == () and done.rows[0].decision is not None


def test_an_unknown_category_and_an_empty_profile_cell_are_the_rows_problems(tmp_path):
    folder = company_folder(tmp_path)
    rows = [["A001", "王 小明", "留学生", None, "profiles/gijinkoku-single.yaml", EMPLOYER], ["A002", "X", None, None]]
    done = screen_roster(context(folder), write_roster(folder, rows), folder / "out.xlsx")
    assert done.rows[0].problems[0].startswith("sheet 社員名簿, row 3, column C (類型): unknown category")
    assert "留学生" not in done.rows[0].problems[0]
    assert done.rows[1].problems == (
        "sheet 社員名簿, row 4, column E (プロフィール): no profile (YAML) or questionnaire (.xlsx) file is named",
    )


def test_a_roster_category_other_than_the_profiles_is_named(tmp_path):
    folder = company_folder(tmp_path)
    rows = [["A001", "王 小明", "定住者", None, "profiles/gijinkoku-single.yaml", EMPLOYER]]
    done = screen_roster(context(folder), write_roster(folder, rows), folder / "out.xlsx")
    assert done.rows[0].problems == (
        "the roster's category teijusha and the profile's category gijinkoku differ; correct one of them",
    )


# ---------------------------------------------------------------- a CSV roster


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])  # Excel's CSV: UTF-8 with BOM, or Shift_JIS
def test_a_csv_roster_with_english_headers_gives_the_same_rows(screened, tmp_path, encoding):
    folder, result = screened
    roster = tmp_path / "roster.csv"
    with roster.open("w", encoding=encoding, newline="") as f:
        out = csv.writer(f)
        out.writerow(["Case ID", "Name", "Category", "Planned date", "Profile", "Employer"])
        for row in ROWS:
            out.writerow(["" if v is None else (str(folder / v) if i == 4 else v) for i, v in enumerate(row)])
    done = screen_roster(context(folder), roster, tmp_path / "csv.xlsx")
    assert [(r.case_id, r.name, r.decision, r.earliest_date) for r in done.rows] == [
        (r.case_id, r.name, r.decision, r.earliest_date) for r in result.rows
    ]
    assert done.rows[0].row == 2  # no title line in this file
    assert done.counts == result.counts


def test_a_roster_that_is_not_one_is_refused_in_words(tmp_path):
    (tmp_path / "名簿.xls").write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    with pytest.raises(InputFileError, match=r"a roster is an Excel \(\.xlsx\) or CSV"):
        screen_roster(context(tmp_path), tmp_path / "名簿.xls", tmp_path / "out.xlsx")
    with pytest.raises(InputFileError, match="roster file not found"):
        screen_roster(context(tmp_path), tmp_path / "none.csv", tmp_path / "out.xlsx")


# ---------------------------------------------------------------- the command


def _registered() -> bool:
    from docgen.cli.main import app

    return any(group.name == "batch" for group in app.registered_groups)


def test_the_command_prints_the_summary_and_names_the_broken_row(screened, tmp_path):
    if not _registered():
        pytest.skip("`docgen batch` is not registered in docgen/cli/main.py yet (the lead's file)")
    folder, _ = screened
    roster = write_roster(folder, ROWS, "cli.xlsx")
    env = {k: v for k, v in os.environ.items() if k != "DOCGEN_SETTINGS"} | {"DOCGEN_LANG": "en"}
    out = tmp_path / "cli-screening.xlsx"
    run = subprocess.run(
        [sys.executable, "-m", "docgen", "batch", "screen", str(roster), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=folder,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert f"screened {len(ROWS)} employee(s) → {out}" in run.stdout
    assert "  to fix (roster or profile problem): 1" in run.stdout
    assert "  to fix A005: broken.yaml, line 11 [applicant.birth_date]:" in run.stdout
    assert "Traceback" not in run.stderr and stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_name_typed_as_a_formula_stays_text(tmp_path):
    folder = company_folder(tmp_path)
    roster = folder / "roster.csv"
    name = '=HYPERLINK("http://example.com","x")'
    with roster.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, ["A001", name, "", "", "profiles/gijinkoku-single.yaml", "=1+1"]])
    done = screen_roster(context(folder), roster, folder / "out.xlsx")
    ws = load_workbook(done.workbook)["一覧"]
    assert (ws["C2"].data_type, ws["C2"].value) == ("s", name)
    assert (ws["D2"].data_type, ws["D2"].value) == ("s", "=1+1")


# ---------------------------------------------------------------- what the screening never does


def test_the_screening_never_overwrites_the_roster_or_a_file_docgen_did_not_write(tmp_path):
    folder = company_folder(tmp_path)
    roster = write_roster(folder, ROWS[:1])
    with pytest.raises(DocgenError, match="would overwrite an input of this run"):
        screen_roster(context(folder), roster, roster.with_suffix(".xlsx"))
    theirs = folder / "hr-report.xlsx"
    theirs.write_bytes(b"HR's own workbook")
    with pytest.raises(DocgenError, match="was not written by docgen"):
        screen_roster(context(folder), roster, theirs)
    assert theirs.read_bytes() == b"HR's own workbook"
    first = screen_roster(context(folder), roster, folder / "screening.xlsx")
    again = screen_roster(context(folder), roster, folder / "screening.xlsx")  # docgen's own: replaced
    assert first.workbook == again.workbook and [r.case_id for r in again.rows] == ["A001"]
    with pytest.raises(DocgenError, match="name it …xlsx"):
        screen_roster(context(folder), roster, folder / "screening.csv")


def test_a_damaged_roster_and_a_profile_that_is_a_folder_are_named(tmp_path):
    folder = company_folder(tmp_path)
    damaged = folder / "名簿.xlsx"
    damaged.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputFileError, match=r"名簿\.xlsx: not an Excel \(\.xlsx\) file"):
        screen_roster(context(folder), damaged, folder / "out.xlsx")
    rows = [["A001", "王 小明", None, None, "profiles", EMPLOYER], ROWS[0]]
    done = screen_roster(context(folder), write_roster(folder, rows, "ok.xlsx"), folder / "out.xlsx")
    assert done.rows[0].bucket == "problem" and done.rows[0].problems[0].startswith("profiles")
    assert done.rows[1].problems == () and done.rows[1].decision is not None


def test_a_roster_that_fails_half_way_leaves_no_workbook_and_no_part_file(tmp_path):
    folder = company_folder(tmp_path)
    roster = folder / "roster.csv"
    header = ",".join([*HEADER, "備考"]) + "\n"
    first = f"A001,王 小明,,,profiles/gijinkoku-single.yaml,{EMPLOYER},{'x' * 70_000}\n"  # past the sniffed part
    roster.write_bytes((header + first).encode("utf-8") + "A002,佐藤,,,profiles/fined.yaml,\n".encode("cp932"))
    with pytest.raises(InputFileError, match="cannot be read as CSV"):
        screen_roster(context(folder), roster, folder / "out" / "screening.xlsx")
    assert list((folder / "out").iterdir()) == []


def test_a_long_roster_screened_on_worker_processes_gives_the_same_rows_in_roster_order(screened, tmp_path):
    folder, _ = screened
    from docgen.batch.parallel import CHUNK, SERIAL_ROWS, cores, free_cores

    count = SERIAL_ROWS + 3 * CHUNK + 5  # past the rows screened here, several chunks, a short last one
    rows = [[f"L{n:03d}", *ROWS[n % len(ROWS)][1:]] for n in range(count)]
    roster = write_roster(folder, rows, "long.xlsx")
    here = screen_roster(context(folder), roster, tmp_path / "here.xlsx", workers=1)
    spread = screen_roster(context(folder), roster, tmp_path / "spread.xlsx", workers=2)
    assert [r.case_id for r in spread.rows] == [r[0] for r in rows]
    assert spread.rows == here.rows and spread.counts == here.counts
    assert sheet_rows(spread.workbook, "一覧") == sheet_rows(here.workbook, "一覧")
    broken = [r for r in spread.rows if r.bucket == "problem"]
    assert broken and all(r.problems[0].startswith("broken.yaml, line 11") for r in broken)  # English, as asked
    assert 1 <= free_cores() <= cores()  # the default: never more processes than CPUs, never none
