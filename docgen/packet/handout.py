"""The printable checklist handout (A4, a tick box per item) as Word or PDF."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

from docgen.case.settings import Settings
from docgen.checklist.model import Checklist
from docgen.checklist.output import LABELS, rows
from docgen.documents.context import ApplicantName, ChecklistCase, ChecklistContext
from docgen.documents.render import render_docx
from docgen.packet.safe_write import private_file
from docgen.pdf.convert import convert_to_pdf
from docgen.rules.periods import Lang


def _date_label(d: date, lang: Lang) -> str:
    return d.isoformat() if lang == "en" else f"{d.year}年{d.month}月{d.day}日"


def checklist_context(checklist: Checklist, lang: Lang) -> ChecklistContext:
    return ChecklistContext(
        case=ChecklistCase(
            category=checklist.category,
            category_name=checklist.category_name.get(lang, checklist.category),
            application_date=checklist.application_date,
        ),
        applicants=[ApplicantName(display_name=n) for n in checklist.applicants],
        checklist=rows(checklist, lang),
        labels={**LABELS[lang], "date_value": _date_label(checklist.application_date, lang)},
        notices=checklist.warnings,
    )


def write_checklist_document(checklist: Checklist, target: Path, lang: Lang, *, pdf: bool, settings: Settings) -> Path:
    """Render templates/checklist.docx (or the office's) and, for PDF, convert it."""
    template, _ = settings.template("checklist")
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="docgen-checklist-") as tmp:
        docx = render_docx(template, checklist_context(checklist, lang), Path(tmp) / f"{target.stem}.docx")
        produced = convert_to_pdf([docx], Path(tmp) / "pdf")[0] if pdf else docx
        with private_file(target) as part:
            shutil.copyfile(produced, part)
    return target
