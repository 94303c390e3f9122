"""Stage 5, documents: the case, its assessment and checklist in, filled Word files out.

In: a `Case`, its `CaseAssessment` and `Checklist`. Out: .docx files rendered from the Word templates in a
sandbox (strict undefined names, autoescape). `context.py` is the typed model templates see, `views.py`
builds it per applicant, `explanations.py` and `points_table.py` add letter and points data,
`reason_letter.py` (with `letter_sections.py`, on `letters.py`) writes the 理由書 sentence by sentence from the
profile's facts, `placeholders.py` finds the ［…］ left for the office in the filled files,
`template_check/` and `template_vars.py` tell staff what an edited template broke and what it may use.
"""
