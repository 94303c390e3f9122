"""Stage 4, checklist: rules and (for a case) the assessment in, the list of documents to collect out.

In: a `RuleBook`, a category and date, or a `Case` with its `CaseAssessment`. Out: a `Checklist` whose
items have their periods resolved (令和N年度, months, reference dates), their requirement level, and the
people they concern; printed as text, Markdown or the contract's JSON (`output.py`).
"""

from docgen.checklist.build import build_checklist, case_checklist
from docgen.checklist.model import Checklist, ChecklistItem, PersonRef, Requirement

__all__ = ["Checklist", "ChecklistItem", "PersonRef", "Requirement", "build_checklist", "case_checklist"]
