"""How a step the library names is taken on the command line: the flag or command, in the staff's language."""

from __future__ import annotations

import shlex

from docgen.messages import say
from docgen.text import NextStep, Notice, Step


def how(step: NextStep) -> str:
    """'作り直すには: --regenerate reason_letter_wang_wei' and the like."""
    target = step.target
    if step.step is Step.MAKE_HANDOUT:
        d = dict(step.details)
        command = (
            f"docgen checklist {d['category']} --profile {shlex.quote(d['profile'])} --lang {d['lang']}"
            f" --format {d['format']} --out {shlex.quote(target)}"
        )
        return say(f"作り直すには: {command}", f"to make it again: {command}")
    ways: dict[Step, tuple[str, str]] = {
        Step.REGENERATE: (f"作り直すには: --regenerate {target}", f"to make it again: --regenerate {target}"),
        Step.DRAFT: ("下書きを作るには: --draft", "to build a draft: --draft"),
        Step.ACCEPT: ('承認して作るには: --final --accept "理由"', 'to accept it: --final --accept "reason"'),
        Step.WORD_ONLY: (
            "Word のファイルだけを作るには: --no-pdf（docgen checklist では --format docx）",
            "to make the Word files only: --no-pdf (--format docx for docgen checklist)",
        ),
        Step.REPLACE: ("置き換えるには: --force", "to replace them: --force"),
        Step.REPAIR_TEMPLATES: (
            "修復するには: docgen templates check --fix",
            "to repair: docgen templates check --fix",
        ),
        Step.NAME_OUTPUT: ("保存先を指定するには: --out", "to choose where it goes: --out"),
        Step.NAME_PROFILE: ("取り込み先を指定するには: --profile", "to name the profile: --profile"),
    }
    return say(*ways[step.step])


def with_steps(text: object, steps: tuple[NextStep, ...]) -> str:
    """The message, then how each of its steps is taken here."""
    return str(text) + "".join(f"\n  → {how(s)}" for s in steps)


def notice_line(notice: Notice) -> str:
    """A note with its steps on one line: 'what happened（作り直すには: --regenerate key）'."""
    if not notice.steps:
        return str(notice)
    return str(notice) + say("（", " (") + "; ".join(how(s) for s in notice.steps) + say("）", ")")
