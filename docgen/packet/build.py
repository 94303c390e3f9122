"""`docgen packet`: one case -> filled Word files, PDFs, one bundled PDF with index, reports, manifest.

In: a `Case`. The case is assessed once and its checklist built once; both are handed to the documents, the
index, the reports and the manifest. Out: the packet folder. Everything is made in a staging folder inside the
packet, then put in place file by file through a journal (docgen/packet/journal.py), touching only the files
the last manifest says docgen wrote and nobody changed (docgen/packet/plan.py).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from docgen.assessment import CaseAssessment, assess_case
from docgen.assessment.decision import Decision
from docgen.assessment.report import case_report_text
from docgen.case import Case
from docgen.case.folder import CaseFolder, case_folder_at, choose_profile
from docgen.checklist import Checklist, ChecklistItem, case_checklist
from docgen.documents.context import DocumentContext
from docgen.documents.generate import (
    LANGUAGE_NAMES,
    contexts,
)
from docgen.documents.placeholders import Unfilled, unfilled
from docgen.documents.points_table import points_warnings
from docgen.documents.render import render_docx
from docgen.documents.template_check import require_agent
from docgen.documents.translations import fallback_note
from docgen.errors import DocgenError
from docgen.hashing import file_sha256
from docgen.messages import say
from docgen.packet.commit import commit
from docgen.packet.gate import Acceptance, check_blocked, final_gate, final_record
from docgen.packet.index import checklist_progress, index_rows, missing_items, page_count, settle_index
from docgen.packet.manifest import manifest_draft, missing_json
from docgen.packet.names import PacketNames
from docgen.packet.rebuild import content_hash, documents_json
from docgen.packet.reports import missing_report
from docgen.packet.staged import StagedDocuments, labels_of, lookup_previous, stage_documents, stale_notes
from docgen.packet.workspace import Workspace, open_packet
from docgen.pdf.bundle import Part, Section, write_bundle
from docgen.pdf.convert import convert_to_pdf, fonts_for, libreoffice_version
from docgen.pdf.evidence import EvidenceSet, collect_evidence
from docgen.profile.characters import unusual_character_notices
from docgen.text import Notice, Text

Progress = Callable[[str], None]


@dataclass
class PacketResult:
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


# ---------------------------------------------------------------- the pipeline


def _convert(
    case: Case, ws: Workspace, docs: StagedDocuments, index_docx: Path, progress: Progress
) -> tuple[dict[Path, Path], Path, list[Path], list[Path]]:
    """Each document's PDF (reused from the last build when made from the same content and unchanged since),
    the index's PDF, and the documents converted and reused."""
    names = PacketNames(case.profile.case_id)
    owned = ws.owned
    reused: dict[Path, Path] = {}
    for d in docs.fresh:
        old = lookup_previous(next(g for g in docs.all if g.docx == d), docs.previous, names)
        if old is None or old.pdf is None or old.pdf_of is None or not old.pdf.is_file():
            continue
        ours = owned.get(old.pdf.relative_to(ws.folder).as_posix()) == file_sha256(old.pdf)
        if ours and content_hash(d) == old.pdf_of:
            reused[d] = old.pdf
    todo = [d for d in docs.fresh if d not in reused]
    progress(say(f"PDFへの変換（{len(todo) + 1}件, LibreOffice）", f"converting {len(todo) + 1} Word files to PDF"))
    made = ws.new / "pdf"
    converted = convert_to_pdf(
        [*todo, index_docx],
        made,
        case.settings.pdf_seconds_per_document,
        fonts=fonts_for(c.language for c in docs.client),
    )
    pdf_of: dict[Path, Path] = {}
    for d in docs.fresh:  # client copies beside their Word file in client/, outside the bundle
        target = d.with_suffix(".pdf") if d.parent.name == "client" else made / f"{d.stem}.pdf"
        if d in reused:
            shutil.copyfile(reused[d], target)
        elif (out := made / f"{d.stem}.pdf") != target:
            out.replace(target)
        pdf_of[d] = target
    return pdf_of, converted[-1], todo, list(reused)


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
) -> PacketResult:
    """Generate the whole packet for one case; see the module docstring. Built again on a packet docgen wrote,
    it keeps the Word files staff edited (unless named in `regenerate`) and every file docgen did not write,
    and re-converts only what changed. The case's decision comes first: a blocked case is built only as a
    `draft`; `final` (the filing copy) refuses while the case is blocked, a ［ ］ or an unreviewed edit remains,
    or — unless the office `accept`s them with a reason — the decision is undecided, an item is incomplete or a
    scan was left out."""
    require_agent(case)  # a template needing a 取次者 the case lacks stops here, before any work
    if evidence is not None and not Path(evidence).is_dir():
        raise DocgenError(
            Text(f"--evidence: {evidence} はフォルダーではありません", f"--evidence: {evidence} is not a folder")
        )
    progress(say("要件の確認と書類一覧", "assessment and checklist"))
    profile = case.profile
    assessment = assess_case(case)
    decision = assessment.decision
    check_blocked(decision, draft, final)
    checklist = case_checklist(case, assessment)
    folder = Path(out) if out else default_folder(case)
    names = PacketNames(profile.case_id)
    inputs = [case.profile_path, *([Path(evidence)] if evidence else [])]
    with open_packet(folder, profile.case_id, inputs) as ws:
        _check_settings(case, ws.previous)
        progress(say("Wordテンプレートへの記入", "filling Word templates"))
        templates: dict[str, tuple[Path, str]] = {"index": case.settings.template("index")}
        by_person = contexts(case, assessment)
        docs = stage_documents(case, ws, checklist, by_person, regenerate, templates)
        labels = labels_of(checklist, docs)
        placeholders = unfilled([(labels[g.docx], g.docx) for g in docs.generated])
        stale = stale_notes(docs, labels, names)
        if final:  # what can be known before the scans are read refuses at once
            final_gate(decision, stale, placeholders, [], [], accept)
        progress(say("依頼者の資料の取り込み", "collecting evidence"))
        ev = (
            collect_evidence(Path(evidence), [i.id for i in checklist.items], ws.new / "evidence", profile.case_id)
            if evidence
            else EvidenceSet()
        )
        accepted = (
            final_gate(decision, stale, placeholders, _incomplete(checklist, docs, ev), ev.rejected, accept)
            if final
            else []
        )
        result = PacketResult(
            folder,
            names,
            rejected=ev.rejected,
            unmatched=ev.unmatched,
            notes=stale + _plain(unusual_character_notices(profile) + points_warnings(case, assessment.main)),
            placeholders=placeholders,
            recovered=ws.recovered is not None,
            settings=case.settings.source,
            decision=decision,
            draft=bool(placeholders) or not (decision.can_file or final),  # final: the gate was passed
        )
        result.notes += _plain(_notes(checklist, ev, docs))
        sections = {item.id: Section(item.id, item.title()) for item in checklist.items}
        _assemble(case, ws, checklist, docs, ev, sections, by_person, templates, pdf, result, progress)
        result.missing = missing_items(checklist, sections)
        progress(say("報告書と記録の作成", "writing the report and manifest"))
        _write_reports(case, ws, checklist, assessment, result)
        record = manifest_draft(
            case=case,
            assessment=assessment,
            evidence=ev,
            checklist=checklist,
            templates=templates,
            libreoffice=libreoffice_version() if pdf else "not used (--no-pdf)",
            bundle_pages=result.pages,
            missing=missing_json(
                result.missing, sum(p.count for p in placeholders), checklist_progress(checklist, sections), ev.rejected
            ),
            documents=documents_json(
                [
                    (
                        g.key,
                        g.docx,
                        docs.fresh[g.docx],
                        content_hash(g.docx),
                        result_pdf if (result_pdf := _pdf_path(ws, g.docx, pdf)) else None,
                    )
                    for g in docs.all
                ],
                ws.new,
                docs.outdated,
            ),
            stale=[],
            decision=decision,
            final=final_record(case, final, accept, accepted),
        )
        kept_files, notes = commit(case, ws, docs, record, names)
        result.kept_files = kept_files
        result.notes += _plain(notes)
        result.documents = [folder / "docx" / g.docx.name for g in docs.generated]
        result.client_documents = [folder / "client" / c.docx.name for c in docs.client]
        client_pdfs = [folder / "client" / c.docx.with_suffix(".pdf").name for c in docs.client if pdf]
        result.client_documents = sorted(result.client_documents + client_pdfs)
        result.kept_edits = [folder / k.target for k in docs.kept.values()]
    return result


def _plain(notes: list[str]) -> list[Notice]:
    """Notes already in the staff's language, with no step to take."""
    return [Notice(Text(n, n)) for n in notes]


def _incomplete(checklist: Checklist, docs: StagedDocuments, ev: EvidenceSet) -> list[ChecklistItem]:
    """The items the documents and scans of this build leave incomplete (before any PDF is made)."""
    sections = {item.id: Section(item.id, item.title()) for item in checklist.items}
    for g in docs.generated:
        sections[g.item_id].parts.append(Part(g.docx, 1, g.person))
    for item_id, files in ev.files.items():
        sections[item_id].parts += [Part(f.pdf, f.pages, f.label, f.source) for f in files]
    return missing_items(checklist, sections)


def _pdf_path(ws: Workspace, docx: Path, pdf: bool) -> Path | None:
    """Where a document's PDF is staged (None without PDFs)."""
    if not pdf:
        return None
    return docx.with_suffix(".pdf") if docx.parent.name == "client" else ws.new / "pdf" / f"{docx.stem}.pdf"


def _notes(checklist: Checklist, ev: EvidenceSet, docs: StagedDocuments) -> list[str]:
    notes = [f"{path.name}: {removed}" for path, removed in ev.sanitised]  # active content taken out of a scan
    notes += [
        f"{f.source.name}: 「{item.title()}」は窓口で原本を提示する書類です。写しとして綴じました。"
        for item in checklist.items
        if item.rule.action == "present"
        for f in ev.files.get(item.id, [])
    ]
    if docs.client:
        people = "、".join(f"{c.person}（{LANGUAGE_NAMES[c.language]}）" for c in docs.client)
        notes.append(
            f"client/ の了解書の参考訳 {people} は依頼者への説明用です。入管には提出しません。"
            "署名は日本語の了解書にもらってください。"
        )
    wanted: dict[str, list[str]] = {}  # English in place of their language: one note per language
    for c in docs.client:
        if c.wanted:
            wanted.setdefault(c.wanted, []).append(c.person)
    notes += [fallback_note(people, language) for language, people in wanted.items()]
    return notes


def _assemble(
    case: Case,
    ws: Workspace,
    checklist: Checklist,
    docs: StagedDocuments,
    ev: EvidenceSet,
    sections: dict[str, Section],
    by_person: dict[str, DocumentContext],
    templates: dict[str, tuple[Path, str]],
    pdf: bool,
    result: PacketResult,
    progress: Progress,
) -> None:
    """The index and, with PDFs, every document converted and the bundle written (staged)."""
    names = result.names
    index_docx = ws.new / "docx" / names.index
    index_docx.parent.mkdir(mode=0o700, exist_ok=True)
    main_ctx = by_person[case.profile.applicant.display_name]

    def render_index(labels: dict[str, str]) -> Path:
        rows = index_rows(checklist, sections, labels)
        return render_docx(templates["index"][0], main_ctx.model_copy(update={"index": rows}), index_docx)

    render_index({})
    if pdf:
        pdf_of, index_pdf, todo, reused = _convert(case, ws, docs, index_docx, progress)
        result.converted, result.reused = [d.name for d in todo], [d.name for d in reused]
        parts = [(g.item_id, Part(pdf_of[g.docx], page_count(pdf_of[g.docx]), g.person)) for g in docs.generated]
    else:  # Word files only: the index lists what is there, without page numbers
        parts = [(g.item_id, Part(g.docx, 1, g.person)) for g in docs.generated]
    parts += [(item_id, Part(f.pdf, f.pages, f.label, f.source)) for item_id, files in ev.files.items() for f in files]
    for item_id, part in parts:
        sections[item_id].parts.append(part)
    if not pdf:  # Word files only: the index as the documents and scans placed make it
        render_index({})
    if pdf:
        progress(say("提出用PDFの組み立て", "assembling the bundle"))
        ordered = [sections[i.id] for i in checklist.items]
        settled, _ = settle_index(
            render_index, index_pdf, ordered, ws.new / "pdf", case.settings.pdf_seconds_per_document
        )
        result.pages = write_bundle(
            settled,
            ordered,
            ws.new / names.bundle,
            title=f"永住許可申請 {case.profile.case_id}",
            draft=result.draft,
        )
        result.bundle = result.folder / names.bundle


def _write_reports(
    case: Case, ws: Workspace, checklist: Checklist, assessment: CaseAssessment, result: PacketResult
) -> None:
    names = result.names
    report = missing_report(
        case.profile,
        result.missing,
        result.rejected,
        result.unmatched,
        checklist.warnings + [n.text.ja for n in result.notes],
        placeholders=result.placeholders,
        decision=result.decision.line_pair()[0] if result.decision else None,
    )
    (ws.new / names.missing).write_text(report, encoding="utf-8")
    (ws.new / names.checklist).write_text(
        json.dumps(checklist.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (ws.new / names.assessment).write_text(case_report_text(assessment) + "\n", encoding="utf-8")


__all__ = ["Acceptance", "PacketResult", "build_packet", "case_folder_of", "default_folder"]
