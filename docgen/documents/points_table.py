"""Context for the 高度専門職ポイント計算表 template, from the assessment's points check (never recomputed)."""

from __future__ import annotations

from typing import Any

from docgen.assessment.points import PointsCheck, PointsLine
from docgen.assessment.results import Assessment
from docgen.case import Case
from docgen.documents.context import PointsRow

FIELD_NAMES = {
    "イ": "高度学術研究分野（1号イ）",
    "ロ": "高度専門・技術分野（1号ロ）",
    "ハ": "高度経営・管理分野（1号ハ）",
}


def _route_check(case: Case, assessment: Assessment) -> PointsCheck | None:
    """The points check of the case's route (its category's threshold), if it is a points route."""
    threshold = case.book.params(case.profile.category, case.application_date).values.get("points_threshold")
    return assessment.points.get(threshold) if threshold is not None else None


def criterion(now: PointsLine | None, reference: PointsLine | None) -> str:
    """What a row rests on: one text when both dates rest on the same facts, else each date's own (the salary and
    age in force on the reference date, never today's)."""
    if now is not None and reference is not None and now.basis == reference.basis:
        return now.basis
    parts = [f"{when}: {x.basis}" for when, x in (("申請時点", now), ("基準時点", reference)) if x is not None]
    return "\n".join(parts)  # each date on a line of its own in the cell: docxtpl writes a newline as <w:br/>


def points_context(case: Case, assessment: Assessment) -> dict[str, Any]:
    """points / totals / reference date for the main applicant of a points route; {} otherwise."""
    check, hsp = _route_check(case, assessment), case.profile.applicant.hsp
    if check is None or hsp is None:
        return {}
    ref_lines = {x.id: x for x in check.reference.lines}
    rows = []
    for x in check.now.lines:
        ref = ref_lines.pop(x.id, None)
        rows.append(
            PointsRow(
                item=x.label["ja"],
                criterion=criterion(x, ref),
                points_now=x.points,
                points_reference=ref.points if ref else 0,
            )
        )
    for x in ref_lines.values():  # items that scored only at the reference date
        rows.append(
            PointsRow(item=x.label["ja"], criterion=criterion(None, x), points_now=0, points_reference=x.points)
        )
    return {
        "points": rows,
        "points_total_now": check.now.total,
        "points_total_reference": check.reference.total,
        "points_reference_date": check.reference_date,
        "points_field": FIELD_NAMES[hsp.field],
    }


def points_warnings(case: Case, assessment: Assessment) -> list[str]:
    """A warning when the office's stated points differ from the computed ones."""
    check, hsp = _route_check(case, assessment), case.profile.applicant.hsp
    if check is None or hsp is None:
        return []
    out = []
    for stated, computed, when in (
        (hsp.stated_points_now, check.now.total, "申請時点"),
        (hsp.stated_points_reference, check.reference.total, "基準時点"),
    ):
        if stated is not None and stated != computed:
            out.append(
                f"{when}のポイント: プロフィールの記載は{stated}点、計算結果は{computed}点です。計算表は計算結果"
                "で作成しました。根拠を確認してください。"
            )
    return out
