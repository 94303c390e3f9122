"""Stage 3, assessment: a case in, verdicts, checks and findings out — computed once per run.

In: a `Case` (profile, rule book, assessment rules, release day, dates). Out: a `CaseAssessment` (one
`Assessment` per applicant, each with its `Decision`, and the filing's `decision`) that the checklist, the
documents, the board, the reports and the manifest all read.
Modules: continuity (residence and trips), points/ (高度専門職 points, who is a holder, `docgen points`), routes
(legal verdicts), checks, longest_stay, conduct and penalties, work, household, traffic, deadlines (other
requirements and risks), findings (what a 説明書 explains), decision and decide (can this applicant file, and
from when), report (text).
"""

from docgen.assessment.assess import assess_applicant, assess_case
from docgen.assessment.decision import Decision, DecisionStatus
from docgen.assessment.results import Assessment, CaseAssessment, Finding, FindingKind

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
