"""Stage beside profile: the client questionnaire (intake) — a profile out to Excel and the answers back in.

Out: `write_questionnaire` — an .xlsx in the client's language with the Japanese beside each question,
pre-filled from a profile (`prefill_data`), one sheet per person, dropdowns from the model's choices.
In: `read_questionnaire` reads the returned workbook (full-width digits, 和暦, Excel dates, 4,500,000円) and
`answers_to_profile` validates it with the real `Profile` model, every problem named by sheet, row, column and
question; `differences` lists what changes against an existing profile, `profile_yaml` /
`updated_profile_yaml` write it. The questions' texts are data (questions.yaml); `layout.py` says which field
each question fills.
"""

from docgen.intake.diff import differences
from docgen.intake.profile_data import prefill_data, profile_yaml, updated_profile_yaml
from docgen.intake.read import read_questionnaire
from docgen.intake.to_profile import answers_to_profile
from docgen.intake.workbook import write_questionnaire

__all__ = [
    "answers_to_profile",
    "differences",
    "prefill_data",
    "profile_yaml",
    "read_questionnaire",
    "updated_profile_yaml",
    "write_questionnaire",
]
