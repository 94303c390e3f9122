"""Errors that staff read: each names where the problem is and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docgen.messages import say


class DocgenError(Exception):
    """An error the CLI prints as a plain message (no traceback)."""


@dataclass(frozen=True)
class Problem:
    """One problem in an input file, located by line and field path."""

    file: Path
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        line = say(f" {self.line}行目", f", line {self.line}") if self.line else ""
        where = f"{self.file}{line}"
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.message}"


class InputFileError(DocgenError):
    """One or more problems found in a profile, checklist or settings file."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
