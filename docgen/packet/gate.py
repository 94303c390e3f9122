"""The packet's gates from the case's decision: a blocked case is built only as a draft, and `--final` (the
filing copy) passes only when nothing is left that the office has not fixed or knowingly accepted."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.assessment.decision import Decision, DecisionStatus
from docgen.case import Case
from docgen.checklist import ChecklistItem
from docgen.documents.placeholders import Unfilled
from docgen.errors import DocgenError
from docgen.messages import say
from docgen.text import NextStep, Notice, Step, Text


@dataclass(frozen=True)
class Acceptance:
    """The office files knowing what is missing: who accepted it (a login name) and why (staff's words)."""

    by: str
    reason: str


def check_blocked(decision: Decision, draft: bool, final: bool) -> None:
    """A case the law or the guideline blocks is never a filing copy, and is built only as a draft on request."""
    if decision.status is not DecisionStatus.BLOCKED or (draft and not final):
        return
    why = "".join(f"\n  ・{b.ja}" for b in decision.blockers)
    why_en = "".join(f"\n  - {b.en}" for b in decision.blockers)
    line_ja, line_en = decision.line_pair()  # the decision's one line: its status, date and blockers' names
    if final:
        raise DocgenError(
            Text(
                f"提出用にできません。{line_ja}。何も変更していません:{why}",
                f"cannot make the filing copy: {line_en}; nothing was changed:{why_en}",
            )
        )
    raise DocgenError(
        Text(
            f"{line_ja}。何も作成していません:{why}\n下書きとしてなら作れます（全頁に「下書き」と入ります）",
            f"{line_en}; nothing was built:{why_en}\nIt can be built as a draft (every page is stamped 下書き)",
        ),
        steps=(NextStep(Step.DRAFT),),
    )


def final_gate(
    decision: Decision,
    stale: list[Notice],
    placeholders: list[Unfilled],
    incomplete: list[ChecklistItem],
    rejected: list[tuple[Path, str]],
    accept: Acceptance | None,
) -> list[str]:
    """The filing copy's checks. A kept edit left unreviewed or a ［ ］ left always refuses; an undecided
    decision, an incomplete item or an excluded scan refuses unless the office accepts them with a reason
    (returned: what was accepted, in words for the manifest)."""
    fixed = [str(n) for n in stale]
    if placeholders:
        places, documents = sum(p.count for p in placeholders), len({p.document for p in placeholders})
        fixed.append(
            say(
                f"記入が必要な［ ］が{documents}書類に{places}箇所残っています（一式の docx/ の Word ファイルに記入）",
                f"{places} ［ ］ placeholder(s) remain in {documents} document(s) (fill them in docx/)",
            )
            + "".join(f"\n    ・{p.line()}" for p in placeholders)
        )
    acceptable = []
    if decision.status is DecisionStatus.UNDECIDED:
        acceptable.append(say(f"判断できません: {decision.line_pair()[0]}", f"undecided: {decision.line_pair()[1]}"))
    for item in incomplete:
        count = getattr(getattr(item, "progress", None), "count", "")
        words = say(f"書類が揃っていません: {item.title()}", f"incomplete: {item.title()}")
        acceptable.append(words + (f"（{count}）" if count else ""))
    for path, reason in rejected:
        acceptable.append(say(f"除外した資料: {path.name}: {reason}", f"scan left out: {path.name}: {reason}"))
    if fixed or (acceptable and accept is None):
        lines = "".join(f"\n  ・{x}" for x in fixed + acceptable)
        hint = (
            Text(
                "\n［ ］と見直しは直してください。不足や除外を承知で提出するときは、理由を書いて承認してください"
                "（誰が・なぜ承認したかを記録します）",
                "\nFix the ［ ］ and the reviews. To file knowing what is missing or left out, accept it with a"
                " reason (who accepted it and why is recorded)",
            )
            if acceptable
            else Text("", "")
        )
        raise DocgenError(
            Text(
                "提出用にできません（何も変更していません）:" + lines + hint.ja,
                "not ready to file (nothing changed):" + lines + hint.en,
            ),
            steps=(NextStep(Step.ACCEPT),) if acceptable else (),
        )
    return acceptable


def final_record(case: Case, final: bool, accept: Acceptance | None, accepted: list[str]) -> dict[str, Any]:
    """The manifest's record of the filing copy: final or not, and who accepted what and why."""
    return {
        "final": final,
        "accepted": (
            {
                "by": accept.by,
                "at": case.now.isoformat(timespec="seconds"),
                "reason": accept.reason,
                "what": accepted,
            }
            if final and accept is not None and accepted
            else None
        ),
    }
