"""The packet's reports for staff: missing.txt (what is still to collect, what was left out and why, and the
［…］ placeholders still to write in the letters)."""

from __future__ import annotations

from pathlib import Path

from docgen.checklist.model import ChecklistItem
from docgen.checklist.output import people_label
from docgen.checklist.progress import IncompleteItem
from docgen.documents.placeholders import Unfilled
from docgen.profile.model import Profile
from docgen.wareki import seireki_date


def missing_report(
    profile: Profile,
    missing: list[ChecklistItem],
    rejected: list[tuple[Path, str]],
    unmatched: list[Path],
    warnings: list[str],
    placeholders: list[Unfilled] | None = None,
    decision: str | None = None,
) -> str:
    """What is still missing (from the client, and what the office prepares), what was left out and why, and
    every ［…］ left in the generated documents, by document."""
    lines = [f"案件 {profile.case_id}　申請予定日 {seireki_date(profile.application_date)}"]
    lines += [f"判断: {decision}（理由は assessment.txt）", ""] if decision else [""]
    from_client = [i for i in missing if i.rule.prepared_by == "client"]
    by_office = [i for i in missing if i.rule.prepared_by == "office"]

    def listing(items: list[ChecklistItem]) -> list[str]:
        return [line for i in items for line in _entry(i)]

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


def _entry(item: ChecklistItem) -> list[str]:
    """'  □ 住民税の課税…　令和4年度〜令和8年度　対象: …　1/10' and, for an item partly there, a line saying
    what is still missing (per person and 年度)."""
    head = f"  □ {item.title()}" + (f"　{item.period_label()}" if item.period_label() else "")
    head += f"　対象: {people_label(item)}"
    if not isinstance(item, IncompleteItem) or not item.progress.counted:
        return [head]
    progress = item.progress
    lines = [f"{head}　{progress.count}"]
    if progress.have or progress.doubts:
        lines.append(f"      不足: {progress.missing_text()}")
    return lines


def placeholder_lines(placeholders: list[Unfilled]) -> list[str]:
    """A heading with how many, then one line per placeholder: '  ・理由書（NGUYEN VAN AN）: ［…］'."""
    places = sum(p.count for p in placeholders)
    documents = len({p.document for p in placeholders})
    return [
        f"書類に記入が必要な箇所（［ ］の部分、{documents}通に{places}箇所）:",
        *(f"  ・{p.line()}" for p in placeholders),
    ]
