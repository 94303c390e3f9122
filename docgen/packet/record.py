"""The build's record, staged from what the earlier steps returned: the reports for staff (missing.txt, the
checklist, the assessment) and the manifest draft, which the commit completes with the files it puts in place."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docgen.assessment.report import case_report_text
from docgen.case import Case
from docgen.messages import say
from docgen.packet.assemble import Assembled
from docgen.packet.index import checklist_progress
from docgen.packet.manifest import manifest_draft, missing_json
from docgen.packet.names import PacketNames
from docgen.packet.prepare import Assessed, Progress, Staged
from docgen.packet.rebuild import content_hash, documents_json
from docgen.packet.reports import missing_report
from docgen.packet.workspace import Workspace
from docgen.pdf.convert import libreoffice_version
from docgen.pdf.evidence import EvidenceSet
from docgen.text import Notice

WORD_ONLY = "not used (Word files only)"  # the manifest's `libreoffice` when no PDF was made


def stage_record(
    case: Case,
    ws: Workspace,
    assessed: Assessed,
    staged: Staged,
    ev: EvidenceSet,
    assembled: Assembled,
    notes: list[Notice],
    final: dict[str, Any],
    progress: Progress,
) -> dict[str, Any]:
    """missing.txt, the checklist and the assessment written into the staging folder; returns the manifest
    draft (`final`: the filing copy's record, docgen.packet.gate.final_record)."""
    progress(say("報告書と記録の作成", "writing the report and manifest"))
    _write_reports(case, ws, assessed, staged, ev, assembled, notes)
    checklist, docs = assessed.checklist, staged.docs
    placeholders = sum(p.count for p in staged.placeholders)
    counts = checklist_progress(checklist, assembled.sections)
    documents: list[tuple[str, Path, str, str | None, Path | None]] = [
        (g.key, g.docx, docs.fresh[g.docx], content_hash(g.docx), assembled.pdf_of.get(g.docx)) for g in docs.all
    ]
    return manifest_draft(
        case=case,
        assessment=assessed.assessment,
        evidence=ev,
        checklist=checklist,
        templates={"index": assembled.index_template, **staged.templates},
        libreoffice=libreoffice_version() if assembled.pdf else WORD_ONLY,
        bundle_pages=assembled.pages,
        missing=missing_json(assembled.missing, placeholders, counts, ev.rejected),
        documents=documents_json(documents, ws.new, docs.outdated),
        stale=[],
        decision=assessed.decision,
        final=final,
    )


def _write_reports(
    case: Case,
    ws: Workspace,
    assessed: Assessed,
    staged: Staged,
    ev: EvidenceSet,
    assembled: Assembled,
    notes: list[Notice],
) -> None:
    """missing.txt (with the checklist's warnings and the notes, in Japanese), checklist.json, assessment.txt."""
    names = PacketNames(case.profile.case_id)
    checklist = assessed.checklist
    report = missing_report(
        case.profile,
        assembled.missing,
        ev.rejected,
        ev.unmatched,
        checklist.warnings + [n.text.ja for n in notes],
        placeholders=staged.placeholders,
        decision=assessed.decision.line_pair()[0],
    )
    _write(ws.new / names.missing, report)
    _write(ws.new / names.checklist, json.dumps(checklist.to_json(), ensure_ascii=False, indent=2) + "\n")
    _write(ws.new / names.assessment, case_report_text(assessed.assessment) + "\n")


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
