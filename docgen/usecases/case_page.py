"""One case as the web app's case page shows it: its board line (decision, deadlines, packet), the decision's
reasons with their sources, the checklist with each item's status and count as the last packet recorded them,
the packet's documents and their state (generated, edited by staff, stale), and the files of the case folder.

A case is reached only through the office's cases folder: a case id or a file path that leaves it (.., an
absolute path, a symlink pointing out) is `NotInCases`, which a face shows as "not found"."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path, PurePosixPath
from typing import Any

from docgen.assessment import assess_case
from docgen.assessment.decision import Decision
from docgen.assessment.points import PointsCheck
from docgen.assessment.results import Assessment
from docgen.board.build import folder_row, packet_folder
from docgen.board.model import PROFILE_ERROR, BoardRow
from docgen.case.folder import CaseFolder, case_folder_at, choose_profile
from docgen.checklist import case_checklist
from docgen.errors import DocgenError, InputFileError
from docgen.intake.profile_data import get
from docgen.packet.names import read_manifest
from docgen.packet.rebuild import previous_documents
from docgen.text import Text
from docgen.usecases.context import RunContext, use_case
from docgen.usecases.profile import check_profile
from docgen.usecases.profile_fields import loc_of_field_path
from docgen.yamlfile import load_yaml

MAX_FILES = 2000  # a case folder listed on one page


class NotInCases(DocgenError):
    """A case or file that is not inside the office's cases folder (or does not exist): shown as not found."""

    def __init__(self) -> None:
        super().__init__(Text("見つかりません", "not found"))


@dataclass(frozen=True)
class ChecklistLine:
    """One checklist item: its title, who prepares it, and what the last packet found for it."""

    id: str
    title: Text
    prepared_by: str  # client / office
    required: bool
    period: Text  # the period its documents cover, in words
    status: str  # missing / partial / complete / unknown (no packet, or the packet does not say)
    have: int | None = None
    need: int | None = None


@dataclass(frozen=True)
class PacketDocument:
    """A Word document of the packet as its manifest recorded it, and what is there now."""

    key: str
    docx: str
    pdf: str | None
    state: str  # generated / edited (by staff) / missing (the file is gone)
    stale: bool  # the packet no longer matches the profile: the document must be made again (or checked)


@dataclass(frozen=True)
class CaseFile:
    """A file of the case folder (a path relative to it, with '/')."""

    path: str
    size: int


@dataclass(frozen=True)
class CasePage:
    case_id: str
    row: BoardRow  # the board's line: decision state, deadlines, packet, people (or why it cannot be read)
    decision: Decision | None  # the whole filing's decision with its reasons (None: the profile cannot be read)
    applicants: list[Assessment]
    checklist: list[ChecklistLine]
    documents: list[PacketDocument]
    files: list[CaseFile]
    packet_built: bool
    facts: tuple[tuple[Text, str | Text], ...] = ()  # the main applicant as staff know them: name, nationality …
    unfilled: int = 0  # the profile is only still to be filled in: its empty required fields (its problems else)


def staff_time(stamp: str, zone: tzinfo | None = None) -> Text:
    """A recorded time ('2026-11-22T11:17:00+00:00') as staff read it, as the pages show days, in the office's
    time `zone` (the run's): '2026年11月22日（日） 20:17' (the text as it was when it is no time)."""
    try:
        at = datetime.fromisoformat(stamp)
    except ValueError:
        return Text(stamp, stamp)
    if zone is not None and at.tzinfo is not None:
        at = at.astimezone(zone)
    weekday = "月火水木金土日"[at.weekday()]
    return Text(f"{at.year}年{at.month}月{at.day}日（{weekday}） {at:%H:%M}", f"{at:%Y-%m-%d (%a) %H:%M}")


def case_root(ctx: RunContext, case_id: str) -> Path:
    """The folder of `case_id`, directly inside the cases folder (not hidden, not through a symlink out)."""
    cases = ctx.settings.cases_dir.resolve()
    if not case_id or case_id.startswith(".") or "/" in case_id or "\\" in case_id or "\0" in case_id:
        raise NotInCases()
    root = cases / case_id
    try:
        real = root.resolve(strict=True)
    except (OSError, RuntimeError):
        raise NotInCases() from None
    if real.parent != cases or not real.is_dir():
        raise NotInCases()
    return root


def case_profile(root: Path) -> str | None:
    """The profile's file name in the case folder `root` (docgen.case.folder.choose_profile); None when there is
    none, several, or the folder cannot be read."""
    try:
        return choose_profile(root).profile
    except OSError:
        return None


def _inside(root: Path, relative: str) -> Path:
    """`relative` (with '/') as a regular file inside `root`; NotInCases for anything else."""
    parts = PurePosixPath(relative).parts
    if not parts or relative.startswith("/") or any(p in ("..", ".") or p.startswith(".") for p in parts):
        raise NotInCases()
    if any("\\" in p or "\0" in p or ":" in p for p in parts):
        raise NotInCases()
    target = root.joinpath(*parts)
    try:
        real = target.resolve(strict=True)
    except (OSError, RuntimeError):
        raise NotInCases() from None
    if not real.is_relative_to(root.resolve()) or not real.is_file():
        raise NotInCases()
    return real


@use_case
def case_file(ctx: RunContext, case_id: str, relative: str) -> Path:
    """A file of a case folder to send to staff: inside the case folder, or NotInCases."""
    return _inside(case_root(ctx, case_id), relative)


def case_files(root: Path) -> list[CaseFile]:
    """The files of the case folder a staff member may open: not hidden, not through symlinks out of it."""
    real_root = root.resolve()
    found: list[CaseFile] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (Path(folder) / d).is_symlink())
        for name in sorted(files):
            path = Path(folder) / name
            if name.startswith("."):
                continue
            try:
                real = path.resolve(strict=True)
                if not real.is_relative_to(real_root) or not real.is_file():
                    continue
                found.append(CaseFile(path.relative_to(root).as_posix(), real.stat().st_size))
            except (OSError, RuntimeError):
                continue
            if len(found) >= MAX_FILES:
                return found
    return found


def _documents(packet: Path, manifest: dict[str, Any] | None, stale: bool) -> list[PacketDocument]:
    out = []
    for key, doc in sorted(previous_documents(packet, manifest).items(), key=lambda kv: kv[1].docx.name):
        state = "missing" if doc.content is None and not doc.damaged else "edited" if doc.edited else "generated"
        pdf = doc.pdf.relative_to(packet).as_posix() if doc.pdf is not None and doc.pdf.is_file() else None
        out.append(PacketDocument(key, doc.docx.relative_to(packet).as_posix(), pdf, state, stale))
    return out


def _status(item_id: str, missing: dict[str, Any] | None) -> tuple[str, int | None, int | None]:
    """What the manifest says about an item: missing, partial, complete (with the counts), or unknown."""
    if not isinstance(missing, dict):
        return "unknown", None, None
    counts = {c.get("item"): c for c in missing.get("counts") or [] if isinstance(c, dict)}
    listed = {m.get("item") for side in ("client", "office") for m in missing.get(side) or [] if isinstance(m, dict)}
    count = counts.get(item_id)
    have, need = (count.get("have"), count.get("need")) if count else (None, None)
    have = have if isinstance(have, int) else None
    need = need if isinstance(need, int) else None
    if item_id in listed:
        return ("partial" if have else "missing"), have, need
    return "complete", have, need


def _unfilled(ctx: RunContext, profile: Path) -> int:
    """How many required fields a profile leaves empty when that is all that is wrong with it (a new case's
    skeleton, a questionnaire not yet back); 0 when any problem is more than an empty field."""
    try:
        check_profile(ctx, profile)
    except InputFileError as exc:
        data = load_yaml(profile).data
        locs = [loc_of_field_path(p.field) for p in exc.problems]
        empty = all(loc and get(data, loc) in (None, "", []) for loc in locs)
        return len(locs) if empty else 0
    except DocgenError:
        return 0
    return 0


def _points_fact(check: PointsCheck) -> tuple[Text, Text]:
    """The HSP points against one threshold, on the application date and the reference date, as the assessment
    scored them."""
    now, then = check.now.total, check.reference.total
    return (
        Text(f"高度専門職ポイント（{check.threshold}点）", f"HSP points ({check.threshold})"),
        Text(
            f"申請日 {now}点・基準日（{check.reference_date}）{then}点",
            f"{now} on the application date, {then} on the reference date ({check.reference_date})",
        ),
    )


@use_case
def case_page(ctx: RunContext, case_id: str) -> CasePage:
    """Everything the case page shows, read from the case folder and its packet's manifest."""
    root = case_root(ctx, case_id)
    row = folder_row(root, ctx.settings, ctx.rules, ctx.now)
    files = case_files(root)
    if row.error is not None or not row.profile_file:
        unfilled = _unfilled(ctx, root / row.profile_file) if row.error == PROFILE_ERROR and row.profile_file else 0
        return CasePage(case_id, row, None, [], [], [], files, False, unfilled=unfilled)
    folder: CaseFolder = case_folder_at(root, row.profile_file)
    case = ctx.case(folder.profile)
    assessment = assess_case(case)
    checklist = case_checklist(case, assessment)
    packet = packet_folder(folder, case.profile.case_id)
    manifest = read_manifest(packet) if packet.is_dir() else None
    missing = manifest.get("missing") if manifest else None
    stale = bool(row.packet and row.packet.outdated)
    lines = []
    for item in checklist.items:
        status, have, need = _status(item.id, missing)
        lines.append(
            ChecklistLine(
                item.id,
                Text(item.title("ja"), item.title("en")),
                item.rule.prepared_by,
                item.required.value == "required",
                Text(item.period_label("ja"), item.period_label("en")),
                status,
                have,
                need,
            )
        )
    applicant, main = case.profile.applicant, assessment.main
    facts: tuple[tuple[Text, str | Text], ...] = (
        (Text("氏名", "Name"), main.applicant),
        (Text("国籍・地域", "Nationality"), str(applicant.nationality)),
        (Text("在留資格", "Status"), main.status),
        (Text("在留期間", "Period of stay"), main.period_of_stay),
        (Text("勤務先", "Employer"), str(applicant.employer.name) if applicant.employer else "—"),
        *(_points_fact(check) for _, check in sorted(main.points.items())),
    )
    return CasePage(
        case_id,
        row,
        assessment.decision,
        assessment.everyone,
        lines,
        _documents(packet, manifest, stale),
        files,
        manifest is not None,
        facts,
    )
