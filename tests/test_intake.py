"""The client questionnaire: staff write it in the client's language, the client fills it in Excel, staff import
it back into the case's profile.

The story: the office opens a case for Mr Li (中国), writes a questionnaire in simplified Chinese, the client
types his answers the way clients do (full-width digits, 和暦, 1990/05/20, "4,500,000円", the Chinese words of
the dropdowns), staff import it, see what changed against the profile and write it only when they say so.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pydantic import BaseModel

from docgen.errors import InputFileError
from docgen.intake import values
from docgen.intake.layout import Section, applicant_sheet, family_sheet, guarantor_sheet, office_sheet
from docgen.intake.profile_data import prefill_data
from docgen.intake.questions import LANGS, texts
from docgen.intake.read import CellProblem, read_questionnaire
from docgen.intake.to_profile import answers_to_profile
from docgen.intake.workbook import write_questionnaire
from docgen.profile import load_profile
from docgen.profile.model import Profile
from docgen.profile.skeleton import skeleton
from docgen.wareki import wareki_date
from docgen.yamlfile import load_yaml
from tests.conftest import EXAMPLES

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture(autouse=True)
def japanese_messages(monkeypatch):
    """Staff read Japanese (docgen's default); the suite otherwise pins English (tests/conftest.py)."""
    monkeypatch.setenv("DOCGEN_LANG", "ja")


def docgen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=cwd, env=dict(os.environ)
    )


# ---------------------------------------------------------------- what the client does in Excel


class Client:
    """Fills a questionnaire the way a client does: types into the answer cells and table rows."""

    def __init__(self, path: Path):
        self.path = path
        self.wb = load_workbook(path)

    def sheet(self, role: str, n: int = 0):
        return [ws for ws in self.wb.worksheets if ws["A1"].value == f"sheet:{role}"][n]

    @staticmethod
    def row_of(ws, key: str) -> int:
        return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == key)

    def answer(self, ws, field: str, value: Any) -> int:
        row = self.row_of(ws, f"q:{field}")
        ws.cell(row, 4).value = value  # (ws.cell(r, c, None) would leave the cell as it was)
        return row

    def table(self, ws, table: str, *entries: tuple[Any, ...]) -> int:
        first = self.row_of(ws, f"h:{table}") + 1
        for r, entry in enumerate(entries, start=first):
            for c, value in enumerate(entry, start=2):
                ws.cell(r, c).value = value
        return first

    def save(self) -> None:
        self.wb.save(self.path)


def fill_in_as_mr_li(client: Client) -> None:
    a = client.sheet("applicant")
    answers = {
        "family_name": "ｌｉ",  # full-width, lower case: as typed on a Chinese IME
        "given_name": "WEI",
        "name_kanji": "李 伟",
        "nationality": "中国",
        "birth_date": "平成2年5月20日",
        "sex": "男",
        "address": "東京都新宿区西新宿二丁目8番1号",
        "mobile": "０９０-１２３４-５６７８",
        "birth_place": "中国 上海市",
        "home_town": "中国 上海市浦东新区",
        "occupation": "会社員",
        "passport.number": "ＥＪ１２３４５６７",
        "passport.expiry": "2031/03/31",
        "residence_card_number": "ab12345678cd",
        "status": "技術・人文知識・国際業務",
        "period_of_stay": "5年",
        "stay_expiry": "R11.3.31",
        "criminal_record.has_record": "否",
        "social_insurance_employer": "否",  # every yes/no is answered: an empty one is not taken as いいえ
        "employer.name": "新宿ソフト株式会社",
        "employer.since": datetime(2018, 4, 1),  # an Excel date cell
    }
    for field, value in answers.items():
        client.answer(a, field, value)
    client.table(
        a,
        "residence_history",
        ("留学", "2014/04/01", "2018/03/31"),
        ("技術・人文知識・国際業務", "H30.4.1", None, "5年"),
    )
    client.table(
        a,
        "trips",
        ("２０２５/１/２０", "2025年2月5日", "中国", "春节探亲", "みなし再入国（视为再入境（无许可，1年内））"),
    )
    client.table(a, "employment", ("新宿ソフト株式会社", "2018/04/01", None, None, None, None, "否"))
    client.table(
        a,
        "income",
        ("令和5年", "4,500,000円", "从工资中代扣", "是"),
        (2024, "５２０万円", "特別徴収 / 从工资中代扣", "是"),
        ("2025年", 6000000, "特別徴収"),
    )
    client.table(a, "pension", ("厚生年金（公司）", "2018/4"))
    client.table(a, "health_insurance", ("健康保险（公司）", "平成30年4月"))
    g = client.sheet("guarantor")
    for field, value in {
        "guarantor.name": "佐藤 一郎",
        "guarantor.address": "東京都新宿区西新宿二丁目8番1号",
        "guarantor.status": "日本人",
        "guarantor.relationship": "雇用主",
    }.items():
        client.answer(g, field, value)
    client.save()


# ---------------------------------------------------------------- the story


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """An office folder with a case folder for Mr Li (what `docgen case new` leaves: a profile skeleton)."""
    case = tmp_path / "cases" / "2026-201-li"
    case.mkdir(parents=True)
    text = skeleton("gijinkoku", case_id="2026-201-li", application_date=date(2026, 12, 15))
    profile = case / "2026-201-li-profile.yaml"
    from docgen.packet.safe_write import private_file

    with private_file(profile) as part:  # written by docgen, as case new does
        part.write_text(text, encoding="utf-8")
    return tmp_path


def test_staff_write_a_chinese_questionnaire_for_the_case(office: Path):
    out = docgen("intake", "new", "2026-201-li", "--lang", "zh", cwd=office)
    assert out.returncode == 0, out.stderr
    book = office / "cases" / "2026-201-li" / "2026-201-li-intake-zh.xlsx"
    assert book.is_file() and "質問票を作成しました" in out.stdout
    assert stat.S_IMODE(book.stat().st_mode) == 0o600  # owner only: it will hold a passport number and incomes

    wb = load_workbook(book)
    assert wb.sheetnames[:3] == ["記入方法 填写说明", "申請人 申请人", "家族1 家属1"]
    assert wb.sheetnames[-3:] == ["保証人 保证人", "事務所用 事务所用", "_docgen"]
    assert wb["_docgen"].sheet_state == "hidden"
    intro = wb["記入方法 填写说明"]
    assert intro["B1"].value == "永住许可申请 问卷" and intro["C1"].value == "永住許可申請 質問票"
    assert "1990-05-20" in intro["B5"].value and "平成2年5月20日" in intro["C5"].value  # dates, both languages

    a = wb["申請人 申请人"]
    row = Client.row_of(a, "q:birth_date")
    assert (a.cell(row, 2).value, a.cell(row, 3).value) == ("出生日期", "生年月日")  # the question, the Japanese
    assert a.cell(row, 4).number_format == "yyyy-mm-dd"
    assert a.column_dimensions["A"].hidden  # the keys the import reads
    assert a["D3"].value == "回答" and a["B3"].value == "问题" and a["C3"].value == "问题（日语）"
    assert wb["事務所用 事务所用"].cell(Client.row_of(wb["事務所用 事务所用"], "q:case_id"), 4).value == "2026-201-li"


def test_the_dropdowns_offer_the_profile_choices_in_the_clients_language(tmp_path: Path):
    book = tmp_path / "q.xlsx"
    write_questionnaire(book, "zh", prefill_data(load_yaml(EXAMPLES / "gijinkoku-family.yaml")))
    wb = load_workbook(book)
    lists = wb["_docgen"]

    def dropdown(ws, key: str, column: int = 4) -> list[str]:
        ref = f"{ws.cell(Client.row_of(ws, key), column).coordinate}"
        dv = next(dv for dv in ws.data_validations.dataValidation if ref in dv.sqref)
        col = dv.formula1.split("!")[1].split(":")[0].strip("$")[0]
        return [c.value for c in lists[col] if c.value is not None]

    a = wb["申請人 申请人"]
    assert dropdown(a, "q:sex") == ["男", "女"]
    assert dropdown(a, "q:criminal_record.has_record") == ["はい / 是", "いいえ / 否"]
    assert "技術・人文知識・国際業務" in dropdown(a, "q:status") and "家族滞在" in dropdown(a, "q:status")
    income = Client.row_of(a, "h:income") + 1
    assert dropdown_at(a, lists, f"D{income}") == [
        "特別徴収 / 从工资中代扣",
        "普通徴収 / 自行缴纳",
        "途中から普通徴収 / 年度中途改为自行缴纳（离职后）",
    ]
    pension = Client.row_of(a, "h:pension") + 1
    assert dropdown_at(a, lists, f"B{pension}") == [
        "厚生年金 / 厚生年金（公司）",
        "国民年金",
        "共済年金 / 共济年金（公务员等）",
        "未加入",
    ]
    health = Client.row_of(a, "h:health_insurance") + 1
    assert "国民健康保険 / 国民健康保险" in dropdown_at(a, lists, f"B{health}")
    trips = Client.row_of(a, "h:trips") + 1
    assert dropdown_at(a, lists, f"F{trips}") == [
        "みなし再入国 / 视为再入境（无许可，1年内）",
        "再入国許可 / 再入境许可",
        "不明 / 不清楚",
    ]
    traffic = Client.row_of(a, "h:traffic") + 1
    assert dropdown_at(a, lists, f"C{traffic}") == ["反則金 / 违章罚款（蓝单）", "罰金 / 罚金（红单）"]
    g = wb["保証人 保证人"]
    assert dropdown(g, "q:guarantor.status") == ["日本人", "永住者", "特別永住者 / 特别永住者"]
    strict = [dv for dv in a.data_validations.dataValidation if dv.showErrorMessage]
    suggest = [dv for dv in a.data_validations.dataValidation if not dv.showErrorMessage]
    assert strict and suggest  # choices are enforced; 在留資格 / 在留期間 are suggestions the client may overtype


def dropdown_at(ws, lists, ref: str) -> list[str]:
    dv = next(dv for dv in ws.data_validations.dataValidation if ref in dv.sqref)
    col = dv.formula1.split("!")[1].split(":")[0].strip("$")[0]
    return [c.value for c in lists[col] if c.value is not None]


def test_the_client_fills_it_in_and_the_import_gives_a_valid_profile(office: Path):
    assert docgen("intake", "new", "2026-201-li", "--lang", "zh", cwd=office).returncode == 0
    case = office / "cases" / "2026-201-li"
    book = case / "2026-201-li-intake-zh.xlsx"
    fill_in_as_mr_li(Client(book))

    shown = docgen("intake", "import", str(book), cwd=office)
    assert shown.returncode == 0, shown.stderr
    assert "applicant.birth_date（生年月日）: （なし） → 1990-05-20" in shown.stdout
    assert "--merge" in shown.stdout
    assert load_yaml(case / "2026-201-li-profile.yaml").data["applicant"]["family_name"] is None  # not written

    written = docgen("intake", "import", str(book), "--merge", cwd=office)
    assert written.returncode == 0, written.stderr
    profile = load_profile(case / "2026-201-li-profile.yaml")
    a = profile.applicant
    assert (a.family_name, a.given_name, a.birth_date, a.sex) == ("LI", "WEI", date(1990, 5, 20), "男")
    assert a.passport.number == "EJ1234567" and a.passport.expiry == date(2031, 3, 31)
    assert a.residence_card_number == "AB12345678CD" and a.mobile == "090-1234-5678"
    assert a.stay_expiry == date(2029, 3, 31)  # R11.3.31
    assert [(r.status, r.start, r.end) for r in a.residence_history] == [
        ("留学", date(2014, 4, 1), date(2018, 3, 31)),
        ("技術・人文知識・国際業務", date(2018, 4, 1), None),
    ]
    assert (a.trips[0].departure, a.trips[0].return_date, a.trips[0].exit) == (
        date(2025, 1, 20),
        date(2025, 2, 5),
        "みなし再入国",
    )
    assert [(i.year, i.amount, i.resident_tax) for i in a.income] == [
        (2023, 4_500_000, "特別徴収"),
        (2024, 5_200_000, "特別徴収"),
        (2025, 6_000_000, "特別徴収"),
    ]
    assert (a.pension[0].kind, a.pension[0].start) == ("厚生年金", "2018-04")
    assert (a.health_insurance[0].kind, a.health_insurance[0].start) == ("健康保険", "2018-04")
    assert a.employer is not None and a.employer.since == date(2018, 4, 1)
    assert profile.guarantor.status == "日本人" and profile.family == []
    text = (case / "2026-201-li-profile.yaml").read_text(encoding="utf-8")
    assert "# 姓 (roman letters as in the passport)" in text  # the skeleton's comments are kept
    assert "- {year: 2023, amount: 4500000, resident_tax: 特別徴収}" in text  # one readable line per entry
    assert stat.S_IMODE((case / "2026-201-li-profile.yaml").stat().st_mode) == 0o600
    assert docgen("profile", "check", str(case / "2026-201-li-profile.yaml"), cwd=office).returncode == 0


def test_a_bad_cell_is_reported_by_sheet_row_column_and_question(tmp_path: Path):
    book = tmp_path / "q.xlsx"
    write_questionnaire(book, "zh", prefill_data(load_yaml(EXAMPLES / "gijinkoku-single.yaml")))
    client = Client(book)
    a = client.sheet("applicant")
    birth = client.answer(a, "birth_date", "1990年13月45日")
    nationality = client.answer(a, "nationality", None)
    income = client.table(a, "income", (2021, "四百万", "特別徴収"))
    card = client.answer(a, "residence_card_number", "XY99")
    name = client.answer(a, "family_name", "王")
    client.save()

    with pytest.raises(InputFileError) as err:
        answers_to_profile(read_questionnaire(book))
    messages = [str(p) for p in err.value.problems]
    assert all(isinstance(p, CellProblem) for p in err.value.problems)
    assert (
        f"{book}: シート 申請人 申请人、行 {birth}、列 D（生年月日）: 存在しない日付です（月・日を確認してください）"
        in messages
    )
    assert (
        f"シート 申請人 申请人、行 {nationality}、列 D（国籍・地域）: 記入されていません（必須の項目です）"
        in "\n".join(messages)
    )
    assert any(f"行 {income}、列 C（年収と住民税／年収）: 数字として読めません" in m for m in messages)
    assert any(f"行 {card}、" in m and "在留カード番号は英字2文字・数字8桁・英字2文字です" in m for m in messages)
    assert any(f"行 {name}、" in m and "旅券のとおりローマ字で書いてください" in m for m in messages)
    assert not any(v in m for m in messages for v in ("四百万", "13月45日", "XY99", "王"))  # values never echoed
    assert len(messages) == 5  # the unreadable date is not reported a second time as missing


def test_with_english_messages_the_cell_is_named_in_english(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("DOCGEN_LANG", "en")
    book = tmp_path / "q.xlsx"
    write_questionnaire(book, "en", prefill_data(load_yaml(EXAMPLES / "gijinkoku-single.yaml")))
    client = Client(book)
    row = client.answer(client.sheet("applicant"), "birth_date", "H2.13.1")
    client.save()
    with pytest.raises(InputFileError) as err:
        answers_to_profile(read_questionnaire(book))
    assert [str(p) for p in err.value.problems] == [
        f"{book}: sheet 申請人 Applicant, row {row}, column D (生年月日): no such day (check the month and day)"
    ]


def test_the_cli_lists_every_problem_without_a_traceback(tmp_path: Path):
    book = tmp_path / "2026-104-tanaka-intake-en.xlsx"
    write_questionnaire(book, "en", prefill_data(load_yaml(EXAMPLES / "gijinkoku-single.yaml")))
    client = Client(book)
    client.answer(client.sheet("applicant"), "sex", "maybe")
    client.save()
    out = docgen("intake", "import", str(book), cwd=tmp_path)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "シート 申請人 Applicant、行" in out.stderr and "（性別）: 一覧から選んでください（男・女）" in out.stderr


def income_by_year(profile: Profile) -> Profile:
    """The profile as an import gives it back: income lines in the order of the years (the wife in
    examples/gijinkoku-family.yaml has her 2021 line last, as a client adds a forgotten year)."""

    def sort(data: Any) -> Any:
        if isinstance(data, dict):
            return {
                k: sorted(v, key=lambda e: e["year"]) if k == "income" and isinstance(v, list) else sort(v)
                for k, v in data.items()
            }
        return [sort(v) for v in data] if isinstance(data, list) else data

    return Profile.model_validate(sort(profile.model_dump(mode="python", by_alias=True)))


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_every_example_comes_back_the_same_from_its_questionnaire(example: Path, tmp_path: Path):
    """Export to a questionnaire and import back gives the same Profile, in every language."""
    original = load_profile(example)
    for lang in LANGS:
        book = tmp_path / f"{example.stem}-{lang}.xlsx"
        write_questionnaire(book, lang, original.model_dump(mode="python", by_alias=True))
        assert answers_to_profile(read_questionnaire(book)) == income_by_year(original), lang


def test_the_imported_profile_file_reads_back_as_the_same_profile(tmp_path: Path):
    book = tmp_path / "q.xlsx"
    write_questionnaire(book, "vi", prefill_data(load_yaml(EXAMPLES / "gijinkoku-family.yaml")))
    out = docgen("intake", "import", str(book), "--out", str(tmp_path / "case.yaml"), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    example = income_by_year(load_profile(EXAMPLES / "gijinkoku-family.yaml"))
    # the client answered in Vietnamese: the profile records the language the client reads
    assert load_profile(tmp_path / "case.yaml") == example.model_copy(update={"client_language": "vi"})


def test_import_onto_an_existing_profile_shows_the_differences_and_writes_only_with_merge(tmp_path: Path):
    book = tmp_path / "2026-108-silva-intake-en.xlsx"
    write_questionnaire(book, "en", prefill_data(load_yaml(EXAMPLES / "teijusha.yaml")))
    assert docgen("intake", "import", str(book), cwd=tmp_path).returncode == 0  # first import: the profile
    profile = tmp_path / "2026-108-silva-profile.yaml"
    before = profile.read_text(encoding="utf-8")

    client = Client(book)
    a = client.sheet("applicant")
    client.answer(a, "mobile", "090-9999-0000")
    client.table(
        a, "trips", ("2022-12-20", "2023-01-25", "ブラジル", "帰省"), ("2025/8/1", "2025/8/20", "ブラジル", "結婚式")
    )
    client.save()

    shown = docgen("intake", "import", str(book), cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "applicant.mobile（携帯電話番号）: 090-2233-4455 → 090-9999-0000" in shown.stdout
    assert "applicant.trips[1].departure（出国歴／出国日）: （なし） → 2025-08-01" in shown.stdout
    assert "--merge" in shown.stdout
    assert profile.read_text(encoding="utf-8") == before  # nothing written without --merge

    merged = docgen("intake", "import", str(book), "--merge", cwd=tmp_path)
    assert merged.returncode == 0, merged.stderr
    after = load_profile(profile)
    assert after.applicant.mobile == "090-9999-0000" and len(after.applicant.trips) == 2
    assert "違いはありません" in docgen("intake", "import", str(book), cwd=tmp_path).stdout


def test_a_file_docgen_did_not_write_is_never_replaced_by_another_profile(tmp_path: Path):
    """--merge writes into the profile it merged with (tests/test_intake_merge.py); a different --out that
    staff wrote themselves is kept."""
    profile = tmp_path / "case.yaml"
    shutil.copyfile(EXAMPLES / "teijusha.yaml", profile)
    notes = tmp_path / "notes.yaml"
    notes.write_text("# staff's own notes\n", encoding="utf-8")
    book = tmp_path / "q.xlsx"
    write_questionnaire(book, "ja", prefill_data(load_yaml(profile)))
    client = Client(book)
    client.answer(client.sheet("applicant"), "mobile", "090-9999-0000")
    client.save()
    out = docgen("intake", "import", str(book), "--profile", str(profile), "--out", str(notes), "--merge", cwd=tmp_path)
    assert out.returncode == 2 and str(notes) in out.stderr and "Traceback" not in out.stderr
    assert "docgen が書いたものではない" in out.stderr
    assert notes.read_text(encoding="utf-8") == "# staff's own notes\n"
    assert profile.read_text(encoding="utf-8") == (EXAMPLES / "teijusha.yaml").read_text(encoding="utf-8")
    assert not list(tmp_path.glob("*before-merge*"))


def test_empty_cells_keep_the_values_of_the_existing_profile(tmp_path: Path):
    book = tmp_path / "q.xlsx"
    write_questionnaire(book, "en", {"case_id": "2026-108-silva"})  # a blank questionnaire
    client = Client(book)
    client.answer(client.sheet("applicant"), "mobile", "090-9999-0000")
    client.save()
    merged = answers_to_profile(read_questionnaire(book), load_yaml(EXAMPLES / "teijusha.yaml"))
    assert merged.applicant.mobile == "090-9999-0000"
    assert merged.model_copy(update={"applicant": merged.applicant.model_copy(update={"mobile": "090-2233-4455"})}) == (
        load_profile(EXAMPLES / "teijusha.yaml")
    )


def test_a_skeleton_is_prefilled_without_its_guesses(tmp_path: Path):
    """`profile init` writes the first choice (sex: 男, japanese: N1) as a placeholder; the client chooses."""
    path = tmp_path / "case.yaml"
    path.write_text(skeleton("hsp_points_80", case_id="2026-202-x"), encoding="utf-8")
    data = prefill_data(load_yaml(path))
    assert data["case_id"] == "2026-202-x" and data["category"] == "hsp_points_80"
    assert "sex" not in data["applicant"] and "japanese" not in data["applicant"].get("hsp", {})
    assert not data["applicant"].get("trips") and not data.get("family")  # the template entries are not entries


def test_empty_family_sheets_are_skipped_and_a_copied_sheet_is_read(tmp_path: Path):
    book = tmp_path / "q.xlsx"
    original = load_profile(EXAMPLES / "spouse-of-japanese.yaml")
    write_questionnaire(book, "en", original.model_dump(mode="python", by_alias=True))
    client = Client(book)
    husband = client.sheet("family", 0)
    copy = client.wb.copy_worksheet(husband)  # the client copies a family sheet for a child
    for field, value in {
        "family_name": "KOBAYASHI",
        "given_name": "HANA",
        "name_kanji": "小林 花",
        "sex": "女",
    }.items():
        client.answer(copy, field, value)
    client.answer(copy, "birth_date", "令和5年6月1日")
    client.answer(copy, "relationship", "長女")
    client.answer(copy, "marriage_date", None)
    client.answer(copy, "workplace", None)
    client.table(copy, "income", (None, None), (None, None), (None, None))
    client.save()
    profile = answers_to_profile(read_questionnaire(book))
    assert [m.relationship for m in profile.family] == ["夫", "長女"]
    assert profile.family[1].birth_date == date(2023, 6, 1)


def test_a_copied_applicant_sheet_is_named_not_guessed(tmp_path: Path):
    book = tmp_path / "q.xlsx"
    write_questionnaire(book, "en", prefill_data(load_yaml(EXAMPLES / "teijusha.yaml")))
    client = Client(book)
    client.wb.copy_worksheet(client.sheet("applicant"))
    client.save()
    with pytest.raises(InputFileError) as err:
        answers_to_profile(read_questionnaire(book))
    assert [str(p) for p in err.value.problems] == [
        f"{book}: シート 申請人 Applicant Copy: 「申請人 Applicant」と同じ種類のシートが2つあります。"
        "1つにまとめてください"
    ]


def test_a_file_that_is_not_a_questionnaire_is_a_plain_error(tmp_path: Path):
    other = tmp_path / "other.xlsx"
    from openpyxl import Workbook

    Workbook().save(other)
    with pytest.raises(InputFileError, match="docgen の質問票ではありません"):
        read_questionnaire(other)
    text = tmp_path / "notes.xlsx"
    text.write_text("not excel", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"Excel \(\.xlsx\) のファイルとして読めません"):
        read_questionnaire(text)


# ---------------------------------------------------------------- texts and coverage


def test_every_question_and_choice_has_all_five_languages():
    t = texts()
    for section in (t.ui, t.questions, t.choices):
        for key, entry in section.items():
            assert set(entry) == set(LANGS) and all(entry.values()), key
    assert all(set(p) == set(LANGS) for p in t.instructions)


def _leaves(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for name, info in model.model_fields.items():
        key = (*prefix, info.alias or name)
        annotation = info.annotation
        args = [a for a in get_args(annotation) if a is not type(None)]
        inner = args[0] if get_origin(annotation) is not list and args and len(args) == 1 else annotation
        if get_origin(inner) is list:
            (inner,) = get_args(inner)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            out |= _leaves(inner, key)
        else:
            out.add(key)
    return out


def test_every_profile_field_has_a_question():
    asked: set[tuple[str, ...]] = set()
    for layout in (
        applicant_sheet(hsp=True, business=True),
        family_sheet(),
        guarantor_sheet(supporter=True),
        office_sheet(),
    ):
        for item in layout.items:
            for q in item.questions if isinstance(item, Section) else item.columns:
                base = () if isinstance(item, Section) else item.path
                asked.add((*layout.root, *base, *q.path))
    assert _leaves(Profile) == asked
    assert all(q.label in texts().questions for q in applicant_sheet(hsp=True, business=True).items[0].questions)


# ---------------------------------------------------------------- the value parser


@given(st.one_of(st.text(max_size=40), st.integers(), st.floats(), st.booleans(), st.none(), st.dates()))
@settings(max_examples=400, deadline=None)
def test_any_cell_gives_a_value_or_a_clean_error(raw: Any):
    parsers = [
        values.parse_date,
        values.parse_month,
        values.parse_year,
        values.parse_int,
        values.parse_bool,
        values.parse_text,
        lambda r: values.parse_choice(r, ("特別徴収", "普通徴収")),
    ]
    for parse in parsers:
        try:
            result = parse(raw)
        except values.BadValue as exc:
            typed = raw.strip() if isinstance(raw, str) else ""
            assert str(exc) and (len(typed) < 8 or typed not in str(exc))  # what was typed is never echoed
            continue
        assert result is None or isinstance(result, date | str | int | bool)


@given(st.dates(min_value=date(1927, 1, 1), max_value=date(2099, 12, 31)))
@settings(max_examples=300, deadline=None)
def test_a_date_is_understood_however_it_is_written(day: date):
    full_width = str.maketrans("0123456789/", "０１２３４５６７８９／")
    era = wareki_date(day)  # 令和8年1月2日, 平成元年…
    written = [
        day.isoformat(),
        f"{day.year}/{day.month:02d}/{day.day:02d}",
        f"{day.year}/{day.month}/{day.day}".translate(full_width),
        f"{day.year}年{day.month}月{day.day}日",
        f"{day:%Y%m%d}",
        era,
        datetime(day.year, day.month, day.day),
    ]
    for text in written:
        assert values.parse_date(text) == day, text
    assert values.parse_month(f"{day.year}/{day.month}") == f"{day:%Y-%m}"
    assert values.parse_year(f"{day.year}年") == day.year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("平成2年5月20日", date(1990, 5, 20)),
        ("H2/5/20", date(1990, 5, 20)),
        ("Ｈ２．５．２０", date(1990, 5, 20)),
        ("R8.1.2", date(2026, 1, 2)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("１９９０/０５/２０", date(1990, 5, 20)),
        ("1990/05/20", date(1990, 5, 20)),
        (32983, date(1990, 4, 20)),  # an Excel date serial
    ],
)
def test_japanese_era_and_full_width_dates(text: Any, expected: date):
    assert values.parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("令和8年", "日付として読めません"),
        ("平成1年1月1日", "平成は1989-01-08からです"),
        ("2025/2/30", "存在しない日付です"),
    ],
)
def test_dates_that_cannot_be_read_say_why(text: str, message: str):
    with pytest.raises(values.BadValue, match=message):
        values.parse_date(text)


def test_years_amounts_and_yes_no():
    assert (
        values.parse_year("令和8年") == 2026
        and values.parse_year("R6") == 2024
        and values.parse_year("２０２４") == 2024
    )
    assert values.parse_int("4,500,000円") == 4_500_000 and values.parse_int("￥４，５００，０００") == 4_500_000
    assert values.parse_int("450万円") == 4_500_000 and values.parse_int(4500000.0) == 4_500_000
    with pytest.raises(values.BadValue, match="マイナス"):
        values.parse_int("-5")
    assert [values.parse_bool(w) for w in ("是", "否", "yes", "không", "はい / 是", True)] == [
        True,
        False,
        True,
        False,
        True,
        True,
    ]
    assert values.parse_choice("自行缴纳", ("特別徴収", "普通徴収")) == "普通徴収"
    assert values.parse_month("令和6年4月") == "2024-04" and values.parse_month(datetime(2024, 4, 1)) == "2024-04"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ja", ("罰金", "反則金", "略式命令")),
        ("zh", ("罚金", "违章罚款")),
        ("zh-TW", ("罰金", "違規罰款")),
        ("en", ("criminal fine", "traffic fine", "summary order")),
        ("vi", ("tiền phạt hình sự", "tiền phạt vi phạm")),
    ],
)
def test_the_questionnaire_asks_about_fines_and_traffic_penalties_by_name_in_every_language(lang, words):
    """Clients rarely think of a speeding fine as a 犯罪 (reference §11.3): the question names both kinds."""
    from docgen.intake.questions import texts

    asked = texts().question("applicant.traffic", lang)
    assert all(w in asked for w in words), asked
    assert texts().question("applicant.traffic.paid_on", lang)  # and when a fine was paid
