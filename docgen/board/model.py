"""One row of the case board: a case's verdict, expiries, packet state and actions, or why it could not be read.

Rows hold no names: people are "本人" (the main applicant) or their relationship ("妻", "子"), numbered in
profile order (0 = main applicant) so the calendar can name them without personal values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from docgen.text import Text


class ActionKind(StrEnum):
    RENEW_STAY = "renew_stay"  # 在留期間更新申請: the stay ends before the likely decision (by the stay expiry)
    PASSPORT = "passport"  # 旅券の更新: the passport ends before the likely decision (by its expiry)
    CERTIFICATES = "certificates"  # 証明書取得: certificates issued from this day are fresh on the planned date
    FILE = "file"  # 永住許可申請: the planned application date (only when the decision says the case can file)
    UNBLOCK = "unblock"  # what must happen before the case can file, on the day its blockers fall away
    CONFIRM = "confirm"  # 要確認: a fact the decision needs is missing (on the planned date)


ACTION_LABELS = {
    ActionKind.RENEW_STAY: Text("在留期間更新申請", "renew the period of stay"),
    ActionKind.PASSPORT: Text("旅券の更新", "renew the passport"),
    ActionKind.CERTIFICATES: Text("証明書取得", "collect the certificates"),
    ActionKind.FILE: Text("永住許可申請", "file for permanent residence"),
    ActionKind.UNBLOCK: Text("申請できるようになる日", "the day the case can file"),
    ActionKind.CONFIRM: Text("要確認事項の確認", "confirm the facts still to check"),
}
ACTION_ORDER = list(ActionKind)  # same day: renewals first, the filing last
WINDOW_KINDS = frozenset({ActionKind.CERTIFICATES})  # "from this day" rather than "by this day"


@dataclass(frozen=True)
class Action:
    """Something to do for the case on or by a day; `who` are applicant numbers (empty: the whole case)."""

    kind: ActionKind
    on: date
    who: tuple[int, ...] = ()
    roles: tuple[str, ...] = ()
    overdue: bool = False  # a deadline (or the planned date) that has passed
    open: bool = False  # a window that has opened (certificates can be collected now): in progress
    detail: Text | None = None  # what to do, in words the decision gives ('罰金刑の刑の消滅前: 2028-07-10 を待つ')

    @property
    def label(self) -> Text:
        """'在留期間更新申請（本人・妻）', or the decision's words for what unblocks the case."""
        who = Text(f"（{'・'.join(self.roles)}）", f" ({', '.join(self.roles)})") if self.roles else Text("", "")
        return (self.detail or ACTION_LABELS[self.kind]) + who

    @property
    def sort_key(self) -> tuple[date, int]:
        return self.on, ACTION_ORDER.index(self.kind)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "label": ACTION_LABELS[self.kind].ja,
            "date": self.on.isoformat(),
            "from_date": self.kind in WINDOW_KINDS,
            "who": list(self.roles),
            "overdue": self.overdue,
            "open": self.open,
            "detail": self.detail.ja if self.detail else None,
        }


@dataclass(frozen=True)
class Person:
    """One applicant of the case: the filed route's verdict and the two expiries."""

    index: int
    role: str
    route: str | None
    status: str  # a RouteStatus value, "unknown" when no filed route was found
    earliest_date: date | None
    risk: str | None  # low / medium / high (rules of thumb), if any
    stay_expiry: date
    passport_expiry: date
    cautions: tuple[str, ...] = ()  # the checks `docgen assess` marks not met, at risk or unknown (their titles)
    decision: str = "undecided"  # the applicant's decision (a DecisionStatus value): what the board shows
    decision_earliest: date | None = None  # the first day the applicant could file, facts unchanged

    def to_json(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "route": self.route,
            "status": self.status,
            "earliest_date": self.earliest_date.isoformat() if self.earliest_date else None,
            "risk": self.risk,
            "cautions": list(self.cautions),
            "decision": self.decision,
            "decision_earliest_date": self.decision_earliest.isoformat() if self.decision_earliest else None,
            "stay_expiry": self.stay_expiry.isoformat(),
            "passport_expiry": self.passport_expiry.isoformat(),
        }


@dataclass(frozen=True)
class CaseDecisionState:
    """The filing's decision as the assessment made it: the board shows it, never decides it."""

    status: str  # ready / ready_with_risks / blocked / undecided
    earliest_date: date | None
    line: str  # the one line a client could be told (Japanese)
    unblock: Text | None = None  # what unblocks a blocked case and when; never 申請

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "earliest_date": self.earliest_date.isoformat() if self.earliest_date else None,
            "line": self.line,
            "unblock": self.unblock.ja if self.unblock else None,
        }


@dataclass(frozen=True)
class PacketState:
    """What the case's packet says, read from its manifest only (None lists: the manifest does not say)."""

    folder: str
    complete: bool  # a manifest written by docgen
    generated_at: str | None = None
    from_client: tuple[str, ...] | None = None  # titles still to receive from the client
    by_office: tuple[str, ...] | None = None  # titles the office still prepares
    placeholders: int = 0  # ［…］ places still to write in the documents
    outdated: tuple[Text, ...] = ()  # why the packet no longer matches the profile (or must be made again)
    unknown: str | None = None  # why the lists are not known ('古い形式'): the packet must be made again

    def to_json(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "complete": self.complete,
            "generated_at": self.generated_at,
            "missing_from_client": list(self.from_client) if self.from_client is not None else None,
            "missing_by_office": list(self.by_office) if self.by_office is not None else None,
            "placeholders": self.placeholders,
            "unknown": self.unknown,
            "outdated": [o.ja for o in self.outdated],
        }


@dataclass(frozen=True)
class Certificates:
    """The 3-month validity window for the planned date (the main applicant's `certificates` check)."""

    issued_on_or_after: date
    file_by_if_issued_today: date
    stale_if_issued_today: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "issued_on_or_after": self.issued_on_or_after.isoformat(),
            "file_by_if_issued_today": self.file_by_if_issued_today.isoformat(),
            "stale_if_issued_today": self.stale_if_issued_today,
        }


# Why a folder is not a usable case (the JSON writes the Japanese):
NO_PROFILE = Text("プロフィールがありません", "no profile")  # no YAML file at all
SEVERAL_PROFILES = Text("プロフィールが複数あります", "several profiles")  # several YAML files could be the profile
PROFILE_ERROR = Text("プロフィールにエラー", "errors in the profile")  # its problems have a line and a field
UNREADABLE = Text("読めません", "cannot be read")  # the folder or the profile could not be read (why: the problem)
CANNOT_ASSESS = Text("評価できません", "cannot be assessed")  # a valid profile these rules could not assess


@dataclass(frozen=True)
class BoardRow:
    """One folder under the cases folder: a case's facts and actions, or `error` (one of the labels above, with
    `problems` saying why) when it holds no usable profile."""

    case_id: str
    folder: Path
    profile_file: str
    category: str | None = None
    application_date: date | None = None
    people: tuple[Person, ...] = ()
    packet: PacketState | None = None
    certificates: Certificates | None = None
    actions: tuple[Action, ...] = ()
    error: Text | None = None  # NO_PROFILE, SEVERAL_PROFILES, PROFILE_ERROR, UNREADABLE or CANNOT_ASSESS
    problems: tuple[Text, ...] = ()  # '14行目 [applicant.sexx]: unknown field …'
    notes: tuple[Text, ...] = ()  # things staff should know (a packet older than the profile …)
    decision: CaseDecisionState | None = None  # the whole filing's decision
    employers: tuple[str, ...] = ()  # the main applicant's current employer(s) as recorded (board.employer); for
    # filtering only: no output shows them
    staff: str | None = None  # the office's staff member in charge, as recorded when the case started (case.in_charge)

    @property
    def next_action(self) -> Action | None:
        """The earliest overdue action, else the earliest one still ahead (an open window is in progress)."""
        overdue = [a for a in self.actions if a.overdue]
        ahead = [a for a in self.actions if not a.overdue and not a.open]
        pool = overdue or ahead
        return min(pool, key=lambda a: a.sort_key) if pool else None

    @property
    def overdue(self) -> bool:
        return any(a.overdue for a in self.actions)

    @property
    def urgency(self) -> tuple[int, date, str]:
        """Sort key: overdue cases first, then cases that could not be read, then by the next action's date, then
        folders with no profile at all (nothing to do by a date, but never hidden)."""
        nxt = self.next_action
        group = 0 if self.overdue else 3 if self.error == NO_PROFILE else 1 if self.error else 2
        return group, nxt.on if nxt else date.max, self.case_id

    @property
    def main(self) -> Person | None:
        return self.people[0] if self.people else None

    def to_json(self) -> dict[str, Any]:
        nxt = self.next_action
        return {
            "case_id": self.case_id,
            "folder": str(self.folder),
            "profile": self.profile_file,
            "error": self.error.ja if self.error else None,
            "problems": [p.ja for p in self.problems],
            "category": self.category,
            "application_date": self.application_date.isoformat() if self.application_date else None,
            "decision": self.decision.to_json() if self.decision else None,
            "applicants": [p.to_json() for p in self.people],
            "packet": self.packet.to_json() if self.packet else None,
            "certificates": self.certificates.to_json() if self.certificates else None,
            "actions": [a.to_json() for a in sorted(self.actions, key=lambda a: a.sort_key)],
            "next_action": nxt.to_json() if nxt else None,
            "overdue": self.overdue,
            "notes": [n.ja for n in self.notes],
            "staff": self.staff,
        }


@dataclass(frozen=True)
class Board:
    """Every case folder on a day, most urgent first (or every case of one employer, see board.employer)."""

    today: date
    cases_dir: Path
    rows: list[BoardRow]
    employer: str | None = None  # only the cases of this employer (as staff typed it), when asked
    employer_unknown: int = 0  # folders left off because no employer could be read from them (no profile …)

    def to_json(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "cases_dir": str(self.cases_dir),
            **({"employer": self.employer, "employer_unknown": self.employer_unknown} if self.employer else {}),
            "count": len(self.rows),
            "overdue": sum(r.overdue for r in self.rows),
            "errors": sum(r.error is not None for r in self.rows),  # every folder that is not a usable case
            "without_profile": sum(r.error == NO_PROFILE for r in self.rows),
            "cases": [r.to_json() for r in self.rows],
        }
