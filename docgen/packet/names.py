"""The names of the files in a packet folder. Each carries the case id, so a file mailed, printed or moved on
its own still says which case it belongs to:

2026-101-wang-packet/
    2026-101-wang-packet.pdf                         the bundle
    2026-101-wang-missing.txt                        what is still to collect or write in
    2026-101-wang-assessment.txt / -checklist.json   the eligibility check, the checklist
    2026-101-wang-manifest.json                      what went in (docgen recognises its packets by it)
    docx/2026-101-wang-04_reason_letter_wang_wei.docx, pdf/…, evidence/…, client/…

Packets written before the names carried the case id (`manifest.json`, `missing.txt`, …) are still read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LEGACY_MANIFEST = "manifest.json"
NUMBERED = re.compile(r"^\d{2}_")


@dataclass(frozen=True)
class PacketNames:
    case_id: str

    def file(self, name: str) -> str:
        """'missing.txt' -> '2026-101-wang-missing.txt'."""
        return f"{self.case_id}-{name}"

    @property
    def bundle(self) -> str:
        return self.file("packet.pdf")

    @property
    def manifest(self) -> str:
        return self.file("manifest.json")

    @property
    def missing(self) -> str:
        return self.file("missing.txt")

    @property
    def assessment(self) -> str:
        return self.file("assessment.txt")

    @property
    def checklist(self) -> str:
        return self.file("checklist.json")

    @property
    def index(self) -> str:
        return self.file("00_index.docx")

    def key(self, docx: Path) -> str:
        """What a document is, whatever its number: '…-04_reason_letter_wang_wei.docx' -> 'reason_letter_wang_wei'
        (stable when an item is added before it or the case id changes; docgen.documents.generate names them)."""
        stem = docx.stem.removeprefix(f"{self.case_id}-")
        return NUMBERED.sub("", stem)


def find_manifest(folder: Path) -> Path | None:
    """The packet's manifest: '<case id>-manifest.json' (or the older 'manifest.json'); None if there is none."""
    try:
        found = sorted(folder.glob("*-manifest.json")) or [folder / LEGACY_MANIFEST]
    except OSError:
        return None
    return next((p for p in found if p.is_file()), None)


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The packet's manifest as written by docgen (its tool named 'docgen'), or None."""
    path = find_manifest(folder)
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path else None
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("tool"), dict) or data["tool"].get("name") != "docgen":
        return None
    return data


def names_of(manifest: dict[str, Any]) -> PacketNames | None:
    """The names a manifest's packet uses; None for a packet written before names carried the case id."""
    case_id = (manifest.get("case") or {}).get("id")
    return PacketNames(case_id) if isinstance(case_id, str) and case_id else None


def report_path(folder: Path, manifest: dict[str, Any]) -> Path:
    """The packet's missing.txt, by whichever name it was written."""
    names = names_of(manifest)
    return folder / (names.missing if names else "missing.txt")
