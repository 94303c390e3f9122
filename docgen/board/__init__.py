"""The case board (`docgen cases`): every case folder of the office in one table, most urgent first.

In: the office's cases folder (every folder in it: its profile and, where a packet exists, its manifest — read
only, never regenerated, never a text report), the settings, the rules loaded once and the time of the run.
Out: a `Board` of `BoardRow`s (verdict, expiries, what is missing, the next action and its date; or why a
folder is not a usable case) as text, JSON, CSV or an iCalendar file of the deadlines without personal values.
Modules: model (the rows), packet_state (a packet's manifest), actions (what to do by when), employer (whose
cases), build (a row for each folder), parallel (the folders on the idle cores), output (text/JSON/CSV), ics (the
calendar).

The names below are loaded when first used (PEP 562): a command that only formats (output's `spreadsheet_safe`)
does not load the stages the board reads.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docgen.board.build import build_board, case_row
    from docgen.board.model import Action, ActionKind, Board, BoardRow

_WHERE = {
    "build_board": "docgen.board.build",
    "case_row": "docgen.board.build",
    "Action": "docgen.board.model",
    "ActionKind": "docgen.board.model",
    "Board": "docgen.board.model",
    "BoardRow": "docgen.board.model",
}

__all__ = ["Action", "ActionKind", "Board", "BoardRow", "build_board", "case_row"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
