"""What the checks report.

In: nothing (plain data). Out: `Severity` and `Finding`, the record every check in this package produces
(file, part, severity, code, message, the paragraph text around the problem and the part as staff know it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


REPAIRABLE = frozenset({"split_tag", "smart_quotes", "fullwidth_in_tag"})  # what fix_template repairs


@dataclass(frozen=True)
class Finding:
    """One problem in one template: where (file, part), what (code, message) and the text around it."""

    file: Path
    part: str  # the XML part: word/document.xml, word/header1.xml …
    severity: Severity
    code: str
    message: str
    context: str = ""
    place: str = ""  # the part as staff know it in Word: 本文, ヘッダー（1ページ目）, フッター …

    @property
    def repairable(self) -> bool:
        """Whether repairing the templates (fix_template) takes this finding away."""
        return self.code in REPAIRABLE

    @property
    def where(self) -> str:
        """The part for staff: 'ヘッダー（1ページ目）, word/header2.xml'."""
        return ", ".join(x for x in (self.place, self.part) if x)

    def __str__(self) -> str:
        where = f"{self.file.name} ({self.where})" if self.where else self.file.name
        around = f"\n    「{self.context}」" if self.context else ""
        return f"{where}: {self.severity} [{self.code}] {self.message}{around}"
