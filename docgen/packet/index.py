"""The 提出書類一覧表: one row per checklist item with its status and its page range in the bundle, settled
over passes because the index's own length moves every page after it."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from pypdf import PdfReader

from docgen.checklist.model import Checklist, ChecklistItem, Requirement
from docgen.checklist.output import people_label
from docgen.documents.context import IndexRow
from docgen.errors import DocgenError
from docgen.messages import say
from docgen.pdf.bundle import Section, format_range, page_ranges
from docgen.pdf.convert import DEFAULT_PER_DOCUMENT, convert_to_pdf


class ItemStatus(StrEnum):
    """What the index says of an item (the words are the index's own)."""

    SUBMITTED = "提出"
    PRESENTED = "提示"
    MISSING = "未提出"
    NOT_APPLICABLE = "該当なし"
    ON_GRANT = "許可時"  # paid or handed in when the permission is granted (the fee)


def item_status(item: ChecklistItem, has_pages: bool) -> ItemStatus:
    if item.rule.condition == "on_grant":
        return ItemStatus.ON_GRANT
    if item.rule.action == "present":
        return ItemStatus.PRESENTED
    if has_pages:
        return ItemStatus.SUBMITTED
    return ItemStatus.MISSING if item.required is Requirement.REQUIRED else ItemStatus.NOT_APPLICABLE


def index_rows(checklist: Checklist, sections: dict[str, Section], ranges: dict[str, str]) -> list[IndexRow]:
    rows = []
    for n, item in enumerate(checklist.items, 1):
        section = sections.get(item.id)
        rows.append(
            IndexRow(
                number=n,
                item_id=item.id,
                title=item.title(),
                period=item.period_label() or "—",
                people=people_label(item),
                action="提示" if item.rule.action == "present" else "提出",
                status=item_status(item, bool(section and section.pages)),
                pages=ranges.get(item.id, "—"),
                copies=item.rule.copies,
            )
        )
    return rows


def missing_items(checklist: Checklist, sections: dict[str, Section]) -> list[ChecklistItem]:
    """Required items with nothing in the bundle yet."""
    return [i for i in checklist.items if item_status(i, bool(sections[i.id].pages)) is ItemStatus.MISSING]


def page_count(pdf: Path) -> int:
    return len(PdfReader(str(pdf)).pages)


def settle_index(
    render_index: Callable[[dict[str, str]], Path],
    first_pdf: Path,
    sections: list[Section],
    pdf_dir: Path,
    per_document: float = DEFAULT_PER_DOCUMENT,
) -> tuple[Path, dict[str, str]]:
    """Re-render the index with the real page ranges until its own page count stops changing."""
    index_pdf = first_pdf
    for _ in range(3):
        ranges = page_ranges(page_count(index_pdf), [s.pages for s in sections])
        labels = {s.item_id: format_range(r) for s, r in zip(sections, ranges, strict=True)}
        before = page_count(index_pdf)
        index_pdf = convert_to_pdf([render_index(labels)], pdf_dir, per_document)[0]
        if page_count(index_pdf) == before:
            return index_pdf, labels
    raise DocgenError(
        say(
            "提出書類一覧表のページ数が3回作り直しても定まりませんでした",
            "the index page count did not settle after 3 passes",
        )
    )
