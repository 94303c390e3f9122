"""Fill one template per generated checklist item and applicant (申請書, 理由書, 身元保証書, 了解書, 説明書 …),
and the client's copies that are not submitted (the 了解書 in the client's language)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from docgen.assessment.results import CaseAssessment
from docgen.case import Case
from docgen.checklist.model import Checklist
from docgen.documents.context import DocumentContext
from docgen.documents.explanations import explanations
from docgen.documents.points_table import points_context
from docgen.documents.render import render_docx
from docgen.documents.views import build_context
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
CHINESE_NATIONALITIES = ("中国", "中華人民共和国", "台湾")
LANGUAGE_NAMES: dict[Lang, str] = {"ja": "日本語", "en": "英語", "zh": "中国語"}
JAPANESE_NATIONALITIES = ("日本",)


@dataclass
class Generated:
    item_id: str
    template: str
    person: str
    docx: Path
    language: Lang = "ja"


def client_language(nationality: str) -> Lang:
    """The language of a client's copies, from the nationality (the profile records no language): 中国・台湾 →
    zh (simplified Chinese), 日本 → ja (no translation needed), any other → en."""
    key = unicodedata.normalize("NFKC", nationality).replace(" ", "")
    if key in JAPANESE_NATIONALITIES:
        return "ja"
    return "zh" if key in CHINESE_NATIONALITIES else "en"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower() or "x"


def _applicants(case: Case) -> list[tuple[FamilyMember | None, str, str]]:
    """(member or None for the main applicant, display name, file slug)."""
    p = case.profile
    out: list[tuple[FamilyMember | None, str, str]] = [(None, p.applicant.display_name, _slug(p.applicant.roman_name))]
    return out + [(m, m.display_name, _slug(m.roman_name)) for m in p.co_applicants]


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
        for member, name, _ in _applicants(case)
    }


def render_documents(
    case: Case,
    checklist: Checklist,
    by_person: dict[str, DocumentContext],
    folder: Path,
    templates: dict[str, tuple[Path, str]],
) -> list[Generated]:
    """Fill one template per generated item and applicant into `folder`; `templates` records the files used."""
    generated: list[Generated] = []
    for item in checklist.items:
        if item.id not in GENERATED:
            continue
        template_name = GENERATED[item.id]
        for _, name, slug in _applicants(case):
            if not any(p.applicant == name for p in item.people):
                continue
            templates[template_name] = case.settings.template(template_name)
            target = folder / f"{case.profile.case_id}-{len(generated) + 1:02d}_{item.id}_{slug}.docx"
            render_docx(templates[template_name][0], by_person[name], target)
            generated.append(Generated(item.id, template_name, name, target))
    return generated


def render_client_documents(
    case: Case,
    checklist: Checklist,
    by_person: dict[str, DocumentContext],
    folder: Path,
    templates: dict[str, tuple[Path, str]],
) -> list[Generated]:
    """Fill the client's copies (TRANSLATED) into `folder`, one per applicant of the item whose language is not
    Japanese; `templates` records the files used. Nothing here is submitted to the immigration office."""
    made: list[Generated] = []
    for item in checklist.items:
        if item.id not in TRANSLATED:
            continue
        for _, name, slug in _applicants(case):
            language = client_language(by_person[name].applicant.nationality)
            if language == "ja" or not any(p.applicant == name for p in item.people):
                continue
            template_name = f"{TRANSLATED[item.id]}_{language}"
            templates[template_name] = case.settings.template(template_name)
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"{case.profile.case_id}-{template_name}_{slug}.docx"
            render_docx(templates[template_name][0], by_person[name], target)
            made.append(Generated(item.id, template_name, name, target, language))
    return made
