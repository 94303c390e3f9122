"""What a packet build tells staff to check before the files are put in place: staff edits to review, unusual
characters in the profile, stated points that differ, what was taken out of a scan, originals bound as copies,
and the client copies' translations."""

from __future__ import annotations

from docgen.case import Case
from docgen.documents.points_table import points_warnings
from docgen.documents.translations import fallback_note
from docgen.languages import language_name
from docgen.packet.prepare import Assessed, Staged
from docgen.pdf.evidence import EvidenceSet
from docgen.profile.characters import unusual_character_notices
from docgen.text import Notice, Text


def packet_notes(case: Case, assessed: Assessed, staged: Staged, ev: EvidenceSet) -> list[Notice]:
    """The notes for staff, in the order missing.txt lists them."""
    found = unusual_character_notices(case.profile) + points_warnings(case, assessed.assessment.main)
    return staged.stale + _plain(found) + _plain(_build_notes(assessed, staged, ev))


def _plain(notes: list[str]) -> list[Notice]:
    """Notes already in the staff's language, with no step to take."""
    return [Notice(Text(n, n)) for n in notes]


def _build_notes(assessed: Assessed, staged: Staged, ev: EvidenceSet) -> list[str]:
    """What the scans and the client copies of this build call for."""
    notes = [f"{path.name}: {removed}" for path, removed in ev.sanitised]  # active content taken out of a scan
    notes += [
        f"{f.source.name}: 「{item.title()}」は窓口で原本を提示する書類です。写しとして綴じました。"
        for item in assessed.checklist.items
        if item.rule.action == "present"
        for f in ev.files.get(item.id, [])
    ]
    client = staged.docs.client
    if client:
        people = "、".join(f"{c.person}: {language_name(c.language).ja}" for c in client)
        notes.append(
            f"client/ の了解書の参考訳 {people} は依頼者への説明用です。入管には提出しません。"
            "署名は日本語の了解書にもらってください。"
        )
    wanted: dict[str, list[str]] = {}  # English in place of their language: one note per language
    for c in client:
        if c.wanted:
            wanted.setdefault(c.wanted, []).append(c.person)
    notes += [fallback_note(people, language) for language, people in wanted.items()]
    return notes
