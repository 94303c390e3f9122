"""Opening an Excel workbook staff or a client sent (a questionnaire, a roster) read-only, safely: a zip that
unpacks to too much data or a damaged file is refused with a reason, never a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from docgen.text import Text


class UnreadableWorkbook(Exception):
    """Why the workbook cannot be read, for the caller to name with its file (and sheet)."""

    def __init__(self, text: Text):
        super().__init__(text.en)
        self.text = text


def open_read_only(path: Path, max_unpacked: int) -> Workbook:
    """The workbook at `path` (already known to be a zip), read-only with the values Excel saved."""
    try:
        with zipfile.ZipFile(path) as z:
            if sum(i.file_size for i in z.infolist()) > max_unpacked:
                raise UnreadableWorkbook(Text("展開すると大きすぎるファイルです", "the file unpacks to too much data"))
        return load_workbook(path, read_only=True, data_only=True)
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        name = type(exc).__name__
        raise UnreadableWorkbook(
            Text(
                f"Excel のファイルとして読めません（壊れている可能性があります: {name}）",
                f"a damaged Excel file ({name})",
            )
        ) from None
