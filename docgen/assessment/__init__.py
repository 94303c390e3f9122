"""Stage 3, assessment: a case in, verdicts, checks and findings out — computed once per run.

In: a `Case` (profile, rule book, assessment rules, release day, dates). Out: a `CaseAssessment` (one
`Assessment` per applicant, each with its `Decision`, and the filing's `decision`) that the checklist, the
documents, the board, the reports and the manifest all read.
Modules: continuity (residence and trips), points/ (高度専門職 points, who is a holder, `docgen points`), routes
(legal verdicts), checks, longest_stay, conduct and penalties, work, household, traffic, deadlines (other
requirements and risks), findings (what a 説明書 explains), decision and decide (can this applicant file, and
from when), report (text).

The names below are loaded when first used (PEP 562), so that a command which needs only a part of the stage
(a checklist for a category on a date) does not load all of it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docgen.assessment.assess import assess_applicant, assess_case
    from docgen.assessment.decision import Decision, DecisionStatus
    from docgen.assessment.finding_kinds import FindingKind
    from docgen.assessment.results import Assessment, CaseAssessment, Finding

_WHERE = {
    "assess_applicant": "docgen.assessment.assess",
    "assess_case": "docgen.assessment.assess",
    "Decision": "docgen.assessment.decision",
    "DecisionStatus": "docgen.assessment.decision",
    "FindingKind": "docgen.assessment.finding_kinds",
    "Assessment": "docgen.assessment.results",
    "CaseAssessment": "docgen.assessment.results",
    "Finding": "docgen.assessment.results",
}

__all__ = [
    "Assessment",
    "CaseAssessment",
    "Decision",
    "DecisionStatus",
    "Finding",
    "FindingKind",
    "assess_applicant",
    "assess_case",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
