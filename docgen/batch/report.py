"""The batch report of a packets run, for the office: one row per roster row — the packet made (its folder, its
bundle, what staff should look at), or why none was made — coloured by the outcome, and a summary sheet (how
many were made, failed, not asked; the roster, the day, the converter used).

Text is Japanese first (the office reads it), each header with its English on a second line, as in the
screening workbook. Nothing here repeats a value of a profile: the warnings are counts and the packet's own
missing.txt is named for the details.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from docgen.assessment.decision import DECISION_WORDS
from docgen.batch.packets import ConverterUse, PacketOutcome
from docgen.batch.screen import ScreenedRow
from docgen.batch.workbook import DATE_FORMAT, PROBLEM_WORD
from docgen.text import NextStep, Text

LIST_SHEET = "一式"
SUMMARY_SHEET = "集計"


class Outcome(StrEnum):
    """What became of one roster row in a packets run."""

    MADE = "made"  # its packet was made (perhaps as a draft)
    FAILED = "failed"  # asked for, and not made: see the reason
    NOT_ASKED = "not_asked"  # not among the cases asked for (by default: cannot file on the planned date)


OUTCOME_WORDS = {
    Outcome.MADE: Text("作成済み", "made"),
    Outcome.FAILED: Text("作成できず", "not made"),
    Outcome.NOT_ASKED: Text("作成の対象外", "not asked"),
}
DRAFT_WORD = Text("作成済み（下書き）", "made (draft)")
FILLS = {"made": "C6EFCE", "draft": "FFEB9C", "failed": "FFC7CE", "not_asked": "D9D9D9"}

COLUMNS: tuple[tuple[Text, int], ...] = (
    (Text("名簿の行", "Roster row"), 9),
    (Text("案件番号", "Case ID"), 16),
    (Text("氏名", "Name"), 22),
    (Text("勤務先", "Employer"), 22),
    (Text("判定", "Decision"), 16),
    (Text("結果", "Outcome"), 16),
    (Text("一式のフォルダー", "Packet folder"), 50),
    (Text("提出用PDF", "Bundle"), 40),
    (Text("頁数", "Pages"), 8),
    (Text("確認すること", "To check"), 50),
    (Text("理由", "Reason"), 60),
)


@dataclass(frozen=True)
class BatchCase:
    """One roster row in a packets run: its screening, its packet's outcome (None when none was built) and why
    none was made (None when one was)."""

    row: ScreenedRow
    packet: PacketOutcome | None = None
    reason: Text | None = None  # why no packet: the row's problem, the build's failure, or why it was not asked
    asked: bool = True
    steps: tuple[NextStep, ...] = ()  # what staff can do about the reason

    @property
    def outcome(self) -> Outcome:
        if self.packet is not None and self.packet.made:
            return Outcome.MADE
        return Outcome.FAILED if self.asked else Outcome.NOT_ASKED

    @property
    def why(self) -> Text | None:
        """Why no packet was made (the build's own reason first)."""
        if self.packet is not None and self.packet.problem is not None:
            return self.packet.problem
        return self.reason

    @property
    def next_steps(self) -> tuple[NextStep, ...]:
        """The steps that deal with the reason (the build's own first)."""
        return self.packet.steps if self.packet is not None and self.packet.steps else self.steps


def _fill(colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def _colour(case: BatchCase) -> str:
    if case.outcome is Outcome.MADE:
        return "draft" if case.packet is not None and case.packet.draft else "made"
    return case.outcome.value


def _header(text: Text) -> str:
    return f"{text.ja}\n{text.en}"


def write_report(
    target: Path, roster: Path, run_day: date, cases: Iterable[BatchCase], converter: ConverterUse | None
) -> Counter[Outcome]:
    """Write the report (the cases in roster order) to `target`; the count of each outcome."""
    wb = Workbook(write_only=True)
    summary: Worksheet = wb.create_sheet(SUMMARY_SHEET)
    listed: Worksheet = wb.create_sheet(LIST_SHEET)
    bold, top = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def cell(ws: Worksheet, value: Any, **style: Any) -> Cell:
        made = WriteOnlyCell(ws, value=value)
        if made.data_type == "f":  # a roster cell typed as '=…' stays text
            made.data_type = "s"
        for key, v in style.items():
            setattr(made, key, v)
        return made

    for i, (_, width) in enumerate(COLUMNS, start=1):
        listed.column_dimensions[get_column_letter(i)].width = width
    listed.freeze_panes = "C2"
    listed.append([cell(listed, _header(t), font=bold, alignment=top) for t, _ in COLUMNS])
    counts: Counter[Outcome] = Counter()
    drafts = rows = 0
    fills = {name: _fill(colour) for name, colour in FILLS.items()}
    for case in sorted(cases, key=lambda c: c.row.row):
        r, p, why = case.row, case.packet, case.why
        made = case.outcome is Outcome.MADE and p is not None
        word = DRAFT_WORD if made and p is not None and p.draft else OUTCOME_WORDS[case.outcome]
        values: list[Any] = [
            r.row,
            r.case_id,
            r.name,
            r.employer,
            DECISION_WORDS[r.decision].ja if r.decision is not None else PROBLEM_WORD.ja,
            word.ja,
            str(p.folder) if made and p is not None and p.folder else None,
            str(p.bundle) if made and p is not None and p.bundle else None,
            p.pages if made and p is not None and p.bundle else None,
            "\n".join(w.ja for w in p.warnings) if made and p is not None else None,
            why.ja if why is not None else None,
        ]
        fill = fills[_colour(case)]
        listed.append([cell(listed, v if v != "" else None, fill=fill, alignment=top) for v in values])
        counts[case.outcome] += 1
        drafts += bool(made and p is not None and p.draft)
        rows += 1
    listed.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{rows + 1}"

    summary.column_dimensions["A"].width = 30
    summary.column_dimensions["B"].width = 40
    summary.append([cell(summary, "一式の作成結果 / Packets made", font=Font(bold=True, size=14))])
    summary.append(["名簿 / Roster", roster.name])
    summary.append(["作成日 / Made on", cell(summary, run_day, number_format=DATE_FORMAT)])
    if converter is not None:
        how = "事務所の常駐 LibreOffice" if converter.shared else "この実行で起動した LibreOffice"
        summary.append(["PDF 変換 / Converter", f"{how}（{converter.servers}台、再起動 {converter.restarts}回）"])
        for problem in converter.problems:
            summary.append(["", problem.ja])
    summary.append([])
    summary.append([cell(summary, v, font=bold) for v in ("結果 / Outcome", "件数 / Count")])
    for outcome in Outcome:
        words = OUTCOME_WORDS[outcome]
        summary.append([cell(summary, f"{words.ja} / {words.en}", fill=fills[outcome.value]), counts[outcome]])
    summary.append([cell(summary, f"{DRAFT_WORD.ja} / {DRAFT_WORD.en}", fill=fills["draft"]), drafts])
    summary.append([cell(summary, "合計 / Total", font=bold), rows])
    wb.save(target)
    return counts
