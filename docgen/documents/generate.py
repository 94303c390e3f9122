"""Fill one template per generated checklist item and applicant (申請書, 理由書, 身元保証書, 了解書, 説明書 …),
and the client's copies that are not submitted (the 了解書 in the client's language)."""

from __future__ import annotations

import contextvars
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from docgen.assessment.results import CaseAssessment
from docgen.case import Case
from docgen.checklist.model import Checklist
from docgen.documents import translations
from docgen.documents.context import DocumentContext
from docgen.documents.explanations import explanations
from docgen.documents.points_table import for_item, points_context
from docgen.documents.render import render_docx
from docgen.documents.views import build_context
from docgen.private_folders import private_folder
from docgen.profile.model import FamilyMember
from docgen.rules.periods import Lang

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


# Client copies, one per applicant whose language is not Japanese: item id -> template name, completed with the
# language (acknowledgement_translation_en / _zh). Reference §10.14: ISA publishes the 了解書 in 12 languages, the
# Japanese text is what is signed, and a translation given to the client must say it is not the official form.
# They go to the packet's client/ folder: not bundled, not in the 提出書類一覧表, not submitted.
TRANSLATED = {"acknowledgement": "acknowledgement_translation"}


@dataclass
class Generated:
    item_id: str
    template: str
    person: str
    docx: Path
    language: Lang = "ja"
    key: str = ""  # what the document is, stable when a name's spelling is corrected: 'reason_letter@family1'
    wanted: str = ""  # a client copy: the client's language, when no translation in it exists (English attached)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower() or "x"


def _applicants(case: Case) -> list[tuple[FamilyMember | None, str, str, str]]:
    """(member or None for the main applicant, display name, file slug, person id). The person id is stable
    when a name is corrected: 'applicant', or 'family<N>' for the Nth entry of the profile's family list."""
    p = case.profile
    out: list[tuple[FamilyMember | None, str, str, str]] = [
        (None, p.applicant.display_name, _slug(p.applicant.roman_name), "applicant")
    ]
    for m in p.co_applicants:
        number = next(i for i, f in enumerate(p.family, start=1) if f is m)
        out.append((m, m.display_name, _slug(m.roman_name), f"family{number}"))
    return out


def contexts(case: Case, assessment: CaseAssessment) -> dict[str, DocumentContext]:
    """Each applicant's template context, by display name (main applicant first)."""
    category = case.book.category(case.profile.category)
    letters = explanations(assessment.main)
    points = points_context(case, assessment.main)
    return {
        name: build_context(
            case.profile,
            member,
            today=case.today,
            category_name=category.name["ja"],
            route_name=category.route_name["ja"],
            explanations=letters,
            **(points if member is None else {}),
        )
        for member, name, _, _ in _applicants(case)
    }


def plan_documents(case: Case, checklist: Checklist, folder: Path) -> list[Generated]:
    """The documents a packet fills (one per generated item and applicant), named in `folder`, not yet written."""
    planned: list[Generated] = []
    for item in checklist.items:
        if item.id not in GENERATED:
            continue
        for _, name, slug, person_id in _applicants(case):
            if any(p.applicant == name for p in item.people):
                target = folder / f"{case.profile.case_id}-{len(planned) + 1:02d}_{item.id}_{slug}.docx"
                planned.append(Generated(item.id, GENERATED[item.id], name, target, key=f"{item.id}@{person_id}"))
    return planned


def plan_client_documents(case: Case, checklist: Checklist, folder: Path, languages: dict[str, str]) -> list[Generated]:
    """The client's copies (TRANSLATED), one per applicant of the item whose language (`languages`, by display
    name) is not Japanese, named in `folder`: the template in that language (the office's or docgen's), else
    the English one with `wanted` set. Nothing here is submitted to the immigration office."""
    planned: list[Generated] = []
    for item in checklist.items:
        if item.id not in TRANSLATED:
            continue
        for _, name, slug, person_id in _applicants(case):
            language = languages[name]
            if language == "ja" or not any(p.applicant == name for p in item.people):
                continue
            template_name, used = translations.translation_template(case.settings, TRANSLATED[item.id], language)
            target = folder / f"{case.profile.case_id}-{template_name}_{slug}.docx"
            key = f"{TRANSLATED[item.id]}@{person_id}"
            printed: Lang = "zh" if used in ("zh", "zh-TW") else "en"  # the fonts it needs (Noto CJK for Chinese)
            wanted = language if used != language else ""
            planned.append(Generated(item.id, template_name, name, target, printed, key, wanted))
    return planned


def render_planned(
    case: Case, planned: list[Generated], by_person: dict[str, DocumentContext]
) -> dict[str, tuple[Path, str]]:
    """Fill each planned document from its template, as many side by side as there are CPUs (each is filled in
    a worker process of its own, each thread in a copy of this run's context, so its messages keep the run's
    language); the templates used (name -> (file, origin)). A template that fails is named as when they are
    filled one by one: the first in the documents' order."""
    templates = {doc.template: case.settings.template(doc.template) for doc in planned}
    for folder in dict.fromkeys(doc.docx.parent for doc in planned):
        private_folder(folder)

    def fill(doc: Generated) -> Path:
        # a points sheet is filed once per date: each item gets its own date's table (申請時点 / 基準時点)
        return render_docx(templates[doc.template][0], for_item(by_person[doc.person], doc.item_id), doc.docx)

    run_contexts = [contextvars.copy_context() for _ in planned]
    with ThreadPoolExecutor(max(1, min(len(planned), os.cpu_count() or 1))) as pool:
        list(pool.map(lambda context, doc: context.run(fill, doc), run_contexts, planned))
    return templates
