"""Stage beside the case board: a company's roster of employees screened in one run (`docgen batch screen`).

In: a roster (.xlsx or .csv: case id, name, category, planned date, profile or questionnaire, employer), the
settings, the rules loaded once and the time of the run. Out: for each employee, the decision the assessment
computes (route, earliest date, blockers, risks) or the row's problem, written as it is screened into a
colour-coded screening workbook with a summary sheet.
Modules: roster (reading the rows, every problem named by sheet, row and column), screen (one row's case,
assessment and what the workbook shows), workbook (the 一覧 and 集計 sheets, streamed), parallel (screening on
every core). For `docgen batch packets`: packets (the cases' packets made side by side in worker processes on
one warm LibreOffice pool), report (the batch report: every row's outcome).
"""

from docgen.batch.roster import Roster, RosterEntry, RosterProblem, open_roster
from docgen.batch.screen import BUCKET_WORDS, Bucket, ScreenedRow, screen_entry
from docgen.batch.workbook import ScreeningWorkbook

__all__ = [
    "BUCKET_WORDS",
    "Bucket",
    "Roster",
    "RosterEntry",
    "RosterProblem",
    "ScreenedRow",
    "ScreeningWorkbook",
    "open_roster",
    "screen_entry",
]
