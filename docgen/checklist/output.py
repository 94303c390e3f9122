"""Print a checklist as text, Markdown or JSON, or as rows for the printable handout."""

from __future__ import annotations

import json
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, Field

from docgen.checklist.model import Checklist, ChecklistItem, PersonRef
from docgen.rules.periods import Lang

ROLE_NAMES = {
    "ja": {
        "applicant": "申請人",
        "supporter": "扶養者",
        "dependant": "被扶養者（各人）",
        "household": "世帯全員",
        "guarantor": "身元保証人",
        "filer": "取次者",
    },
    "en": {
        "applicant": "applicant",
        "supporter": "supporter",
        "dependant": "each dependant",
        "household": "whole household",
        "guarantor": "guarantor",
        "filer": "filing agent",
    },
    "zh": {
        "applicant": "申请人",
        "supporter": "扶养人",
        "dependant": "各被扶养人",
        "household": "全体家庭成员",
        "guarantor": "保证人",
        "filer": "代理提交人",
    },
}

LABELS = {
    "ja": {
        "title": "永住許可申請 必要書類チェックリスト",
        "category": "申請の類型",
        "date": "申請予定日",
        "applicant": "申請人",
        "document": "書類",
        "period": "対象期間",
        "people": "対象者",
        "notes": "備考",
        "submit": "提出",
        "present": "提示（原本）",
        "required": "必須",
        "optional": "任意",
        "conditional": "該当する場合",
        "review": "要確認",
        "footer": "※ 日本で発行される証明書は申請日前3か月以内に発行されたもの。外国語の書類には日本語訳を添付"
        "。※印は出典が実務家の見解のため事務所で要確認。",
        "warnings": "注意",
    },
    "en": {
        "title": "Permanent residence application — documents to collect",
        "category": "Category",
        "date": "Planned application date",
        "applicant": "Applicant",
        "document": "Document",
        "period": "Period",
        "people": "For",
        "notes": "Notes",
        "submit": "submit",
        "present": "show original",
        "required": "required",
        "optional": "optional",
        "conditional": "if applicable",
        "review": "to be checked",
        "footer": "Certificates issued in Japan must be issued within 3 months before the application date. Docu"
        "ments in other languages need a Japanese translation. ※ = the office will double-check this rule.",
        "warnings": "Attention",
    },
    "zh": {
        "title": "永住许可申请 所需材料清单",
        "category": "申请类型",
        "date": "预定申请日",
        "applicant": "申请人",
        "document": "材料",
        "period": "对象期间",
        "people": "对象人",
        "notes": "备注",
        "submit": "提交",
        "present": "出示原件",
        "required": "必需",
        "optional": "可选",
        "conditional": "如适用",
        "review": "待确认",
        "footer": "※ 日本发行的证明书须为申请日前3个月内发行。外文材料须附日语译文。※号表示事务所需再次确认。",
        "warnings": "注意",
    },
}


COPIES = {
    "en": {
        "1通": "1 copy",
        "各1通": "1 copy each",
        "各年度1通": "1 per fiscal year",
        "適宜": "as needed",
        "原本提示": "original",
        "1葉": "1 photo",
        "提示": "show",
    },
    "zh": {
        "1通": "1份",
        "各1通": "各1份",
        "各年度1通": "每年度1份",
        "適宜": "适量",
        "原本提示": "原件",
        "1葉": "1张",
        "提示": "出示",
    },
}


class ChecklistRow(BaseModel):
    """One row of the client checklist: printed as text or Markdown, and a template variable of the handout."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int
    item_id: str
    title: str
    period: str
    people: str
    copies: str
    action: str
    notes: str
    required: str = Field(description="必須 / 任意 / 該当する場合")
    review: bool = Field(description="要確認 (C/D source)")


def copies_label(copies: str, lang: Lang) -> str:
    return COPIES.get(lang, {}).get(copies, copies)


def _required_label(item: ChecklistItem, lang: Lang) -> str:
    labels = LABELS[lang]
    return labels[item.required.value]


def people_label(item: ChecklistItem, lang: Lang = "ja", period_note: Callable[[PersonRef], str] | None = None) -> str:
    """'申請人（王 小明）、扶養者（…）' or, without a profile, the roles. A person's own period is written by
    `period_note` when given (a handout in the client's language), else as the checklist keeps it (Japanese)."""
    roles = ROLE_NAMES[lang]
    if not item.people:
        return (
            "、".join(roles[c] for c in item.rule.concerns)
            if lang != "en"
            else ", ".join(roles[c] for c in item.rule.concerns)
        )
    seen: list[str] = []
    for p in item.people:
        text = (
            p.name
            if p.role == "applicant"
            else roles[p.role]
            if p.role == "household"
            else f"{roles[p.role]}（{p.name}）"
        )
        own = period_note(p) if period_note is not None and p.period_note else p.period_note
        notes = "、".join(x for x in (own, p.detail(lang)) if x)
        if notes:
            text = f"{text}（{notes}）"
        if text not in seen:
            seen.append(text)
    return "、".join(seen)


def rows(checklist: Checklist, lang: Lang = "ja") -> list[ChecklistRow]:
    labels = LABELS[lang]
    out = []
    for n, item in enumerate(checklist.items, 1):
        details = f"{item.title(lang)}"
        out.append(
            ChecklistRow(
                number=n,
                item_id=item.id,
                title=details,
                period=item.period_label(lang) or "—",
                people=people_label(item, lang),
                copies=copies_label(item.rule.copies, lang),
                action=labels[item.rule.action],
                notes=item.notes(lang),
                required=_required_label(item, lang),
                review=item.rule.needs_review,
            )
        )
    return out


def as_text(checklist: Checklist, lang: Lang = "ja") -> str:
    labels = LABELS[lang]
    head = [
        f"{labels['title']}",
        f"{labels['category']}: {checklist.category_name.get(lang, checklist.category)} ({checklist.category})",
        f"{labels['date']}: {checklist.application_date.isoformat()}",
    ]
    if checklist.applicants:
        head.append(f"{labels['applicant']}: {'、'.join(checklist.applicants)}")
    lines = head + [""]
    for r in rows(checklist, lang):
        mark = f" ※{labels['review']}" if r.review else ""
        lines.append(f"□ {r.number:>2}. {r.title}  [{r.action} / {r.required} / {r.copies}]{mark}")
        if r.period and r.period != "—":
            lines.append(f"       {labels['period']}: {r.period}")
        lines.append(f"       {labels['people']}: {r.people}")
    if checklist.warnings:
        lines += ["", f"{labels['warnings']}:"] + [f"  ! {w}" for w in checklist.warnings]
    return "\n".join(lines) + "\n"


def as_markdown(checklist: Checklist, lang: Lang = "ja") -> str:
    labels = LABELS[lang]
    out = [
        f"# {labels['title']}",
        "",
        f"- {labels['category']}: {checklist.category_name.get(lang, checklist.category)} (`{checklist.category}`)",
        f"- {labels['date']}: {checklist.application_date.isoformat()}",
    ]
    if checklist.applicants:
        out.append(f"- {labels['applicant']}: {'、'.join(checklist.applicants)}")
    out += [
        "",
        f"| ✓ | No. | {labels['document']} | {labels['period']} | {labels['people']} | {labels['notes']} |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows(checklist, lang):
        title = r.title + (f" ※{labels['review']}" if r.review else "")
        cells = [" ", str(r.number), f"{title}<br>{r.copies} / {r.action} / {r.required}", r.period, r.people, r.notes]
        out.append("| " + " | ".join(c.replace("|", "／").replace("\n", " ") for c in cells) + " |")
    if checklist.warnings:
        out += ["", f"**{labels['warnings']}**", ""] + [f"- {w}" for w in checklist.warnings]
    return "\n".join(out) + "\n"


def as_json(checklist: Checklist) -> str:
    return json.dumps(checklist.to_json(), ensure_ascii=False, indent=2) + "\n"
