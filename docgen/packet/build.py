"""`docgen packet`: one case -> filled Word files, PDFs, one bundled PDF with index, reports, manifest.

In: a `Case`. The case is assessed once and its checklist built once; both are handed to the documents, the
index, the reports and the manifest. Out: the packet folder. Everything is made in a staging folder inside the
packet, then put in place file by file through a journal (docgen/packet/journal.py), touching only the files
the last manifest says docgen wrote and nobody changed (docgen/packet/plan.py).

`build_packet` is the pipeline; each step returns what the next one needs: assess and gate, stage the documents,
collect the evidence and gate the filing copy (prepare.py), convert and bundle (assemble.py), the notes for staff
(notes.py), the reports and the manifest (record.py), commit (commit.py).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from docgen.assessment.decision import Decision
from docgen.case import Case
from docgen.case.folder import CaseFolder, case_folder_at, choose_profile
from docgen.checklist import ChecklistItem
from docgen.documents.placeholders import Unfilled
from docgen.packet.assemble import Assembled, assemble
from docgen.packet.commit import Committed, commit
from docgen.packet.gate import Acceptance, final_record
from docgen.packet.names import PacketNames
from docgen.packet.notes import packet_notes
from docgen.packet.prepare import Assessed, Progress, Staged, assess, collect, gate_before_scans, gate_final, stage
from docgen.packet.record import stage_record
from docgen.packet.workspace import open_packet
from docgen.pdf.converter import COLD, Converter
from docgen.pdf.evidence import EvidenceSet
from docgen.text import Notice


@dataclass(frozen=True)
class PacketResult:
    """What one build made and what staff should know about it; built once, when the packet is in place."""

    folder: Path
    names: PacketNames  # the packet's file names, each with the case id
    bundle: Path | None = None
    pages: int = 0
    missing: list[ChecklistItem] = field(default_factory=list)
    rejected: list[tuple[Path, str]] = field(default_factory=list)
    unmatched: list[Path] = field(default_factory=list)
    documents: list[Path] = field(default_factory=list)
    client_documents: list[Path] = field(default_factory=list)  # client/: for the client, not submitted
    notes: list[Notice] = field(default_factory=list)  # things staff should check (stated points, scans of originals)
    placeholders: list[Unfilled] = field(default_factory=list)  # ［…］ left in the documents, for the office
    kept_edits: list[Path] = field(default_factory=list)  # Word files staff edited, kept from the last build
    converted: list[str] = field(default_factory=list)  # documents LibreOffice converted this time
    reused: list[str] = field(default_factory=list)  # documents whose PDF from the last build was used
    kept_files: list[str] = field(default_factory=list)  # files in the way, changed by staff: left as they were
    recovered: bool = False  # an interrupted build of this packet was finished first
    settings: Path | None = None  # the docgen.toml the packet was built with
    decision: Decision | None = None  # the filing's decision, which the packet obeys
    draft: bool = True  # stamped 下書き: ［ ］ left, or the decision does not allow filing

    @property
    def report(self) -> Path:
        """missing.txt: what is still to collect and to write in."""
        return self.folder / self.names.missing

    @property
    def manifest(self) -> Path:
        return self.folder / self.names.manifest


def case_folder_of(case: Case) -> CaseFolder | None:
    """The case folder the profile lives in (cases/<id>/ named after the case id, the profile being the one the
    board takes for it: <id>-profile.yaml made by `docgen case new`, or a case.yaml), if any."""
    root = case.profile_path.resolve().parent
    if root.name != case.profile.case_id:
        return None
    try:
        chosen = choose_profile(root).profile
    except OSError:
        return None
    return case_folder_at(root, chosen) if chosen == case.profile_path.name else None


def default_folder(case: Case) -> Path:
    """Where the packet goes without --out: the case folder's <id>-packet, else output/<id>-<date>/."""
    folder = case_folder_of(case)
    if folder is not None:
        return folder.packet
    return case.settings.output_dir / f"{case.profile.case_id}-{case.application_date.isoformat()}"


def build_packet(
    case: Case,
    *,
    out: Path | None = None,
    evidence: Path | None = None,
    pdf: bool = True,
    regenerate: Collection[str] = (),
    final: bool = False,
    accept: Acceptance | None = None,
    draft: bool = False,
    progress: Progress = lambda message: None,
    converter: Converter = COLD,
) -> PacketResult:
    """Generate the whole packet for one case; see the module docstring. Built again on a packet docgen wrote,
    it keeps the Word files staff edited (unless named in `regenerate`) and every file docgen did not write,
    and re-converts only what changed. The case's decision comes first: a blocked case is built only as a
    `draft`; `final` (the filing copy) refuses while the case is blocked, a ［ ］ or an unreviewed edit remains,
    or — unless the office `accept`s them with a reason — the decision is undecided, an item is incomplete or a
    scan was left out. PDFs are made by `converter` (a warm one the caller owns, else one LibreOffice call)."""
    assessed = assess(case, evidence, draft, final, progress)
    folder = Path(out) if out else default_folder(case)
    names = PacketNames(case.profile.case_id)
    with open_packet(folder, names.case_id, [case.profile_path, *([Path(evidence)] if evidence else [])]) as ws:
        staged = stage(case, ws, assessed, regenerate, progress)
        gate_before_scans(final, assessed, staged, accept)
        ev = collect(case, ws, assessed.checklist, evidence, progress)
        accepted = gate_final(final, assessed, staged, ev, accept)
        stamped = bool(staged.placeholders) or not (assessed.decision.can_file or final)  # final: the gate passed
        assembled = assemble(case, ws, assessed.checklist, staged, ev, pdf, stamped, progress, converter)
        notes = packet_notes(case, assessed, staged, ev)
        filing = final_record(case, final, accept, accepted)
        record = stage_record(case, ws, assessed, staged, ev, assembled, notes, filing, progress)
        committed = commit(case, ws, staged.docs, record, names)
    return _result(case, folder, ws.recovered is not None, assessed, staged, ev, assembled, notes, committed, stamped)


def _result(
    case: Case,
    folder: Path,
    recovered: bool,
    assessed: Assessed,
    staged: Staged,
    ev: EvidenceSet,
    assembled: Assembled,
    notes: list[Notice],
    committed: Committed,
    draft: bool,
) -> PacketResult:
    """The result, built once from what the steps returned; paths are where the files now are in the packet."""
    names, docs = PacketNames(case.profile.case_id), staged.docs
    client = [folder / "client" / c.docx.name for c in docs.client]
    client += [folder / "client" / c.docx.with_suffix(".pdf").name for c in docs.client if assembled.pdf]
    return PacketResult(
        folder,
        names,
        bundle=folder / names.bundle if assembled.pdf else None,
        pages=assembled.pages,
        missing=assembled.missing,
        rejected=ev.rejected,
        unmatched=ev.unmatched,
        documents=[folder / "docx" / g.docx.name for g in docs.generated],
        client_documents=sorted(client),
        notes=notes + committed.notes,
        placeholders=staged.placeholders,
        kept_edits=[folder / k.target for k in docs.kept.values()],
        converted=assembled.converted,
        reused=assembled.reused,
        kept_files=committed.kept,
        recovered=recovered,
        settings=case.settings.source,
        decision=assessed.decision,
        draft=draft,
    )


__all__ = ["Acceptance", "PacketResult", "build_packet", "case_folder_of", "default_folder"]
