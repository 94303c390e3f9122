"""The case board (`docgen cases`): every case folder of the office in one table, most urgent first.

In: the office's cases folder (every folder in it: its profile and, where a packet exists, its manifest — read
only, never regenerated, never a text report), the settings, the rules loaded once and the time of the run.
Out: a `Board` of `BoardRow`s (verdict, expiries, what is missing, the next action and its date; or why a
folder is not a usable case) as text, JSON, CSV or an iCalendar file of the deadlines without personal values.
Modules: model (the rows), packet_state (a packet's manifest), actions (what to do by when), build (a row for
each folder, one after another), output (text/JSON/CSV), ics (the calendar).
"""

from docgen.board.build import build_board, case_row
from docgen.board.model import Action, ActionKind, Board, BoardRow

__all__ = ["Action", "ActionKind", "Board", "BoardRow", "build_board", "case_row"]
