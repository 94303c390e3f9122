"""The 提出書類一覧表: one row per checklist item with its status, its count (「3/15」) and what is missing, and
its page range in the bundle. The ranges are drawn into the index PDF converted with the documents
(index_pages.py); `settle_index`, which converts the index again until its own length stops moving the pages
after it, is the way when they cannot be drawn.

An item is 提出 only when complete: each document it needs (per person, per 住民税 年度: its `count_per`) is
in the bundle (docgen/checklist/progress.py). A generated document is its applicant's (the part's label is
their name); a scan is matched by its sub-folders and file name (docgen/pdf/evidence.py `scan_words`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from enum import StrEnum
from pathlib import Path

from pypdf import PdfReader

from docgen.checklist.model import Checklist, ChecklistItem, Requirement
from docgen.checklist.output import people_label
from docgen.checklist.progress import IncompleteItem, ItemProgress, Piece, item_progress, roster
from docgen.checklist.scans import person_named, years_named
from docgen.documents.context import IndexRow
from docgen.errors import DocgenError
from docgen.pdf.bundle import Part, Section, format_range, page_ranges
from docgen.pdf.convert import DEFAULT_PER_DOCUMENT
from docgen.pdf.converter import COLD, Converter
from docgen.pdf.evidence import scan_words
from docgen.text import Text


class ItemStatus(StrEnum):
    """What the index says of an item (the words are the index's own)."""

    SUBMITTED = "提出"
    PARTIAL = "一部"  # some of the documents it needs (some people, some 年度)
    CHECK = "要確認"  # as many documents as it needs, but some do not say whose or which 年度
    PRESENTED = "提示"
    MISSING = "未提出"
    NOT_APPLICABLE = "該当なし"
    ON_GRANT = "許可時"  # paid or handed in when the permission is granted (the fee)


def item_status(item: ChecklistItem, has_pages: bool, progress: ItemProgress | None = None) -> ItemStatus:
    """The item's status; with its `progress`, a counted item is 提出 only when complete."""
    if item.rule.condition == "on_grant":
        return ItemStatus.ON_GRANT
    if item.rule.action == "present":
        return ItemStatus.PRESENTED
    if progress is not None and progress.counted:
        if progress.complete:
            return ItemStatus.SUBMITTED
        if progress.have == 0:
            return ItemStatus.MISSING
        return ItemStatus.CHECK if progress.have >= progress.need else ItemStatus.PARTIAL
    if has_pages:
        return ItemStatus.SUBMITTED
    return ItemStatus.MISSING if item.required is Requirement.REQUIRED else ItemStatus.NOT_APPLICABLE


def _piece(item: ChecklistItem, part: Part) -> Piece:
    """A generated document is for the applicant it is labelled with; a scan for whom and which 年度 its name
    says."""
    if part.source is None:
        return Piece(part.label)
    words = scan_words(part.source, item.id)
    return Piece(person_named(words, roster(item)), frozenset().union(*(years_named(w) for w in words)))


def checklist_progress(checklist: Checklist, sections: dict[str, Section]) -> list[ItemProgress]:
    """Each item's count, in checklist order: what the manifest records and `--final` checks."""
    out = []
    for item in checklist.items:
        section = sections.get(item.id)
        pieces = [_piece(item, part) for part in section.parts] if section else []
        out.append(item_progress(item, pieces, checklist.applicants))
    return out


def status_text(status: ItemStatus, progress: ItemProgress) -> str:
    """「一部（3/15）」 for a partly complete item, else the status alone."""
    if status in (ItemStatus.PARTIAL, ItemStatus.CHECK):
        return f"{status.value}（{progress.count}）"
    return status.value


def numbered(checklist: Checklist) -> list[tuple[int, ChecklistItem]]:
    """The 提出書類一覧表's number of each item: every item of the checklist in its order, from 1 (the case's
    evidence folders carry these numbers, docgen/case/sync.py)."""
    return list(enumerate(checklist.items, 1))


def index_rows(checklist: Checklist, sections: dict[str, Section], ranges: dict[str, str]) -> list[IndexRow]:
    rows = []
    for (n, item), progress in zip(numbered(checklist), checklist_progress(checklist, sections), strict=True):
        section = sections.get(item.id)
        status = item_status(item, bool(section and section.pages), progress)
        rows.append(
            IndexRow(
                number=n,
                item_id=item.id,
                title=item.title(),
                period=item.period_label() or "—",
                people=people_label(item),
                action="提示" if item.rule.action == "present" else "提出",
                status=status_text(status, progress),
                pages=ranges.get(item.id, "—"),
                copies=item.rule.copies,
                count=progress.count,
                missing=progress.missing_text() if status in (ItemStatus.PARTIAL, ItemStatus.CHECK) else "",
            )
        )
    return rows


def missing_items(checklist: Checklist, sections: dict[str, Section]) -> list[ChecklistItem]:
    """Required items the bundle does not complete yet (nothing, or only some people's or 年度' documents), each
    an `IncompleteItem` carrying its count."""
    out: list[ChecklistItem] = []
    for item, progress in zip(checklist.items, checklist_progress(checklist, sections), strict=True):
        section = sections.get(item.id)
        status = item_status(item, bool(section and section.pages), progress)
        if status in (ItemStatus.MISSING, ItemStatus.PARTIAL, ItemStatus.CHECK):
            copied = {f.name: getattr(item, f.name) for f in fields(item)}
            out.append(IncompleteItem(**copied, progress=progress))
    return out


def page_count(pdf: Path) -> int:
    return len(PdfReader(str(pdf)).pages)


def settle_index(
    render_index: Callable[[dict[str, str]], Path],
    first_pdf: Path,
    sections: list[Section],
    pdf_dir: Path,
    per_document: float = DEFAULT_PER_DOCUMENT,
    converter: Converter = COLD,
) -> tuple[Path, dict[str, str]]:
    """Re-render the index with the real page ranges until its own page count stops changing (each pass
    converted by `converter`)."""
    index_pdf = first_pdf
    for _ in range(3):
        ranges = page_ranges(page_count(index_pdf), [s.pages for s in sections])
        labels = {s.item_id: format_range(r) for s, r in zip(sections, ranges, strict=True)}
        before = page_count(index_pdf)
        index_pdf = converter.convert([render_index(labels)], pdf_dir, per_document)[0]
        if page_count(index_pdf) == before:
            return index_pdf, labels
    raise DocgenError(
        Text(
            "提出書類一覧表のページ数が3回作り直しても定まりませんでした",
            "the index page count did not settle after 3 passes",
        )
    )
