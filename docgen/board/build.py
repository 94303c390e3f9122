"""Rows of the case board from the case folders: each profile read and assessed once with the rules loaded once;
a profile that cannot be used becomes an error row and the others are still listed. Valid profiles are read
by the C YAML parser (docgen/profile/load.py): 200 cases take under a second (bench/board.py).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from docgen.assessment import CaseAssessment, assess_case
from docgen.board.actions import case_actions, certificates, people
from docgen.board.model import Board, BoardRow
from docgen.board.packet_state import file_sha256, read_packet
from docgen.case import Case, Rules, Settings, build_case
from docgen.case.folder import CaseFolder, find_case_folders
from docgen.errors import DocgenError, InputFileError

PROFILE_ERROR = "プロフィールにエラー"
CANNOT_ASSESS = "評価できません"


def _error_row(folder: CaseFolder, error: str, problems: list[str]) -> BoardRow:
    return BoardRow(folder.case_id, folder.root, folder.profile.name, error=error, problems=tuple(problems))


def problem_text(line: int | None, field: str, message: str) -> str:
    """'11行目 [applicant.sexx]: unknown field …' (the message never repeats the value)."""
    where = " ".join(x for x in (f"{line}行目" if line else "", f"[{field}]" if field else "") if x)
    return f"{where}: {message}" if where else message


def case_row(folder: CaseFolder, settings: Settings, rules: Rules, now: datetime) -> BoardRow:
    """One case folder's row; never raises for what is in the folder."""
    try:
        case = build_case(folder.profile, settings, rules, now=now)
        return _row(folder, case, assess_case(case), file_sha256(folder.profile))
    except InputFileError as exc:
        problems = [problem_text(p.line, p.field, p.message) for p in exc.problems]
        return _error_row(folder, PROFILE_ERROR, problems)
    except DocgenError as exc:
        return _error_row(folder, CANNOT_ASSESS, [str(exc)])
    except OSError as exc:
        return _error_row(folder, PROFILE_ERROR, [f"読み込めません ({exc.strerror or type(exc).__name__})"])
    except Exception as exc:  # one case's unexpected failure must not hide the others; the type only (no values)
        return _error_row(folder, CANNOT_ASSESS, [f"予期しないエラー ({type(exc).__name__}): docgen assess で確認"])


def _row(folder: CaseFolder, case: Case, assessment: CaseAssessment, profile_sha: str) -> BoardRow:
    who = people(case, assessment)
    certs = certificates(assessment)
    notes = []
    if case.profile.case_id != folder.case_id:
        notes.append(f"プロフィールの case_id ({case.profile.case_id}) がフォルダー名と異なります")
    packet = read_packet(folder.packet, case.application_date, profile_sha)
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
        notes=tuple(notes),
    )


# ---------------------------------------------------------------- several processes for a large office


def build_board(
    cases_dir: Path,
    settings: Settings,
    rules: Rules,
    *,
    now: datetime,
) -> Board:
    """Every case folder under `cases_dir` (a folder holding '<name>-profile.yaml'), most urgent first."""
    folders = find_case_folders(cases_dir)
    rows = [case_row(f, settings, rules, now) for f in folders]
    return Board(now.date(), Path(cases_dir), sorted(rows, key=lambda r: r.urgency))
