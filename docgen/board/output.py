"""The case board as a text table (Japanese headers, aligned for full-width characters), JSON or CSV.

The CSV is opened in a spreadsheet: as OWASP recommends against CSV injection, every cell is quoted and one that
begins like a formula (= + - @, tab, CR …) gets a leading apostrophe, so a folder's name or a title is shown as
text, never run."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from datetime import date
from functools import cache

from docgen.board.model import NO_PROFILE, WINDOW_KINDS, Action, ActionKind, Board, BoardRow, PacketState, Person
from docgen.text import Text

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")  # OWASP CSV injection, and \0 (ASVS 1.2.10)

HEADERS = (
    "",
    "案件ID",
    "区分",
    "申請予定日",
    "判定(本人)",
    "同時申請",
    "不足書類",
    "在留期限",
    "旅券期限",
    "証明書",
    "次の対応",
    "期日",
)
CSV_HEADERS = (
    "案件ID",
    "区分",
    "申請予定日",
    "判定",
    "最短日",
    "同時申請",
    "パケット",
    "不足(依頼者)",
    "不足(事務所)",
    "在留期限",
    "旅券期限",
    "今日取得の証明書",
    "証明書の取得開始日",
    "次の対応",
    "期日",
    "期限超過",
    "エラー",
    "注意",
)


def decision_word(status: str) -> str:
    """The board's word for a decision status (the assessment's table, in Japanese); an unknown status as it is.
    (The table is loaded here, not with the module: `spreadsheet_safe` alone is imported by every command.)"""
    from docgen.assessment.decision import DECISION_WORDS, DecisionStatus

    try:
        return DECISION_WORDS[DecisionStatus(status)].ja
    except ValueError:
        return status


def verdict_text(p: Person) -> str:
    """The applicant's decision: '申請可', '申請不可 最短2028-07-10', '申請不可 時期未定', '申請可(要検討)'."""
    text = decision_word(p.decision)
    if p.decision == "blocked":
        text += f" 最短{p.decision_earliest}" if p.decision_earliest else " 時期未定"
    if p.cautions:
        text += f" 要確認{len(p.cautions)}件"  # which ones: docgen assess, or the JSON
    return text


def co_applicants_text(people: tuple[Person, ...]) -> str:
    """'' alone, '2名 申請可' when all can file, else each with its decision."""
    others = people[1:]
    if not others:
        return ""
    if all(p.decision == "ready" for p in others):
        return f"{len(others)}名 {decision_word('ready')}" + (" 要確認あり" if any(p.cautions for p in others) else "")
    return "・".join(f"{p.role} {verdict_text(p)}" for p in others)


def next_text(row: BoardRow, lang: str, mark_overdue: bool = True) -> tuple[str, str]:
    """(the next action in `lang`, its date): a blocked case without a date says what must happen, '時期未定'."""
    nxt = row.next_action
    if nxt is not None:
        return nxt.label.render(lang) + ("【期限超過】" if nxt.overdue and mark_overdue else ""), ""
    if row.decision is not None and row.decision.unblock:
        return row.decision.unblock.render(lang), "時期未定"
    return "", ""


def packet_text(packet: PacketState | None) -> str:
    if packet is None:
        return "パケット未作成"
    if not packet.complete:
        return "パケット不完全"
    if packet.from_client is None:
        return f"{packet.unknown or '不足書類不明'}(要再作成)"
    parts = [f"依頼者{len(packet.from_client)}件" if packet.from_client else "依頼者なし"]
    if packet.by_office:
        parts.append(f"事務所{len(packet.by_office)}件")
    if packet.placeholders:
        parts.append(f"記入{packet.placeholders}箇所")
    return "・".join(parts) + ("(要再作成)" if packet.outdated else "")


def expiry_text(row: BoardRow, attr: str, renewal: ActionKind) -> str:
    """The earliest expiry and whose ('2027-08-31(3名)', '2028-07-01(子)'), '※要更新' when it ends during review."""
    if not row.people:
        return ""
    values = [getattr(p, attr) for p in row.people]
    earliest = min(values)
    roles = [p.role for p, v in zip(row.people, values, strict=True) if v == earliest]
    text = f"{earliest}"
    if len(row.people) > 1:
        text += f"({len(roles)}名)" if len(roles) == len(row.people) else f"({'・'.join(roles)})"
    return text + ("※要更新" if any(a.kind is renewal for a in row.actions) else "")


def certificates_text(row: BoardRow) -> str:
    c = row.certificates
    if c is None:
        return ""
    return f"{c.issued_on_or_after}以降に取得" if c.stale_if_issued_today else "今日取得可"


def when_text(a: Action, today: date) -> str:
    """'2026-12-15(あと23日)', '2026-11-01(21日超過)', '2026-09-15から(取得可)'."""
    days = (a.on - today).days
    if a.open:
        return f"{a.on}から(取得可)"
    suffix = "から" if a.kind in WINDOW_KINDS else ""
    if a.overdue:
        return f"{a.on}{suffix}({-days}日超過)"
    return f"{a.on}{suffix}(" + ("今日" if days == 0 else f"あと{days}日") + ")"


def _mark(row: BoardRow) -> str:
    return "!!" if row.overdue else "--" if row.error == NO_PROFILE else "??" if row.error else ""


def error_text(row: BoardRow, lang: str) -> str:
    """'プロフィールにエラー: 2026-204-silva-profile.yaml — 6行目 [applicant.sex]: … ほか1件' (in `lang`)."""
    first = row.problems[0].render(lang) if row.problems else ""
    others = len(row.problems) - 1
    more = Text(f" ほか{others}件", f" and {others} more").render(lang) if others > 0 else ""
    error = row.error.render(lang) if row.error else ""
    return error + (f": {row.profile_file}" if row.profile_file else "") + (f" — {first}{more}" if first else "")


def row_cells(row: BoardRow, today: date, lang: str) -> list[str]:
    nxt = row.next_action
    return [
        _mark(row),
        row.case_id,
        row.category or "",
        f"{row.application_date}" if row.application_date else "",
        verdict_text(row.people[0]) if row.people else "",
        co_applicants_text(row.people),
        packet_text(row.packet),
        expiry_text(row, "stay_expiry", ActionKind.RENEW_STAY),
        expiry_text(row, "passport_expiry", ActionKind.PASSPORT),
        certificates_text(row),
        next_text(row, lang)[0],
        when_text(nxt, today) if nxt else next_text(row, lang)[1],
    ]


def width(text: str) -> int:
    """Columns a terminal gives the text (full-width characters take two)."""
    return len(text) if text.isascii() else sum(map(_columns, text))


@cache
def _columns(c: str) -> int:
    return 2 if unicodedata.east_asian_width(c) in "WF" else 1


def _pad(text: str, columns: int) -> str:
    return text + " " * (columns - width(text))


def board_text(board: Board, lang: str = "ja") -> str:
    """The table, most urgent first, then the error and note lines (those in `lang`, Japanese unless asked), then a
    legend."""
    overdue = sum(r.overdue for r in board.rows)
    errors = [r for r in board.rows if r.error and r.error != NO_PROFILE]
    empty = sum(r.error == NO_PROFILE for r in board.rows)
    counts = f"期限超過 {overdue}件、エラー {len(errors)}件" + (f"、プロフィールなし {empty}件" if empty else "")
    whose = f"勤務先「{board.employer}」の" if board.employer else ""
    title = f"{whose}案件一覧 {board.today} 現在 — {len(board.rows)}件 ({counts})"
    unknown = (
        [
            f"勤務先が分からないフォルダー {board.employer_unknown}件は表示していません（プロフィールがない、読めない、"
            "または勤務先の記入がないもの。絞り込まない一覧で確認できます）"
        ]
        if board.employer and board.employer_unknown
        else []
    )
    if not board.rows and board.employer:
        none = f"勤務先「{board.employer}」の案件がありません: {board.cases_dir}"
        return "\n".join(map(printable, [title, none, *unknown])) + "\n"
    if not board.rows:
        return f"{title}\n案件フォルダーに案件がありません: {board.cases_dir}"
    cells = {r.case_id: row_cells(r, board.today, lang) for r in board.rows if not r.error}
    leads = [[_mark(r), r.case_id] for r in board.rows if r.error]  # error lines share the first two columns
    widths = [max(width(line[i]) for line in [list(HEADERS), *cells.values()]) for i in range(len(HEADERS))]
    widths[:2] = [max([w, *(width(lead[i]) for lead in leads)]) for i, w in enumerate(widths[:2])]

    def line(values: list[str]) -> str:
        return "  ".join(_pad(c, w) for c, w in zip(values, widths, strict=True)).rstrip()

    lines = [title, "", line(list(HEADERS))]
    for r in board.rows:
        if r.error:
            lines.append(f"{_pad(_mark(r), widths[0])}  {_pad(r.case_id, widths[1])}  {error_text(r, lang)}")
        else:
            lines.append(line(cells[r.case_id]))
    notes = [(r.case_id, n) for r in board.rows for n in r.notes]
    if notes:
        lines += ["", "注意:"] + [f"  {case_id}: {n.render(lang)}" for case_id, n in notes]
    if unknown:
        lines += ["", *unknown]
    if any(r.profile_file for r in errors):
        lines += ["", "エラーの詳細は docgen profile check <プロフィール> で確認できます。"]
    lines += [
        "",
        "!! 期限超過  ?? プロフィールを読めない案件  -- プロフィールのないフォルダー（名前が「.」で始まるフォルダーは"
        "一覧に出ません）  証明書: 今日取得して申請予定日に使えるか(3か月以内)",
    ]
    return "\n".join(map(printable, lines)) + "\n"


def printable(line: str) -> str:
    """A line a terminal shows as it is: a control character (a tab or CR in a folder's name) becomes '�', so it
    can neither break the line nor move the cursor back over a case."""
    if line.isprintable():  # no control character (the usual case): as it is
        return line
    return "".join("\ufffd" if unicodedata.category(c) == "Cc" else c for c in line)


def board_json(board: Board) -> str:
    return json.dumps(board.to_json(), ensure_ascii=False, indent=2) + "\n"


def spreadsheet_safe(cell: str) -> str:
    """The cell as text a spreadsheet shows and never evaluates: a leading apostrophe before a formula start."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def board_csv(board: Board) -> str:
    """One line per folder, in Japanese (for a spreadsheet, like its headers); no cell can start a formula."""
    out = io.StringIO()
    w = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")  # quoted: a CR or LF stays in its cell
    w.writerow(CSV_HEADERS)
    for r in board.rows:
        nxt, main, c, p = r.next_action, r.main, r.certificates, r.packet
        w.writerow(
            spreadsheet_safe(cell)
            for cell in [
                r.case_id,
                r.category or "",
                r.application_date.isoformat() if r.application_date else "",
                verdict_text(main) if main else "",
                r.decision.earliest_date.isoformat() if r.decision and r.decision.earliest_date else "",
                co_applicants_text(r.people),
                packet_text(p) if not r.error else "",
                "、".join(p.from_client) if p and p.from_client else "",
                "、".join(p.by_office) if p and p.by_office else "",
                " ".join(f"{p.role}{p.stay_expiry}" for p in r.people),
                " ".join(f"{p.role}{p.passport_expiry}" for p in r.people),
                ("古くなる" if c.stale_if_issued_today else "使える") if c else "",
                c.issued_on_or_after.isoformat() if c else "",
                next_text(r, "ja", mark_overdue=False)[0],  # overdue has a column of its own
                nxt.on.isoformat() if nxt else next_text(r, "ja")[1],
                "はい" if r.overdue else "",
                " — ".join(
                    [
                        f"{r.error.ja}: {r.profile_file}" if r.profile_file else r.error.ja,
                        " / ".join(p.ja for p in r.problems),
                    ]
                )
                if r.error
                else "",
                " / ".join(n.ja for n in r.notes),
            ]
        )
    return out.getvalue()
