"""The 高度専門職ポイント計算表 of each date, from the assessment's points check (never recomputed).

A points route is proved as of two dates, each with its own sheet (checklist items hsp_points_current and
hsp_points_lookback): the application date (申請時点) and the reference date (基準時点, 3 or 1 years before).
Each sheet holds only its own date's rows, with the facts in force then (salary, age, experience).
"""

from __future__ import annotations

from typing import Any, Literal

from docgen.assessment.points import PointsCheck, PointsResult
from docgen.assessment.results import Assessment
from docgen.case import Case
from docgen.documents.context import DocumentContext, PointsRow, PointsTableView

FIELD_NAMES = {
    "イ": "高度学術研究分野（1号イ）",
    "ロ": "高度専門・技術分野（1号ロ）",
    "ハ": "高度経営・管理分野（1号ハ）",
}

# The checklist item each sheet is filed as, by the date it tabulates.
ITEM_DATES: dict[str, Literal["申請時点", "基準時点"]] = {
    "hsp_points_current": "申請時点",
    "hsp_points_lookback": "基準時点",
}


def _route_check(case: Case, assessment: Assessment) -> PointsCheck | None:
    """The points check of the case's route (its category's threshold), if it is a points route."""
    threshold = case.book.params(case.profile.category, case.application_date).values.get("points_threshold")
    return assessment.points.get(threshold) if threshold is not None else None


def points_table(
    result: PointsResult, threshold: int, label: Literal["申請時点", "基準時点"], offset: str = ""
) -> PointsTableView:
    """The sheet of one date: the rows that scored as of `result.as_of`, their total and whether it is enough."""
    return PointsTableView(
        label=label,
        offset=offset,
        as_of=result.as_of,
        rows=[PointsRow(item=x.label["ja"], basis=x.basis, points=x.points) for x in result.lines],
        total=result.total,
        threshold=threshold,
        minimum_income=result.minimum_income,
        income_minimum_met=result.income_minimum_met,
        met=result.meets(threshold),
    )


def points_tables(case: Case, assessment: Assessment) -> list[PointsTableView]:
    """The 申請時点 and 基準時点 sheets of the case's points route (main applicant); [] off a points route."""
    check = _route_check(case, assessment)
    if check is None or case.profile.applicant.hsp is None:
        return []
    years = case.book.params(case.profile.category, case.application_date).values.get("points_reference_years")
    offset = f"申請日の{years}年前" if years else ""
    return [
        points_table(check.now, check.threshold, "申請時点"),
        points_table(check.reference, check.threshold, "基準時点", offset),
    ]


def points_context(case: Case, assessment: Assessment) -> dict[str, Any]:
    """The points names of the main applicant's context: both sheets, the 申請時点 one as the document's own
    (`for_item` gives each generated item its date), and the 分野; {} off a points route."""
    tables, hsp = points_tables(case, assessment), case.profile.applicant.hsp
    if not tables or hsp is None:
        return {}
    return {"points_tables": tables, "points_table": tables[0], "points_field": FIELD_NAMES[hsp.field]}


def for_item(ctx: DocumentContext, item_id: str) -> DocumentContext:
    """The context of a points item's document: its own date's sheet as `points_table` (other items unchanged)."""
    label = ITEM_DATES.get(item_id)
    table = next((t for t in ctx.points_tables if t.label == label), None)
    return ctx if table is None else ctx.model_copy(update={"points_table": table})


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
