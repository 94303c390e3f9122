"""Preview a document of a case before its packet is built (the web app's プレビュー): one template filled from the
case's profile as the packet fills it (docgen/packet/preview.py), converted on the office's running warm converter
when there is one (as `docgen packet` converts), else by one LibreOffice call, and returned as PNG page images.
Everything is made in a private temporary folder that is removed before this returns: nothing stays on disk."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from docgen.case import Case
from docgen.packet.one_document import planned_documents
from docgen.packet.preview import preview
from docgen.usecases.audit import record_action
from docgen.usecases.case_page import NotInCases, case_profile, case_root
from docgen.usecases.context import RunContext, use_case
from docgen.usecases.converter import packet_converter


@dataclass(frozen=True)
class PreviewChoice:
    """A document the case's packet makes, by its template: '理由書' → reason_letter."""

    template: str
    title: str


@dataclass(frozen=True)
class Preview:
    case_id: str
    choice: PreviewChoice
    pages: list[bytes]  # one PNG per page


def _case(ctx: RunContext, case_id: str) -> Case:
    root = case_root(ctx, case_id)
    profile = case_profile(root)
    if not profile:
        raise NotInCases()
    return ctx.case(root / profile)


def _choices(case: Case) -> list[PreviewChoice]:
    with tempfile.TemporaryDirectory(prefix="docgen-plan-") as tmp:
        planned = planned_documents(case, Path(tmp))
    titles = {d.template: d.label.removesuffix(f"（{d.person}）") for d in planned if not d.client_copy}
    return [PreviewChoice(template, title) for template, title in titles.items()]


@use_case
def preview_choices(ctx: RunContext, case_id: str) -> list[PreviewChoice]:
    """The documents the case's packet would make now, one per template, in the packet's order."""
    return _choices(_case(ctx, case_id))


@use_case
def preview_document(ctx: RunContext, case_id: str, template: str) -> Preview:
    """The document made from `template` for the case's main applicant, as PNG pages; audited."""
    case = _case(ctx, case_id)
    choice = next((c for c in _choices(case) if c.template == template), None)
    if choice is None:
        raise NotInCases()
    converter, attached = packet_converter(ctx.settings, True)
    try:
        with tempfile.TemporaryDirectory(prefix="docgen-preview-") as tmp:  # mode 700
            made = preview(template, case, Path(tmp), converter)
            pages = [page.read_bytes() for page in made[1:]]
    finally:
        if attached is not None:
            attached.close()
    record_action(ctx, "preview", case_id, template)
    return Preview(case_id, choice, pages)
