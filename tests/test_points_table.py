"""The 高度専門職ポイント計算表 an office files: one sheet per date, each with one table of that date's facts.

A points applicant proves the score as of the application date (申請時点) and as of the reference date (基準時点,
1 or 3 years before): the packet holds a sheet for each (hsp_points_current / hsp_points_lookback), and each sheet
shows only its own date — its salary, age, experience and total, headed with the date in 西暦. A 高度専門職 holder
with the ポイント計算結果通知書 files only the 申請時点 sheet. The packets are built in Word only (no LibreOffice).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document

from docgen.assessment import assess_case
from docgen.assessment.points import PointsCheck, salary_on
from docgen.case import Case, Settings
from docgen.documents.template_check import check_template
from docgen.packet.build import build_packet
from docgen.wareki import seireki_date
from tests.conftest import EXAMPLES, ROOT, case_of

POINTS_80 = EXAMPLES / "hsp-points-80.yaml"
LOOKBACK_70 = ROOT / "tests" / "fixtures" / "long-hsp-lookback.yaml"  # salary and age band changed in between
HOLDER = EXAMPLES / "hsp-70-holder.yaml"  # holds the 計算結果通知書: no 基準時点 sheet
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Sheet:
    """A 計算表 as Word holds it: the paragraphs, and each table as rows of cell texts."""

    def __init__(self, path: Path) -> None:
        doc = Document(str(path))
        self.path = path
        self.paragraphs = [p.text for p in doc.paragraphs if p.text.strip()]
        self.tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]

    @property
    def heading(self) -> str:
        """The line under the title: the sheet's date and label."""
        return self.paragraphs[1]

    @property
    def rows(self) -> dict[str, list[str]]:
        """The table's rows by their first cell (項目)."""
        (table,) = self.tables
        return {row[0]: row for row in table}

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs + [c for t in self.tables for row in t for c in row])


def sheets(profile: Path, tmp: Path) -> tuple[Case, dict[str, Sheet]]:
    """The case and its 計算表 documents by checklist item (hsp_points_current / hsp_points_lookback)."""
    case = case_of(profile, Settings(output_dir=tmp))
    result = build_packet(case, out=tmp / profile.stem, pdf=False)
    found = {}
    for path in result.documents:
        for item in ("hsp_points_current", "hsp_points_lookback"):
            if f"_{item}_" in path.name:
                found[item] = Sheet(path)
    return case, found


def route_check(case: Case) -> PointsCheck:
    """The assessment's points check of the case's own route (what the sheets must print, never recomputed)."""
    threshold = case.book.params(case.profile.category, case.application_date).values["points_threshold"]
    return assess_case(case).main.points[threshold]


@pytest.fixture(scope="module")
def points_80(tmp_path_factory: pytest.TempPathFactory) -> tuple[Case, dict[str, Sheet]]:
    return sheets(POINTS_80, tmp_path_factory.mktemp("points80"))


@pytest.fixture(scope="module")
def lookback_70(tmp_path_factory: pytest.TempPathFactory) -> tuple[Case, dict[str, Sheet]]:
    return sheets(LOOKBACK_70, tmp_path_factory.mktemp("lookback70"))


def test_each_date_has_its_own_sheet_with_one_table(points_80: tuple[Case, dict[str, Sheet]]) -> None:
    case, by_item = points_80
    check = route_check(case)
    now, ref = by_item["hsp_points_current"], by_item["hsp_points_lookback"]
    assert len(now.tables) == 1 and len(ref.tables) == 1
    assert now.heading == f"申請時点: {seireki_date(case.application_date)}"
    assert ref.heading == f"基準時点: {seireki_date(check.reference_date)}（申請日の1年前）"
    assert "基準時点" not in now.text and "申請時点" not in ref.text.replace("申請予定日", "")
    assert now.rows["項目"][1] == "該当する内容（申請時点の事実）"
    assert ref.rows["項目"][1] == "該当する内容（基準時点の事実）"


def test_each_sheet_totals_its_own_date_as_the_assessment_scored_it(points_80: tuple[Case, dict[str, Sheet]]) -> None:
    case, by_item = points_80
    check = route_check(case)
    hsp = case.profile.applicant.hsp
    assert hsp is not None
    for sheet, result, stated in (
        (by_item["hsp_points_current"], check.now, hsp.stated_points_now),
        (by_item["hsp_points_lookback"], check.reference, hsp.stated_points_reference),
    ):
        assert sheet.rows["合計"][-1] == str(result.total) == str(stated)  # 100 now, 95 a year before
        scored = {row[0]: row for row in sheet.tables[0][1:-1]}
        assert [(x.label["ja"], x.basis, str(x.points)) for x in result.lines] == [tuple(r) for r in scored.values()]
        assert "基準点: 80点以上　満たしています" in sheet.paragraphs
    # a year less of experience on the reference date: 7 years 8 months (15 points) then 6 years 8 months (10)
    assert by_item["hsp_points_current"].rows["職歴 (実務経験)"][1:] == ["実務経験 7年8か月 (7年以上)", "15"]
    assert by_item["hsp_points_lookback"].rows["職歴 (実務経験)"][1:] == ["実務経験 6年8か月 (5年以上)", "10"]


def test_the_reference_sheet_shows_the_salary_and_age_of_its_date_not_todays(
    lookback_70: tuple[Case, dict[str, Sheet]],
) -> None:
    case, by_item = lookback_70
    check = route_check(case)
    hsp = case.profile.applicant.hsp
    assert hsp is not None
    now, ref = by_item["hsp_points_current"], by_item["hsp_points_lookback"]
    salary_now, salary_then = salary_on(hsp, case.application_date), salary_on(hsp, check.reference_date)
    assert (salary_now, salary_then) == (9_100_000, 6_800_000)  # a raise since 2023-12-15
    assert now.rows["年収"][1].startswith(f"年収 {salary_now:,}円") and f"{salary_then:,}円" not in now.text
    assert ref.rows["年収"][1].startswith(f"年収 {salary_then:,}円") and f"{salary_now:,}円" not in ref.text
    assert now.rows["年齢"][1].startswith("38歳") and ref.rows["年齢"][1].startswith("35歳")
    assert ref.heading == f"基準時点: {seireki_date(check.reference_date)}（申請日の3年前）"
    assert (now.rows["合計"][-1], ref.rows["合計"][-1]) == (str(check.now.total), str(check.reference.total))


def test_dates_on_the_sheet_are_seireki_never_iso(lookback_70: tuple[Case, dict[str, Sheet]]) -> None:
    _, by_item = lookback_70
    for sheet in by_item.values():
        assert sheet.rows["学歴 (最終学歴のみ)"][1] == "博士 (情報理工学) 2020年3月24日授与"
        assert ISO_DATE.findall(sheet.text) == [], sheet.path.name


def test_a_holder_with_the_notice_files_one_sheet_as_of_the_application(tmp_path: Path) -> None:
    case, by_item = sheets(HOLDER, tmp_path)
    assert list(by_item) == ["hsp_points_current"]
    (sheet,) = by_item.values()
    assert sheet.heading == f"申請時点: {seireki_date(case.application_date)}" and len(sheet.tables) == 1
    assert sheet.rows["合計"][-1] == str(route_check(case).now.total)


def test_an_office_template_with_the_old_two_date_names_is_named_by_the_check(tmp_path: Path) -> None:
    """Templates written for the old two-date table (points, points_total_now …) no longer render: the check names
    each old variable and points to the one that replaced it."""
    doc = Document(str(ROOT / "templates" / "hsp_points.docx"))
    doc.add_paragraph("{{ points_total_now }} / {{ points_total_reference }} / {{ points_reference_date|seireki }}")
    doc.save(str(tmp_path / "hsp_points.docx"))
    findings = [f for f in check_template(tmp_path / "hsp_points.docx") if f.code == "unknown_variable"]
    for old in ("points_total_now", "points_total_reference", "points_reference_date"):
        (finding,) = [f for f in findings if f"'{old}'" in f.message]
        assert "points_table" in finding.message, finding.message
