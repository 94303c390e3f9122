"""Stage 3, assessment: a case in, verdicts, checks and findings out — computed once per run.

In: a `Case` (profile, rule book, assessment rules, release day, dates). Out: a `CaseAssessment` (one
`Assessment` per applicant) that the checklist, the documents, the reports and the manifest all read.
Modules: continuity (residence and trips), points/ (高度専門職 points), routes (legal verdicts), checks and
household (other requirements and risks), findings (what a 説明書 explains), report (text).
"""

from docgen.assessment.assess import assess_applicant, assess_case
from docgen.assessment.results import Assessment, CaseAssessment, Finding, FindingKind

__all__ = ["Assessment", "CaseAssessment", "Finding", "FindingKind", "assess_applicant", "assess_case"]
