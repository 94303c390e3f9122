"""`docgen packet`: one case -> filled Word files, PDFs, one bundled PDF with index, reports, manifest.

In: a `Case`. The case is assessed once and its checklist built once; both are handed to the documents, the
index, the reports and the manifest. Out: the packet folder, written into a hidden folder and renamed into
place only when complete.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from docgen.assessment import assess_case
from docgen.assessment.report import case_report_text
from docgen.case import Case
from docgen.case.folder import CaseFolder
from docgen.checklist import ChecklistItem, case_checklist
from docgen.documents.generate import LANGUAGE_NAMES, contexts, render_client_documents, render_documents
from docgen.documents.placeholders import Unfilled, unfilled
from docgen.documents.points_table import points_warnings
from docgen.documents.render import render_docx
from docgen.documents.template_check import require_agent
from docgen.errors import DocgenError
from docgen.messages import say
from docgen.packet.index import index_rows, missing_items, page_count, settle_index
from docgen.packet.manifest import write_manifest
from docgen.packet.names import PacketNames
from docgen.packet.rebuild import (
    content_hash,
    documents_json,
    keep_edits,
    outdated_edits,
    previous_documents,
    reusable_pdf,
)
from docgen.packet.reports import missing_report
from docgen.packet.safe_write import is_docgen_packet, private_folder
from docgen.pdf.bundle import Part, Section, write_bundle
from docgen.pdf.convert import convert_to_pdf, fonts_for, libreoffice_version
from docgen.pdf.evidence import EvidenceSet, collect_evidence
from docgen.profile.characters import unusual_character_notices

Progress = Callable[[str], None]


@dataclass
class PacketResult:
    folder: Path
    names: PacketNames  # the packet's file names, each with the case id
    bundle: Path | None
    pages: int
    missing: list[ChecklistItem]
    rejected: list[tuple[Path, str]]
    unmatched: list[Path]
    documents: list[Path] = field(default_factory=list)
    client_documents: list[Path] = field(default_factory=list)  # client/: for the client, not submitted
    notes: list[str] = field(default_factory=list)  # things staff should check (stated points, scans of originals)
    placeholders: list[Unfilled] = field(default_factory=list)  # ［…］ left in the documents, for the office
    kept_edits: list[Path] = field(default_factory=list)  # Word files staff edited, kept from the last build
    converted: list[str] = field(default_factory=list)  # documents LibreOffice converted this time
    reused: list[str] = field(default_factory=list)  # documents whose PDF from the last build was used

    @property
    def report(self) -> Path:
        """missing.txt: what is still to collect and to write in."""
        return self.folder / self.names.missing

    @property
    def manifest(self) -> Path:
        return self.folder / self.names.manifest


def case_folder_of(case: Case) -> CaseFolder | None:
    """The case folder the profile lives in (cases/<id>/<id>-profile.yaml, made by `docgen case new`), if any."""
    folder = CaseFolder(case.profile_path.resolve().parent, case.profile.case_id)
    return folder if folder.profile == case.profile_path.resolve() and folder.root.name == folder.case_id else None


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
    progress: Progress = lambda message: None,
) -> PacketResult:
    """Generate the whole packet for one case; see the module docstring. Built again on a packet docgen wrote,
    it keeps the Word files staff edited (unless named in `regenerate`) and re-converts only what changed;
    `final` refuses while ［ ］ placeholders remain."""
    require_agent(case)  # a template needing a 取次者 the case lacks stops here, before any work
    progress(say("要件の確認と書類一覧", "assessment and checklist"))
    profile = case.profile
    assessment = assess_case(case)
    checklist = case_checklist(case, assessment)
    folder = Path(out) if out else default_folder(case)
    if evidence is not None and not Path(evidence).is_dir():
        raise DocgenError(
            say(f"--evidence: {evidence} はフォルダーではありません", f"--evidence: {evidence} is not a folder")
        )

    names = PacketNames(profile.case_id)
    inputs = [case.profile_path, *([Path(evidence)] if evidence else [])]
    rebuild = is_docgen_packet(folder)
    previous = previous_documents(folder) if rebuild else {}
    with private_folder(folder, force=rebuild, inputs=inputs) as work:
        (work / "docx").mkdir()
        progress(say("Wordテンプレートへの記入", "filling Word templates"))
        templates: dict[str, tuple[Path, str]] = {"index": case.settings.template("index")}
        by_person = contexts(case, assessment)
        generated = render_documents(case, checklist, by_person, work / "docx", templates)
        client = render_client_documents(case, checklist, by_person, work / "client", templates)
        fresh = {d: content_hash(d) for d in [g.docx for g in generated] + [c.docx for c in client]}
        kept = keep_edits([g.docx for g in generated], previous, set(regenerate), names)
        outdated = outdated_edits(kept, fresh, previous, names)
        titles = {item.id: item.title() for item in checklist.items}
        label = {g.docx: f"{titles[g.item_id]}（{g.person}）" for g in generated}
        placeholders = unfilled([(label[g.docx], g.docx) for g in generated])
        stale = [
            say(
                f"{label[d]}: 編集した後に、docgen が作る内容（プロフィール・テンプレートから）が変わりました。編集した"
                f" {d.name} をそのまま使っています。Word で見直して保存するか、--regenerate {names.key(d)} で"
                "作り直してください",
                f"{label[d]}: what docgen writes (from the profile and the template) changed after staff edited it;"
                f" the edited {d.name} was kept. Review and save it in Word, or --regenerate {names.key(d)}",
            )
            for d in outdated
        ]
        if final and stale:
            raise DocgenError(
                say(
                    "--final: 見直しが必要な書類があります（何も変更していません）:\n  ",
                    "--final: review first (nothing was changed):\n  ",
                )
                + "\n  ".join(stale)
            )
        if final and placeholders:
            places, documents = sum(p.count for p in placeholders), len({p.document for p in placeholders})
            raise DocgenError(
                say(
                    f"--final: 記入が必要な［ ］が{documents}書類に{places}箇所残っています。一式の docx/ の Word"
                    "ファイルに記入してから、もう一度作成してください（何も変更していません）",
                    f"--final: {places} ［ ］ placeholder(s) remain in {documents} document(s); fill them in the"
                    " Word files of the packet (docx/) and build again. Nothing was changed",
                )
                + "".join(f"\n  ・{p.line()}" for p in placeholders)
            )
        main_ctx = by_person[profile.applicant.display_name]
        progress(say("依頼者の資料の取り込み", "collecting evidence"))
        ev = (
            collect_evidence(Path(evidence), [i.id for i in checklist.items], work / "evidence", profile.case_id)
            if evidence
            else EvidenceSet()
        )

        sections = {item.id: Section(item.id, item.title()) for item in checklist.items}
        index_docx = work / "docx" / names.index

        def render_index(labels: dict[str, str]) -> Path:
            rows = index_rows(checklist, sections, labels)
            return render_docx(templates["index"][0], main_ctx.model_copy(update={"index": rows}), index_docx)

        render_index({})
        result = PacketResult(
            folder,
            names,
            None,
            0,
            [],
            ev.rejected,
            ev.unmatched,
            notes=stale + unusual_character_notices(profile) + points_warnings(case, assessment.main),
        )
        result.notes += [
            f"{f.source.name}: 「{item.title()}」は窓口で原本を提示する書類です。写しとして綴じました。"
            for item in checklist.items
            if item.rule.action == "present"
            for f in ev.files.get(item.id, [])
        ]
        if client:
            people = "、".join(f"{c.person}（{LANGUAGE_NAMES[c.language]}）" for c in client)
            result.notes.append(
                f"client/ の了解書の参考訳 {people} は依頼者への説明用です。入管には提出しません。"
                "署名は日本語の了解書にもらってください。"
            )
        pdf_of: dict[Path, Path] = {}
        if pdf:
            reused = {d: old for d in fresh if (old := reusable_pdf(d, previous, names))}
            todo = [d for d in fresh if d not in reused]
            progress(
                say(
                    f"PDFへの変換（{len(todo) + 1}件, LibreOffice）",
                    f"converting {len(todo) + 1} Word files to PDF (LibreOffice)",
                )
            )
            converted = convert_to_pdf(
                [*todo, index_docx],
                work / "pdf",
                case.settings.pdf_seconds_per_document,
                fonts=fonts_for(c.language for c in client),
            )
            result.converted, result.reused = [d.name for d in todo], [d.name for d in reused]
            for d in fresh:  # client copies beside their Word file in client/, outside the bundle
                target = d.with_suffix(".pdf") if d.parent.name == "client" else work / "pdf" / f"{d.stem}.pdf"
                if d in reused:
                    shutil.copyfile(reused[d], target)
                elif (made := work / "pdf" / f"{d.stem}.pdf") != target:
                    made.replace(target)
                pdf_of[d] = target
            pdfs = [pdf_of[g.docx] for g in generated] + [converted[-1]]
            parts = [(g.item_id, Part(p, page_count(p), g.person)) for g, p in zip(generated, pdfs[:-1], strict=True)]
        else:  # Word files only: the index lists what is there, without page numbers
            parts = [(g.item_id, Part(g.docx, 1, g.person)) for g in generated]
        parts += [(item_id, Part(f.pdf, f.pages, f.label)) for item_id, files in ev.files.items() for f in files]
        for item_id, part in parts:
            sections[item_id].parts.append(part)
        ordered = [sections[i.id] for i in checklist.items]
        if pdf:
            progress(say("提出用PDFの組み立て", "assembling the bundle"))
            index_pdf, _ = settle_index(
                render_index, pdfs[-1], ordered, work / "pdf", case.settings.pdf_seconds_per_document
            )
            bundle = work / names.bundle
            result.pages = write_bundle(
                index_pdf, ordered, bundle, title=f"永住許可申請 {profile.case_id}", draft=bool(placeholders)
            )
            result.bundle = folder / bundle.name
        result.missing = missing_items(checklist, sections)
        progress(say("報告書と記録の作成", "writing the report and manifest"))
        result.placeholders = placeholders
        result.kept_edits = [folder / "docx" / d.name for d in kept]
        report = missing_report(
            profile,
            result.missing,
            result.rejected,
            result.unmatched,
            checklist.warnings + result.notes,
            placeholders=result.placeholders,
        )
        (work / names.missing).write_text(report, encoding="utf-8")
        (work / names.checklist).write_text(
            json.dumps(checklist.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        (work / names.assessment).write_text(case_report_text(assessment) + "\n", encoding="utf-8")
        write_manifest(
            work / names.manifest,
            case=case,
            assessment=assessment,
            evidence=ev,
            checklist=checklist,
            templates=templates,
            libreoffice=libreoffice_version() if pdf else "not used (--no-pdf)",
            bundle_pages=result.pages,
            documents=documents_json([(d, fresh[d], pdf_of.get(d)) for d in fresh], work, outdated),
        )
        result.documents = [folder / "docx" / g.docx.name for g in generated]
        result.client_documents = [folder / "client" / f.name for f in sorted((work / "client").glob("*"))]
    return result


__all__ = ["PacketResult", "build_packet", "case_folder_of", "default_folder"]
