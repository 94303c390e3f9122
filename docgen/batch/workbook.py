"""The screening workbook for the company and the office, written row by row as the roster is screened
(openpyxl's write-only mode: a row is on disk once it is written, whatever the roster's length).

Sheets: 集計 (how many can file on the planned date, from later this year, from a later year, with no date yet,
cannot be decided, need fixing — in all and per employer) and 一覧 (one row per employee, coloured by the
decision, header frozen, filters on). Text is Japanese: the company reads it. Each header cell holds the
Japanese and, on a second line, the English — one header row, so filters and sorting work as staff expect
(a second header row would be sorted as data), and an English-reading HR department can still follow it.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from docgen.assessment.decision import DECISION_WORDS, DecisionStatus
from docgen.batch.screen import BUCKET_WORDS, Bucket, ScreenedRow
from docgen.text import Text

LIST_SHEET = "一覧"
SUMMARY_SHEET = "集計"
DATE_FORMAT = "yyyy-mm-dd"
PROBLEM_WORD = Text("要修正", "to fix")

# (header, width in characters)
COLUMNS: tuple[tuple[Text, int], ...] = (
    (Text("名簿の行", "Roster row"), 9),
    (Text("案件番号", "Case ID"), 16),
    (Text("氏名", "Name"), 22),
    (Text("勤務先", "Employer"), 22),
    (Text("類型", "Category"), 24),
    (Text("申請予定日", "Planned date"), 13),
    (Text("判定", "Decision"), 16),
    (Text("申請ルート", "Route"), 26),
    (Text("申請可能日", "Earliest date"), 13),
    (Text("申請できない理由", "Blockers"), 40),
    (Text("リスク・要検討", "Risks"), 40),
    (Text("不足している情報", "Missing facts"), 30),
    (Text("問題（要修正）", "Problem"), 50),
)

FILLS = {
    DecisionStatus.READY: "C6EFCE",  # green
    DecisionStatus.READY_WITH_RISKS: "FFEB9C",  # yellow
    DecisionStatus.BLOCKED: "FFC7CE",  # red
    DecisionStatus.UNDECIDED: "DDEBF7",  # blue: facts to collect
    None: "D9D9D9",  # grey: the row could not be screened
}
BUCKET_ORDER = list(Bucket)


def fill_of(status: DecisionStatus | None) -> PatternFill:
    colour = FILLS[status]
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def _header(text: Text) -> str:
    return f"{text.ja}\n{text.en}"


class ScreeningWorkbook:
    """A screening workbook being written: `add` each row as it is screened, then `save` with the counts."""

    def __init__(self, roster: Path, run_day: date):
        self.roster, self.run_day = roster, run_day
        self.wb = Workbook(write_only=True)
        # write-only sheets, typed as the worksheet whose column widths, panes and filters they share
        self.summary: Worksheet = self.wb.create_sheet(SUMMARY_SHEET)  # first: what a reader opens on
        self.list: Worksheet = self.wb.create_sheet(LIST_SHEET)
        self.counts: Counter[Bucket] = Counter()
        self.by_employer: dict[str, Counter[Bucket]] = {}
        self.rows = 0
        self._fills = {status: fill_of(status) for status in FILLS}
        self._start_list()

    def _cell(self, ws: Worksheet, value: Any, **style: Any) -> Cell:
        cell = WriteOnlyCell(ws, value=value)
        if cell.data_type == "f":  # a roster cell typed as '=…' stays text: a workbook never runs what HR typed
            cell.data_type = "s"
        for key, v in style.items():
            setattr(cell, key, v)
        return cell

    def _start_list(self) -> None:
        ws = self.list
        for i, (_, width) in enumerate(COLUMNS, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "C2"  # the header and the case id stay in view
        bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
        ws.append([self._cell(ws, _header(text), font=bold, alignment=wrap) for text, _ in COLUMNS])

    def add(self, row: ScreenedRow) -> None:
        """Write one employee's row (coloured by the decision) and count it."""
        ws, fill = self.list, self._fills[row.decision]
        top = Alignment(wrap_text=True, vertical="top")
        word = DECISION_WORDS[row.decision].ja if row.decision is not None else PROBLEM_WORD.ja
        values: list[Any] = [
            row.row,
            row.case_id,
            row.name,
            row.employer,
            row.category,
            row.planned_date,
            word,
            row.route,
            row.earliest_date,
            "\n".join(row.blockers),
            "\n".join(row.risks),
            "\n".join(row.missing),
            "\n".join(row.problems),
        ]
        cells = []
        for value in values:
            cell = self._cell(ws, value if value != "" else None, fill=fill, alignment=top)
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
            cells.append(cell)
        ws.append(cells)
        self.rows += 1
        self.counts[row.bucket] += 1
        self.by_employer.setdefault(row.employer, Counter())[row.bucket] += 1

    def _write_summary(self) -> None:
        ws = self.summary
        ws.column_dimensions["A"].width = 34
        ws.column_dimensions["B"].width = 34
        for col in range(3, 3 + len(BUCKET_ORDER) + 1):
            ws.column_dimensions[get_column_letter(col)].width = 14
        bold = Font(bold=True)
        ws.append([self._cell(ws, "永住許可申請 申請可否の集計", font=Font(bold=True, size=14))])
        ws.append(["名簿 / Roster", self.roster.name])
        ws.append(["作成日 / Made on", self._cell(ws, self.run_day, number_format=DATE_FORMAT)])
        ws.append([])
        ws.append([self._cell(ws, v, font=bold) for v in ("区分", "Group", "人数 / Count")])
        for bucket in BUCKET_ORDER:
            words = BUCKET_WORDS[bucket]
            ws.append([words.ja, words.en, self.counts[bucket]])
        ws.append([self._cell(ws, v, font=bold) for v in ("合計", "Total", self.rows)])
        ws.append([])
        ws.append([self._cell(ws, "勤務先別 / By employer", font=bold)])
        head = ["勤務先 / Employer", "", *(_header(BUCKET_WORDS[b]) for b in BUCKET_ORDER), "合計\nTotal"]
        wrap = Alignment(wrap_text=True, vertical="top")
        ws.append([self._cell(ws, v, font=bold, alignment=wrap) for v in head])
        for employer in sorted(self.by_employer):
            counts = self.by_employer[employer]
            ws.append([employer or "（記入なし）", "", *(counts[b] for b in BUCKET_ORDER), sum(counts.values())])
        ws.append([])
        for status, word in DECISION_WORDS.items():  # the colours of 一覧
            ws.append([self._cell(ws, word.ja, fill=self._fills[status]), word.en])
        ws.append([self._cell(ws, PROBLEM_WORD.ja, fill=self._fills[None]), PROBLEM_WORD.en])

    def save(self, target: Path) -> None:
        """Write the summary and the file (the rows are already written)."""
        last = get_column_letter(len(COLUMNS))
        self.list.auto_filter.ref = f"A1:{last}{self.rows + 1}"
        self._write_summary()
        self.wb.save(target)

    def discard(self) -> None:
        """Close what was written so far and remove openpyxl's temporary files (a run stopped before the save)."""
        for ws in self.wb.worksheets:
            sheet: Any = ws  # a write-only sheet: closed, then its temporary file removed
            if not sheet.closed:
                sheet.close()
            if sheet._writer is not None:
                sheet._writer.cleanup()
