"""The questionnaire's round trip in the browser: the client's questionnaire to download (the workbook
`docgen intake new` writes, in the client's language), the returned workbook uploaded and reviewed (every problem
by sheet, row and question; every difference with the current profile, field by field), and the differences
staff accept — all of them or some — written into the profile's YAML (its comments and order kept, as
`intake import --merge` keeps them), the previous version kept with who and when (docgen.profile.history)."""

from __future__ import annotations

import dataclasses
import io
import itertools
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from docgen.errors import DocgenError, InputFileError, Problem
from docgen.intake.diff import Change, differences
from docgen.intake.profile_data import is_placeholder, prefill_data, round_trip_yaml, styled, without
from docgen.intake.read import CellProblem, read_questionnaire
from docgen.languages import language_name
from docgen.packet.safe_write import private_file
from docgen.profile.annotations import field_info, model_class, optional_inner
from docgen.profile.history import ProfileChanged, Version, read_version, save_version
from docgen.profile.load import load_profile_yaml
from docgen.profile.model import Profile
from docgen.text import Text
from docgen.usecases.audit import record_action
from docgen.usecases.case_page import NotInCases, case_file, case_root
from docgen.usecases.context import RunContext, use_case
from docgen.usecases.intake import new_questionnaire, take_in_answers
from docgen.usecases.profile_edit import Conflict, FieldChange, conflict_since, profile_path
from docgen.usecases.profile_fields import Leaf, form_key, group_for, node_at, staff_value
from docgen.validation import field_path

MAX_UPLOAD = 20 * 1024 * 1024  # a questionnaire is some 100 KB; a workbook of 20 MB is not one
RETURNED = re.compile(r"^(?P<case>[A-Za-z0-9][A-Za-z0-9_.\-]*)-intake-returned-\d{8}-\d{6}(-\d+)?\.xlsx$")


@dataclass(frozen=True)
class QuestionnaireFile:
    """The client's questionnaire, written in the case folder, and the name it is downloaded as."""

    path: Path
    download_name: str  # '2026-101-wang_質問票_中国語（簡体字）.xlsx'
    lang: str
    note: Text | None  # written in English: there is none in the client's language yet


@dataclass(frozen=True)
class CellIssue:
    """A problem of the returned workbook where staff find it: the sheet, row and question (or the profile's
    line, for a value the profile already had)."""

    sheet: str
    row: int | None
    column: str
    question: str
    field: str
    message: str


@dataclass(frozen=True)
class QuestionnaireReview:
    """What a returned questionnaire would change in the profile, or why it cannot be read."""

    case_id: str
    upload: str  # the returned workbook as kept in the case folder
    version: str  # the hash of the profile compared with
    problems: list[CellIssue]
    changes: list[FieldChange]
    notes: list[str]  # answers to check
    left: list[str]  # fields left for the office to fill


@use_case
def questionnaire_for_client(ctx: RunContext, case_id: str) -> QuestionnaireFile:
    """The questionnaire of a case as `docgen intake new` writes it (in the case folder, pre-filled from the
    profile, in the client's language), with a Japanese name to download it by."""
    profile = profile_path(ctx, case_id)
    written = new_questionnaire(ctx, str(profile))
    name = f"{case_id}_質問票_{language_name(written.lang).ja}.xlsx"
    return QuestionnaireFile(written.path, name, written.lang, written.language_note)


def _kept_name(ctx: RunContext, root: Path, case_id: str) -> Path:
    stamp = f"{ctx.now:%Y%m%d-%H%M%S}"
    target, n = root / f"{case_id}-intake-returned-{stamp}.xlsx", 1
    while target.exists():
        n += 1
        target = root / f"{case_id}-intake-returned-{stamp}-{n}.xlsx"
    return target


def _issue(problem: Problem) -> CellIssue:
    if isinstance(problem, CellProblem):
        return CellIssue(
            problem.sheet, problem.row or None, problem.column, problem.question, problem.field, str(problem.message)
        )
    return CellIssue(problem.file.name, problem.line, "", "", problem.field, str(problem.message))


def _imported(ctx: RunContext, workbook: Path, profile: Path) -> tuple[list[Change], list[str], list[str]]:
    """The differences a returned workbook makes to the profile (raises InputFileError with its problems)."""
    answers = read_questionnaire(workbook)
    base = load_profile_yaml(profile)
    imported, result = take_in_answers(ctx, answers, base)
    left = [loc for loc, _ in imported.left]
    changes = differences(prefill_data(base), without(result.model_dump(mode="python", by_alias=True), left))
    return changes, [_note(p) for _, p in imported.notes], [_note(p) for _, p in imported.left]


def _note(problem: Problem) -> str:
    """A note as the page shows it: the file by its name, not where the server keeps it."""
    return str(dataclasses.replace(problem, file=Path(problem.file.name)))


def _shown(change: Change) -> FieldChange:
    node = node_at(change.path)
    label = node.label if node is not None else Text(change.label, field_path(change.path))
    return FieldChange(
        form_key(change.path),
        field_path(change.path),
        label,
        group_for(change.path).key,
        staff_value(node, change.old),
        staff_value(node, change.new),
    )


@use_case
def review_questionnaire(ctx: RunContext, case_id: str, data: bytes) -> QuestionnaireReview:
    """Keep a returned questionnaire in the case folder and compare it with the profile: its problems by sheet,
    row and question, or its differences field by field. Nothing in the profile changes here."""
    root = case_root(ctx, case_id)
    profile = profile_path(ctx, case_id)
    if len(data) > MAX_UPLOAD:
        raise DocgenError(
            Text(
                f"ファイルが大きすぎます（{MAX_UPLOAD // 2**20}MBまで）。質問票の Excel ファイルを選んでください",
                f"the file is too large (at most {MAX_UPLOAD // 2**20} MB); choose the questionnaire's Excel file",
            )
        )
    kept = _kept_name(ctx, root, case_id)
    with private_file(kept) as part:
        part.write_bytes(data)
    _, version = read_version(profile)
    try:
        changes, notes, left = _imported(ctx, kept, profile)
    except InputFileError as exc:
        return QuestionnaireReview(case_id, kept.name, version, [_issue(p) for p in exc.problems], [], [], [])
    return QuestionnaireReview(case_id, kept.name, version, [], [_shown(c) for c in changes], notes, left)


def _typed(path: tuple[str | int, ...], value: Any) -> Any:
    """A value of the comparison (dates as text) as the profile holds it."""
    node = node_at(path)
    if isinstance(node, Leaf) and node.kind == "date" and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def _set(doc: CommentedMap, path: tuple[str | int, ...], value: Any) -> None:
    """`doc` at `path` set to `value` (None: removed), making the blocks and list entries on the way."""
    node: Any = doc
    for part, after in itertools.pairwise(path):
        if isinstance(part, int):
            while len(node) <= part:
                node.append(None)
            if node[part] is None:
                entry = CommentedMap()
                entry.fa.set_flow_style()
                node[part] = entry
        elif node.get(part) is None:
            if value is None:
                return
            node[part] = CommentedSeq() if isinstance(after, int) else CommentedMap()
        node = node[part]
    last = path[-1]
    if value is None:
        if isinstance(node, dict):
            node.pop(last, None)
        return
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
    node[last] = styled(value) if isinstance(value, dict | list) else value


def _prune(node: Any) -> None:
    """List entries left with nothing in them (every field of a refused entry) are removed."""
    if isinstance(node, dict):
        for value in node.values():
            _prune(value)
    elif isinstance(node, list):
        for i in reversed(range(len(node))):
            _prune(node[i])
            if node[i] is None or (isinstance(node[i], dict) and not node[i]):
                del node[i]


def drop_blank_entries(node: CommentedMap, model: type[BaseModel] = Profile) -> None:
    """The skeleton's entries and optional blocks nobody filled in (a family member nobody named, the 取次者 left
    blank) removed in place, as `intake import --merge` leaves them out (docgen.intake.profile_data.clean); the
    fields typed and the comments of the rest stay."""
    for key in list(node):
        info = field_info(model, str(key))
        if info is None:
            continue
        annotation = optional_inner(info.annotation)[0]
        value = node[key]
        inner = model_class(annotation)
        args = get_args(annotation) if get_origin(annotation) is list else ()
        entry = model_class(args[0]) if args else None
        if inner is not None and isinstance(value, CommentedMap):
            if not info.is_required() and is_placeholder(value, inner):
                del node[key]
            else:
                drop_blank_entries(value, inner)
        elif entry is not None and isinstance(value, list):
            for i in reversed(range(len(value))):
                if isinstance(value[i], dict) and is_placeholder(value[i], entry):
                    del value[i]
                elif isinstance(value[i], CommentedMap):
                    drop_blank_entries(value[i], entry)
            if not value:
                del node[key]  # no entries left: the list's default (`[]` after a comment is no YAML)


@dataclass(frozen=True)
class Accepted:
    """What accepting a questionnaire's differences did: saved (the version), nothing chosen (neither), or refused
    because someone changed the profile after the review (their change)."""

    saved: Version | None
    conflict: Conflict | None = None
    fields: int = 0


@use_case
def accept_questionnaire(
    ctx: RunContext, case_id: str, upload: str, version: str, chosen: set[str] | None = None
) -> Accepted:
    """Write the differences of a reviewed questionnaire that staff accepted (`chosen`: their form names; None:
    all) into the profile, if it is still the version reviewed (else nothing is written and the other's change
    is said). The previous version is kept; the save is audited."""
    m = RETURNED.match(upload)
    if m is None or m.group("case") != case_id:
        raise NotInCases()
    workbook = case_file(ctx, case_id, upload)
    profile = profile_path(ctx, case_id)
    changes, _, _ = _imported(ctx, workbook, profile)
    accepted = [c for c in changes if chosen is None or form_key(c.path) in chosen]
    if not accepted:
        return Accepted(None)
    raw, _ = read_version(profile)
    yaml = round_trip_yaml()
    doc = yaml.load(raw.decode("utf-8"))
    if not isinstance(doc, CommentedMap):
        doc = CommentedMap()
    for change in accepted:
        _set(doc, change.path, _typed(change.path, change.new))
    _prune(doc)
    drop_blank_entries(doc)
    out = io.StringIO()
    yaml.dump(doc, out)
    fields = tuple(field_path(c.path) for c in accepted)
    try:
        saved = save_version(
            profile, out.getvalue(), version, when=ctx.now, user=ctx.user, action="questionnaire", fields=fields
        )
    except ProfileChanged as exc:
        return Accepted(None, conflict_since(ctx, profile, version, exc.now))
    record_action(ctx, "change", case_id, f"{profile.name} ({upload})")
    return Accepted(saved, None, len(fields))


__all__ = [
    "CellIssue",
    "QuestionnaireFile",
    "QuestionnaireReview",
    "accept_questionnaire",
    "questionnaire_for_client",
    "review_questionnaire",
]
