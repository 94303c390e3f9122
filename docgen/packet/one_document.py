"""One document of a case's packet rendered again, alone, exactly as a build renders it (the same plan, names,
contexts and templates): what docgen generated for a Word file staff since edited, to compare the edit with.

In: a `Case` and a document key as the manifest records it ('reason_letter@applicant', or 'legacy:…' for a
packet written before documents had keys). Out: the rendered .docx in a folder the caller owns, or None when
the case's packet makes no such document (any more)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docgen.assessment import assess_case
from docgen.case import Case
from docgen.checklist import case_checklist
from docgen.documents.context import DocumentContext
from docgen.documents.generate import Generated, contexts, plan_client_documents, plan_documents, render_planned
from docgen.languages import client_language
from docgen.packet.names import PacketNames


@dataclass(frozen=True)
class PlannedDocument:
    """A document a build of the case makes: its key, checklist item, template, person and label
    ('理由書（NGUYEN VAN AN）')."""

    key: str
    item_id: str
    template: str
    person: str
    label: str
    client_copy: bool  # a copy for the client (client/), not submitted


@dataclass(frozen=True)
class _Plan:
    generated: list[Generated]
    client: list[Generated]
    by_person: dict[str, DocumentContext]
    titles: dict[str, str]  # checklist item id -> its title


def _planned(case: Case, folder: Path) -> _Plan:
    """The documents a build plans for the case (named in `folder`), with what rendering them needs."""
    assessment = assess_case(case)
    checklist = case_checklist(case, assessment)
    by_person = contexts(case, assessment)
    generated = plan_documents(case, checklist, folder / "docx")
    recorded = case.profile.client_language
    languages: dict[str, str] = {n: client_language(recorded, c.applicant.nationality) for n, c in by_person.items()}
    client = plan_client_documents(case, checklist, folder / "client", languages)
    return _Plan(generated, client, by_person, {item.id: item.title() for item in checklist.items})


def _matches(doc: Generated, key: str, names: PacketNames) -> bool:
    return key in (doc.key, "legacy:" + names.key(doc.docx))


def planned_documents(case: Case, folder: Path) -> list[PlannedDocument]:
    """Every document a build of the case makes now (nothing is written; `folder` names them)."""
    plan = _planned(case, folder)
    return [
        PlannedDocument(d.key, d.item_id, d.template, d.person, _label(plan.titles[d.item_id], d.person, copy), copy)
        for docs, copy in ((plan.generated, False), (plan.client, True))
        for d in docs
    ]


def _label(title: str, person: str, client_copy: bool) -> str:
    """'理由書（NGUYEN VAN AN）'; a client's copy '了解書（訳文・依頼者用）（NGUYEN MINH）'."""
    return f"{title}{'（訳文・依頼者用）' if client_copy else ''}（{person}）"


def render_one(case: Case, key: str, folder: Path) -> Path | None:
    """The document `key` rendered into `folder` (laid out as in a packet) as a build renders it; None when a
    build of the case makes no such document."""
    plan = _planned(case, folder)
    names = PacketNames(case.profile.case_id)
    doc = next((d for d in plan.generated + plan.client if _matches(d, key, names)), None)
    if doc is None:
        return None
    render_planned(case, [doc], plan.by_person)
    return doc.docx
