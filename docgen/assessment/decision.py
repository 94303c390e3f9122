"""The decision: can this applicant (or the whole filing) file on the date, and from when.

`ready` (every requirement of the law and the guideline holds, no risk above low), `ready_with_risks` (it
holds, but a rule of thumb or an unverified point needs the office's judgement), `blocked` (a requirement of
the law or the guideline fails on the date) or `undecided` (a fact the decision needs is missing). Blockers
come from the law and the guideline only; practitioners' rules of thumb are risks. The shape and the ids are
the stable interface of shared/reference/contract.md ("`docgen assess PROFILE --format json`: the decision").

Reference: permanent-residence.md §11.1.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from docgen.assessment.continuity import RiskLevel
from docgen.messages import say
from docgen.rules.sources import Source, sources_json
from docgen.text import Text


class DecisionStatus(StrEnum):
    READY = "ready"
    READY_WITH_RISKS = "ready_with_risks"
    BLOCKED = "blocked"
    UNDECIDED = "undecided"


# The one table of a decision's status in a word (the case board, lists of applicants).
DECISION_WORDS = {
    DecisionStatus.READY: Text("申請可", "can file"),
    DecisionStatus.READY_WITH_RISKS: Text("申請可(要検討)", "can file (points to weigh)"),
    DecisionStatus.BLOCKED: Text("申請不可", "cannot file"),
    DecisionStatus.UNDECIDED: Text("判断不可(要確認)", "cannot decide (to check)"),
}


class ReviewKind(StrEnum):
    MISSING = "missing_fact"  # the decision needs a fact the profile does not give: undecided
    CHECK = "to_check"  # an unverified reading or a point the office judges: ready with risks at most


# The words of each id: what it is, in a few words a client could be told (ja, en). The ids are the contract's.
LABELS: dict[str, tuple[str, str]] = {
    # blockers
    "route_not_met": ("在留年数などの要件を満たす前", "before the residence requirement is met"),
    "longest_period_of_stay": ("最長の在留期間を有していない", "not holding the longest period of stay"),
    "public_obligations": ("公的義務(納税・年金・保険・届出)を満たしていない", "public obligations not met"),
    "criminal_penalty": ("罰金刑の刑の消滅前", "before the fine's sentence lapses"),
    "status_requirements": ("現在の在留資格の基準を満たしていない", "the current status's standards are not met"),
    "status_lapsed": ("在留資格が失われている", "the status has lapsed"),
    "main_applicant": ("主たる申請人が申請できる日の前", "before the main applicant can file"),
    "guarantor": ("身元保証人の要件", "the guarantor"),
    # risks
    "traffic_violations": ("交通違反(反則金)", "traffic violations (fixed penalties)"),
    "late_payments": ("納付の遅れ", "late payments"),
    "income_benchmark": ("収入の目安", "the income benchmark"),
    "time_abroad": ("出国日数", "time abroad"),
    "job_gap": ("就労していない期間", "time without a job"),
    "work_outside_status": ("資格外活動の収入", "income outside the status"),
    "household_work_outside_status": ("家族の資格外活動の収入", "a family member's income outside the status"),
    "three_year_period": ("在留期間3年の扱い(2027-04以降の処分)", "a 3-year period decided after 2027-03"),
    "stay_during_review": ("審査中の在留期限", "the period of stay during the review"),
    "passport_during_review": ("審査中の旅券の期限", "the passport during the review"),
    # review
    "fine_payment_date": ("罰金の納付日", "the fine's payment date"),
    "criminal_record": ("処分歴の内容", "the declared record"),
    "business_facts": ("経営・管理の事業の情報", "the business facts"),
    "route_facts": ("在留歴などの事実", "the residence facts"),
    "filed_route": ("申請区分", "the category filed"),
    "family_period_of_stay": ("家族の在留期間", "the family member's period of stay"),
    "income": ("収入の記録", "the income record"),
    "criminal_record_form": ("申請書13(処分歴)の記載", "form item 13 (criminal record)"),
}


def label(item_id: str) -> tuple[str, str]:
    return LABELS.get(item_id, (item_id, item_id))


def _day(d: date | None) -> str | None:
    return d.isoformat() if d else None


@dataclass(frozen=True)
class Blocker:
    """A requirement of the law or the guideline that fails on the date; `until` is the day it falls away if the
    facts stay as they are, `waiting` what must happen first when there is no such day."""

    id: str
    ja: str
    en: str
    until: date | None
    sources: tuple[Source, ...] = ()
    waiting: tuple[str, str] | None = None
    applicant: str | None = None  # in the case decision: whose

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "ja": self.ja,
            "en": self.en,
            "until": _day(self.until),
            "waiting": {"ja": self.waiting[0], "en": self.waiting[1]} if self.waiting else None,
            "sources": sources_json(self.sources),
            **({"applicant": self.applicant} if self.applicant else {}),
        }


@dataclass(frozen=True)
class DecisionRisk:
    """A rule of thumb or a task that needs the office's judgement; `until` is the day it falls away."""

    id: str
    level: RiskLevel
    ja: str
    en: str
    until: date | None = None
    sources: tuple[Source, ...] = ()
    official: bool = False
    applicant: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": self.level.value,
            "ja": self.ja,
            "en": self.en,
            "until": _day(self.until),
            "official": self.official,
            "sources": sources_json(self.sources),
            **({"applicant": self.applicant} if self.applicant else {}),
        }


@dataclass(frozen=True)
class ReviewPoint:
    """要確認: a missing fact (the decision waits for it) or an unverified point the office judges."""

    id: str
    ja: str
    en: str
    kind: ReviewKind
    applicant: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "ja": self.ja,
            "en": self.en,
            "kind": self.kind.value,
            **({"applicant": self.applicant} if self.applicant else {}),
        }


@dataclass
class Items:
    """What one applicant's routes and checks say, before the status and the date are worked out."""

    blockers: list[Blocker] = field(default_factory=list)
    risks: list[DecisionRisk] = field(default_factory=list)
    review: list[ReviewPoint] = field(default_factory=list)

    def __iadd__(self, other: Items) -> Items:
        self.blockers += other.blockers
        self.risks += other.risks
        self.review += other.review
        return self


def status_of(items: Items) -> DecisionStatus:
    if items.blockers:
        return DecisionStatus.BLOCKED
    if any(r.kind is ReviewKind.MISSING for r in items.review):
        return DecisionStatus.UNDECIDED
    if items.review or any(r.level is not RiskLevel.LOW for r in items.risks):
        return DecisionStatus.READY_WITH_RISKS
    return DecisionStatus.READY


@dataclass
class Decision:
    """One applicant's (or the whole filing's) decision on the date."""

    status: DecisionStatus
    on: date
    earliest_date: date | None
    earliest_reason: tuple[str, str] | None  # why there is no date (ja, en)
    blockers: list[Blocker]
    risks: list[DecisionRisk]
    review: list[ReviewPoint]
    waiting: tuple[str, str] | None = None  # no date: what must happen first, in a few words (ja, en)

    @property
    def can_file(self) -> bool:
        return self.status in (DecisionStatus.READY, DecisionStatus.READY_WITH_RISKS)

    def next_action(self) -> tuple[str, str] | None:
        """What unblocks a blocked decision and when (ja, en) — never "file": the blocker without a date first
        (what must happen), else the one that falls away last (the day to wait for). None when not blocked."""
        if self.status is not DecisionStatus.BLOCKED or not self.blockers:
            return None
        open_ended = next((b for b in self.blockers if b.until is None), None)
        if open_ended is not None:
            ja, en = open_ended.waiting or label(open_ended.id)
            return f"{ja}（時期未定）", f"{en} (no date yet)"
        last = max(self.blockers, key=lambda b: b.until or self.on)
        word = label(last.id)
        return f"{word[0]}: {last.until} を待つ", f"{word[1]}: wait until {last.until}"

    def line(self) -> str:
        """The decision in one line a client could be told, in the staff's language (Japanese by default)."""
        return say(*self.line_pair())

    def line_pair(self) -> tuple[str, str]:
        """The one line in Japanese and in English."""
        if self.status is DecisionStatus.READY:
            return "申請できます", "Ready to file"
        if self.status is DecisionStatus.READY_WITH_RISKS:
            weighed = [label(r.id) for r in self.risks if r.level is not RiskLevel.LOW]
            weighed += [label(r.id) for r in self.review]
            ja = "・".join(dict.fromkeys(x[0] for x in weighed))
            en = ", ".join(dict.fromkeys(x[1] for x in weighed))
            return f"申請できます（要検討: {ja}）", f"Can file, with points to weigh: {en}"
        if self.status is DecisionStatus.UNDECIDED:
            missing = [label(r.id) for r in self.review if r.kind is ReviewKind.MISSING]
            ja = "・".join(dict.fromkeys(x[0] for x in missing))
            en = ", ".join(dict.fromkeys(x[1] for x in missing))
            return f"判断できません（要確認: {ja}）", f"Cannot decide yet: {en} needed"
        why_ja = "・".join(dict.fromkeys(label(b.id)[0] for b in self.blockers))
        why_en = ", ".join(dict.fromkeys(label(b.id)[1] for b in self.blockers))
        if self.earliest_date is not None:
            return (
                f"申請できません（{self.earliest_date} 以降）: {why_ja}",
                f"Cannot file before {self.earliest_date}: {why_en}",
            )
        ja, en = self.waiting or self.earliest_reason or ("時期未定", "no date")
        return f"申請できません（時期未定: {ja}）: {why_ja}", f"Cannot file yet (no date: {en}): {why_en}"

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "date": self.on.isoformat(),
            "earliest_date": _day(self.earliest_date),
            "earliest_date_reason": (
                {"ja": self.earliest_reason[0], "en": self.earliest_reason[1]} if self.earliest_reason else None
            ),
            "waiting_for": {"ja": self.waiting[0], "en": self.waiting[1]} if self.waiting else None,
            "line": dict(zip(("ja", "en"), self.line_pair(), strict=True)),
            "blockers": [b.to_json() for b in self.blockers],
            "risks": [r.to_json() for r in self.risks],
            "review": [r.to_json() for r in self.review],
        }


def case_decision(decisions: list[tuple[str, Decision]]) -> Decision:
    """The filing as a whole: blocked if anyone is blocked, with the latest earliest date (None if anyone's is
    unknown); otherwise the least ready status of all. Every item says whose it is."""
    on = decisions[0][1].on
    items = Items()
    for name, d in decisions:
        items.blockers += [replace(b, applicant=name) for b in d.blockers]
        items.risks += [replace(r, applicant=name) for r in d.risks]
        items.review += [replace(r, applicant=name) for r in d.review]
    order = [DecisionStatus.BLOCKED, DecisionStatus.UNDECIDED, DecisionStatus.READY_WITH_RISKS, DecisionStatus.READY]
    status = min((d.status for _, d in decisions), key=order.index)
    earliest: date | None = on
    reason: tuple[str, str] | None = None
    waiting: tuple[str, str] | None = None
    if status in (DecisionStatus.BLOCKED, DecisionStatus.UNDECIDED):
        relevant = [(n, d) for n, d in decisions if d.status is status]
        unknown = next(((n, d) for n, d in relevant if d.earliest_date is None), None)
        if unknown is not None:
            earliest, waiting = None, unknown[1].waiting
            why = unknown[1].earliest_reason or ("時期未定", "no date")
            reason = (f"{unknown[0]}: {why[0]}", f"{unknown[0]}: {why[1]}")
        else:
            earliest = max(d.earliest_date for _, d in decisions if d.earliest_date is not None)
    return Decision(status, on, earliest, reason, items.blockers, items.risks, items.review, waiting)
