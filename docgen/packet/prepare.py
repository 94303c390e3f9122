"""A packet build's first steps, before anything is converted: the case assessed and gated, its Word files
staged, the client's scans collected, and the filing copy's gate. Each step returns what the next one needs."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from docgen.assessment import CaseAssessment, assess_case
from docgen.assessment.decision import Decision
from docgen.case import Case
from docgen.checklist import Checklist, ChecklistItem, case_checklist
from docgen.documents.context import DocumentContext
from docgen.documents.generate import contexts
from docgen.documents.placeholders import Unfilled, unfilled
from docgen.documents.template_check import require_agent
from docgen.errors import DocgenError
from docgen.messages import say
from docgen.packet.gate import Acceptance, check_blocked, final_gate
from docgen.packet.index import missing_items
from docgen.packet.names import PacketNames
from docgen.packet.staged import StagedDocuments, labels_of, stage_documents, stale_notes
from docgen.packet.workspace import Workspace
from docgen.pdf.bundle import Part, Section
from docgen.pdf.evidence import EvidenceSet, collect_evidence
from docgen.text import Notice, Text

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Assessed:
    """The case assessed once, its decision and its checklist: what every later step reads."""

    assessment: CaseAssessment
    decision: Decision
    checklist: Checklist


@dataclass(frozen=True)
class Staged:
    """The case's Word files filled in the staging folder, the document templates they were filled from, and what
    is known of them before any scan is read: the ［ ］ left and the staff edits to review."""

    docs: StagedDocuments
    by_person: dict[str, DocumentContext]  # each applicant's document context, by display name
    templates: dict[str, tuple[Path, str]]  # the templates the documents were filled from: name -> (file, origin)
    placeholders: list[Unfilled]
    stale: list[Notice]  # staff edits made before docgen's content changed: to review


def assess(case: Case, evidence: Path | None, draft: bool, final: bool, progress: Progress) -> Assessed:
    """The case assessed and gated before any work: a template needing a 取次者 the case lacks, an evidence folder
    that is not a folder, or a blocked case (unless built as a draft) stops here."""
    require_agent(case)
    if evidence is not None and not Path(evidence).is_dir():
        raise DocgenError(
            Text(
                f"資料フォルダー {evidence} はフォルダーではありません",
                f"the evidence folder {evidence} is not a folder",
            )
        )
    progress(say("要件の確認と書類一覧", "assessment and checklist"))
    assessment = assess_case(case)
    decision = assessment.decision
    check_blocked(decision, draft, final)
    return Assessed(assessment, decision, case_checklist(case, assessment))


def stage(case: Case, ws: Workspace, assessed: Assessed, regenerate: Collection[str], progress: Progress) -> Staged:
    """Every document filled into the staging folder, staff edits kept in place of their renderings (unless
    named in `regenerate`)."""
    _check_settings(case, ws.previous)
    progress(say("Wordテンプレートへの記入", "filling Word templates"))
    by_person = contexts(case, assessed.assessment)
    docs = stage_documents(case, ws, assessed.checklist, by_person, regenerate)
    labels = labels_of(assessed.checklist, docs)
    placeholders = unfilled([(labels[g.docx], g.docx) for g in docs.generated])
    stale = stale_notes(docs, labels, PacketNames(case.profile.case_id))
    return Staged(docs, by_person, docs.templates, placeholders, stale)


def collect(case: Case, ws: Workspace, checklist: Checklist, evidence: Path | None, progress: Progress) -> EvidenceSet:
    """The client's scans from the evidence folder, checked and staged (none without a folder)."""
    progress(say("依頼者の資料の取り込み", "collecting evidence"))
    if evidence is None:
        return EvidenceSet()
    item_ids = [i.id for i in checklist.items]
    return collect_evidence(Path(evidence), item_ids, ws.new / "evidence", case.profile.case_id)


def gate_before_scans(final: bool, assessed: Assessed, staged: Staged, accept: Acceptance | None) -> None:
    """The filing copy refuses at once for what is known before the scans are read (a ［ ］, an edit to review,
    a decision not accepted)."""
    if final:
        final_gate(assessed.decision, staged.stale, staged.placeholders, [], [], accept)


def gate_final(
    final: bool, assessed: Assessed, staged: Staged, ev: EvidenceSet, accept: Acceptance | None
) -> list[str]:
    """The filing copy's gate with the scans read: what the office accepted, in words for the manifest (nothing
    when this is not the filing copy)."""
    if not final:
        return []
    incomplete = _incomplete(assessed.checklist, staged.docs, ev)
    return final_gate(assessed.decision, staged.stale, staged.placeholders, incomplete, ev.rejected, accept)


def placed(checklist: Checklist, parts: list[tuple[str, Part]]) -> dict[str, Section]:
    """Each checklist item's section with the parts placed under it (item id, part), in their order."""
    sections = {item.id: Section(item.id, item.title()) for item in checklist.items}
    for item_id, part in parts:
        sections[item_id].parts.append(part)
    return sections


def evidence_parts(ev: EvidenceSet) -> list[tuple[str, Part]]:
    """Each collected scan as a part of its item's section."""
    return [(item_id, Part(f.pdf, f.pages, f.label, f.source)) for item_id, files in ev.files.items() for f in files]


def _incomplete(checklist: Checklist, docs: StagedDocuments, ev: EvidenceSet) -> list[ChecklistItem]:
    """The items the documents and scans of this build leave incomplete (before any PDF is made)."""
    documents = [(g.item_id, Part(g.docx, 1, g.person)) for g in docs.generated]
    return missing_items(checklist, placed(checklist, documents + evidence_parts(ev)))


def _check_settings(case: Case, previous: dict | None) -> None:
    """A packet made with the office's settings is never rebuilt without them (its 取次者 and office templates
    would silently go)."""
    used = ((previous or {}).get("settings") or {}).get("file")
    if used and case.settings.source is None:
        raise DocgenError(
            Text(
                f"この一式は事務所の設定ファイル {used} を使って作成されましたが、今回は設定ファイルが見つかりません。"
                "設定なしで作り直すと取次者や事務所のテンプレートが失われるため、何も変更していません。設定ファイルの"
                "あるフォルダーで実行するか、環境変数 DOCGEN_SETTINGS で指定してください",
                f"this packet was built with the office settings {used}, but no settings file was found now;"
                " rebuilding without them would drop the filing agent and the office templates, so nothing was"
                " changed. Run from the folder with the settings, or name it with DOCGEN_SETTINGS",
            )
        )
