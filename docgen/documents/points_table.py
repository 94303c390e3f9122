"""Context for the 高度専門職ポイント計算表 template, from the points engine."""

from __future__ import annotations

from typing import Any

from docgen.documents.context import PointsRow
from docgen.assessment.points import check_points
from docgen.profile.model import FamilyMember, Profile
from docgen.rules.book import RuleBook

FIELD_NAMES = {"イ": "高度学術研究分野（1号イ）", "ロ": "高度専門・技術分野（1号ロ）", "ハ": "高度経営・管理分野（1号ハ）"}


def points_context(profile: Profile, book: RuleBook, member: FamilyMember | None) -> dict[str, Any]:
    """points / totals / reference date for the main applicant of a points route; {} otherwise."""
    hsp = profile.applicant.hsp
    threshold = book.params(profile.category, profile.application_date).values.get("points_threshold")
    if member is not None or hsp is None or threshold is None:
        return {}
    check = check_points(hsp, profile.applicant.birth_date, profile.application_date, threshold)
    ref_lines = {x.id: x for x in check.reference.lines}
    rows = []
    for x in check.now.lines:
        ref = ref_lines.pop(x.id, None)
        rows.append(PointsRow(item=x.label["ja"], criterion=x.basis, points_now=x.points, points_reference=ref.points if ref else 0))
    for x in ref_lines.values():  # items that scored only at the reference date
        rows.append(PointsRow(item=x.label["ja"], criterion=x.basis, points_now=0, points_reference=x.points))
    return {
        "points": rows,
        "points_total_now": check.now.total,
        "points_total_reference": check.reference.total,
        "points_reference_date": check.reference_date,
        "points_field": FIELD_NAMES[hsp.field],
    }


def points_warnings(profile: Profile, book: RuleBook) -> list[str]:
    """A warning when the office's stated points differ from the computed ones."""
    context = points_context(profile, book, None)
    hsp = profile.applicant.hsp
    if not context or hsp is None:
        return []
    out = []
    for stated, computed, when in ((hsp.stated_points_now, context["points_total_now"], "申請時点"),
                                   (hsp.stated_points_reference, context["points_total_reference"], "基準時点")):
        if stated is not None and stated != computed:
            out.append(f"{when}のポイント: プロフィールの記載は{stated}点、計算結果は{computed}点です。計算表は計算結果で作成しました。根拠を確認してください。")
    return out
