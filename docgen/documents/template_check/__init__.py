"""Check Word templates before they are used: the mistakes Word and its users make.

`check_template` reads a .docx the way docxtpl will (body, headers and footers) and
reports each problem as a `Finding` with the paragraph text around it, so staff can
find the spot in Word. `fix_template` repairs what can be repaired safely: tags that
Word split over several runs, and curly or full-width characters typed inside tags.
`require_agent` stops a packet or preview before any work when the case has no 取次者
and a template needs one.

Modules: `parts` (the Word parts and their text), `word` (what Word did to the tags),
`names` (Jinja syntax and names against DocumentContext, values that may be empty),
`bounds` (widths, counts and lengths above the sandbox's limits: |center(10**9), '%999999999s' …),
`fonts`, `confirm` ({# 要確認: … #} notes: wording the office confirms once), `fix`, `check` (which runs
them all) and `office` (the 取次者 before a run).
"""

from docgen.documents.template_check.check import check_dir, check_template, has_errors, template_files
from docgen.documents.template_check.finding import Finding, Severity
from docgen.documents.template_check.fix import fix_template
from docgen.documents.template_check.fonts import font_resolves
from docgen.documents.template_check.model_types import model_properties
from docgen.documents.template_check.office import require_agent

__all__ = [
    "Finding",
    "Severity",
    "check_dir",
    "check_template",
    "fix_template",
    "font_resolves",
    "has_errors",
    "model_properties",
    "require_agent",
    "template_files",
]
