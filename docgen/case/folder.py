"""A case folder under the office's cases folder: where a case's files live, every name carrying the case id.

cases/2026-101-wang/
    2026-101-wang-profile.yaml         the profile (docgen case new writes a skeleton; intake import fills it)
    2026-101-wang-intake-zh.xlsx       the client questionnaire (docgen intake new)
    2026-101-wang-handout-zh.pdf       what to bring and where it goes, in the client's language
    evidence/07 住民税の課税証明書 [resident_tax_certificates]/   one folder per checklist item
    2026-101-wang-packet/              the packet (docgen packet)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ITEM_FOLDER_RE = re.compile(r"\[([a-z0-9_]+)\]\s*$")  # "07 住民税の課税証明書 [resident_tax_certificates]"


def item_id_of_folder(name: str) -> str | None:
    """The item id a case's evidence folder is named for (the bracketed id at the end), if any."""
    m = ITEM_FOLDER_RE.search(name)
    return m.group(1) if m else None


def item_folder_name(number: int, title: str, item_id: str) -> str:
    """'07 住民税の課税証明書 [resident_tax_certificates]': the number and title for people, the id for docgen."""
    safe = re.sub(r'[\\/:*?"<>|\n\r\t]', "・", title).strip()
    return f"{number:02d} {safe[:60]} [{item_id}]"


@dataclass(frozen=True)
class CaseFolder:
    root: Path
    case_id: str

    @classmethod
    def under(cls, cases_dir: Path, case_id: str) -> CaseFolder:
        return cls(Path(cases_dir) / case_id, case_id)

    @property
    def profile(self) -> Path:
        return self.root / f"{self.case_id}-profile.yaml"

    @property
    def evidence(self) -> Path:
        return self.root / "evidence"

    @property
    def packet(self) -> Path:
        return self.root / f"{self.case_id}-packet"

    def handout(self, lang: str, suffix: str = "pdf") -> Path:
        return self.root / f"{self.case_id}-handout-{lang}.{suffix}"

    def intake(self, lang: str) -> Path:
        return self.root / f"{self.case_id}-intake-{lang}.xlsx"


def existing_case_folder(cases_dir: Path, case_id: str) -> CaseFolder | None:
    """The folder of case `case_id` under `cases_dir` when it exists (with or without its profile yet)."""
    folder = CaseFolder.under(cases_dir, case_id)
    return folder if folder.root.is_dir() else None


def find_case_folders(cases_dir: Path) -> list[CaseFolder]:
    """Every case folder under `cases_dir`: a folder holding '<folder name>-profile.yaml'."""
    if not Path(cases_dir).is_dir():
        return []
    return [
        CaseFolder(p, p.name)
        for p in sorted(Path(cases_dir).iterdir())
        if p.is_dir() and (p / f"{p.name}-profile.yaml").is_file()
    ]
