"""The checklist of a category on a date (`docgen checklist`), the categories, and the check of the rule files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from docgen.checklist import Checklist, build_checklist, case_checklist
from docgen.errors import DocgenError
from docgen.messages import say
from docgen.rules.category_names import category_id
from docgen.text import Text
from docgen.usecases.context import RunContext, use_case

Lang = Literal["ja", "en", "zh"]


@dataclass(frozen=True)
class CategoryRow:
    """One category as staff choose it: id, Japanese name, its route."""

    id: str
    name: str
    route: str
    route_name: str


@use_case
def categories(ctx: RunContext) -> list[CategoryRow]:
    """Every category of the rule book (the office's checklists included)."""
    return [CategoryRow(c.id, c.name["ja"], c.route, c.route_name["ja"]) for c in ctx.rules.book.categories.values()]


@dataclass(frozen=True)
class ChecklistFor:
    """A checklist and what it was made for (a category on a date, or a case)."""

    checklist: Checklist
    category: str
    case_id: str | None  # the profile's case, when the checklist is a case's


@use_case
def checklist_for(
    ctx: RunContext, category: str, *, on: date | None = None, profile: Path | None = None, where: str = ""
) -> ChecklistFor:
    """The documents to collect, every lookback resolved to dates: for a case (its people and conditions, on its
    planned date unless `on`) when a profile is given, else for the category on `on` (today by default).
    `category` may be typed as an id, a Japanese name or a status; `where` names the field it was typed in."""
    where = where or say("類型", "category")
    if profile is not None:
        case = ctx.case(profile, on)
        chosen = category_id(case.book, category, where)
        if chosen != case.profile.category:
            raise DocgenError(
                Text(
                    f"プロフィールの類型は '{case.profile.category}' で、'{chosen}' ではありません",
                    f"the profile is for category '{case.profile.category}', not '{chosen}'",
                )
            )
        from docgen.assessment import assess_case

        return ChecklistFor(case_checklist(case, assess_case(case)), chosen, case.profile.case_id)
    chosen = category_id(ctx.rules.book, category, where)
    return ChecklistFor(
        build_checklist(ctx.rules.book, chosen, on or ctx.now.date(), ctx.rules.release_day), chosen, None
    )


def checklist_file_name(made: ChecklistFor, lang: Lang, fmt: Literal["docx", "pdf"]) -> str:
    """'<case>-checklist-gijinkoku-2026-12-01-ja.pdf' for a case, 'checklist-gijinkoku-2026-12-01-ja.pdf' else."""
    dated = f"{made.category}-{made.checklist.application_date.isoformat()}-{lang}.{fmt}"
    return f"{made.case_id}-checklist-{dated}" if made.case_id else f"checklist-{dated}"


@use_case
def write_checklist(
    ctx: RunContext,
    made: ChecklistFor,
    lang: Lang,
    fmt: Literal["docx", "pdf"],
    *,
    out: Path | None = None,
    profile: Path | None = None,
) -> Path:
    """The checklist as a Word or PDF document (owner-only), by default in the office's output folder; the
    profile it was made from is never overwritten."""
    from docgen.packet.handout import write_checklist_document

    return write_checklist_document(
        made.checklist,
        out or ctx.settings.output_dir / checklist_file_name(made, lang, fmt),
        lang,
        pdf=fmt == "pdf",
        settings=ctx.settings,
        inputs=[profile] if profile else [],
    )


@dataclass(frozen=True)
class RuleFilesChecked:
    """What the built-in and office checklist files hold, once every one of them loaded without a problem."""

    files: int
    categories: int
    items: int
    sources: int


@use_case
def check_checklists(ctx: RunContext, folder: Path | None = None) -> RuleFilesChecked:
    """Load the built-in and office checklist files (the configured ones, or `folder`); every problem is an
    InputFileError naming file, line and field."""
    book = ctx.settings.rulebook((folder,) if folder else None)
    return RuleFilesChecked(len(book.files), len(book.categories), len(book.items), len(book.sources))
