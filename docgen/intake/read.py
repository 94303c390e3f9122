"""`docgen intake import`: the returned questionnaire back into profile data, every problem named by its cell.

The reader walks the same layouts as the writer, finding rows by the hidden keys in column A. Each answer is
parsed by its kind (values.py); the data is then validated with the real `Profile` model and the profile's
consistency checks, and each problem is reported as 「シート 申請人、行 12、列 D（生年月日）: …」. The lines of a
table with a year column (income) come in the order of the years, whatever order the client wrote them in.
"""

from __future__ import annotations

import zipfile
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from docgen.errors import InputFileError, Problem
from docgen.intake import values
from docgen.intake.cells import DamagedSheet, sheet_rows
from docgen.intake.layout import (
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
from docgen.intake.workbook import ANSWER_COL, FIRST_TABLE_COL, FORMAT, META_SHEET, VERSION, short
from docgen.messages import say
from docgen.profile.checks import Loc
from docgen.validation import field_path
from docgen.xlsx import UnreadableWorkbook, open_read_only

MAX_BYTES = 20_000_000  # a filled questionnaire is well under 1 MB
MAX_UNPACKED = 200_000_000  # what the .xlsx (a zip) may unpack to: a "zip bomb" stops here
MAX_ROWS = 5000  # rows read per sheet; a questionnaire has a few hundred
MAX_COLS = 12

NOT_OURS = (
    "docgen の質問票ではありません（docgen intake new で作った .xlsx を指定してください）",
    "not a docgen questionnaire (give the .xlsx docgen intake new wrote)",
)


LAYOUTS: dict[str, SheetLayout] = {
    "applicant": applicant_sheet(hsp=True, business=True),
    "family": family_sheet(),
    "guarantor": guarantor_sheet(supporter=True),
    "office": office_sheet(),
}


@dataclass(frozen=True)
class CellProblem(Problem):
    """A problem in one cell of the questionnaire, in staff words."""

    sheet: str = ""
    row: int = 0
    column: str = ""
    question: str = ""
    order: int = 0  # the sheet's position in the workbook

    def __str__(self) -> str:
        """「シート 申請人、行 12、列 D（生年月日）: …」 (English: 'sheet 申請人, row 12, column D (生年月日): …')."""
        row, column = (say("、行 ", ", row "), say("、列 ", ", column ")) if self.row else ("", "")
        where = say("シート ", "sheet ") + self.sheet + (f"{row}{self.row}" if self.row else "")
        where += f"{column}{self.column}" if self.column else ""
        where += say(f"（{self.question}）", f" ({self.question})") if self.question else ""
        return f"{self.file}: {where}: {self.message}"


@dataclass(frozen=True)
class Cell:
    sheet: str
    order: int  # the sheet's position, to list problems in the order staff see them
    row: int
    col: int
    question: str  # the Japanese question (or table／column)

    def problem(self, file: Path, loc: Loc, message: str) -> CellProblem:
        column = get_column_letter(self.col) if self.col else ""
        return CellProblem(
            file, None, field_path(loc), message, self.sheet, self.row, column, self.question, self.order
        )


@dataclass
class Answers:
    """What the questionnaire says, as profile data, with the cell of every question."""

    path: Path
    lang: str
    data: dict[str, Any] = field(default_factory=dict)
    cells: dict[Loc, Cell] = field(default_factory=dict)
    problems: list[CellProblem] = field(default_factory=list)
    unreadable: set[Loc] = field(default_factory=set)  # fields whose cell could not be read

    def cell_of(self, loc: Loc) -> Cell | None:
        loc = tuple(loc)
        while loc:
            if loc in self.cells:
                return self.cells[loc]
            loc = loc[:-1]
        return None


def _fail(path: Path, message: str) -> InputFileError:
    return InputFileError([Problem(path, None, "", message)])


def _open(path: Path) -> Any:
    """The workbook, after checks that keep a damaged or hostile file from costing time or memory."""
    try:
        if path.is_dir():
            raise _fail(
                path,
                say("フォルダーです。質問票の .xlsx ファイルを指定してください", "this is a folder; give the .xlsx"),
            )
        if path.stat().st_size > MAX_BYTES:
            most = MAX_BYTES // 1_000_000
            raise _fail(path, say(f"ファイルが大きすぎます（{most} MB まで）", f"the file is larger than {most} MB"))
    except FileNotFoundError:
        raise _fail(path, say("ファイルが見つかりません", "file not found")) from None
    if not zipfile.is_zipfile(path):
        raise _fail(
            path,
            say(
                "Excel (.xlsx) のファイルとして読めません。パスワード付きの場合は解除し、.xls の場合は .xlsx で"
                "保存し直してください",
                "not an Excel (.xlsx) file: remove a password, or save an .xls as .xlsx",
            ),
        )
    try:
        return open_read_only(path, MAX_UNPACKED)
    except UnreadableWorkbook as exc:
        raise _fail(path, str(exc.text)) from None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _parse(q: Question, raw: Any) -> Any:
    if q.kind == "date":
        return values.parse_date(raw)
    if q.kind == "month":
        return values.parse_month(raw)
    if q.kind == "year":
        return values.parse_year(raw)
    if q.kind in ("int", "amount"):
        return values.parse_int(raw)
    if q.kind == "bool":
        return values.parse_bool(raw)
    if q.kind == "choice":
        return values.parse_choice(raw, q.choices)
    return values.parse_text(raw, latin=q.kind == "latin")


def _set(data: dict[str, Any], path: Sequence[str], value: Any) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[path[-1]] = value


@dataclass
class _Row:
    """One table line as read, before its place in the list is known (income lines are sorted by year)."""

    index: int  # the sheet row
    entry: dict[str, Any]
    cells: list[tuple[Loc, Cell]]  # inside the entry
    problems: list[tuple[Loc, Cell, str]]  # inside the entry


class _SheetReader:
    """Reads one sheet into data relative to the sheet's place in the profile."""

    def __init__(self, file: Path, title: str, order: int, layout: SheetLayout, rows: list[tuple[Any, ...]]):
        self.file, self.title, self.order, self.layout, self.rows = file, title, order, layout, rows
        self.data: dict[str, Any] = {}
        self.cells: dict[Loc, Cell] = {}
        self.problems: list[tuple[Loc, Cell, str]] = []
        self.filled = False
        t = texts()
        self.ja = {k: v["ja"] for k, v in t.questions.items()}
        self.questions = {".".join(q.path): q for i in layout.items if isinstance(i, Section) for q in i.questions}
        self.tables = {".".join(i.path): i for i in layout.items if isinstance(i, Table)}

    def cell(self, row: int, col: int, question: str) -> Cell:
        return Cell(self.title, self.order, row, col, question)

    def value(
        self, q: Question, raw: Any, loc: Loc, cell: Cell, problems: list[tuple[Loc, Cell, str]] | None = None
    ) -> Any:
        if raw is not None and _text(raw):
            self.filled = True
        try:
            return _parse(q, raw)
        except values.BadValue as exc:
            (self.problems if problems is None else problems).append((loc, cell, str(exc)))
            return None

    def read(self) -> None:
        table: Table | None = None
        lines: list[_Row] = []
        for index, row in enumerate(self.rows, start=1):
            key = _text(row[0]) if row else ""
            kind, _, name = key.partition(":")
            if table is not None and (kind == "r" or not key):
                self.entry(table, lines, index, row)
                continue
            if table is not None:
                self.finish(table, lines)
            table = None
            if kind == "head":
                self.check_head(index, row)
            elif kind == "q" and name in self.questions:
                q = self.questions[name]
                cell = self.cell(index, ANSWER_COL, short(self.ja[q.label]))
                raw = row[ANSWER_COL - 1] if len(row) >= ANSWER_COL else None
                self.cells[q.path] = cell
                for n in range(1, len(q.path)):
                    self.cells.setdefault(q.path[:n], cell)
                value = self.value(q, raw, q.path, cell)
                if value is not None:
                    _set(self.data, q.path, value)
            elif kind == "h" and name in self.tables:
                candidate = self.tables[name]
                if self.check_header(candidate, index, row):
                    table, lines = candidate, []
                    self.cells.setdefault(candidate.path, self.cell(index, FIRST_TABLE_COL, self.table_name(candidate)))
                    for n in range(1, len(candidate.path)):
                        self.cells.setdefault(candidate.path[:n], self.cells[candidate.path])
        if table is not None:
            self.finish(table, lines)

    def table_name(self, table: Table) -> str:
        return short(self.ja[table.label])

    def check_head(self, index: int, row: tuple[Any, ...]) -> None:
        answer = _text(row[ANSWER_COL - 1]) if len(row) >= ANSWER_COL else ""
        if texts().text("col.answer", "ja") not in answer:
            self.problems.append(
                (
                    (),
                    self.cell(index, ANSWER_COL, texts().text("col.answer", "ja")),
                    say(
                        "回答の列がD列にありません。列を挿入・削除せずに、届いた質問票のまま記入してもらってください",
                        "the answers are not in column D: columns were inserted or deleted",
                    ),
                )
            )

    def check_header(self, table: Table, index: int, row: tuple[Any, ...]) -> bool:
        for i, q in enumerate(table.columns):
            col = FIRST_TABLE_COL + i
            if self.ja[q.label] not in (_text(row[col - 1]) if len(row) >= col else ""):
                self.problems.append(
                    (
                        table.path,
                        self.cell(index, col, f"{self.table_name(table)}／{short(self.ja[q.label])}"),
                        say(
                            "表の列の並びが質問票と違います（列を挿入・削除・移動しないでください）。この表は"
                            "読み込んでいません",
                            "the table's columns were moved, inserted or deleted; this table was not read",
                        ),
                    )
                )
                return False
        return True

    def entry(self, table: Table, lines: list[_Row], index: int, row: tuple[Any, ...]) -> None:
        cells = [
            row[FIRST_TABLE_COL - 1 + i] if len(row) > FIRST_TABLE_COL - 1 + i else None
            for i in range(len(table.columns))
        ]
        if all(not _text(c) for c in cells):
            return
        line = _Row(index, {}, [], [])
        for i, (q, raw) in enumerate(zip(table.columns, cells, strict=True)):
            cell = self.cell(index, FIRST_TABLE_COL + i, f"{self.table_name(table)}／{short(self.ja[q.label])}")
            line.cells.append((q.path, cell))
            value = self.value(q, raw, q.path, cell, line.problems)
            if value is not None:
                _set(line.entry, q.path, value)
        lines.append(line)

    def finish(self, table: Table, lines: list[_Row]) -> None:
        """The table's lines as its list: a table with a year column (income) in the order of the years, however
        the client ordered the lines; every cell keeps its place in the sheet for the messages."""
        if not lines:
            return
        year = next((q.path for q in table.columns if q.kind == "year"), None)
        if year is not None:
            lines = sorted(lines, key=lambda line: (get(line.entry, year) is None, get(line.entry, year) or 0))
        entries: list[dict[str, Any]] = []
        _set(self.data, table.path, entries)
        for n, line in enumerate(lines):
            self.cells[(*table.path, n)] = self.cell(line.index, FIRST_TABLE_COL, self.table_name(table))
            for loc, cell in line.cells:
                self.cells[(*table.path, n, *loc)] = cell
            for loc, cell, message in line.problems:
                self.problems.append(((*table.path, n, *loc), cell, message))
            entries.append(line.entry)


def _rows(path: Path, wb: Any, title: str, max_row: int, max_col: int) -> Generator[tuple[Any, ...], None, None]:
    """The sheet's rows (docgen.intake.cells); a damaged sheet is named, never a traceback."""
    try:
        yield from sheet_rows(wb, title, max_row, max_col)
    except DamagedSheet as exc:
        raise _fail(
            path,
            say(
                f"シート「{title}」を読めません（壊れている可能性があります: {exc.kind}）。Excel で開いて保存し直して"
                "ください",
                f"sheet '{title}' cannot be read (it may be damaged: {exc.kind}); open and save it again in Excel",
            ),
        ) from None


def read_questionnaire(path: Path) -> Answers:
    """Read a returned questionnaire. Cells that cannot be read are listed in `problems` (not raised), so that
    they are reported together with what the profile model finds."""
    path = Path(path)
    wb = _open(path)
    try:
        if META_SHEET not in wb.sheetnames:
            raise _fail(path, say(*NOT_OURS))
        meta = {_text(r[0]): r[1] for r in _rows(path, wb, META_SHEET, 3, 2) if r}
        if meta.get("format") != FORMAT:
            raise _fail(path, say(*NOT_OURS))
        if meta.get("version") != VERSION:
            raise _fail(
                path,
                say(
                    "この質問票は別の版の docgen で作られています。docgen intake new で作り直してください",
                    "this questionnaire was made by another version of docgen; make a new one (docgen intake new)",
                ),
            )
        lang = str(meta.get("lang") or "ja")
        answers = Answers(path, lang if lang in LANGS else "ja")
        family: list[dict[str, Any]] = []
        seen: dict[str, str] = {}  # role -> the first sheet of that role
        for order, title in enumerate(wb.sheetnames):
            stream = _rows(path, wb, title, MAX_ROWS, MAX_COLS)
            head = next(stream, None)
            role = _text(head[0]).removeprefix("sheet:") if head else ""
            if role not in LAYOUTS:
                stream.close()  # not a sheet of answers (記入方法, the hidden list): the rest is not read
                continue
            rows = [head, *stream] if head is not None else []
            layout = LAYOUTS[role]
            sheet = _SheetReader(path, title, order, layout, rows)
            sheet.read()
            first = seen.setdefault(role, title)
            root: Loc = layout.root
            if role == "family":
                if not sheet.filled:
                    continue  # a spare family sheet left empty
                root = (*root, len(family))
                family.append(sheet.data)
            elif (
                first != title
            ):  # a copied 申請人 / 保証人 / 事務所用 sheet: which one counts is not for docgen to guess
                if sheet.filled:
                    message = say(
                        f"「{first}」と同じ種類のシートが2つあります。1つにまとめてください",
                        f"a second sheet like '{first}'; keep one",
                    )
                    answers.problems.append(CellProblem(path, None, "", message, title, order=order))
                continue
            elif root:
                _set(answers.data, root, sheet.data)
            else:
                answers.data.update(sheet.data)
            for loc, cell in sheet.cells.items():
                answers.cells.setdefault((*root, *loc), cell)
            answers.cells.setdefault(root, sheet.cell(0, 0, ""))
            for loc, cell, message in sheet.problems:
                answers.problems.append(cell.problem(path, (*root, *loc), message))
                answers.unreadable.add((*root, *loc))
        if family:
            answers.data["family"] = family
        return answers
    finally:
        wb.close()
