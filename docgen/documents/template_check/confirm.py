"""Text the office confirms once: a {# 要確認: … #} note in a template.

Where the reference lacks a form's wording (the 申請書's English on その2 and its closing declaration), the
built-in template carries a Jinja comment beside the spot, e.g. {# 要確認: 公式様式の英文を確認してください（…） #}.
Jinja drops comments, so no filled document shows it (no ［ ］ that would stop `--final`); this check reports it
as a warning until the office has copied the wording into its own template and deleted the note.

In: one paragraph's XML and the `add` callback of `check_template`. Out: one `to_confirm` warning per note.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from docgen.documents.template_check.parts import _para_text, _shorten
from docgen.messages import say

CONFIRM_RE = re.compile(r"\{#-?\s*要確認\s*[:：]?\s*(.*?)\s*-?#\}", re.DOTALL)


def _confirm_findings(part: str, p: etree._Element, add: Callable[..., None]) -> None:
    """A warning for each {# 要確認: … #} note in the paragraph, with what the note asks."""
    text = _para_text(p)
    if "要確認" not in text:
        return
    for m in CONFIRM_RE.finditer(text):
        what = _shorten(m.group(1), 120)
        add(
            part,
            "warning",
            "to_confirm",
            say(
                f"事務所で一度確認する箇所です: {what}（この注記は書類に印刷されません）",
                f"text the office confirms once: {what} (the note is never printed).",
            ),
            _shorten(CONFIRM_RE.sub("", text)) or _shorten(text),
        )
