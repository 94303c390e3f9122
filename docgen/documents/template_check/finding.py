"""What the checks report.

In: nothing (plain data). Out: `Severity` and `Finding`, the record every check in this package produces
(file, part, severity, code, message and the paragraph text around the problem).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem in one template: where (file, part), what (code, message) and the text around it."""

    file: Path
    part: str
    severity: Severity
    code: str
    message: str
    context: str = ""

    def __str__(self) -> str:
        where = f"{self.file.name} ({self.part})" if self.part else self.file.name
        around = f"\n    「{self.context}」" if self.context else ""
        return f"{where}: {self.severity} [{self.code}] {self.message}{around}"
