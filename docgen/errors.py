"""Errors that staff read: each names where the problem is and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docgen.messages import messages_in, say
from docgen.text import NextStep, Text


class DocgenError(Exception):
    """An error staff read as a plain message (no traceback): the text as a Japanese/English pair, rendered by
    the face in the reader's language, and the steps that deal with it (each face says how to take them)."""

    def __init__(self, message: Text | str, *, steps: tuple[NextStep, ...] = ()):
        self.text = message if isinstance(message, Text) else Text(message, message)
        self.steps = steps
        super().__init__(self.text)

    def __str__(self) -> str:
        return str(self.text)

    def __reduce__(self) -> tuple[object, ...]:  # across a worker process: the pair and the steps, not a rendering
        return (_rebuild, (type(self), self.text, self.steps, self.__dict__))


def _rebuild(cls: type[DocgenError], text: Text, steps: tuple[NextStep, ...], state: dict[str, object]) -> DocgenError:
    exc = DocgenError.__new__(cls)
    Exception.__init__(exc, text)
    exc.__dict__.update(state)
    return exc


@dataclass(frozen=True)
class Problem:
    """One problem in an input file, located by line and field path."""

    file: Path
    line: int | None
    field: str
    message: str | Text

    def __str__(self) -> str:
        line = say(f" {self.line}行目", f", line {self.line}") if self.line else ""
        where = f"{self.file}{line}"
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.message}"


class InputFileError(DocgenError):
    """One or more problems found in a profile, checklist or settings file."""

    def __init__(self, problems: list[Problem], *, steps: tuple[NextStep, ...] = ()):
        self.problems = problems
        super().__init__(Text(*(_joined(problems, lang) for lang in ("ja", "en"))), steps=steps)


def _joined(problems: list[Problem], lang: str) -> str:
    with messages_in(lang):
        return "\n".join(str(p) for p in problems)
