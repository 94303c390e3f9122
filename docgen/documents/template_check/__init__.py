"""Check Word templates before they are used: the mistakes Word and its users make.

`check_template` reads a .docx the way docxtpl will (body, headers and footers) and
reports each problem as a `Finding` with the paragraph text around it, so staff can
find the spot in Word. `fix_template` repairs what can be repaired safely: tags that
Word split over several runs, and curly or full-width characters typed inside tags.

Modules: `parts` (the Word parts and their text), `word` (what Word did to the tags),
`names` (Jinja syntax and names against DocumentContext), `fonts`, `fix`, and `check`
(which runs them all).
"""

from docgen.documents.template_check.check import check_dir, check_template, has_errors, template_files
from docgen.documents.template_check.finding import Finding, Severity
from docgen.documents.template_check.fix import fix_template
from docgen.documents.template_check.fonts import font_resolves
from docgen.documents.template_check.names import model_properties

__all__ = [
    "Finding",
    "Severity",
    "check_dir",
    "check_template",
    "fix_template",
    "font_resolves",
    "has_errors",
    "model_properties",
    "template_files",
]
