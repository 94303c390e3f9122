"""The handout's rows: what the client brings, and apart from it what the office prepares, in the client's words.

Who prepares an item comes from the rule data, as for every other output (the case page, the missing lists):
`prepared_by: office` in checklists/_items.yaml — the check sheets, the filing agent's certificate and every
document docgen fills in (申請書, 理由書, 説明書, 身元保証書, 了解書, ポイント計算表). Rows keep the checklist's
numbers, which are the evidence folders' and the index's, so an office row leaves a gap in the client's list.
"""

from __future__ import annotations

from dataclasses import dataclass

from docgen.checklist.model import Checklist, ChecklistItem
from docgen.checklist.output import LABELS, ChecklistRow, people_label, rows
from docgen.packet.handout_words import CLIENT_EVIDENCE, HEADINGS, TAKEN, gloss, taken_within
from docgen.rules.periods import IssuedWithin, Lang


def prepared_by_office(item: ChecklistItem) -> bool:
    """The office makes this document (the client does not bring it): rule data `prepared_by: office`."""
    return item.rule.prepared_by == "office"


@dataclass(frozen=True)
class HandoutRows:
    """The client's rows (to bring) and the office's (listed apart under 「事務所が作成」)."""

    bring: list[ChecklistRow]
    office: list[ChecklistRow]


def _period(item: ChecklistItem, row: ChecklistRow, lang: Lang) -> str:
    if item.id in TAKEN and isinstance(item.period, IssuedWithin):
        return taken_within(item.period.months, item.period.start, lang)
    return gloss(row.period, lang)


def _people(item: ChecklistItem, row: ChecklistRow, lang: Lang) -> str:
    """As the checklist names the people, with a person's own period in the client's language (the checklist
    keeps it in Japanese: 「令和5年度」)."""
    if lang == "ja":
        return row.people
    return people_label(
        item, lang, lambda p: gloss(p.period.label(lang), lang) if p.period is not None else p.period_note
    )


def _worded(item: ChecklistItem, row: ChecklistRow, lang: Lang, **changes: str) -> ChecklistRow:
    return row.model_copy(
        update={
            "title": gloss(row.title, lang),
            "period": _period(item, row, lang),
            "people": _people(item, row, lang),
            "notes": gloss(row.notes, lang),
            **changes,
        }
    )


def handout_rows(checklist: Checklist, lang: Lang) -> HandoutRows:
    """Split the checklist for the client: office documents apart (their action reads 「事務所が作成」 in the
    client's language), the evidence the client brings for an office document (the points' proof) kept among
    the client's rows, and every Japanese word the rule data left in a translation glossed."""
    bring: list[ChecklistRow] = []
    office: list[ChecklistRow] = []
    office_label = HEADINGS[lang]["office"]
    for item, row in zip(checklist.items, rows(checklist, lang), strict=True):
        if not prepared_by_office(item):
            bring.append(_worded(item, row, lang))
            continue
        office.append(_worded(item, row, lang, action=office_label))
        if item.id in CLIENT_EVIDENCE:
            evidence = CLIENT_EVIDENCE[item.id][lang]
            bring.append(_worded(item, row, lang, title=evidence, action=LABELS[lang]["submit"], notes=""))
    return HandoutRows(bring, office)
