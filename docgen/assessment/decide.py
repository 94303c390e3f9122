"""From one applicant's routes and checks to the decision: which requirement of the law or the guideline fails
(blockers), which rules of thumb weigh (risks), which facts are missing or unverified (review), and the first
date on which nothing blocks any more — found by assessing the same facts again on the day each blocker falls
away, so a blocker that appears later (the 3年 treatment ending, say) is not missed.

Reference: permanent-residence.md §11.1; the vocabulary: shared/reference/contract.md.
"""

from __future__ import annotations

from datetime import date

from docgen.assessment.checks import assess_checks
from docgen.assessment.continuity import RiskLevel
from docgen.assessment.decision import (
    Blocker,
    Decision,
    DecisionRisk,
    DecisionStatus,
    Items,
    ReviewKind,
    ReviewPoint,
    label,
    status_of,
)
from docgen.assessment.results import Check, CheckStatus, RouteResult, RouteStatus
from docgen.assessment.routes import assess_routes
from docgen.assessment.situation import Situation

MAX_STEPS = 8  # blockers that fall away one after another: assess again at most this often

BLOCKER_IDS = {  # check id -> the contract's blocker id
    "criminal_record": "criminal_penalty",
    "business_standards": "status_requirements",
    "longest_period_of_stay": "longest_period_of_stay",
}
RISK_IDS = {
    "traffic": "traffic_violations",
    "job_gaps": "job_gap",
    "longest_period_of_stay": "three_year_period",  # 3年 counts until 2027-03-31; decided after it: 要確認
}
REVIEW_IDS = {
    "business_standards": "business_facts",
    "longest_period_of_stay": "family_period_of_stay",
    "income_benchmark": "income",
}
NOT_DECISIVE = {"continuity", "decision_date", "certificates"}  # time abroad is the route's risk; the rest: dates


def _route_items(case: Situation, routes: list[RouteResult]) -> Items:
    """No route met: blocked until the first route's date (or undecided when a route cannot be decided)."""
    out = Items()
    decided = [r for r in routes if r.status not in (RouteStatus.NOT_APPLICABLE, RouteStatus.INFORMATIONAL)]
    met = [r for r in decided if r.status is RouteStatus.MET]
    filed = next((r for r in routes if r.filed), None)
    if met:
        used = filed if filed in met else met[0]
        if filed is not None and filed is not used:
            out.review.append(
                ReviewPoint(
                    "filed_route",
                    f"申請区分のルート「{filed.name['ja']}」は満たしませんが、「{used.name['ja']}」({used.id})は満たします。"
                    "区分を変えると提出書類も変わります",
                    f"the category's route ({filed.id}) is not met, but {used.id} is; another category means other"
                    " documents",
                    ReviewKind.CHECK,
                )
            )
        if used.risk is not None:
            said = used.risk.reasons[0]
            out.risks.append(
                DecisionRisk("time_abroad", used.risk.level, said.ja, said.en, used.risk.clears_on, used.sources)
            )
        return out
    undecided = [r for r in decided if r.status is RouteStatus.CANNOT_DECIDE]
    if undecided or not decided:
        for r in undecided:
            why = r.reasons[-1] if r.reasons else None
            out.review.append(
                ReviewPoint(
                    "route_facts",
                    f"{r.name['ja']}: {why.ja if why else '判断できません'}",
                    f"{r.id}: {why.en if why else 'cannot decide'}",
                    ReviewKind.MISSING,
                )
            )
        if not decided:
            out.review.append(
                ReviewPoint(
                    "route_facts",
                    "どのルートにも当たりません(在留歴・在留資格を確認)",
                    "no route applies (check the residence history and status)",
                    ReviewKind.MISSING,
                )
            )
        return out
    dated = [r for r in decided if r.earliest_date is not None]
    if dated:
        first = min(dated, key=lambda r: (r.earliest_date or case.on, not r.filed))
        out.blockers.append(
            Blocker(
                "route_not_met",
                f"{first.name['ja']}: 要件を満たすのは{first.earliest_date}",
                f"{first.id}: met on {first.earliest_date}",
                first.earliest_date,
                first.sources,
            )
        )
        return out
    shown = filed if filed in decided else decided[0]
    why = shown.reasons[-1] if shown.reasons else None
    out.blockers.append(
        Blocker(
            "route_not_met",
            f"{shown.name['ja']}: {why.ja if why else '要件を満たしません'}",
            f"{shown.id}: {why.en if why else 'not met'}",
            None,
            shown.sources,
            ("事実が変わらない限り、要件を満たす日はありません", "no date while the facts stay as they are"),
        )
    )
    return out


def _check_items(checks: list[Check]) -> Items:
    """NG official checks are blockers; NG rules of thumb and risks are risks; unknown facts and unverified
    readings are review points."""
    out = Items()
    for c in checks:
        if c.id in NOT_DECISIVE or not c.reasons:
            continue
        first = c.reasons[0]
        if c.status is CheckStatus.NG and c.official:
            waiting = (c.waiting.ja, c.waiting.en) if c.waiting else None
            out.blockers.append(Blocker(BLOCKER_IDS.get(c.id, c.id), first.ja, first.en, c.until, c.sources, waiting))
        elif c.status in (CheckStatus.NG, CheckStatus.RISK):
            level = RiskLevel.HIGH if c.status is CheckStatus.NG else c.level or RiskLevel.MEDIUM
            out.risks.append(
                DecisionRisk(RISK_IDS.get(c.id, c.id), level, first.ja, first.en, c.until, c.sources, c.official)
            )
        elif c.status is CheckStatus.UNKNOWN:
            kind = ReviewKind.MISSING if c.official else ReviewKind.CHECK
            out.review.append(ReviewPoint(_review_id(c), first.ja, first.en, kind))
        elif c.status is CheckStatus.REVIEW:
            out.review.append(ReviewPoint(_review_id(c), first.ja, first.en, ReviewKind.CHECK))
        if c.id == "criminal_record" and c.data.get("fines") and not c.data.get("has_record"):
            out.review.append(
                ReviewPoint(
                    "criminal_record_form",
                    "罰金は刑罰です: 申請書13「犯罪を理由とする処分を受けたことの有無」は「有」とし内容を記載します",
                    "a fine is a criminal penalty: form item 13 must be 有 with the details",
                    ReviewKind.CHECK,
                )
            )
    return out


def _review_id(c: Check) -> str:
    if c.id == "criminal_record":
        fines = c.data.get("fines") or []
        return "fine_payment_date" if any(f.get("paid_on") is None for f in fines) else "criminal_record"
    return REVIEW_IDS.get(c.id, c.id)


def _status_items(case: Situation) -> Items:
    """By law (入管法26条・26条の2) a status lost abroad cannot be the basis of a filing."""
    out = Items()
    lapsed = next((e for e in case.cont.breaks if e.kind == "abroad_now"), None)
    if lapsed is not None:
        sources = case.rules.continuity.source_list(case.rules.continuity.reentry.sources)
        out.blockers.append(
            Blocker(
                "status_lapsed",
                lapsed.ja,
                lapsed.en,
                None,
                sources,
                ("再び在留資格を得て入国し、継続在留を数え直した後", "after a new entry on a status, counted again"),
            )
        )
    return out


def _main_items(case: Situation) -> Items:
    """A family member filing together stands or falls with the main applicant (§10.1)."""
    out = Items()
    main = case.main_decision
    if case.filing_with is None or main is None:
        return out
    if main.status is DecisionStatus.BLOCKED and (main.earliest_date is None or case.on < main.earliest_date):
        when = main.earliest_date or "時期未定"
        out.blockers.append(
            Blocker(
                "main_applicant",
                f"主たる申請人({case.filing_with})が申請できるのは{when}",
                f"the main applicant ({case.filing_with}) can file from {main.earliest_date or 'an unknown date'}",
                main.earliest_date,
                (),
                main.waiting or main.earliest_reason,
            )
        )
    elif main.status is DecisionStatus.UNDECIDED:
        out.review.append(
            ReviewPoint(
                "main_applicant",
                f"主たる申請人({case.filing_with})の判断に必要な事実がそろっていません",
                f"the main applicant's ({case.filing_with}) decision is missing facts",
                ReviewKind.MISSING,
            )
        )
    return out


def decision_items(case: Situation, routes: list[RouteResult], checks: list[Check]) -> Items:
    items = _status_items(case)
    items += _route_items(case, routes)
    items += _check_items(checks)
    items += _main_items(case)
    return items


def _earliest(case: Situation, blockers: list[Blocker]) -> tuple[date | None, tuple[str, str], tuple[str, str]]:
    """The first day nothing blocks if the facts stay as they are: jump to the day the last blocker falls away
    and assess again, until nothing blocks or a blocker has no day. Returns the day, or none with why (in full,
    and in a few words: what must happen first)."""
    current, last = blockers, case.on
    for _ in range(MAX_STEPS):
        waiting = next((b for b in current if b.until is None), None)
        if waiting is not None:
            ja, en = waiting.waiting or label(waiting.id)
            if last > case.on:  # a blocker that only appears on a later day: say when and what
                word = label(waiting.id)
                return None, (f"{last}には{word[0]}: {ja}", f"on {last}, {word[1]}: {en}"), (ja, en)
            return None, (ja, en), (ja, en)
        day = max(b.until for b in current if b.until is not None)
        if day <= last:
            break
        later = case.at(day)
        current, last = decision_items(later, assess_routes(later), assess_checks(later)).blockers, day
        if not current:
            return day, ("", ""), ("", "")
    none = ("見込みの日が見つかりません", "no date found")
    return None, none, none


def decide(case: Situation, routes: list[RouteResult], checks: list[Check]) -> Decision:
    """The applicant's decision on the date (a family member filing together: after the main applicant's)."""
    items = decision_items(case, routes, checks)
    status = status_of(items)
    earliest: date | None = case.on
    reason: tuple[str, str] | None = None
    waiting: tuple[str, str] | None = None
    if status is DecisionStatus.BLOCKED:
        earliest, why, first = _earliest(case, items.blockers)
        reason, waiting = (why, first) if earliest is None else (None, None)
    elif status is DecisionStatus.UNDECIDED:
        missing = [label(r.id) for r in items.review if r.kind is ReviewKind.MISSING]
        earliest = None
        reason = (
            "・".join(dict.fromkeys(x[0] for x in missing)) + "が分かるまで判断できません",
            ", ".join(dict.fromkeys(x[1] for x in missing)) + " needed first",
        )
    return Decision(status, case.on, earliest, reason, items.blockers, items.risks, items.review, waiting)
