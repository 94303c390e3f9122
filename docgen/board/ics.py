"""The board's deadlines as an iCalendar file the office calendar subscribes to.

One all-day event per action, with a UID derived from the case id and the action's kind (and the first
applicant's number for a per-person deadline), so a moved date updates the event instead of adding one.
Nothing personal beyond the case id: applicants are "主申請者" / "同時申請者1" …, never names or relationships.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from icalendar import Calendar, Event

from docgen.board.model import Action, ActionKind, Board, BoardRow
from docgen.packet.safe_write import private_file

PRODID = "-//docgen//case board//JA"
CALENDAR_NAME = "永住許可申請 案件の期限 (docgen)"
SUMMARIES = {
    ActionKind.RENEW_STAY: "在留期間更新申請の期限",
    ActionKind.PASSPORT: "旅券の有効期限(更新)",
    ActionKind.CERTIFICATES: "証明書の取得開始(発行後3か月以内に申請)",
    ActionKind.FILE: "永住許可申請(申請予定日)",
    ActionKind.UNBLOCK: "申請できるようになる日(それまで申請しない)",
    ActionKind.CONFIRM: "要確認事項の確認(申請予定日)",
}
DESCRIPTIONS = {
    ActionKind.RENEW_STAY: "在留期限が審査結果の見込みより前です。永住許可申請中も在留期間は延長されないため、"
    "この日までに在留期間更新許可申請をしてください。",
    ActionKind.PASSPORT: "旅券の有効期限が審査結果の見込みより前です。審査中の旅券更新に備えてください。",
    ActionKind.CERTIFICATES: "この日以降に発行された証明書が申請予定日に発行後3か月以内です。",
    ActionKind.FILE: "申請予定日です。",
    ActionKind.UNBLOCK: "法令・ガイドラインの要件を満たさないため、この日まで申請できません（事実が変わらない場合）。"
    "理由は docgen assess で確認してください。",
    ActionKind.CONFIRM: "判断に必要な事実が足りません。申請の前に docgen assess で要確認事項を確認してください。",
}


def applicant_label(index: int) -> str:
    return "主申請者" if index == 0 else f"同時申請者{index}"


def event_uid(case_id: str, action: Action) -> str:
    """Stable across runs: case id + kind (+ the first applicant's number for a per-person deadline)."""
    person = f"-{action.who[0]}" if action.who else ""
    return f"{case_id}-{action.kind.value}{person}@docgen"


def _event(row: BoardRow, action: Action, stamp: datetime) -> Event:
    who = f"({'・'.join(applicant_label(i) for i in action.who)})" if action.who else ""
    ev = Event()
    ev.add("uid", event_uid(row.case_id, action))
    ev.add("dtstamp", stamp)
    ev.add("dtstart", action.on)
    ev.add("dtend", action.on + timedelta(days=1))
    ev.add("summary", f"【{row.case_id}】{SUMMARIES[action.kind]}{who}")
    ev.add("description", f"{DESCRIPTIONS[action.kind]}\n区分: {row.category}\n(docgen cases で作成)")
    ev.add("transp", "TRANSPARENT")
    return ev


def board_calendar(board: Board, stamp: datetime) -> Calendar:
    """Every action of every readable case, by date; `stamp` is the time of the run (DTSTAMP)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", CALENDAR_NAME)
    events = sorted(
        ((a.on, event_uid(r.case_id, a), r, a) for r in board.rows if not r.error for a in r.actions),
        key=lambda e: (e[0], e[1]),
    )
    for _, _, row, action in events:
        cal.add_component(_event(row, action, stamp))
    return cal


def write_calendar(board: Board, target: Path, stamp: datetime) -> int:
    """Write the calendar owner-only (replacing only a file docgen wrote); returns the number of events."""
    cal = board_calendar(board, stamp)
    with private_file(target) as part:
        part.write_bytes(cal.to_ical())
    return len(cal.walk("VEVENT"))
