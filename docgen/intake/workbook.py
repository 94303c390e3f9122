"""`docgen intake new`: the Excel questionnaire a client fills in, in their language with the Japanese beside it.

Sheets: 記入方法 (how to fill it in), 申請人, one sheet per family member (plus empty ones to use), 保証人
(and the supporter), 事務所用 (the case and the filing agent: the office's, not the client's), and a hidden
`_docgen` sheet with the dropdown lists. Column A of every sheet is hidden and names what each row holds
(`q:passport.number`, `t:trips` …): the reader finds answers by these keys, so rows inserted in a table or
a copied family sheet are read correctly.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from docgen.intake import values
from docgen.intake.layout import (
    BUSINESS_CATEGORIES,
    EMPTY_IS_NO,
    HSP_CATEGORIES,
    SUPPORTER_CATEGORIES,
    Question,
    Section,
    SheetLayout,
    Table,
    applicant_sheet,
    family_sheet,
    guarantor_sheet,
    office_sheet,
)
from docgen.intake.profile_data import get
from docgen.intake.questions import LANGS, texts

FORMAT = "docgen-intake"
VERSION = 1
META_SHEET = "_docgen"
ANSWER_COL = 4  # D: the answer of a question row; tables start in column B
FIRST_TABLE_COL = 2
SPARE_ROWS = 3  # empty lines under a table's entries, at least
# lines a table offers (its entries and empty ones) for a typical case: 住民税 and 年金 for the last 5 years, the
# trips of 5 years, a residence history of 10 years of renewals; the client inserts rows for more
TABLE_ROWS = {"income": 5, "trips": 10, "residence_history": 8, "employment": 5, "pension": 5, "health_insurance": 5}
LIST_COL = 4  # the dropdown lists start in column D of the hidden sheet (A:B hold the format and language)

FONTS = {"ja": "ＭＳ ゴシック", "zh": "Microsoft YaHei", "zh-TW": "Microsoft JhengHei", "en": "Arial", "vi": "Arial"}
FILL_QUESTION = PatternFill("solid", fgColor="F2F2F2")
FILL_ANSWER = PatternFill("solid", fgColor="FFF4C2")
FILL_HEAD = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
ANSWER_ALIGN = Alignment(wrap_text=True, vertical="top", horizontal="left")
NUMBER_FORMATS = {"date": "yyyy-mm-dd", "year": "0", "int": "0", "amount": "#,##0"}  # others: text ("@")
WIDTHS = {"A": 4, "B": 34, "C": 30, "D": 30, "E": 22, "F": 16, "G": 14, "H": 12}  # fits A4 landscape


def short(label: str) -> str:
    """'出国歴（日本から出国した記録）' -> '出国歴' (for table names in messages and headings)."""
    return re.sub(r"（[^）]*）", "", label).strip() or label


def sheet_title(role_title: str, lang: str, number: int | None = None) -> str:
    """'申請人 Applicant', '家族1 家属1', '申請人' when both languages say the same; at most 31 characters."""
    t = texts()
    n = "" if number is None else str(number)
    ja, own = t.text(role_title, "ja") + n, t.text(role_title, lang) + (f" {n}" if n and lang in ("en", "vi") else n)
    return (ja if ja == own else f"{ja} {own}")[:31]


def include_sections(category: str | None, data: dict[str, Any] | None) -> dict[str, bool]:
    """Which optional sections the questionnaire asks: by category, or because the profile has them."""
    applicant = (data or {}).get("applicant") or {}
    return {
        "hsp": category in HSP_CATEGORIES or bool(applicant.get("hsp")),
        "business": category in BUSINESS_CATEGORIES or bool(applicant.get("business")),
        "supporter": category in SUPPORTER_CATEGORIES or bool((data or {}).get("supporter")),
    }


@dataclass
class _Lists:
    """The dropdown lists, one column each on the hidden sheet."""

    ws: Worksheet
    columns: dict[tuple[str, ...], str] = field(default_factory=dict)

    def range_of(self, items: tuple[str, ...]) -> str:
        if items not in self.columns:
            col = get_column_letter(LIST_COL + len(self.columns))
            for i, item in enumerate(items, start=1):
                self.ws[f"{col}{i}"] = item
            self.columns[items] = f"{quote_sheetname(META_SHEET)}!${col}$1:${col}${len(items)}"
        return self.columns[items]


class _Sheet:
    """Writes one sheet row by row; remembers the dropdowns to add at the end."""

    def __init__(self, ws: Worksheet, lang: str, lists: _Lists):
        self.ws, self.lang, self.lists = ws, lang, lists
        self.row = 1
        self.validations: dict[tuple[tuple[str, ...], bool], list[str]] = {}
        self.t = texts()

    def font(self, lang: str, **kw: Any) -> Font:
        return Font(name=FONTS[lang], **kw)

    def put(self, col: int, value: Any, lang: str = "ja", **style: Any) -> Any:
        cell = self.ws.cell(self.row, col, value)
        cell.font = self.font(lang, bold=style.pop("bold", False), size=style.pop("size", 10))
        cell.alignment = style.pop("alignment", WRAP)
        for k, v in style.items():
            setattr(cell, k, v)
        return cell

    def key(self, key: str) -> None:
        self.ws.cell(self.row, 1, key)

    def both(self, col: int, words: dict[str, str], *, table: bool = False, **style: Any) -> None:
        """The client's words in `col`, the Japanese in the next column (ja: the Japanese only); in a table
        heading both in one cell, the client's first."""
        own, ja = words[self.lang], words["ja"]
        if table:  # one cell: both languages, the client's first
            self.put(col, ja if self.lang == "ja" or own == ja else f"{own}\n{ja}", self.lang, **style)
            return
        self.put(col, own if self.lang != "ja" else ja, self.lang, **style)
        if self.lang != "ja":
            self.put(col + 1, ja, "ja", **style)

    def answer_cell(self, col: int, q: Question, value: Any) -> None:
        if value is False and q.path[-1] in EMPTY_IS_NO:
            value = None  # left empty, as the client would: empty is いいえ here
        cell = self.put(col, _cell_value(q, value, self.lang), fill=FILL_ANSWER, border=BOX, alignment=ANSWER_ALIGN)
        cell.number_format = NUMBER_FORMATS.get(q.kind, "@")
        ref = f"{get_column_letter(col)}{self.row}"
        if q.kind in ("choice", "bool"):
            items = tuple(
                self.t.choice(v, self.lang) for v in (q.choices if q.kind == "choice" else ("はい", "いいえ"))
            )
            self.validations.setdefault((items, True), []).append(ref)
        elif q.suggest:
            self.validations.setdefault((tuple(self.t.lists[q.suggest]), False), []).append(ref)

    def note(self, q: Question) -> str:
        if q.kind in ("choice", "bool"):
            return self.t.text("note.choice", self.lang)
        if q.suggest:
            return self.t.text("note.suggest", self.lang)
        if q.path[-1] in ("family_name", "given_name"):
            return self.t.text("note.roman", self.lang)
        kinds = {"date": "note.date", "month": "note.month", "year": "note.year", "amount": "note.amount"}
        return self.t.text(kinds[q.kind], self.lang) if q.kind in kinds else ""

    def heading(self, caption: str) -> None:
        """Row 1 the questionnaire's title, row 2 whose sheet it is, row 3 the column headings."""
        t = self.t
        self.row = 1
        self.put(2, t.text("title", self.lang), self.lang, bold=True, size=14, alignment=Alignment(vertical="top"))
        if self.lang != "ja":
            self.put(3, t.text("title", "ja"), "ja", bold=True, size=12, alignment=Alignment(vertical="top"))
        self.row = 2
        self.put(2, caption, self.lang, bold=True, size=12)
        self.row = 3
        self.key("head")
        for col, k in ((2, "col.question"), (3, "col.question_ja"), (4, "col.answer"), (5, "col.note")):
            if col == 3 and self.lang == "ja":
                continue
            text = t.text(k, self.lang) if col != ANSWER_COL else _both_words(t.text(k, self.lang), t.text(k, "ja"))
            self.put(col, text, self.lang, bold=True, fill=FILL_HEAD, border=BOX)
        self.row = 5

    def section(self, section: Section, data: Any) -> None:
        t = self.t
        title = t.ui.get(section.title) or t.questions[section.title]
        self.key(f"s:{section.title}")
        self.both(2, title, bold=True, size=11)
        self.row += 1
        for q in section.questions:
            self.key("q:" + ".".join(q.path))
            self.both(2, t.questions[q.label], fill=FILL_QUESTION, border=BOX)
            self.answer_cell(ANSWER_COL, q, get(data, q.path))
            self.put(5, self.note(q), self.lang, size=9)
            self.row += 1
        self.row += 1

    def table(self, table: Table, data: Any) -> None:
        t = self.t
        dotted = ".".join(table.path)
        self.key(f"t:{dotted}")
        self.both(2, t.questions[table.label], bold=True, size=11)
        self.put(4 if self.lang != "ja" else 3, t.text("note.table", self.lang), self.lang, size=9)
        self.row += 1
        self.key(f"h:{dotted}")
        for i, q in enumerate(table.columns):
            self.both(FIRST_TABLE_COL + i, t.questions[q.label], table=True, bold=True)
            self.ws.cell(self.row, FIRST_TABLE_COL + i).fill = FILL_HEAD
            self.ws.cell(self.row, FIRST_TABLE_COL + i).border = BOX
        self.row += 1
        entries = [e for e in (get(data, table.path) or []) if isinstance(e, dict)]
        spare = max(SPARE_ROWS, TABLE_ROWS.get(table.path[-1], 0) - len(entries))
        for entry in [*entries, *([None] * spare)]:
            self.key(f"r:{dotted}")
            for i, q in enumerate(table.columns):
                self.answer_cell(FIRST_TABLE_COL + i, q, get(entry, q.path))
            self.row += 1
        self.key(f"e:{dotted}")
        self.row += 1

    def add_validations(self) -> None:
        t = self.t
        for (items, strict), refs in self.validations.items():
            dv = DataValidation(type="list", formula1=self.lists.range_of(items), allow_blank=True)
            dv.showErrorMessage = strict  # statuses, periods, 続柄: suggestions, anything else may be typed
            if strict:
                dv.errorTitle = t.text("note.choice", self.lang)[:32]
                dv.error = _both_words(t.text("note.choice", self.lang), t.text("note.choice", "ja"))
            for ref in refs:
                dv.add(ref)
            self.ws.add_data_validation(dv)


def _both_words(own: str, ja: str) -> str:
    return ja if own == ja else f"{own} / {ja}"


def _cell_value(q: Question, value: Any, lang: str) -> Any:
    """A profile value as the cell shows it; a value that does not fit its kind is written as it is, so the
    client (and the import) sees it."""
    if value is None:
        return None
    try:
        if q.kind == "date":
            return values.parse_date(value)
        if q.kind in ("year", "int", "amount"):
            return values.parse_year(value) if q.kind == "year" else values.parse_int(value)
        if q.kind == "bool":
            parsed = values.parse_bool(value)
            return None if parsed is None else texts().choice("はい" if parsed else "いいえ", lang)
        if q.kind == "choice":
            parsed_choice = values.parse_choice(value, q.choices)
            return None if parsed_choice is None else texts().choice(parsed_choice, lang)
    except values.BadValue:
        pass
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _person_caption(member: dict[str, Any] | None) -> str:
    if not member:
        return ""
    name = " ".join(str(member.get(k) or "") for k in ("family_name", "given_name")).strip()
    return " ".join(x for x in (str(member.get("relationship") or ""), name) if x)


def _instructions(ws: Worksheet, lang: str, sheets: list[tuple[str, str]]) -> None:
    t = texts()
    ws["A1"] = "sheet:instructions"
    own_font, ja_font = Font(name=FONTS[lang], size=11), Font(name=FONTS["ja"], size=11)
    ws["B1"] = t.text("title", lang)
    ws["B1"].font = Font(name=FONTS[lang], size=16, bold=True)
    if lang != "ja":
        ws["C1"] = t.text("title", "ja")
        ws["C1"].font = Font(name=FONTS["ja"], size=14, bold=True)
    row = 3
    for n, paragraph in enumerate(t.instructions, start=1):
        ws.cell(row, 2, f"{n}. {paragraph[lang]}").font = own_font
        ws.cell(row, 2).alignment = WRAP
        if lang != "ja":
            ws.cell(row, 3, f"{n}. {paragraph['ja']}").font = ja_font
            ws.cell(row, 3).alignment = WRAP
        row += 1
    row += 1
    ws.cell(row, 2, _both_words(t.text("label.sheets", lang), t.text("label.sheets", "ja"))).font = Font(
        name=FONTS[lang], size=12, bold=True
    )
    row += 1
    for title, desc in sheets:
        ws.cell(row, 2, f"【{title}】 {t.text(desc, lang)}").font = own_font
        ws.cell(row, 2).alignment = WRAP
        if lang != "ja":
            ws.cell(row, 3, t.text(desc, "ja")).font = ja_font
            ws.cell(row, 3).alignment = WRAP
        row += 1
    ws.column_dimensions["A"].hidden = True
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 60 if lang != "ja" else 4
    _fit_rows(ws)
    _print_setup(ws)


def _text_width(text: str) -> float:
    """Width in Excel's character units: kana, kanji and full-width forms count twice."""
    return sum(2.0 if unicodedata.east_asian_width(c) in "WF" else 1.1 for c in text)


def _fit_rows(ws: Worksheet) -> None:
    """Row heights for wrapped text (neither Excel nor LibreOffice grows them for a file they did not save)."""
    widths = {col: (dim.width or 10) for col, dim in ws.column_dimensions.items()}
    for row in ws.iter_rows():
        lines = 1
        size = 10.0
        for cell in row:
            if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                continue
            width = max(widths.get(cell.column_letter, 10) - 1, 4)
            lines = max(lines, sum(max(1, math.ceil(_text_width(part) / width)) for part in cell.value.split("\n")))
            size = max(size, float(cell.font.sz or 10))
        if lines > 1 or size > 10:
            ws.row_dimensions[int(row[0].row or 1)].height = round(lines * size * 1.35 + 3, 1)


def _print_setup(ws: Worksheet) -> None:
    ws.page_margins = PageMargins(left=0.3, right=0.3, top=0.4, bottom=0.4)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False


FORMULA_STARTS = ("=", "+", "-", "@")  # what Excel reads as the start of a formula when a cell is typed or edited


def _all_text(wb: Workbook) -> None:
    """Every string docgen writes is a text cell, never a formula: openpyxl stores a value beginning with '=' as
    a formula (a client's answer '=HYPERLINK(…)' imported into the profile would come back live in the next
    questionnaire). A value beginning with = + - @ also gets Excel's quote prefix (as if typed after an
    apostrophe), so that editing the cell keeps it text."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    if cell.value.startswith(FORMULA_STARTS):
                        cell.quotePrefix = True


def build_workbook(
    lang: str, data: dict[str, Any] | None = None, *, category: str | None = None, spare_family: int | None = None
) -> Workbook:
    """The questionnaire for `lang`, pre-filled from `data` (a profile as plain data, complete or not).

    `spare_family` empty family sheets follow the members already known (default: 1 with a profile, 3 without).
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang}; use one of {', '.join(LANGS)}")
    data = data or {}
    category = category or (str(data["category"]) if data.get("category") else None)
    parts = include_sections(category, data)
    members = [m for m in (data.get("family") or []) if isinstance(m, dict)]
    spare = spare_family if spare_family is not None else (1 if data else 3)

    wb = Workbook()
    intro = wb.active
    assert intro is not None
    intro.title = sheet_title("sheet.instructions", lang)
    meta = wb.create_sheet(META_SHEET)
    meta["A1"], meta["B1"] = "format", FORMAT
    meta["A2"], meta["B2"] = "version", VERSION
    meta["A3"], meta["B3"] = "lang", lang
    meta.sheet_state = "hidden"
    lists = _Lists(meta)

    plan: list[tuple[SheetLayout, str, str, Any, str]] = [
        (applicant_sheet(hsp=parts["hsp"], business=parts["business"]), sheet_title("sheet.applicant", lang),
         "sheetdesc.applicant", data.get("applicant"), _person_caption(data.get("applicant"))),
    ]  # fmt: skip
    for i in range(len(members) + spare):
        member = members[i] if i < len(members) else None
        plan.append(
            (
                family_sheet(),
                sheet_title("sheet.family", lang, i + 1),
                "sheetdesc.family",
                member,
                _person_caption(member),
            )
        )
    plan.append((guarantor_sheet(supporter=parts["supporter"]), sheet_title("sheet.guarantor", lang),
                 "sheetdesc.guarantor", data, ""))  # fmt: skip
    plan.append((office_sheet(), sheet_title("sheet.office", lang), "sheetdesc.office", data, ""))

    for layout, title, _, part, caption in plan:
        ws = wb.create_sheet(title)
        ws["A1"] = f"sheet:{layout.role}"
        sheet = _Sheet(ws, lang, lists)
        note = texts().text("note.office", lang) if layout.role == "office" else ""
        sheet.heading(caption or note or title)
        for item in layout.items:
            if isinstance(item, Section):
                sheet.section(item, part)
            else:
                sheet.table(item, part)
        sheet.add_validations()
        for col, width in WIDTHS.items():
            ws.column_dimensions[col].width = width
        ws.column_dimensions["A"].hidden = True
        if lang == "ja":
            ws.column_dimensions["C"].width = 18  # tables still use it; the question is in B
        ws.freeze_panes = "B4"
        _fit_rows(ws)
        _print_setup(ws)
    wb.move_sheet(META_SHEET, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(META_SHEET))
    _instructions(intro, lang, [(title, desc) for _, title, desc, _, _ in plan if desc])
    _all_text(wb)
    return wb


def write_questionnaire(
    path: Path,
    lang: str,
    data: dict[str, Any] | None = None,
    *,
    category: str | None = None,
    spare_family: int | None = None,
) -> None:
    """Save the questionnaire to `path` (the caller decides how: `private_file` in the CLI)."""
    build_workbook(lang, data, category=category, spare_family=spare_family).save(path)
