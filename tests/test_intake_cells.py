"""A returned questionnaire is read fast (docgen.intake.cells reads the cells with lxml) and exactly as openpyxl
reads it: the questionnaires docgen writes, one a client filled in and saved, one as Excel saves it (the text in
the shared string table, names with furigana), a sheet with gaps, a long sheet cut at the limit. A
damaged sheet is named with its file, never a traceback."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from docgen.errors import InputFileError
from docgen.intake.cells import sheet_rows
from docgen.intake.profile_data import prefill_data
from docgen.intake.read import MAX_COLS, MAX_ROWS, read_questionnaire
from docgen.intake.workbook import write_questionnaire
from docgen.profile.load import load_profile_yaml
from tests.conftest import EXAMPLES


def as_openpyxl_reads(path: Path, max_row: int = MAX_ROWS, max_col: int = MAX_COLS) -> dict[str, list[tuple]]:
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return {
            ws.title: [tuple(r) for r in ws.iter_rows(min_row=1, max_row=max_row, max_col=max_col, values_only=True)]
            for ws in wb.worksheets
        }
    finally:
        wb.close()


def as_docgen_reads(path: Path, max_row: int = MAX_ROWS, max_col: int = MAX_COLS) -> dict[str, list[tuple]]:
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return {title: list(sheet_rows(wb, title, max_row, max_col)) for title in wb.sheetnames}
    finally:
        wb.close()


def questionnaire(folder: Path, example: str, lang: str = "ja") -> Path:
    target = folder / f"{Path(example).stem}-{lang}.xlsx"
    write_questionnaire(target, lang, prefill_data(load_profile_yaml(EXAMPLES / example)))
    return target


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_every_questionnaire_docgen_writes_reads_as_openpyxl_reads_it(tmp_path: Path, example: str):
    path = questionnaire(tmp_path, example, "zh" if "family" in example else "ja")
    assert as_docgen_reads(path) == as_openpyxl_reads(path)


def fill_in(path: Path) -> dict[str, Any]:
    """The client types answers of every kind into the applicant sheet and saves (date cells, a formula)."""
    wb = load_workbook(path)
    ws = next(ws for ws in wb.worksheets if ws["A1"].value == "sheet:applicant")
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    typed: dict[str, Any] = {
        "q:birth_date": datetime(1990, 5, 20),  # an Excel date
        "q:family_name": "ｌｉ",
        "q:mobile": "０９０-１２３４-５６７８",
        "q:stay_expiry": "令和9年8月31日",
        "q:social_insurance_employer": True,
    }
    for key, value in typed.items():
        cell = ws.cell(rows[key], 4)
        cell.value = value
        if isinstance(value, datetime):
            cell.number_format = "yyyy/mm/dd"
    ws.cell(rows["q:phone"], 4).value = 45123.5  # a number where text was expected
    ws.cell(rows["q:mobile"], 6).value = "=1+1"  # a formula beside the answers (no saved value)
    wb.save(path)
    return typed


def test_a_questionnaire_the_client_filled_in_reads_as_openpyxl_reads_it(tmp_path: Path):
    path = questionnaire(tmp_path, "gijinkoku-single.yaml")
    fill_in(path)
    assert as_docgen_reads(path) == as_openpyxl_reads(path)
    answers = read_questionnaire(path)
    assert answers.data["applicant"]["birth_date"] == date(1990, 5, 20)
    assert answers.data["applicant"]["social_insurance_employer"] is True


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def saved_by_excel(source: Path, target: Path) -> None:
    """The workbook as Excel saves it: every text in the shared string table, and the names with the furigana
    Excel's Japanese input adds (phonetic runs, which are not part of the text) and in rich-text runs."""
    strings: list[etree._Element] = []

    def shared(cell: etree._Element) -> None:
        node = cell.find(f"{{{MAIN}}}is")
        si = etree.Element(f"{{{MAIN}}}si")
        text = "".join(node.itertext()) if node is not None else ""
        if text.isascii() or len(text) < 2:
            etree.SubElement(si, f"{{{MAIN}}}t").text = text
        else:  # two rich-text runs and a phonetic guide
            for part in (text[: len(text) // 2], text[len(text) // 2 :]):
                etree.SubElement(etree.SubElement(si, f"{{{MAIN}}}r"), f"{{{MAIN}}}t").text = part
            guide = etree.SubElement(si, f"{{{MAIN}}}rPh", sb="0", eb="1")
            etree.SubElement(guide, f"{{{MAIN}}}t").text = "フリガナ"
        for child in list(cell):
            cell.remove(child)
        cell.set("t", "s")
        etree.SubElement(cell, f"{{{MAIN}}}v").text = str(len(strings))
        strings.append(si)

    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                root = etree.fromstring(data)
                for cell in root.iter(f"{{{MAIN}}}c"):
                    if cell.get("t") == "inlineStr":
                        shared(cell)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    f'<Relationship Type="{SHARED_TYPE}" Target="/xl/sharedStrings.xml" Id="rIdShared"/>'
                    "</Relationships>".encode(),
                )
            elif item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            dst.writestr(item, data)
        table = etree.Element(f"{{{MAIN}}}sst", count=str(len(strings)), uniqueCount=str(len(strings)))
        table.extend(strings)
        dst.writestr("xl/sharedStrings.xml", etree.tostring(table, xml_declaration=True, encoding="UTF-8"))


def test_a_questionnaire_saved_by_excel_reads_as_openpyxl_reads_it(tmp_path: Path):
    path = questionnaire(tmp_path, "gijinkoku-family.yaml")
    fill_in(path)
    saved = tmp_path / "saved-by-excel.xlsx"
    saved_by_excel(path, saved)
    with zipfile.ZipFile(saved) as z:
        assert b"<s:t>sheet:applicant</s:t>" in z.read("xl/sharedStrings.xml")  # the text is in the shared table
    assert as_docgen_reads(saved) == as_openpyxl_reads(saved)
    before, after = read_questionnaire(path), read_questionnaire(saved)
    assert after.data == before.data and after.lang == before.lang  # the furigana is not read as text
    assert [str(p) for p in after.problems] == [str(p).replace(str(path), str(saved)) for p in before.problems]


def test_gaps_and_a_long_sheet_read_as_openpyxl_reads_them(tmp_path: Path):
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["C4"], ws["M4"], ws["B9"] = "sheet:applicant", 12, "beyond the columns read", date(2026, 1, 2)
    ws["B9"].number_format = "yyyy-mm-dd"
    ws["D12"], ws["E12"] = 1.5, False
    for r in range(20, 40):
        ws.cell(r, 2).value = f"line {r}"
    path = tmp_path / "gaps.xlsx"
    wb.save(path)
    assert as_docgen_reads(path) == as_openpyxl_reads(path)
    assert as_docgen_reads(path, max_row=25, max_col=3) == as_openpyxl_reads(path, max_row=25, max_col=3)
    assert as_docgen_reads(path, max_row=100) == as_openpyxl_reads(path, max_row=100)  # no rows made up

    mac = Workbook()  # a workbook on the Mac's 1904 calendar (an old Excel for Mac): its dates count from 1904
    mac.epoch = CALENDAR_MAC_1904
    mac.active["A1"], mac.active["D2"] = "sheet:applicant", datetime(1990, 5, 20)
    mac.save(tmp_path / "mac.xlsx")
    assert as_docgen_reads(tmp_path / "mac.xlsx") == as_openpyxl_reads(tmp_path / "mac.xlsx")
    assert as_docgen_reads(tmp_path / "mac.xlsx")["Sheet"][1][3] == datetime(1990, 5, 20)

    commented = tmp_path / "commented.xlsx"  # an XML comment between rows and inside one: not a cell
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(commented, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<row r="4"', b'<!-- a note --><row r="4"', 1)
                data = data.replace(b'<c r="C4"', b'<!-- x --><?pi y?><c r="C4"', 1)
                assert data.count(b"<!--") == 2
            dst.writestr(item, data)
    assert as_docgen_reads(commented) == as_openpyxl_reads(commented) == as_openpyxl_reads(path)


def test_a_damaged_sheet_is_named_never_a_traceback(tmp_path: Path):
    good = questionnaire(tmp_path, "teijusha.yaml")
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":  # the 申請人 sheet, cut half way through
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    with pytest.raises(InputFileError) as caught:
        read_questionnaire(damaged)
    message = str(caught.value)
    assert "damaged.xlsx" in message and "sheet '申請人' cannot be read" in message
