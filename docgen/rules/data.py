"""The assessment rules, read once per run: eligibility, continuity and the points table (docgen/data/)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docgen.resources import DATA
from docgen.rules.continuity import ContinuityRules, load_continuity
from docgen.rules.eligibility import EligibilityRules, load_eligibility
from docgen.rules.points_table import PointsTable, load_points_table


@dataclass(frozen=True)
class AssessmentRules:
    eligibility: EligibilityRules
    continuity: ContinuityRules
    points: PointsTable


def load_assessment_rules(folder: Path = DATA) -> AssessmentRules:
    """Read and check the three data files (every cited source defined, every version well formed)."""
    return AssessmentRules(
        load_eligibility(folder / "eligibility.yaml"),
        load_continuity(folder / "continuity.yaml"),
        load_points_table(folder / "hsp_points.yaml"),
    )
