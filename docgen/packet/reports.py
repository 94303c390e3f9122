"""The packet's reports for staff: missing.txt (what is still to collect, what was left out and why, and the
［…］ placeholders still to write in the letters)."""

from __future__ import annotations

from pathlib import Path

from docgen.checklist.model import ChecklistItem
from docgen.checklist.output import people_label
from docgen.documents.placeholders import Unfilled
from docgen.profile.model import Profile


def missing_report(
    profile: Profile,
    missing: list[ChecklistItem],
    rejected: list[tuple[Path, str]],
    unmatched: list[Path],
    warnings: list[str],
    placeholders: list[Unfilled] | None = None,
) -> str:
    """What is still missing (from the client, and what the office prepares), what was left out and why, and
    every ［…］ left in the generated documents, by document."""
    lines = [f"案件 {profile.case_id}　申請予定日 {profile.application_date.isoformat()}", ""]
    from_client = [i for i in missing if i.rule.prepared_by == "client"]
    by_office = [i for i in missing if i.rule.prepared_by == "office"]

    def listing(items: list[ChecklistItem]) -> list[str]:
        return [
            f"  □ {i.title()}" + (f"　{i.period_label()}" if i.period_label() else "") + f"　対象: {people_label(i)}"
            for i in items
        ]

    lines += (
        [f"依頼者から受け取る書類（{len(from_client)}件）:", *listing(from_client)]
        if from_client
        else ["依頼者から受け取る書類はありません。"]
    )
    if by_office:
        lines += ["", f"事務所で用意する書類（{len(by_office)}件）:", *listing(by_office)]
    if rejected:
        lines += ["", "読み込めなかったため除外した証拠ファイル:"]
        lines += [f"  ! {path.name}: {reason}" for path, reason in rejected]
    if unmatched:
        lines += ["", "どの書類にも当てはまらない証拠ファイル（ファイル名を書類IDで始めてください）:"]
        lines += [f"  ? {path.name}" for path in unmatched]
    if placeholders:
        lines += ["", *placeholder_lines(placeholders)]
    if warnings:
        lines += ["", "注意:"] + [f"  ! {w}" for w in warnings]
    return "\n".join(lines) + "\n"


def placeholder_lines(placeholders: list[Unfilled]) -> list[str]:
    """A heading with how many, then one line per placeholder: '  ・理由書（NGUYEN VAN AN）: ［…］'."""
    places = sum(p.count for p in placeholders)
    documents = len({p.document for p in placeholders})
    return [
        f"書類に記入が必要な箇所（［ ］の部分、{documents}通に{places}箇所）:",
        *(f"  ・{p.line()}" for p in placeholders),
    ]
