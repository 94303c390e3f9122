"""What a case needs done and by when, from its assessment: a renewal of the stay or the passport that ends
before the likely decision, and what the decision allows — certificates from the first day they stay fresh and
the filing itself when the case can file, what unblocks it (and from when) when it is blocked, the missing facts
when it is undecided. The board never proposes 申請 for a case the decision blocks."""

from __future__ import annotations

from datetime import date

from docgen.assessment.decision import DecisionStatus
from docgen.assessment.results import Assessment, CaseAssessment, Check, CheckStatus, RouteStatus
from docgen.board.model import Action, ActionKind, CaseDecisionState, Certificates, Person
from docgen.case import Case
from docgen.text import Text

CAUTION = (CheckStatus.NG, CheckStatus.RISK, CheckStatus.UNKNOWN)  # what the board repeats from `assess`

MAIN_ROLE = "本人"


def check_of(a: Assessment, check_id: str) -> Check | None:
    return next((c for c in a.checks if c.id == check_id), None)


def _date(data: dict[str, object], key: str) -> date | None:
    value = data.get(key)
    return date.fromisoformat(value) if isinstance(value, str) else None


def people(case: Case, assessment: CaseAssessment) -> tuple[Person, ...]:
    """Each applicant (main first, then the family filing together) with the filed route and the expiries."""
    p = case.profile
    facts = [(MAIN_ROLE, p.applicant.stay_expiry, p.applicant.passport.expiry)]
    facts += [
        (m.relationship, m.application.stay_expiry, m.application.passport.expiry)
        for m in p.co_applicants
        if m.application is not None  # always set for a member filing together (profile checks)
    ]
    out = []
    for i, (a, (role, stay, passport)) in enumerate(zip(assessment.everyone, facts, strict=True)):
        route = next((r for r in a.routes if r.filed), None)
        out.append(
            Person(
                i,
                role,
                route.id if route else None,
                route.status.value if route else "unknown",
                route.earliest_date if route else None,
                route.risk.level.value if route and route.risk and route.status is RouteStatus.MET else None,
                stay,
                passport,
                tuple(c.title["ja"] for c in a.checks if c.status in CAUTION),
                a.decided.status.value,
                a.decided.earliest_date,
            )
        )
    return tuple(out)


def decision_state(assessment: CaseAssessment) -> CaseDecisionState:
    d = assessment.decision
    unblock = d.next_action()
    return CaseDecisionState(d.status.value, d.earliest_date, d.line_pair()[0], Text(*unblock) if unblock else None)


def certificates(assessment: CaseAssessment) -> Certificates | None:
    c = check_of(assessment.main, "certificates")
    first, last = (_date(c.data, "issued_on_or_after"), _date(c.data, "file_by")) if c else (None, None)
    if c is None or first is None or last is None:
        return None
    return Certificates(first, last, bool(c.data.get("stale_if_issued_today")))


def case_actions(
    case: Case, assessment: CaseAssessment, who: tuple[Person, ...], certs: Certificates | None
) -> tuple[Action, ...]:
    """Every action of the case; people with the same deadline of the same kind share one action."""
    today = case.today
    grouped: dict[tuple[ActionKind, date], list[int]] = {}
    for i, a in enumerate(assessment.everyone):
        stay, passport = check_of(a, "stay_during_review"), check_of(a, "passport_during_review")
        renew_by = _date(stay.data, "renew_by") if stay else None
        expiry = _date(passport.data, "passport_expiry") if passport else None
        if renew_by:
            grouped.setdefault((ActionKind.RENEW_STAY, renew_by), []).append(i)
        if expiry:
            grouped.setdefault((ActionKind.PASSPORT, expiry), []).append(i)
    actions = [
        Action(kind, on, tuple(ix), tuple(who[i].role for i in ix), overdue=on < today)
        for (kind, on), ix in grouped.items()
    ]
    decision = assessment.decision
    planned = case.application_date
    if decision.can_file:
        if certs is not None and planned >= today:  # once the date has passed, the filing is overdue
            start = certs.issued_on_or_after
            actions.append(Action(ActionKind.CERTIFICATES, start, open=start <= today))
        actions.append(Action(ActionKind.FILE, planned, overdue=planned < today))
    elif decision.status is DecisionStatus.BLOCKED:
        unblock = decision.next_action()
        if decision.earliest_date is not None:  # without a date the board shows the decision's words only
            detail = Text(*unblock) if unblock else None
            actions.append(Action(ActionKind.UNBLOCK, decision.earliest_date, detail=detail))
    else:
        actions.append(Action(ActionKind.CONFIRM, planned, overdue=planned < today))
    return tuple(sorted(actions, key=lambda a: a.sort_key))
