"""Stage beside profile: the client questionnaire (intake) — a profile out to Excel and the answers back in.

Out: `write_questionnaire` — an .xlsx in the client's language with the Japanese beside each question,
pre-filled from a profile (`prefill_data`), one sheet per person, dropdowns from the model's choices.
In: `read_questionnaire` reads the returned workbook (full-width digits, 和暦, Excel dates, 4,500,000円) and
`import_answers` validates it with the real `Profile` model, every problem of the workbook in one round, named
by sheet, row, column and question (lenient.py runs the whole-profile checks on the rest of the workbook while
some cells fail). The client is not asked the office's fields: categories are read by id, Japanese name or
status, derived from the status when empty, or left for the office and reported (office_fields.py).
`differences` lists what changes against an existing profile, `profile_yaml` / `updated_profile_yaml` write it.
The questions' texts are data (questions.yaml); `layout.py` says which field each question fills.
"""

from docgen.intake.diff import differences
from docgen.intake.profile_data import prefill_data, profile_yaml, updated_profile_yaml
from docgen.intake.read import read_questionnaire
from docgen.intake.to_profile import answers_to_profile, import_answers
from docgen.intake.workbook import write_questionnaire

__all__ = [
    "answers_to_profile",
    "differences",
    "import_answers",
    "prefill_data",
    "profile_yaml",
    "read_questionnaire",
    "updated_profile_yaml",
    "write_questionnaire",
]
