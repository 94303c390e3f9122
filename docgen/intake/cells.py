"""The values of one sheet of a returned questionnaire, row by row, read straight from the sheet's XML.

openpyxl opens the workbook (read-only: the sheets, their order, the shared strings, which cell styles are
dates, the 1900/1904 calendar) and stays the judge of what a workbook is; only the cells are read here, by lxml,
because openpyxl's cell reader makes an object per cell and took two thirds of a questionnaire's reading
time. The values are exactly those of openpyxl's `iter_rows(values_only=True)` on a read-only, data-only
workbook (tests/test_intake_cells.py compares them): numbers as int or float, date-styled numbers as datetimes,
text, booleans, the value Excel saved for a formula, missing rows and cells as None, each row `max_col` wide.
A sheet whose XML is damaged raises `DamagedSheet` (the caller names the file and the sheet). The parts of
openpyxl read here have no public names; should a later openpyxl keep them elsewhere, its own reading is used.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Generator
from typing import Any

from lxml import etree
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.workbook.workbook import Workbook

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ROW, VALUE, INLINE, TEXT, RUN = (NS + tag for tag in ("row", "v", "is", "t", "r"))
DIGITS = "0123456789"


class DamagedSheet(Exception):
    """The sheet's XML cannot be read (`kind`: the kind of failure, never the content)."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class _Cells:
    """Turns a <c> element into its value as openpyxl's data-only reader does."""

    def __init__(self, wb: Workbook, shared: list[Any]):
        book: Any = wb  # openpyxl's own index of the date-styled cell formats (no public name)
        self.shared = shared
        self.epoch = book.epoch
        self.dates: set[int] = book._date_formats
        self.durations: set[int] = book._timedelta_formats

    def value(self, cell: Any) -> Any:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            node = cell.find(INLINE)
            return None if node is None else _text(node)
        raw = cell.findtext(VALUE) or None
        if raw is None:
            return None
        if kind == "n":
            number = float(raw) if "." in raw or "E" in raw or "e" in raw else int(raw)
            style = cell.get("s", 0)
            if (int(style) if style else 0) not in self.dates:
                return number
            try:
                return from_excel(number, self.epoch, timedelta=(int(style) in self.durations))
            except (OverflowError, ValueError):
                return "#VALUE!"  # a date out of Excel's range: openpyxl's error value
        if kind == "s":
            return self.shared[int(raw)]
        if kind == "b":
            return bool(int(raw))
        if kind == "d":
            return from_ISO8601(raw)
        return raw  # "str" (a formula's text), "e" (an error such as #N/A)


def _text(node: Any) -> str:
    """An inline string's text without its phonetic guide (openpyxl's `Text.content`)."""
    plain = None
    runs = []
    for child in node:
        if child.tag == TEXT:
            plain = child.text
        elif child.tag == RUN:
            run = None
            for part in child:
                if part.tag == TEXT:
                    run = part.text
            if run is not None:
                runs.append(run)
    return (plain or "") + "".join(runs)


def _row_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        number = float(text)
        if not number.is_integer():
            raise
        return int(number)


def sheet_rows(wb: Workbook, title: str, max_row: int, max_col: int) -> Generator[tuple[Any, ...], None, None]:
    """The sheet's rows from row 1, each `max_col` values wide (None where empty), up to its last row or
    `max_row`. Reading stops when the caller stops asking."""
    book: Any = wb  # the zip openpyxl opened, the part it found for the sheet, its shared strings (no public names)
    sheet = book[title]
    if not hasattr(sheet, "iter_rows"):  # a chart sheet: no cells
        return
    try:
        part, archive, cells = sheet._worksheet_path, book._archive, _Cells(wb, sheet._shared_strings)
    except AttributeError:  # an openpyxl that keeps these elsewhere: its own (slower) reading, the same values
        yield from (tuple(r) for r in sheet.iter_rows(min_row=1, max_row=max_row, max_col=max_col, values_only=True))
        return
    empty: tuple[Any, ...] = (None,) * max_col
    expected = 1  # the next row number to give
    number = 0  # the row being read
    try:
        with archive.open(part) as source:
            rows = etree.iterparse(  # comments and processing instructions dropped, as openpyxl's parser does
                source,
                events=("end",),
                tag=ROW,
                resolve_entities=False,
                no_network=True,
                huge_tree=False,
                remove_comments=True,
                remove_pis=True,
            )
            for _, row in rows:
                at = row.get("r")
                number = _row_number(at) if at is not None else number + 1
                if number > max_row:
                    break
                values = [None] * max_col
                column = 0
                for cell in row:
                    where = cell.get("r")
                    column = column_index_from_string(where.rstrip(DIGITS)) if where else column + 1
                    if 1 <= column <= max_col:
                        values[column - 1] = cells.value(cell)
                row.clear(keep_tail=True)
                while row.getprevious() is not None:  # rows read are let go of
                    del row.getparent()[0]
                while expected < number:  # rows with nothing in them are not in the file
                    expected += 1
                    yield empty
                if expected == number:  # (a row out of order is left out, as openpyxl does)
                    expected += 1
                    yield tuple(values)
    except (etree.LxmlError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, IndexError) as exc:
        raise DamagedSheet(type(exc).__name__) from None
    while max_row < number and expected <= max_row:
        expected += 1
        yield empty
