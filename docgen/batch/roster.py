"""A company's roster of employees, read one row at a time: an Excel workbook (its first sheet) or a CSV file.

The header row (the first row, within the first ten, that names the case id column) names the columns in
Japanese or English (案件番号/case_id, 氏名/name, 類型/category, 申請予定日/planned_date, プロフィール/profile,
勤務先/employer); other columns are ignored. A problem with the file as a whole (not found, not a roster, a
required column missing) is an `InputFileError`; a problem in one row (an empty profile cell, a date that is
no date) stays with that row, named by sheet, row and column, and the other rows go on. No message repeats
what a cell holds: a roster is full of names.
"""

from __future__ import annotations

import codecs
import csv
import unicodedata
import zipfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from docgen.errors import InputFileError, Problem
from docgen.intake.values import BadValue, parse_date
from docgen.messages import say
from docgen.xlsx import UnreadableWorkbook, open_read_only

MAX_BYTES = 50_000_000  # a roster of thousands of employees is well under this
MAX_UNPACKED = 500_000_000  # what an .xlsx (a zip) may unpack to
HEADER_ROWS = 10  # the header is looked for in the first rows (a title may stand above it)
MAX_TEXT = 200  # characters in one roster cell (an id, a name, a file name)

Rows = Generator[tuple[int, tuple[Any, ...]], None, None]  # (row number, the row's values), read as needed


@dataclass(frozen=True)
class Column:
    """One column docgen reads: its field, its Japanese and English header, the headers it is known by."""

    field: str
    ja: str
    en: str
    aliases: tuple[str, ...]
    required: bool = False


COLUMNS = (
    Column("case_id", "案件番号", "case_id", ("案件番号", "案件id", "案件no", "caseid", "case", "caseno"), True),
    Column("name", "氏名", "name", ("氏名", "名前", "従業員名", "社員名", "name", "employeename")),
    Column("category", "類型", "category", ("類型", "申請類型", "在留資格", "category", "status")),
    Column(
        "planned_date",
        "申請予定日",
        "planned_date",
        ("申請予定日", "予定日", "申請日", "planneddate", "applicationdate", "date"),
    ),
    Column(
        "profile",
        "プロフィール",
        "profile",
        ("プロフィール", "質問票", "プロフィール質問票", "profile", "questionnaire", "profilequestionnaire", "file"),
        True,
    ),
    Column("employer", "勤務先", "employer", ("勤務先", "会社", "会社名", "所属", "employer", "company")),
)


def _key(text: str) -> str:
    """A header as compared: NFKC, no spaces, '_', '/', '・' or brackets, lower case."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


ALIASES = {_key(alias): col for col in COLUMNS for alias in (*col.aliases, col.ja, col.en)}


@dataclass(frozen=True)
class RosterProblem(Problem):
    """A problem in one cell (or row) of the roster, located as staff see it."""

    sheet: str | None = None  # None for a CSV file
    row: int = 0
    column: str = ""  # the column letter
    header: str = ""  # the column's header as docgen knows it (案件番号 …)

    def where(self) -> str:
        """「行 4、列 D（申請予定日）」 (English: 'row 4, column D (申請予定日)')."""
        parts = [say(f"行 {self.row}", f"row {self.row}")] if self.row else []
        if self.column:
            named = say(f"（{self.header}）", f" ({self.header})") if self.header else ""
            parts.append(say(f"列 {self.column}", f"column {self.column}") + named)
        return say("、", ", ").join(parts)

    def in_row(self) -> str:
        """The problem as the row's own line says it: 「シート 名簿、行 4、列 D（申請予定日）: …」 (the file is the
        roster's)."""
        sheet = say(f"シート {self.sheet}", f"sheet {self.sheet}") if self.sheet else ""
        where = say("、", ", ").join(x for x in (sheet, self.where()) if x)
        return f"{where}: {self.message}" if where else str(self.message)

    def __str__(self) -> str:
        """「名簿.xlsx: シート 名簿、行 4、列 D（申請予定日）: …」."""
        return f"{self.file}: {self.in_row()}"


@dataclass(frozen=True)
class Cell:
    """Where a value of an entry was written (for the problems found later, when the row is screened)."""

    file: Path
    sheet: str | None
    row: int
    column: str
    header: str

    def problem(self, message: str) -> RosterProblem:
        return RosterProblem(self.file, None, "", message, self.sheet, self.row, self.column, self.header)


@dataclass(frozen=True)
class RosterEntry:
    """One employee of the roster as written, with the problems of its cells."""

    row: int
    case_id: str
    name: str
    employer: str
    category: str  # as typed (an id, a Japanese name or a status); resolved when the row is screened
    planned_date: date | None
    profile: Path | None  # a profile YAML or a questionnaire .xlsx, relative to the roster's folder
    cells: dict[str, Cell] = field(default_factory=dict)
    problems: tuple[RosterProblem, ...] = ()


@dataclass(frozen=True)
class Roster:
    """An open roster: where it is, the sheet read, the columns found; `entries()` reads the rows one by one."""

    path: Path
    sheet: str | None
    header_row: int
    columns: dict[str, int]  # field -> the column's index (0-based)
    rows: Rows  # (row number, values) after the header

    def close(self) -> None:
        """Stop reading (the workbook or the file is closed)."""
        self.rows.close()

    def entries(self) -> Iterator[RosterEntry]:
        """Every row that is not empty, as an entry; never raises for what a cell holds."""
        for number, values in self.rows:
            if all(_text(v) == "" for v in values):
                continue
            yield self._entry(number, values)

    def _cell(self, name: str, number: int) -> Cell:
        col = next(c for c in COLUMNS if c.field == name)
        return Cell(self.path, self.sheet, number, get_column_letter(self.columns[name] + 1), col.ja)

    def _entry(self, number: int, values: tuple[Any, ...]) -> RosterEntry:
        problems: list[RosterProblem] = []
        cells = {name: self._cell(name, number) for name in self.columns}

        def raw(name: str) -> Any:
            index = self.columns.get(name)
            return values[index] if index is not None and index < len(values) else None

        def text(name: str, fold: bool = True) -> str:
            value = _text(raw(name), fold)
            if len(value) > MAX_TEXT:
                too_long = say(f"{MAX_TEXT}文字を超えています", f"over {MAX_TEXT} characters")
                problems.append(cells[name].problem(too_long))
                return ""
            return value

        case_id, profile = text("case_id"), text("profile")
        if not case_id:
            problems.append(cells["case_id"].problem(say("案件番号が空欄です", "the case id is empty")))
        if not profile:
            problems.append(
                cells["profile"].problem(
                    say(
                        "プロフィール（YAML）または質問票（.xlsx）のファイル名が空欄です",
                        "no profile (YAML) or questionnaire (.xlsx) file is named",
                    )
                )
            )
        planned: date | None = None
        if "planned_date" in self.columns:
            try:
                planned = parse_date(raw("planned_date"))
            except BadValue as exc:
                problems.append(cells["planned_date"].problem(str(exc)))
        return RosterEntry(
            number,
            case_id,
            text("name", fold=False),  # as the company writes it
            text("employer", fold=False),
            text("category"),
            planned,
            (self.path.parent / profile) if profile else None,
            cells,
            tuple(problems),
        )


def _text(value: Any, fold: bool = True) -> str:
    """A cell as text: a whole number without '.0'; with `fold`, full-width letters and digits made half-width."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a case id typed as a number: 1001, not 1001.0
    return (unicodedata.normalize("NFKC", str(value)) if fold else str(value)).strip()


def _fail(path: Path, message: str, sheet: str | None = None, row: int = 0) -> InputFileError:
    return InputFileError([RosterProblem(path, None, "", message, sheet, row)])


def _columns(path: Path, sheet: str | None, rows: Rows) -> tuple[int, dict[str, int]]:
    """The header row's number and where each known column is; the problems of a header that is not one."""
    first: tuple[int, tuple[Any, ...]] | None = None
    for number, values in rows:
        first = first or (number, values)
        found: dict[str, int] = {}
        for index, value in enumerate(values):
            col = ALIASES.get(_key(_text(value)))
            if col is None:
                continue
            if col.field in found:
                raise _fail(
                    path,
                    say(
                        f"見出しに「{col.ja}」の列が2つあります（列 {get_column_letter(found[col.field] + 1)} と"
                        f" 列 {get_column_letter(index + 1)}）。1つにしてください",
                        f"two '{col.en}' columns ({get_column_letter(found[col.field] + 1)} and"
                        f" {get_column_letter(index + 1)}); keep one",
                    ),
                    sheet,
                    number,
                )
            found[col.field] = index
        if "case_id" in found:
            missing = [c for c in COLUMNS if c.required and c.field not in found]
            if missing:
                raise _fail(path, _missing(missing), sheet, number)
            return number, found
        if number >= HEADER_ROWS:
            break
    needed = [c for c in COLUMNS if c.required]
    raise _fail(path, _missing(needed), sheet, first[0] if first else 1)


def _missing(columns: list[Column]) -> str:
    ja = "、".join(f"「{c.ja}」（{' / '.join((c.ja, c.en))}）" for c in columns)
    en = ", ".join(f"'{c.en}' ({c.ja} / {c.en})" for c in columns)
    return say(
        f"見出しの行に {ja} の列がありません。見出しに書いてください（列の順は自由です）",
        f"the header row has no {en} column; add it (in any order)",
    )


def open_roster(path: Path) -> Roster:
    """Open a roster (.xlsx or .csv) and find its columns; the rows are read as `entries()` goes."""
    path = Path(path)
    try:
        if path.is_dir():
            folder = say("フォルダーです。名簿のファイルを指定してください", "this is a folder; give the roster file")
            raise _fail(path, folder)
        if path.stat().st_size > MAX_BYTES:
            most = MAX_BYTES // 1_000_000
            raise _fail(path, say(f"ファイルが大きすぎます（{most} MB まで）", f"the file is larger than {most} MB"))
    except FileNotFoundError:
        raise _fail(path, say("名簿のファイルが見つかりません", "roster file not found")) from None
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _open_xlsx(path)
    if suffix in (".csv", ".txt"):
        return _open_csv(path)
    raise _fail(
        path,
        say(
            "名簿は Excel (.xlsx) か CSV (.csv) のファイルです（.xls の場合は .xlsx で保存し直してください）",
            "a roster is an Excel (.xlsx) or CSV (.csv) file (save an .xls as .xlsx)",
        ),
    )


def _open_xlsx(path: Path) -> Roster:
    if not zipfile.is_zipfile(path):
        raise _fail(
            path,
            say(
                "Excel (.xlsx) のファイルとして読めません。パスワード付きの場合は解除してください",
                "not an Excel (.xlsx) file (remove a password if it has one)",
            ),
        )
    try:
        wb = open_read_only(path, MAX_UNPACKED)
    except UnreadableWorkbook as exc:
        raise _fail(path, str(exc.text)) from None
    ws = wb.worksheets[0]
    if hasattr(ws, "reset_dimensions"):  # read every row, whatever extent the program that saved it recorded
        ws.reset_dimensions()

    def rows() -> Rows:
        try:
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                yield number, tuple(values)
        finally:
            wb.close()

    return _roster(path, ws.title, rows())


def _encoding(path: Path) -> str:
    """UTF-8 (with or without the BOM Excel writes), else Shift_JIS (cp932: Excel's CSV on Japanese Windows)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as f:
        try:
            decoder.decode(f.read(1 << 16), final=False)
        except UnicodeDecodeError:
            return "cp932"
    return "utf-8-sig"


def _open_csv(path: Path) -> Roster:
    encoding = _encoding(path)

    def rows() -> Rows:
        with path.open(encoding=encoding, newline="") as f:
            try:
                for number, values in enumerate(csv.reader(f), start=1):
                    yield number, tuple(values)
            except (UnicodeDecodeError, csv.Error) as exc:
                raise _fail(
                    path,
                    say(
                        f"CSV として読めません（文字コードは UTF-8 か Shift_JIS にしてください: {type(exc).__name__}）",
                        f"cannot be read as CSV (use UTF-8 or Shift_JIS: {type(exc).__name__})",
                    ),
                ) from None

    return _roster(path, None, rows())


def _roster(path: Path, sheet: str | None, stream: Rows) -> Roster:
    try:
        header, columns = _columns(path, sheet, stream)
    except BaseException:
        stream.close()  # the workbook or the file is closed as the reading stops
        raise
    return Roster(path, sheet, header, columns, stream)
