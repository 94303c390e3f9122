"""Rows of the case board from the folders under the cases folder, each profile read and assessed once with the
rules loaded once; a long board is shared with forked copies on the cores idle at the time (board.parallel).

The board never hides a case: every folder under the cases folder is a line, except folders whose names start
with '.' (hidden: the way to keep a folder off the board, e.g. '.archive'). Files lying directly in the cases
folder are not cases and are not listed. A folder's line is its case, or why it is not one:
    プロフィールがありません     no YAML file in it (an empty folder, a folder of scans)
    プロフィールが複数あります   several YAML files could each be the profile (named, so staff keep one)
    プロフィールにエラー         the profile's problems, each with its line and field
    読めません                   the folder or the profile could not be read, the reason in staff words
    評価できません               the profile is valid, but the office's rules could not assess it
Which file is the profile: docgen.case.folder.choose_profile. Anything that goes wrong inside one folder becomes
that folder's line; no message repeats a value from a profile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from docgen.assessment import CaseAssessment, assess_case
from docgen.board.actions import case_actions, certificates, decision_state, people
from docgen.board.employer import employer_key, file_employers, profile_employers, works_for
from docgen.board.model import (
    CANNOT_ASSESS,
    NO_PROFILE,
    PROFILE_ERROR,
    SEVERAL_PROFILES,
    UNREADABLE,
    Board,
    BoardRow,
)
from docgen.board.packet_state import read_packet
from docgen.board.parallel import rows_of
from docgen.case import Case, Rules, Settings, build_case
from docgen.case.folder import MARKER as CASE_NEW_MARKER
from docgen.case.folder import CaseFolder, case_folder_at, choose_profile, folders_under
from docgen.case.in_charge import staff_in_charge
from docgen.errors import DocgenError, InputFileError
from docgen.text import Text


def reason(exc: BaseException) -> Text:
    """Why a file or folder could not be read, in staff words: the kind of failure only, never the content."""
    if isinstance(exc, PermissionError):
        return Text("アクセス権がありません", "no permission to read it")
    if isinstance(exc, FileNotFoundError):
        return Text("読む間に移動または削除されました", "it was moved or deleted while being read")
    if isinstance(exc, IsADirectoryError | NotADirectoryError):
        return Text("ファイルとフォルダーの取り違えがあります", "a file and a folder are mixed up")
    if isinstance(exc, UnicodeError):
        return Text("文字コードが UTF-8 ではありません", "the file is not in UTF-8")
    if isinstance(exc, RecursionError | MemoryError):
        return Text("大きすぎるか、入れ子が深すぎます", "it is too large or nested too deeply")
    if isinstance(exc, OSError):
        why = exc.strerror or type(exc).__name__
        return Text(f"ディスクまたはネットワークの問題です（{why}）", f"a disk or network problem ({why})")
    kind = type(exc).__name__
    return Text(
        f"docgen が扱えない内容です（{kind}）。docgen profile check で確認してください",
        f"content docgen cannot handle ({kind}); check it with docgen profile check",
    )


def problem_text(line: int | None, field: str, message: str | Text) -> Text:
    """'11行目 [applicant.sexx]: unknown field …' (the message never repeats the value). The Japanese side is the
    board's JSON as it has always been: the message there in the language of the run that read the profile."""
    said = Text(str(message), message.en if isinstance(message, Text) else message)
    at = f"[{field}]" if field else ""
    where = Text(
        " ".join(x for x in (f"{line}行目" if line else "", at) if x),
        " ".join(x for x in (f"line {line}" if line else "", at) if x),
    )
    return where + Text(": ", ": ") + said if where.ja else said


def _error_row(folder: CaseFolder, error: Text, problems: list[Text], notes: tuple[Text, ...] = ()) -> BoardRow:
    """A case whose profile could not be used; the employer it records, when that part can be read."""
    return BoardRow(
        folder.case_id,
        folder.root,
        folder.profile.name,
        error=error,
        problems=tuple(problems),
        notes=notes,
        employers=file_employers(folder.profile),
    )


def folder_row(root: Path, settings: Settings, rules: Rules, now: datetime) -> BoardRow:
    """One folder under the cases folder as a line: its case, or why it is not one. Never raises."""
    try:
        choice = choose_profile(root)
    except Exception as exc:  # the folder cannot be listed: still a line
        problem = Text("フォルダーを開けません: ", "cannot open the folder: ") + reason(exc)
        return BoardRow(root.name, root, "", error=UNREADABLE, problems=(problem,))
    if choice.profile is None and choice.candidates:
        problem = Text(
            f"{'、'.join(choice.candidates)} のどれがプロフィールか決められません。1つだけ残してください",
            f"cannot tell which of {', '.join(choice.candidates)} is the profile: keep only one",
        )
        return BoardRow(root.name, root, "", error=SEVERAL_PROFILES, problems=(problem,))
    if choice.profile is None:
        problem = Text(
            "YAML ファイルがありません（docgen case new で作るか、プロフィールをこのフォルダーに置いてください）",
            "no YAML file (make one with docgen case new, or put the profile in this folder)",
        )
        return _unfinished(root, BoardRow(root.name, root, "", error=NO_PROFILE, problems=(problem,)))
    row = case_row(case_folder_at(root, choice.profile), settings, rules, now, others=choice.candidates)
    return _unfinished(root, row)


def _unfinished(root: Path, row: BoardRow) -> BoardRow:
    """The staff member in charge, when recorded; a folder `docgen case new` was stopped while making says so (the
    next run of case new finishes it)."""
    row = replace(row, staff=staff_in_charge(root))
    if not (root / CASE_NEW_MARKER).exists():
        return row
    note = Text(
        "作成途中の案件フォルダーです（docgen case new をもう一度実行すると完了します）",
        "a case folder still being made (run docgen case new again to finish it)",
    )
    return replace(row, notes=(note, *row.notes))


def case_row(
    folder: CaseFolder, settings: Settings, rules: Rules, now: datetime, others: Sequence[str] = ()
) -> BoardRow:
    """One case folder's row from its profile (`others`: other YAML files there that look like a profile, named in
    a note); never raises for what is in the folder."""
    read = folder.profile.name
    notes: tuple[Text, ...] = (
        (
            Text(
                f"ほかにもプロフィールらしいファイルがあります（{'、'.join(others)}）。読んだのは {read} です",
                f"other files look like a profile too ({', '.join(others)}); the board read {read}",
            ),
        )
        if others
        else ()
    )
    try:
        case = build_case(folder.profile, settings, rules, now=now)  # hashes the bytes it read
        row = _row(folder, case, assess_case(case))
    except InputFileError as exc:
        problems = [problem_text(p.line, p.field, p.message) for p in exc.problems]
        return _error_row(folder, PROFILE_ERROR, problems, notes)
    except DocgenError as exc:
        return _error_row(folder, CANNOT_ASSESS, [Text(str(exc), exc.text.en)], notes)  # as problem_text
    except Exception as exc:  # one folder's failure must not hide the others; the kind of failure only
        return _error_row(folder, UNREADABLE, [reason(exc)], notes)
    return replace(row, notes=notes + row.notes)


def packet_folder(folder: CaseFolder, case_id: str) -> Path:
    """Where `docgen packet` put the case's packet: '<profile's case id>-packet' in the case folder, else the one
    named for the folder."""
    own = CaseFolder(folder.root, case_id).packet
    return own if own.is_dir() or not folder.packet.is_dir() else folder.packet


def _row(folder: CaseFolder, case: Case, assessment: CaseAssessment) -> BoardRow:
    who = people(case, assessment)
    certs = certificates(assessment)
    notes: list[Text] = []
    if case.profile.case_id != folder.case_id:  # the value is not repeated
        notes.append(
            Text(
                "プロフィールの case_id がフォルダー名と異なります",
                "the profile's case_id differs from the folder's name",
            )
        )
    packet = read_packet(
        packet_folder(folder, case.profile.case_id), case.profile.case_id, case.application_date, case.profile_sha256
    )
    if packet is not None:
        notes += packet.outdated
    return BoardRow(
        folder.case_id,
        folder.root,
        folder.profile.name,
        category=case.profile.category,
        application_date=case.application_date,
        people=who,
        packet=packet,
        certificates=certs,
        actions=case_actions(case, assessment, who, certs),
        decision=decision_state(assessment),
        notes=tuple(notes),
        employers=profile_employers(case.profile),
    )


def build_board(
    cases_dir: Path,
    settings: Settings,
    rules: Rules,
    *,
    now: datetime,
    employer: str | None = None,
) -> Board:
    """Every folder under `cases_dir` as a line (see the module docstring), most urgent first; with `employer`,
    only the cases whose main applicant works there (board.employer: how names are compared), and the number of
    folders left off because no employer could be read from them."""
    if employer is not None and not employer_key(employer):
        raise DocgenError(
            Text(
                "勤務先の名前がありません（「株式会社」などの会社の種類だけでは絞り込めません）",
                "no employer name to look for (a legal form such as 株式会社 alone names no company)",
            )
        )
    try:
        folders = folders_under(cases_dir)
    except OSError as exc:
        raise DocgenError(
            Text(
                f"案件フォルダーを開けません: {cases_dir}（{reason(exc).ja}）",
                f"cannot open the cases folder {cases_dir} ({exc.strerror or type(exc).__name__})",
            )
        ) from None
    rows = rows_of(folders, folder_row, settings, rules, now)
    if employer is None:
        return Board(now.date(), Path(cases_dir), sorted(rows, key=lambda r: r.urgency))
    theirs = [r for r in rows if works_for(r.employers, employer)]
    unknown = sum(not r.employers for r in rows)
    return Board(now.date(), Path(cases_dir), sorted(theirs, key=lambda r: r.urgency), employer, unknown)
