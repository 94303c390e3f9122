"""Conversion and bundling, staged: the index (提出書類一覧表) filled from what was placed under each item and,
with PDFs, converted in the same pass as every Word file (or its PDF from the last build reused when made from
the same content and unchanged since), its page numbers drawn in once the pages are counted (index_pages.py),
and the bundle written."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from dataclasses import dataclass, field
from pathlib import Path

from docgen.case import Case
from docgen.checklist import Checklist, ChecklistItem
from docgen.documents.render import render_docx
from docgen.hashing import file_sha256
from docgen.messages import say
from docgen.packet.index import index_rows as rows_of
from docgen.packet.index import missing_items, page_count, settle_index
from docgen.packet.index_pages import NotStamped, alignments, index_markers, stamp_ranges
from docgen.packet.names import PacketNames
from docgen.packet.prepare import Progress, Staged, evidence_parts, placed
from docgen.packet.rebuild import content_hash
from docgen.packet.staged import StagedDocuments, lookup_previous
from docgen.packet.workspace import Workspace
from docgen.pdf.bundle import Part, Section, format_range, installed_font, page_ranges, write_bundle
from docgen.pdf.convert import fonts_for, libreoffice_version
from docgen.pdf.converter import COLD, Converter
from docgen.pdf.evidence import EvidenceSet


@dataclass(frozen=True)
class Assembled:
    """What the index and the bundle hold: each item's section with its documents and scans, the index's
    template, and with PDFs each document's staged PDF, what was converted or reused and the bundle's pages."""

    sections: dict[str, Section]  # by item id, in the checklist's order
    missing: list[ChecklistItem]  # the items the placed documents and scans leave incomplete
    index_template: tuple[Path, str]  # (file, origin)
    pdf: bool  # made with PDFs (the index, each document and the bundle); else Word files only
    pdf_of: dict[Path, Path] = field(default_factory=dict)  # staged Word file -> its staged PDF
    converted: list[str] = field(default_factory=list)  # documents LibreOffice converted this time
    reused: list[str] = field(default_factory=list)  # documents whose PDF from the last build was used
    pages: int = 0  # the bundle's pages (none without PDFs)


@dataclass(frozen=True)
class _Converted:
    pdf_of: dict[Path, Path]
    index_pdf: Path
    converted: list[Path]
    reused: list[Path]


def assemble(
    case: Case,
    ws: Workspace,
    checklist: Checklist,
    staged: Staged,
    ev: EvidenceSet,
    pdf: bool,
    draft: bool,
    progress: Progress,
    converter: Converter = COLD,
) -> Assembled:
    """The index staged and, with `pdf`, every document converted by `converter` and the bundle staged (stamped
    下書き when `draft`). Word files only: the index lists what is there, without page numbers."""
    names = PacketNames(case.profile.case_id)
    index_docx = ws.new / "docx" / names.index
    index_docx.parent.mkdir(mode=0o700, exist_ok=True)
    template = case.settings.template("index")
    main_ctx = staged.by_person[case.profile.applicant.display_name]

    words = [(g.item_id, Part(g.docx, 1, g.person)) for g in staged.docs.generated]  # a document has pages
    known = placed(checklist, words + evidence_parts(ev))  # every row of the index, but for its pages
    rows = rows_of(checklist, known, {})
    missing = missing_items(checklist, known)

    def render_index(pages: dict[str, str]) -> Path:
        shown = [row.model_copy(update={"pages": pages.get(row.item_id, "—")}) for row in rows]
        return render_docx(template[0], main_ctx.model_copy(update={"index": shown}), index_docx)

    if not pdf:
        render_index({})
        return Assembled(known, missing, template, pdf=False)
    # the index is converted with the documents, a marker where each range goes, drawn in once pages are counted
    markers = index_markers(checklist, known)
    with ThreadPoolExecutor(2) as meanwhile:  # the fonts the stamps embed, read while the index is filled (cached)
        meanwhile.map(installed_font, ("IPAexMincho", "IPAexGothic"))
        render_index(markers)
        aligned = alignments(index_docx, list(markers.values()))
    # nothing runs beside the conversion: a thread holding the interpreter as LibreOffice starts would widen the
    # moment in which an interruption cannot yet know LibreOffice's process group, to stop it
    made = _convert(case, ws, staged.docs, index_docx, progress, converter)
    pdfs = [(g, made.pdf_of[g.docx]) for g in staged.docs.generated]
    documents = [(g.item_id, Part(p, page_count(p), g.person)) for g, p in pdfs]
    sections = placed(checklist, documents + evidence_parts(ev))
    progress(say("提出用PDFの組み立て", "assembling the bundle"))
    index = _Index(made.index_pdf, markers, aligned, render_index)
    ordered = [sections[i.id] for i in checklist.items]
    pages = _bundle(case, ws, index, ordered, draft, converter)
    converted, reused = [d.name for d in made.converted], [d.name for d in made.reused]
    return Assembled(sections, missing, template, True, made.pdf_of, converted, reused, pages)


@dataclass(frozen=True)
class _Index:
    """The index as converted with the documents: its PDF, the marker of each item with pages (by item id), how
    each marker's paragraph is aligned, and how to fill the Word index with the ranges."""

    pdf: Path
    markers: dict[str, str]
    aligned: dict[str, str]
    render: Callable[[dict[str, str]], Path]


def _bundle(case: Case, ws: Workspace, index: _Index, ordered: list[Section], draft: bool, converter: Converter) -> int:
    """The bundle staged, its index showing each item's range (drawn in place of the markers; should the PDF not
    take them, the index is converted again with them written in), the Word index filled with the same ranges
    and LibreOffice's version looked up meanwhile; the bundle's pages."""
    ranges = page_ranges(page_count(index.pdf), [s.pages for s in ordered])
    labels = {s.item_id: format_range(r) for s, r in zip(ordered, ranges, strict=True)}
    names = PacketNames(case.profile.case_id)
    with ThreadPoolExecutor(2) as meanwhile:
        word = meanwhile.submit(copy_context().run, index.render, labels)  # its messages in the run's language
        version = meanwhile.submit(libreoffice_version)  # for the manifest (cached), now that a conversion has run
        try:
            stamp_ranges(index.pdf, {m: labels[item_id] for item_id, m in index.markers.items()}, index.aligned)
            settled = index.pdf
        except NotStamped:
            for ready in (word, version):  # LibreOffice starts again with nothing beside it (see assemble)
                ready.result()
            seconds = case.settings.pdf_seconds_per_document
            settled, _ = settle_index(index.render, index.pdf, ordered, ws.new / "pdf", seconds, converter)
        title = f"永住許可申請 {case.profile.case_id}"
        pages = write_bundle(settled, ordered, ws.new / names.bundle, title=title, draft=draft)
        word.result()
    return pages


def _convert(
    case: Case, ws: Workspace, docs: StagedDocuments, index_docx: Path, progress: Progress, converter: Converter
) -> _Converted:
    """Each document's PDF (reused from the last build when made from the same content and unchanged since),
    the index's PDF, and the documents converted and reused."""
    names = PacketNames(case.profile.case_id)
    reused: dict[Path, Path] = {}
    for d in docs.fresh:
        old = lookup_previous(next(g for g in docs.all if g.docx == d), docs.previous, names)
        if old is None or old.pdf is None or old.pdf_of is None or not old.pdf.is_file():
            continue
        ours = ws.owned.get(old.pdf.relative_to(ws.folder).as_posix()) == file_sha256(old.pdf)
        if ours and content_hash(d) == old.pdf_of:
            reused[d] = old.pdf
    todo = [d for d in docs.fresh if d not in reused]
    progress(say(f"PDFへの変換（{len(todo) + 1}件, LibreOffice）", f"converting {len(todo) + 1} Word files to PDF"))
    made = ws.new / "pdf"
    converted = converter.convert(
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
    return _Converted(pdf_of, converted[-1], todo, list(reused))
