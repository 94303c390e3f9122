"""Start a case folder (`docgen case new`) and, after intake, bring its evidence folders to the case
(`docgen case sync`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from docgen.case.folder import CaseFolder
from docgen.case.new import handout_language, handout_language_note, new_case
from docgen.case.sync import SyncReport, sync_case_folder
from docgen.messages import say
from docgen.rules.category_names import category_id
from docgen.usecases.context import RunContext, use_case


@dataclass(frozen=True)
class NewCase:
    """The case folder made: its profile skeleton, evidence folders and client handout."""

    folder: CaseFolder
    handout_name: str
    remade: str | None  # a half-made folder a stopped run left was made again: what happened
    language_note: str | None  # the handout is in English: there is none yet in the client's language


@use_case
def start_case(
    ctx: RunContext, case_id: str, category: str, planned: date, lang: str, *, pdf: bool = True, where: str = ""
) -> NewCase:
    """Make the case folder under the office's cases folder, whole or not at all. `category` may be typed as an
    id, a Japanese name or a status (`where` names the field it was typed in)."""
    category = category_id(ctx.rules.book, category, where or say("類型", "category"))
    folder, remade = new_case(
        ctx.settings, ctx.rules.book, ctx.rules.release_day, case_id, category, planned, lang, handout_pdf=pdf
    )
    handout = folder.handout(handout_language(lang), "pdf" if pdf else "docx").name
    return NewCase(folder, handout, remade, handout_language_note(lang))


@use_case
def sync_case(ctx: RunContext, target: str) -> SyncReport:
    """Bring the case folder's evidence folders to the numbers of its 提出書類一覧表 (add, renumber, report)."""
    return sync_case_folder(target, ctx.settings, ctx.rules, ctx.now)
