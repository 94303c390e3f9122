"""高度専門職 points: the score on a date, now and at the reference date, and when a route will be met."""

from docgen.assessment.points.calculation import calculate, experience_span, salary_on
from docgen.assessment.points.projection import (
    EvidenceNeed,
    PointsCheck,
    change_dates,
    check_points,
    earliest_points_date,
    reference_date,
)
from docgen.assessment.points.results import Excluded, PointsLine, PointsResult

__all__ = [
    "EvidenceNeed",
    "Excluded",
    "PointsCheck",
    "PointsLine",
    "PointsResult",
    "calculate",
    "change_dates",
    "check_points",
    "earliest_points_date",
    "experience_span",
    "reference_date",
    "salary_on",
]
