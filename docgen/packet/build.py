"""`docgen packet`: one case -> filled Word files, PDFs, one bundled PDF with index, report, manifest.

profile -> checklist -> documents (docx) -> PDF (LibreOffice) -> bundle (index + evidence).
Everything is written into a hidden folder and renamed into place only when complete.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from pypdf import PdfReader

from docgen import __version__
from docgen.pdf.bundle import Part, Section, format_range, page_ranges, write_bundle
from docgen.checklist.build import Checklist, ChecklistItem, build_checklist
from docgen.checklist.output import people_label
from docgen.profile.family import assess_everyone
from docgen.documents.context import DocumentContext, IndexRow, build_context
from docgen.pdf.convert import convert_to_pdf, libreoffice_version
from docgen.errors import DocgenError
from docgen.pdf.evidence import EvidenceSet, collect_evidence
from docgen.documents.explanations import explanations
from docgen.packet.manifest import write_manifest
from docgen.documents.points_table import points_context, points_warnings
from docgen.profile.model import FamilyMember, Profile
from docgen.profile.load import load_profile
from docgen.documents.render import render_docx
from docgen.rules.book import RuleBook
from docgen.packet.safe_write import private_folder
from docgen.case.settings import Settings, load_settings

# Checklist items the packet fills from a template (item id -> template name), one per applicant.
GENERATED = {
    "application_form": "application_form",
    "reason_letter": "reason_letter",
    "guarantor_letter": "guarantor_letter",
    "acknowledgement": "acknowledgement",
    "hsp_points_current": "hsp_points",
    "hsp_points_lookback": "hsp_points",
    "explanation_long_absence": "explanation_long_absence",
    "explanation_late_payment": "explanation_late_payment",
    "explanation_employer_change": "explanation_employer_change",
    "explanation_low_income": "explanation_low_income",
}
Progress = Callable[[str], None]
ONLINE_LIMIT_MB = 25  # 在留申請オンラインシステム: attachments up to 25 MB in total since 2026-01-05 (peers-and-pitfalls.md §0)


@dataclass
class Generated:
    item_id: str
    template: str
    person: str
    docx: Path


@dataclass
class PacketResult:
    folder: Path
    bundle: Path | None
    pages: int
    missing: list[ChecklistItem]
    rejected: list[tuple[Path, str]]
    unmatched: list[Path]
    documents: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # things staff should check (stated points, scans of originals)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower() or "x"


def _applicants(profile: Profile) -> list[tuple[FamilyMember | None, str, str]]:
    """(member or None for the main applicant, display name, file slug)."""
    out: list[tuple[FamilyMember | None, str, str]] = [(None, profile.applicant.display_name, _slug(profile.applicant.roman_name))]
    out += [(m, m.display_name, _slug(m.roman_name)) for m in profile.co_applicants]
    return out


def _status(item: ChecklistItem, has_pages: bool) -> str:
    if item.rule.action == "present":
        return "提示"
    if has_pages:
        return "提出"
    return "未提出" if item.required is True else "該当なし"


def _index_rows(checklist: Checklist, sections: dict[str, Section], ranges: dict[str, str]) -> list[IndexRow]:
    rows = []
    for n, item in enumerate(checklist.items, 1):
        section = sections.get(item.id)
        has_pages = bool(section and section.pages)
        rows.append(IndexRow(
            number=n, item_id=item.id, title=item.title(), period=item.period_label() or "—", people=people_label(item),
            action="提示" if item.rule.action == "present" else "提出", status=_status(item, has_pages),
            pages=ranges.get(item.id, "—"), copies=item.rule.copies,
        ))
    return rows


def _count(pdf: Path) -> int:
    return len(PdfReader(str(pdf)).pages)


def default_folder(profile: Profile, settings: Settings) -> Path:
    return settings.output_dir / f"{profile.case_id}-{profile.application_date.isoformat()}"


def _render_documents(profile: Profile, checklist: Checklist, book: RuleBook, settings: Settings, folder: Path,
                      templates: dict[str, tuple[Path, str]]) -> tuple[list[Generated], DocumentContext]:
    """Fill one template per generated item and applicant; returns them and the main applicant's context."""
    category = book.category(profile.category)
    letters = explanations(profile)
    people = _applicants(profile)
    contexts = {name: build_context(profile, member, category_name=category.name["ja"], route_name=category.route_name["ja"],
                                    today=date.today(), explanations=letters, **points_context(profile, book, member))
                for member, name, _ in people}
    generated: list[Generated] = []
    for item in checklist.items:
        if item.id not in GENERATED:
            continue
        template_name = GENERATED[item.id]
        for _, name, slug in people:
            if not any(p.applicant == name for p in item.people):
                continue
            templates[template_name] = settings.template(template_name)
            target = folder / f"{len(generated) + 1:02d}_{item.id}_{slug}.docx"
            render_docx(templates[template_name][0], contexts[name], target)
            generated.append(Generated(item.id, template_name, name, target))
    return generated, contexts[people[0][1]]


def _settle_index(render_index: Callable[[dict[str, str]], Path], first_pdf: Path, sections: list[Section], pdf_dir: Path) -> tuple[Path, dict[str, str]]:
    """Re-render the index with the real page ranges until its own page count stops changing."""
    index_pdf = first_pdf
    for _ in range(3):
        ranges = page_ranges(_count(index_pdf), [s.pages for s in sections])
        labels = {s.item_id: format_range(r) for s, r in zip(sections, ranges)}
        before = _count(index_pdf)
        index_pdf = convert_to_pdf([render_index(labels)], pdf_dir)[0]
        if _count(index_pdf) == before:
            return index_pdf, labels
    raise DocgenError("the index page count did not settle after 3 passes")


def build_packet(
    profile_path: Path,
    *,
    out: Path | None = None,
    evidence: Path | None = None,
    force: bool = False,
    pdf: bool = True,
    settings: Settings | None = None,
    progress: Progress = lambda message: None,
) -> PacketResult:
    """Generate the whole packet for one case; see the module docstring."""
    settings = settings or load_settings()
    progress("profile and checklist")
    profile = load_profile(profile_path)
    if profile.filing_agent is None and settings.office is not None:
        profile = profile.model_copy(update={"filing_agent": settings.office})
    book = settings.rulebook()
    checklist = build_checklist(profile.category, profile.application_date, profile=profile, release_day=settings.release_day, book=book)
    folder = Path(out) if out else default_folder(profile, settings)
    if evidence is not None and not Path(evidence).is_dir():
        raise DocgenError(f"--evidence: {evidence} is not a folder")

    with private_folder(folder, force=force) as work:
        (work / "docx").mkdir()
        progress("filling Word templates")
        templates: dict[str, tuple[Path, str]] = {"index": settings.template("index")}
        generated, main_ctx = _render_documents(profile, checklist, book, settings, work / "docx", templates)
        progress("collecting evidence")
        ev = collect_evidence(Path(evidence), [i.id for i in checklist.items], work / "evidence") if evidence else EvidenceSet()

        sections = {item.id: Section(item.id, item.title()) for item in checklist.items}
        index_docx = work / "docx" / "00_index.docx"

        def render_index(labels: dict[str, str]) -> Path:
            rows = _index_rows(checklist, sections, labels)
            return render_docx(templates["index"][0], main_ctx.model_copy(update={"index": rows}), index_docx)

        render_index({})
        result = PacketResult(folder, None, 0, [], ev.rejected, ev.unmatched, notes=points_warnings(profile, book))
        result.notes += [f"{f.source.name}: 「{item.title()}」は窓口で原本を提示する書類です。写しとして綴じました。"
                         for item in checklist.items if item.rule.action == "present" for f in ev.files.get(item.id, [])]
        labels: dict[str, str] = {}
        if pdf:
            progress(f"converting {len(generated) + 1} Word files to PDF (LibreOffice)")
            pdfs = convert_to_pdf([g.docx for g in generated] + [index_docx], work / "pdf")
            parts = [(g.item_id, Part(p, _count(p), g.person)) for g, p in zip(generated, pdfs)]
        else:  # Word files only: the index lists what is there, without page numbers
            parts = [(g.item_id, Part(g.docx, 1, g.person)) for g in generated]
        parts += [(item_id, Part(f.pdf, f.pages, f.label)) for item_id, files in ev.files.items() for f in files]
        for item_id, part in parts:
            sections[item_id].parts.append(part)
        ordered = [sections[i.id] for i in checklist.items]
        if pdf:
            progress("assembling the bundle")
            index_pdf, labels = _settle_index(render_index, pdfs[-1], ordered, work / "pdf")
            bundle = work / f"{profile.case_id}-packet.pdf"
            result.pages = write_bundle(index_pdf, ordered, bundle, title=f"永住許可申請 {profile.case_id}")
            result.bundle = folder / bundle.name
            size_mb = bundle.stat().st_size / 1_000_000
            if size_mb > ONLINE_LIMIT_MB:
                result.notes.append(f"一式のPDFは{size_mb:.1f}MBです。オンライン申請の添付上限({ONLINE_LIMIT_MB}MB)を超えるため、窓口提出とするか書類を分けてください。")
        else:
            render_index({})
        rows = _index_rows(checklist, sections, labels)
        result.missing = [i for i, r in zip(checklist.items, rows) if r.status == "未提出"]
        progress("writing the report and manifest")
        (work / "missing.txt").write_text(missing_report(profile, result, checklist), encoding="utf-8")
        (work / "checklist.json").write_text(json.dumps(checklist.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        (work / "assessment.txt").write_text(assessment_report(profile), encoding="utf-8")
        write_manifest(work / "manifest.json", profile_path=Path(profile_path), evidence=ev, checklist=checklist, book=book,
                       templates=templates, libreoffice=libreoffice_version() if pdf else "not used (--no-pdf)",
                       bundle_pages=result.pages, tool_version=__version__, generated_at=datetime.now().astimezone())
        result.documents = [folder / "docx" / g.docx.name for g in generated]
    return result


def assessment_report(profile: Profile) -> str:
    """The eligibility check for everyone filing, as kept with the packet."""
    return "\n\n".join(r.text() for r in assess_everyone(profile)) + "\n"


def missing_report(profile: Profile, result: PacketResult, checklist: Checklist) -> str:
    """What is still missing (from the client, and what the office prepares), and what was left out and why."""
    lines = [f"案件 {profile.case_id}　申請予定日 {profile.application_date.isoformat()}", ""]
    from_client = [i for i in result.missing if i.rule.prepared_by == "client"]
    by_office = [i for i in result.missing if i.rule.prepared_by == "office"]

    def listing(items: list[ChecklistItem]) -> list[str]:
        return [f"  □ {i.title()}" + (f"　{i.period_label()}" if i.period_label() else "") + f"　対象: {people_label(i)}" for i in items]

    lines += [f"依頼者から受け取る書類（{len(from_client)}件）:", *listing(from_client)] if from_client else ["依頼者から受け取る書類はありません。"]
    if by_office:
        lines += ["", f"事務所で用意する書類（{len(by_office)}件）:", *listing(by_office)]
    if result.rejected:
        lines += ["", "読み込めなかったため除外した証拠ファイル:"]
        lines += [f"  ! {path.name}: {reason}" for path, reason in result.rejected]
    if result.unmatched:
        lines += ["", "どの書類にも当てはまらない証拠ファイル（ファイル名を書類IDで始めてください）:"]
        lines += [f"  ? {path.name}" for path in result.unmatched]
    if checklist.warnings or result.notes:
        lines += ["", "注意:"] + [f"  ! {w}" for w in checklist.warnings + result.notes]
    return "\n".join(lines) + "\n"


__all__ = ["build_packet", "PacketResult", "GENERATED", "default_folder"]
