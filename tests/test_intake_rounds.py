"""The questionnaire asks the client only what the client knows, and staff fix a workbook in one round.

The story: Mr Li (2026-201-li, 技術・人文知識・国際業務) files with his wife, who works part-time on 家族滞在, his son
and his grown-up daughter who studies here (留学). The family fills in the Chinese questionnaire at home: nobody
writes the office's 「申請の類型」. Staff import it: the wife's and the son's category come from their status
(家族滞在 → kazoku_taizai), the daughter's is left for the office and the import says so. Another workbook comes
back with a blank answer on one sheet and a wrong one on another: both are listed at once. Categories are typed
by their Japanese names in every command; a reason written in Chinese is named as Chinese text.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from docgen.case import Settings, load_rules
from docgen.case.checks import category_problems
from docgen.errors import InputFileError
from docgen.intake import values
from docgen.intake.profile_data import prefill_data
from docgen.intake.questions import LANGS, texts
from docgen.intake.read import CellProblem, read_questionnaire
from docgen.intake.to_profile import import_answers
from docgen.intake.workbook import write_questionnaire
from docgen.profile import load_profile
from docgen.yamlfile import load_yaml
from tests.conftest import EXAMPLES
from tests.test_intake import Client, dropdown_at, fill_in_as_mr_li
from tests.test_intake_merge import open_case

LI = "2026-201-li"


def docgen(*args: str, cwd: Path, lang: str = "en") -> subprocess.CompletedProcess:
    env = {**os.environ, "DOCGEN_LANG": lang}
    return subprocess.run([sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=cwd, env=env)


def fill_member(client: Client, ws: Any, answers: dict[str, Any], tables: dict[str, list[tuple[Any, ...]]]) -> None:
    for field, value in answers.items():
        client.answer(ws, field, value)
    for table, rows in tables.items():
        client.table(ws, table, *rows)


CO_APPLICANT = {  # what every family member filing together answers (in Chinese, as the dropdowns offer it)
    "living_together": "是",
    "filing_together": "是",
    "application.birth_place": "中国 上海市",
    "application.home_town": "中国 上海市",
    "application.period_of_stay": "3年",
    "application.stay_expiry": "2027-08-31",
    "application.criminal_record.has_record": "否",
}


def the_family_fills_in_their_sheets(client: Client) -> None:
    wife, son, daughter = (client.sheet("family", n) for n in range(3))
    fill_member(
        client,
        wife,
        {
            **CO_APPLICANT,
            "family_name": "ZHANG",
            "given_name": "MIN",
            "nationality": "中国",
            "birth_date": "1992/03/04",
            "sex": "女",
            "relationship": "妻",
            "marriage_date": "2016-05-01",
            "application.phone": "045-111-2222",
            "application.mobile": "０８０-２２２２-３３３３",  # full-width, as typed on a Chinese IME
            "application.occupation": "パート",
            "application.passport.number": "EK7654321",
            "application.passport.expiry": "2031-01-10",
            "application.residence_card_number": "IJ34567890KL",
            "application.status": "家族滞在",
            "application.reason": "夫とともに日本で生活を続けるため。",
        },
        {
            "application.employment": [
                ("株式会社ハマベーカリー", "2021-10-01", None, "パート（販売）", None, None, "否")
            ],
            "application.income": [
                (2024, "95万円", None, None, "横浜市", "是"),  # 非課税: no way of paying, none asked
                (2023, "1,100,000", "途中から普通徴収 / 年度中途改为自行缴纳（离职后）", "是", "横浜市", None),
            ],
        },
    )
    fill_member(
        client,
        son,
        {
            **CO_APPLICANT,
            "family_name": "LI",
            "given_name": "HAO",
            "nationality": "中国",
            "birth_date": "2017-06-30",
            "sex": "男",
            "relationship": "長男",
            "application.occupation": "学生",
            "application.passport.number": "EK2468135",
            "application.passport.expiry": "2028-07-01",
            "application.residence_card_number": "MN45678901OP",
            "application.status": "家族滞在",
        },
        {},
    )
    fill_member(
        client,
        daughter,
        {
            **CO_APPLICANT,
            "family_name": "LI",
            "given_name": "NA",
            "nationality": "中国",
            "birth_date": "2004-01-15",
            "sex": "女",
            "relationship": "長女",
            "application.occupation": "学生",
            "application.passport.number": "EK1357913",
            "application.passport.expiry": "2029-02-01",
            "application.residence_card_number": "QR56789012ST",
            "application.status": "留学",
        },
        {},
    )
    client.save()


@pytest.fixture
def office(tmp_path: Path) -> Path:
    open_case(tmp_path, LI)
    return tmp_path


def family_questionnaire(office: Path) -> Path:
    out = docgen("intake", "new", LI, "--lang", "zh", "--spare-family", "3", cwd=office)
    assert out.returncode == 0, out.stderr
    book = office / "cases" / LI / f"{LI}-intake-zh.xlsx"
    client = Client(book)
    fill_in_as_mr_li(client)
    the_family_fills_in_their_sheets(Client(book))
    return book


# ---------------------------------------------------------------- office-only fields


def test_a_family_questionnaire_without_the_office_fields_imports(office: Path):
    book = family_questionnaire(office)
    profile_path = office / "cases" / LI / f"{LI}-profile.yaml"

    out = docgen("intake", "import", str(book), "--merge", cwd=office)
    assert out.returncode == 0, out.stderr
    # the wife's and the son's category from their status, for staff to check; the daughter's for the office
    assert out.stdout.count("kazoku_taizai (家族滞在) was taken from the status of residence") == 2
    assert "for the office: " in out.stdout and "family[2].application.category" in out.stdout
    report = [line for line in out.stdout.splitlines() if line.startswith(("check: ", "for the office: "))]
    report = [line for line in report if "(申請の類型)" in line]
    assert len(report) == 3 and not any("留学" in line for line in report)  # her status is not repeated there
    assert all(f"{book}: sheet 家族" in line for line in report)  # at the family sheets' cells

    text = profile_path.read_text(encoding="utf-8")
    assert "事務所で記入" in text  # the empty category says who fills it
    check = docgen("profile", "check", str(profile_path), cwd=office)
    assert check.returncode == 2 and "family[2].application.category" in check.stderr
    assert "family[0]" not in check.stderr and "family[1]" not in check.stderr  # only what the office must write

    data = load_yaml(profile_path).data
    data["family"][2]["application"]["category"] = "other_work"  # the office decides (here: any valid id)
    wife, son = (load_profile_with(data, office).family[n] for n in (0, 1))
    assert wife.application is not None and son.application is not None
    assert (wife.application.category, son.application.category) == ("kazoku_taizai", "kazoku_taizai")
    # her phones and her part-time job, for her own 申請書
    assert (wife.application.phone, wife.application.mobile) == ("045-111-2222", "080-2222-3333")
    [job] = wife.application.employment
    assert (job.employer, job.start, job.position, job.self_employed) == (
        "株式会社ハマベーカリー",
        date(2021, 10, 1),
        "パート（販売）",
        False,
    )
    # a 非課税 year with no way of paying; a year paid partly by salary and then by herself
    assert [(i.year, i.non_taxable, i.resident_tax) for i in wife.application.income] == [
        (2023, False, "途中から普通徴収"),
        (2024, True, None),
    ]


def load_profile_with(data: dict[str, Any], folder: Path):
    from ruamel.yaml import YAML

    path = folder / "filled.yaml"
    with path.open("w", encoding="utf-8") as f:
        YAML().dump(data, f)
    return load_profile(path)


def test_a_category_typed_by_its_japanese_name_in_the_questionnaire_is_taken(tmp_path: Path):
    book = tmp_path / "q.xlsx"
    write_questionnaire(book, "zh", prefill_data(load_yaml(EXAMPLES / "gijinkoku-family.yaml")))
    client = Client(book)
    client.answer(client.sheet("family", 0), "application.category", "家族滞在")
    client.answer(client.sheet("office"), "category", "技術・人文知識・国際業務")
    client.save()
    imported = import_answers(read_questionnaire(book))
    assert imported.profile.category == "gijinkoku"
    assert imported.profile.family[0].application is not None
    assert imported.profile.family[0].application.category == "kazoku_taizai"


def test_a_blank_answer_and_a_wrong_one_on_other_sheets_are_reported_in_one_round(tmp_path: Path):
    book = tmp_path / "q.xlsx"
    write_questionnaire(book, "zh", prefill_data(load_yaml(EXAMPLES / "gijinkoku-family.yaml")))
    client = Client(book)
    a, wife, son = client.sheet("applicant"), client.sheet("family", 0), client.sheet("family", 1)
    blank = client.answer(a, "nationality", None)
    status = client.answer(a, "status", "留学")  # not the case's category: found by the case's checks
    category = client.answer(wife, "application.category", "家族滞在ビザ")  # no category by that name
    income = client.row_of(wife, "h:application.income") + 1
    wife.cell(income + 1, 4).value = None  # 2022: 普通徴収 wiped, 非課税 not answered
    expiry = client.answer(son, "application.stay_expiry", "2027年2月30日")
    client.save()

    rules = load_rules(Settings())
    with pytest.raises(InputFileError) as err:
        import_answers(
            read_questionnaire(book),
            more_checks=lambda p: category_problems(p, rules.book, rules.assessment.eligibility),
            book=rules.book,
        )
    found: dict[tuple[str, int, str], list[str]] = {}
    for p in err.value.problems:
        assert isinstance(p, CellProblem)
        found.setdefault((p.sheet, p.row, p.column), []).append(p.message)
    assert len(err.value.problems) == 6, str(err.value)
    assert found[(a.title, blank, "D")] == ["not filled in (required)"]
    # what the case's checks and the profile's consistency find, in the same round as the cells
    assert [m.split(";")[0] for m in found[(a.title, status, "D")]] == [
        "the current status differs from the latest residence history entry (residence_history[1].status)",
        "the category 'gijinkoku' (技術・人文知識・国際業務) is for 技術・人文知識・国際業務",
    ]
    assert found[(son.title, expiry, "D")] == ["no such day (check the month and day)"]
    assert "how the resident tax was paid is empty" in found[(wife.title, income + 1, "D")][0]
    [unknown] = found[(wife.title, category, "D")]
    assert unknown.startswith("unknown category") and "kazoku_taizai (家族滞在)" in unknown
    assert "家族滞在ビザ" not in str(err.value)  # what was typed is never repeated


# ---------------------------------------------------------------- one name for a category in every command


@pytest.mark.parametrize("name", ["家族滞在", "技術・人文知識・国際業務"])
def test_every_command_takes_a_category_by_its_japanese_name(name: str, tmp_path: Path):
    expected = {"家族滞在": "kazoku_taizai", "技術・人文知識・国際業務": "gijinkoku"}[name]
    checklist = docgen("checklist", name, "--date", "2026-12-01", "--format", "json", cwd=tmp_path)
    by_id = docgen("checklist", expected, "--date", "2026-12-01", "--format", "json", cwd=tmp_path)
    assert checklist.returncode == 0 and checklist.stdout == by_id.stdout, checklist.stderr
    init = docgen("profile", "init", name, cwd=tmp_path)
    assert init.returncode == 0 and f"({expected})" in init.stdout, init.stderr
    new = docgen("case", "new", "2026-150-x", "--category", name, "--date", "2026-12-01", "--no-pdf", cwd=tmp_path)
    assert new.returncode == 0, new.stderr
    assert f"category: {expected}" in (tmp_path / "cases" / "2026-150-x" / "2026-150-x-profile.yaml").read_text(
        encoding="utf-8"
    )
    intake = docgen("intake", "new", "2026-150-x", "--lang", "en", "--category", name, cwd=tmp_path)
    assert intake.returncode == 0, intake.stderr


def test_an_unknown_category_gets_the_same_words_in_every_command_without_the_typed_value(tmp_path: Path):
    typed = "家族滞在ビザ"
    runs = [
        docgen("checklist", typed, "--date", "2026-12-01", cwd=tmp_path, lang="ja"),
        docgen("profile", "init", typed, cwd=tmp_path, lang="ja"),
        docgen("case", "new", "2026-151-x", "--category", typed, "--date", "2026-12-01", cwd=tmp_path, lang="ja"),
        docgen("intake", "new", "2026-151-x", "--lang", "zh", "--category", typed, cwd=tmp_path, lang="ja"),
    ]
    for out in runs[:3]:
        assert out.returncode == 2 and "Traceback" not in out.stderr
        unknown = "この類型はありません（類型の ID・類型名・在留資格のどれでもありません）。"
        assert unknown + "もしかして: kazoku_taizai（家族滞在）。" in out.stderr
        assert (
            "使える類型: child（日本人・永住者・特別永住者の実子等）、gijinkoku（技術・人文知識・国際業務）"
            in out.stderr
        )
        assert typed not in out.stderr
    assert "類型（CATEGORY）: " in runs[0].stderr and "類型（--category）: " in runs[2].stderr
    assert runs[3].returncode == 2 and typed not in runs[3].stderr  # no case folder: refused before the category


def test_a_status_several_categories_share_lists_them(tmp_path: Path):
    out = docgen("checklist", "高度専門職1号ロ", "--date", "2026-12-01", cwd=tmp_path)
    assert out.returncode == 2 and "fits several categories" in out.stderr
    assert "hsp_70 (高度専門職（70点・保有者）), hsp_80 (高度専門職（80点・保有者）)" in out.stderr


# ---------------------------------------------------------------- answers in Chinese


def test_a_reason_written_in_chinese_is_named_as_chinese_at_its_cell(tmp_path: Path):
    book = tmp_path / "q.xlsx"
    write_questionnaire(book, "zh", prefill_data(load_yaml(EXAMPLES / "gijinkoku-family.yaml")))
    client = Client(book)
    wife = client.sheet("family", 0)
    row = client.answer(wife, "application.reason", "因为我的家人都在日本，我希望以后一直在日本生活和工作。")
    client.save()
    imported = import_answers(read_questionnaire(book))
    notes = [str(p) for loc, p in imported.notes if loc == ("family", 0, "application", "reason")]
    assert notes == [
        f"{book}: sheet {wife.title}, row {row}, column D (永住許可を申請する理由): this seems to be written in Chinese"
        " (simplified characters); it goes into the Japanese documents as written: write it in Japanese"
    ]


# ---------------------------------------------------------------- payment facts, asked in the client's language


@pytest.mark.parametrize("lang", LANGS)
def test_payment_facts_are_asked_in_every_language(lang: str, tmp_path: Path):
    """A 住民税 year paid by salary and then by the client, a 非課税 year, a 第3号 or 免除 pension period: each is
    a choice in the client's words beside the Japanese, and each choice is read back from those words."""
    book = tmp_path / "q.xlsx"
    write_questionnaire(book, lang, {"case_id": "2026-160-x"}, category="child")
    wb = load_workbook(book)
    lists = wb["_docgen"]
    a = next(ws for ws in wb.worksheets if ws["A1"].value == "sheet:applicant")
    header = Client.row_of(a, "h:income")
    columns = [a.cell(header, c).value for c in range(2, 8)]
    assert any("住民税が非課税だった" in str(c) for c in columns)  # 非課税: its own question in every language
    own = {value: texts().choices[value][lang] for value in ("途中から普通徴収", "第3号被保険者", "免除")}
    if lang != "ja":
        assert all(word != value for value, word in own.items())  # never the bare Japanese term
    assert dropdown_at(a, lists, f"D{header + 1}")[-1] == texts().choice("途中から普通徴収", lang)
    pension = Client.row_of(a, "h:pension") + 1
    assert texts().choice("第3号被保険者", lang) in dropdown_at(a, lists, f"F{pension}")
    for value, word in own.items():
        choices = (
            ("特別徴収", "普通徴収", "途中から普通徴収") if value == "途中から普通徴収" else ("免除", "第3号被保険者")
        )
        assert values.parse_choice(word, choices) == value
    # a child's questionnaire asks about the parent who supports them, with their address and phones
    g = next(ws for ws in wb.worksheets if ws["A1"].value == "sheet:guarantor")
    for field in ("supporter.name", "supporter.address", "supporter.phone", "supporter.mobile"):
        Client.row_of(g, f"q:{field}")


def test_the_cases_category_left_empty_comes_from_the_applicants_status_or_is_asked_of_the_office(tmp_path: Path):
    book = tmp_path / "q.xlsx"
    write_questionnaire(book, "en", prefill_data(load_yaml(EXAMPLES / "gijinkoku-single.yaml")))
    client = Client(book)
    office_sheet = client.sheet("office")
    row = client.answer(office_sheet, "category", None)
    client.save()
    imported = import_answers(read_questionnaire(book))
    assert imported.profile.category == "gijinkoku"
    [note] = [p for loc, p in imported.notes if loc == ("category",)]
    assert isinstance(note, CellProblem) and (note.sheet, note.row) == (office_sheet.title, row)

    client.answer(client.sheet("applicant"), "status", "高度専門職1号ロ")  # a 70- or an 80-point holder: staff decide
    client.save()
    with pytest.raises(InputFileError) as err:
        import_answers(read_questionnaire(book))
    [problem] = [p for p in err.value.problems if isinstance(p, CellProblem) and p.sheet == office_sheet.title]
    assert problem.row == row and "does not follow from the applicant's status" in problem.message
