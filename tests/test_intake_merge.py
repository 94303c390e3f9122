"""A new staff member's first weeks with `docgen intake new / import`, told as what happened to them.

Mr Li (2026-201-li) returns his questionnaire with yes/no questions left empty; his wife's sheet too. A colleague
imports Mr Li's workbook into another case's profile by mistake. Staff merge into a profile they had edited by
hand, as the guide tells them. A workbook is saved in Downloads instead of the case folder. And the income
table must hold 5 years, whatever order the client wrote them in.
"""

from __future__ import annotations

import hashlib
import shutil
import stat
from datetime import date
from pathlib import Path

import pytest

from docgen.errors import DocgenError, InputFileError
from docgen.intake.profile_data import prefill_data
from docgen.intake.read import CellProblem, read_questionnaire
from docgen.intake.to_profile import answers_to_profile
from docgen.intake.workbook import write_questionnaire
from docgen.packet.safe_write import private_file, replace_read_file
from docgen.profile import load_profile
from docgen.profile.skeleton import skeleton
from docgen.yamlfile import load_yaml
from tests.conftest import EXAMPLES
from tests.test_intake import Client, docgen, fill_in_as_mr_li

LI = "2026-201-li"
UNANSWERED = "記入されていません（はい・いいえを選んでください）"


@pytest.fixture(autouse=True)
def japanese_messages(monkeypatch):
    """Staff read Japanese (docgen's default); the suite otherwise pins English (tests/conftest.py)."""
    monkeypatch.setenv("DOCGEN_LANG", "ja")


def open_case(office: Path, case_id: str) -> Path:
    """What `docgen case new` leaves: the case folder with a profile skeleton docgen wrote."""
    folder = office / "cases" / case_id
    folder.mkdir(parents=True)
    profile = folder / f"{case_id}-profile.yaml"
    with private_file(profile) as part:
        part.write_text(skeleton("gijinkoku", case_id=case_id, application_date=date(2026, 12, 15)), encoding="utf-8")
    return profile


@pytest.fixture
def office(tmp_path: Path) -> Path:
    open_case(tmp_path, LI)
    return tmp_path


def mr_lis_questionnaire(office: Path) -> Path:
    """Staff send Mr Li a Chinese questionnaire; he fills it in and returns it."""
    assert docgen("intake", "new", LI, "--lang", "zh", cwd=office).returncode == 0
    book = office / "cases" / LI / f"{LI}-intake-zh.xlsx"
    fill_in_as_mr_li(Client(book))
    return book


def table_rows(ws, table: str) -> list[int]:
    return [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == f"r:{table}"]


# ---------------------------------------------------------------- 1. an empty yes/no is not いいえ


def test_yes_no_questions_mr_li_left_empty_are_listed_not_taken_as_no(office: Path):
    """Mr Li left 犯罪による処分, 社会保険の事業主 and the 自営業 column of his job empty. docgen used to write
    いいえ for them, and his 申請書 printed 「■無」: now each is a problem at its cell and nothing is written."""
    book = mr_lis_questionnaire(office)
    client = Client(book)
    a = client.sheet("applicant")
    crime = client.answer(a, "criminal_record.has_record", None)
    insurance = client.answer(a, "social_insurance_employer", None)
    job = client.row_of(a, "h:employment") + 1
    a.cell(job, 8).value = None  # 自営業・会社経営
    client.save()
    profile = office / "cases" / LI / f"{LI}-profile.yaml"
    before = profile.read_text(encoding="utf-8")

    out = docgen("intake", "import", str(book), "--merge", cwd=office)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    sheet = f"{book}: シート 申請人 申请人"
    assert f"{sheet}、行 {crime}、列 D（犯罪による処分を受けたことがある）: {UNANSWERED}" in out.stderr
    assert f"{sheet}、行 {insurance}、列 D（社会保険の適用事業所の事業主である）: {UNANSWERED}" in out.stderr
    assert f"{sheet}、行 {job}、列 H（職歴／自営業・会社経営）: {UNANSWERED}" in out.stderr
    assert "いいえ" not in out.stdout  # no diff promising 「（なし） → いいえ」
    assert profile.read_text(encoding="utf-8") == before


def test_the_wifes_empty_criminal_record_answer_is_reported_on_her_sheet(tmp_path: Path):
    """Mr Nguyen's wife files with him. Her sheet came back with 犯罪による処分 empty: it was imported as いいえ
    (her 申請書 said 「無」, assess said 処分歴なし). Now it is named by her sheet, row and column."""
    book = tmp_path / "2026-102-nguyen-intake-vi.xlsx"
    write_questionnaire(book, "vi", prefill_data(load_yaml(EXAMPLES / "gijinkoku-family.yaml")))
    client = Client(book)
    wife = client.sheet("family", 0)
    row = client.answer(wife, "application.criminal_record.has_record", None)
    client.save()

    for base in (None, load_yaml(EXAMPLES / "gijinkoku-family.yaml")):
        with pytest.raises(InputFileError) as err:
            answers_to_profile(read_questionnaire(book), base)
        # with the profile too: the family sheets replace the family, so her empty cell keeps nothing
        assert [str(p) for p in err.value.problems] == [
            f"{book}: シート {wife.title}、行 {row}、列 D（犯罪による処分を受けたことがある）: {UNANSWERED}"
        ]


def test_whether_a_family_member_files_together_must_be_answered(tmp_path: Path):
    """「申請人と一緒に申請する」 empty would make the son a member who does not file (「無」 on the form)."""
    book = tmp_path / "q.xlsx"
    write_questionnaire(book, "vi", prefill_data(load_yaml(EXAMPLES / "gijinkoku-family.yaml")))
    client = Client(book)
    son = client.sheet("family", 1)
    row = client.answer(son, "filing_together", None)
    client.save()
    with pytest.raises(InputFileError) as err:
        answers_to_profile(read_questionnaire(book))
    assert f"シート {son.title}、行 {row}、列 D（申請人と一緒に永住許可を申請する）: {UNANSWERED}" in str(err.value)


def test_a_family_member_who_does_not_file_is_not_asked_the_applicants_questions(tmp_path: Path):
    """The Japanese husband does not file: his sheet's application part stays empty, and that is no problem."""
    original = load_profile(EXAMPLES / "spouse-of-japanese.yaml")
    assert not original.family[0].filing_together and original.family[0].application is None
    book = tmp_path / "q.xlsx"
    write_questionnaire(book, "en", original.model_dump(mode="python", by_alias=True))
    assert answers_to_profile(read_questionnaire(book)) == original


def test_an_empty_yes_no_keeps_the_answer_the_profile_already_has(tmp_path: Path):
    """Mr Kim's profile says he is a 社会保険の事業主. A questionnaire sent only for his new address comes back
    with that question empty: merged, the profile's はい stays."""
    book = tmp_path / "q.xlsx"
    write_questionnaire(book, "en", {"case_id": "2026-103-kim"})  # a blank questionnaire
    client = Client(book)
    client.answer(client.sheet("applicant"), "address", "東京都港区芝公園四丁目2番8号")
    client.save()
    base = load_yaml(EXAMPLES / "keiei-kanri-owner.yaml")
    merged = answers_to_profile(read_questionnaire(book), base)
    assert merged.applicant.social_insurance_employer is True
    assert merged.applicant.criminal_record.has_record is False  # the profile's answer, not a default
    assert merged.applicant.address == "東京都港区芝公園四丁目2番8号"
    with pytest.raises(InputFileError, match="はい・いいえを選んでください"):
        answers_to_profile(read_questionnaire(book))  # without a profile, nobody answered them


# ---------------------------------------------------------------- 2. one client's answers, one case


def test_mr_lis_questionnaire_is_refused_for_another_cases_profile(office: Path):
    """A colleague gave --profile of case 2026-206-test to Mr Li's workbook: docgen used to merge it
    (`case_id: 2026-206-test → 2026-201-li`). Now it refuses, names both case ids and writes nothing."""
    other = open_case(office, "2026-206-test")
    before = other.read_text(encoding="utf-8")
    book = mr_lis_questionnaire(office)

    out = docgen("intake", "import", str(book), "--profile", str(other), "--merge", cwd=office)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"この質問票の案件番号は {LI} ですが、取り込み先のプロフィール {other} の案件番号は 2026-206-test です" in (
        out.stderr
    )
    assert "何も書き込んでいません" in out.stderr and "シート 事務所用" in out.stderr
    assert other.read_text(encoding="utf-8") == before
    assert not list(other.parent.glob("*before-merge*")) and "違い" not in out.stdout


# ---------------------------------------------------------------- 3. merging into a profile staff edited


def test_merge_into_the_profile_staff_edited_by_hand(office: Path):
    """After sending the questionnaire, staff filled in the 取次者 and a note in the profile by hand. The import
    used to refuse to write (「docgen が書いたものではない」). With --merge it writes into that profile, keeps
    the staff's edits, and keeps the version before the merge beside it."""
    book = mr_lis_questionnaire(office)
    profile = office / "cases" / LI / f"{LI}-profile.yaml"
    text = profile.read_text(encoding="utf-8")
    edited = "# 面談メモ: 2026-11-20 来所、書類一式を確認\n" + text[: text.index("\nfiling_agent:")]
    edited += (
        "\nfiling_agent:  # 取次者（事務所で記入）\n  name: 山田 花子\n  office: 山田行政書士事務所\n"
        '  registration_number: "第12345678号"\n  address: 東京都新宿区西新宿一丁目1番1号\n  phone: 03-1234-5678\n'
    )
    profile.write_text(edited, encoding="utf-8")  # staff's own edit: no longer what docgen wrote

    shown = docgen("intake", "import", str(book), cwd=office)
    assert shown.returncode == 0, shown.stderr
    assert "--merge" in shown.stdout and profile.read_text(encoding="utf-8") == edited
    assert "表は、1行でも記入があれば記入された行で一覧全体を置き換えます" in shown.stdout

    merged = docgen("intake", "import", str(book), "--merge", cwd=office)
    assert merged.returncode == 0, merged.stderr
    kept = list(profile.parent.glob(f"{LI}-profile.before-merge-*.yaml"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == edited
    assert f"変更前のプロフィールを残しました: {kept[0]}" in merged.stdout
    assert stat.S_IMODE(kept[0].stat().st_mode) == 0o600 and stat.S_IMODE(profile.stat().st_mode) == 0o600
    after = load_profile(profile)
    assert after.applicant.family_name == "LI" and after.filing_agent is not None
    assert after.filing_agent.name == "山田 花子"  # the staff's edit, kept
    assert "# 面談メモ: 2026-11-20 来所、書類一式を確認" in profile.read_text(encoding="utf-8")
    assert not list(profile.parent.glob(f".{profile.name}.*"))  # no temporary file left


def test_a_profile_changed_after_it_was_read_is_not_replaced(tmp_path: Path):
    """Between reading the profile for the merge and writing it, a colleague saved it: their version stays."""
    profile = tmp_path / f"{LI}-profile.yaml"
    profile.write_text("case_id: 2026-201-li\n", encoding="utf-8")
    read = hashlib.sha256(profile.read_bytes()).hexdigest()
    keep = tmp_path / f"{LI}-profile.before-merge-20261120-101500.yaml"
    with (
        pytest.raises(DocgenError, match="読み込んだ後に変更されました"),
        replace_read_file(profile, read, keep) as part,
    ):
        part.write_text("case_id: 2026-201-li  # merged\n", encoding="utf-8")
        profile.write_text("case_id: 2026-201-li  # a colleague's edit\n", encoding="utf-8")
    assert profile.read_text(encoding="utf-8") == "case_id: 2026-201-li  # a colleague's edit\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [profile.name]


# ---------------------------------------------------------------- 4. the workbook saved outside the case folder


def test_a_workbook_saved_in_downloads_goes_into_its_case_folder(office: Path):
    """Mr Li's mail attachment was saved as Downloads/returned.xlsx. It used to become a new profile in
    Downloads; now the workbook's case id finds the case folder, and its profile is the one merged."""
    book = mr_lis_questionnaire(office)
    downloads = office / "Downloads"
    downloads.mkdir()
    returned = downloads / "returned.xlsx"
    shutil.copyfile(book, returned)

    out = docgen("intake", "import", str(returned), "--merge", cwd=office)
    assert out.returncode == 0, out.stderr
    profile = office / "cases" / LI / f"{LI}-profile.yaml"
    assert f"案件 {LI} の案件フォルダー: {office / 'cases' / LI}" in out.stdout
    assert f"プロフィールを書き込みました: {profile}" in out.stdout
    assert load_profile(profile).applicant.family_name == "LI"
    assert sorted(p.name for p in downloads.iterdir()) == ["returned.xlsx"]


def test_without_a_case_folder_the_profile_is_made_beside_the_workbook_and_staff_are_told(tmp_path: Path):
    folder = tmp_path / "t2"
    folder.mkdir()
    book = folder / "returned.xlsx"
    write_questionnaire(book, "en", prefill_data(load_yaml(EXAMPLES / "teijusha.yaml")))
    out = docgen("intake", "import", str(book), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    written = folder / "2026-108-silva-profile.yaml"
    assert f"案件フォルダー {tmp_path / 'cases' / '2026-108-silva'} がないため" in out.stdout
    assert f"プロフィールを書き込みました: {written}" in out.stdout and written.is_file()


# ---------------------------------------------------------------- 5. tables long enough, income in year order


def test_the_tables_have_lines_for_a_five_year_case(tmp_path: Path):
    """The income table offered 3 lines while 住民税 needs the last 5 years."""
    book = tmp_path / "q.xlsx"
    write_questionnaire(book, "zh", {"case_id": LI, "category": "gijinkoku"})
    client = Client(book)
    a, family = client.sheet("applicant"), client.sheet("family", 0)
    assert len(table_rows(a, "income")) >= 5 and len(table_rows(a, "trips")) >= 10
    for table in ("residence_history", "employment", "pension", "health_insurance"):
        assert len(table_rows(a, table)) >= 5, table
    assert len(table_rows(family, "income")) >= 5 and len(table_rows(family, "application.income")) >= 5
    filled = tmp_path / "filled.xlsx"  # 5 years known: room below them for more
    write_questionnaire(filled, "zh", prefill_data(load_yaml(EXAMPLES / "teijusha.yaml")))
    assert len(table_rows(Client(filled).sheet("applicant"), "income")) == 5 + 3


def test_income_years_come_in_the_order_of_the_years(tmp_path: Path):
    """Mr Li wrote 2025 first, then 2023, then inserted 2024 with an amount docgen cannot read: the problem is
    named at the line he wrote it on; corrected, the years come in order."""
    book = tmp_path / "q.xlsx"
    write_questionnaire(book, "zh", prefill_data(load_yaml(EXAMPLES / "gijinkoku-single.yaml")))
    client = Client(book)
    a = client.sheet("applicant")
    first = client.table(
        a,
        "income",
        ("2025年", "5,400,000円", "特別徴収", "是"),
        ("令和5年", "4,800,000円", "特別徴収", "是"),
        (2024, "五百十万", "特別徴収", "是"),
        (None, None, None, None),
        (None, None, None, None),
    )
    client.save()
    with pytest.raises(InputFileError) as err:
        answers_to_profile(read_questionnaire(book))
    problems = err.value.problems
    assert (
        [(p.row, p.column) for p in problems if isinstance(p, CellProblem)]
        == [(first + 2, "C")]
        == [(first + 2, "C") for _ in problems]
    )

    a.cell(first + 2, 3).value = "510万円"
    client.save()
    profile = answers_to_profile(read_questionnaire(book))
    assert [(i.year, i.amount) for i in profile.applicant.income] == [
        (2023, 4_800_000),
        (2024, 5_100_000),
        (2025, 5_400_000),
    ]
