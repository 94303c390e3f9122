"""The assessment as a report a person can read in a minute (`docgen assess`, assessment.txt in a packet): the
decision first, in one line a client could be told, with what blocks and what weighs; then the routes and
the other checks."""

from __future__ import annotations

from docgen.assessment.continuity import RiskLevel
from docgen.assessment.decision import Decision
from docgen.assessment.results import (
    FINDING_TITLES,
    ROUTE_MARKS,
    ROUTE_WORDS,
    Assessment,
    CaseAssessment,
    RouteStatus,
)
from docgen.messages import say
from docgen.rules.sources import needs_review

CHECK_MARK = {"ok": "[OK]", "risk": "[!!]", "ng": "[NG]", "unknown": "[??]", "info": "[i] ", "review": "[?!]"}


RISK_WORD = {RiskLevel.LOW: "低", RiskLevel.MEDIUM: "中", RiskLevel.HIGH: "高"}


def route_mark(status: RouteStatus) -> str:
    """'[OK]', '[i] ': the route's mark in brackets, four columns wide."""
    return f"[{ROUTE_MARKS[status]}]".ljust(4)


def route_word(status: RouteStatus) -> str:
    """'満たす / met': the route's status in both languages."""
    word = ROUTE_WORDS[status]
    return f"{word.ja} / {word.en}"


def decision_items_text(d: Decision) -> list[str]:
    """The blockers, risks and review points, one line each, with the day each falls away."""
    lang_ja = say("ja", "en") == "ja"
    out = []
    for b in d.blockers:
        until = (f"{b.until}まで" if lang_ja else f"until {b.until}") if b.until else ""
        if b.until is None and b.waiting:
            until = b.waiting[0] if lang_ja else b.waiting[1]
        who = f"{b.applicant}: " if b.applicant else ""
        out.append(f"  [NG] {who}{b.ja if lang_ja else b.en}" + (f" ({until})" if until else ""))
    for r in d.risks:
        until = (f"{r.until}まで" if lang_ja else f"until {r.until}") if r.until else ""
        word = say(f"リスク{RISK_WORD[r.level]}", f"{r.level.value} risk")
        who = f"{r.applicant}: " if r.applicant else ""
        out.append(f"  [!!] {who}{word}: {r.ja if lang_ja else r.en}" + (f" ({until})" if until else ""))
    for v in d.review:
        who = f"{v.applicant}: " if v.applicant else ""
        out.append(f"  [??] {who}{say('要確認', 'to check')}: {v.ja if lang_ja else v.en}")
    return out


def decision_text(d: Decision, *, every_item: bool = True) -> list[str]:
    """The decision in one line, then each blocker, risk and review point (with the day it falls away); for a
    case heading the applicants' own reports, the blockers only."""
    out = [d.line()]
    if d.status.value == "blocked" and d.earliest_date is None and d.earliest_reason not in (None, d.waiting):
        out.append(
            say(f"  申請できる日: 未定 — {d.earliest_reason[0]}", f"  earliest date: none — {d.earliest_reason[1]}")
        )
    if every_item:
        return out + decision_items_text(d)
    blockers = Decision(d.status, d.on, d.earliest_date, d.earliest_reason, d.blockers, [], [], d.waiting)
    return (
        out + decision_items_text(blockers) + [say("  (各申請人の判断は下記)", "  (each applicant's decision below)")]
    )


def report_text(a: Assessment, *, headline: bool = True) -> str:
    """A report a person can read in a minute: the decision first (on top, or under the header when `headline`
    is false because the case's decision heads the report), then the routes, then the other checks."""
    decision = decision_text(a.decided)
    lines = [
        f"永住許可 要件チェック / Eligibility — {a.case_id} ({a.category})",
        f"基準日 / Date: {a.on}   申請人: {a.applicant}   在留資格: {a.status} ({a.period_of_stay})",
        "",
        "ルート / Routes",
    ]
    if headline:
        lines[0:0] = [*decision, ""]
    else:
        lines[2:2] = [say("判断: ", "Decision: ") + decision[0], *decision[1:]]
    if a.filing_with:
        lines[-2:-2] = [
            f"※ 主たる申請人({a.filing_with})と同時申請: 主たる申請人が許可されることが前提です。"
            "主たる申請人が不許可なら、この申請も不許可になります。",
            f"   Filing together with {a.filing_with}: this application stands or falls with the main applicant's.",
        ]
    for r in a.routes:
        if r.status in ("not_applicable", "informational") and not r.filed:
            continue
        star = " *申請区分 / filed" if r.filed else ""
        when = f" — 最短 / earliest {r.earliest_date}" if r.status == "not_met" and r.earliest_date else ""
        review = " [要確認]" if needs_review(r.sources, r.review) else ""
        cond = f" (条件: {r.conditional_on}の許可)" if r.conditional_on else ""
        lines.append(
            f"  {route_mark(r.status)} {r.id}: {r.name['ja']} — {route_word(r.status)}{cond}{when}{star}{review}"
        )
        for reason in r.reasons[-2:] if r.status == "met" else r.reasons:
            lines.append(f"       - {reason.ja}")
        if r.risk is not None:
            until = f"、{r.risk.clears_on}まで" if r.risk.clears_on else ""
            lines.append(
                f"       ! リスク{RISK_WORD[r.risk.level]} / risk {r.risk.level.value}{until} [目安・非公式・要確認]"
            )
            lines += [f"         - {reason.ja}" for reason in r.risk.reasons]
    info = [f"{r.id}({r.name['ja']})" for r in a.routes if r.status == "informational"]
    if info:
        lines.append(f"  [i]  参考(個別に確認) / check by hand: {'、'.join(info)}")
    hidden = [r.id for r in a.routes if r.status == "not_applicable" and not r.filed]
    if hidden:
        lines.append(
            f"  {route_mark(RouteStatus.NOT_APPLICABLE)} {route_word(RouteStatus.NOT_APPLICABLE)}: {', '.join(hidden)}"
        )
    lines += ["", "その他の確認 / Other checks"]
    for c in a.checks:
        flag = " [目安・非公式]" if not c.official else (" [要確認]" if needs_review(c.sources, c.review) else "")
        lines.append(f"  {CHECK_MARK[c.status]} {c.title['ja']}{flag}")
        for reason in c.reasons[:1] if c.status == "ok" else c.reasons:
            lines.append(f"       - {reason.ja}")
    if a.findings:
        lines += ["", "説明書の候補 / Letters to consider: " + "、".join(FINDING_TITLES[f.kind][0] for f in a.findings)]
    return "\n".join(lines)


def case_report_text(assessment: CaseAssessment) -> str:
    """The filing's decision first, then everyone filing in the case, main applicant first."""
    if not assessment.co_applicants:
        return report_text(assessment.main)
    head = "\n".join(decision_text(assessment.decision, every_item=False))
    return "\n\n".join([head, *(report_text(a, headline=False) for a in assessment.everyone)])
