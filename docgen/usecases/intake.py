"""The client questionnaire: write it for a case in the client's language (`docgen intake new`) and turn the
returned workbook into the case's profile (`docgen intake import`), never overwriting staff's edits."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from docgen.case.checks import category_problems
from docgen.case.folder import CaseFolder, existing_case_folder
from docgen.errors import DocgenError, InputFileError
from docgen.hashing import bytes_sha256
from docgen.intake.diff import Change, differences
from docgen.intake.office_fields import STAND_IN
from docgen.intake.profile_data import blank_fields, prefill_data, profile_yaml, updated_profile_yaml, without
from docgen.intake.read import Answers, read_questionnaire
from docgen.intake.to_profile import Imported as ImportedAnswers
from docgen.intake.to_profile import import_answers
from docgen.intake.workbook import write_questionnaire
from docgen.languages import QUESTIONNAIRE_LANGUAGES, client_language, language_name
from docgen.messages import say
from docgen.packet.safe_write import private_file, replace_read_file
from docgen.profile.load import load_profile, load_profile_yaml
from docgen.profile.model import Profile
from docgen.rules.category_names import category_id
from docgen.text import NextStep, Step, Text
from docgen.usecases.context import RunContext, use_case
from docgen.validation import field_path
from docgen.yamlfile import LoadedYaml

CASE_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")  # as Profile.case_id: it becomes a folder name


@dataclass(frozen=True)
class QuestionnaireWritten:
    """The questionnaire written for a client."""

    path: Path
    lang: str
    members: int  # family members pre-filled
    prefilled_from: Path | None  # the profile it was pre-filled from (None: blank)
    language_note: Text | None = None  # the questionnaire is in English: there is none in the client's language


def _source(ctx: RunContext, case: str) -> tuple[Path | None, dict[str, Any], CaseFolder]:
    """(the profile to pre-fill from, its data, the case folder the questionnaire goes to) for a profile file or
    a case id."""
    given = Path(case)
    if given.suffix.lower() in (".yaml", ".yml") or given.exists():
        data = prefill_data(load_profile_yaml(given))  # not found, a folder, bad YAML, not a profile: messages
        case_id = str(data.get("case_id") or given.stem.removesuffix("-profile"))
        if not CASE_ID_RE.match(case_id):
            case_id = given.stem
        return given, data, CaseFolder(given.parent, case_id)
    if not CASE_ID_RE.match(case) or len(case) > 60:
        raise DocgenError(
            Text(
                f"'{case}' はプロフィールのファイルでも案件番号（英数字と - _ .）でもありません",
                f"'{case}' is neither a profile file nor a case id (letters, digits, '-', '_', '.')",
            )
        )
    folder = CaseFolder.under(ctx.settings.cases_dir, case)
    if folder.profile.is_file():
        return folder.profile, prefill_data(load_profile_yaml(folder.profile)), folder
    if not folder.root.is_dir():
        raise DocgenError(
            Text(
                f"案件フォルダーがありません: {folder.root}（案件フォルダーを作るか、プロフィールの YAML を"
                "指定してください）",
                f"no case folder {folder.root} (make the case folder, or give a profile YAML)",
            )
        )
    return None, {"case_id": case}, folder


def questionnaire_language(data: dict[str, Any], lang: str | None) -> tuple[str, Text | None]:
    """The questionnaire's language: the one asked for, else the client's (the profile's, else by nationality)
    where there is a questionnaire in it, else English with a note saying so."""
    if lang is not None:
        return lang, None
    applicant = data.get("applicant") if isinstance(data.get("applicant"), dict) else {}
    wanted = client_language(data.get("client_language"), str((applicant or {}).get("nationality") or ""))
    if wanted in QUESTIONNAIRE_LANGUAGES:
        return wanted, None
    name = language_name(wanted)
    return "en", Text(
        f"{name.ja}の質問票はまだないため、英語で作成しました（日本語が並んで入ります）",
        f"there is no questionnaire in {name.en} yet, so it was made in English (the Japanese is beside it)",
    )


@use_case
def new_questionnaire(
    ctx: RunContext,
    case: str,
    lang: str | None = None,
    *,
    out: Path | None = None,
    category: str | None = None,
    spare_family: int | None = None,
    where: str = "",
) -> QuestionnaireWritten:
    """Write the questionnaire for a case (its profile, or its case id under the cases folder), pre-filled from
    the profile, owner-only, by default in the case folder, in `lang` or the client's language
    (questionnaire_language). `category` (typed as an id, a Japanese name or a status; `where` names the field)
    adds the HSP, business or supporter part when the profile has none."""
    profile, data, folder = _source(ctx, case)
    lang, note = questionnaire_language(data, lang)
    if category:
        category = category_id(ctx.rules.book, category, where or say("類型", "category"))
    target = out or folder.intake(lang)
    if target.suffix.lower() != ".xlsx":
        raise DocgenError(
            Text(
                f"{target}: 質問票は Excel のファイルです。…xlsx の名前にしてください",
                f"{target}: the questionnaire is an Excel file; name it …xlsx",
            )
        )
    with private_file(target, inputs=[profile] if profile else []) as part:
        write_questionnaire(part, lang, data, category=category, spare_family=spare_family)
    members = len([m for m in data.get("family") or [] if isinstance(m, dict)])
    return QuestionnaireWritten(target, lang, members, profile, note)


class ImportOutcome(StrEnum):
    WRITTEN = "written"  # a new profile
    MERGED = "merged"  # the existing profile replaced; the previous version kept beside it
    UNCHANGED = "unchanged"  # no difference: nothing written
    NOT_MERGED = "not_merged"  # differences shown; the existing profile is changed only when a merge is asked


@dataclass(frozen=True)
class Imported:
    """What a returned questionnaire did to the case's profile."""

    outcome: ImportOutcome
    target: Path  # the case's profile
    where_from: Text | None  # how the target was found (the case folder, or beside the questionnaire)
    notes: list[str]  # answers to check
    left: list[str]  # fields left for the office to fill
    base: Path | None  # the profile compared with
    changes: list[Change]
    kept: Path | None = None  # the previous version, after a merge


def _read_back(path: Path, left: list[tuple[str | int, ...]]) -> Any:
    """The profile a written file holds; with fields left for the office, the file must fail on those fields
    alone, and hold the imported profile once they are filled as they were validated."""
    if not left:
        return load_profile(path)
    try:
        load_profile(path)
    except InputFileError as exc:
        if {p.field for p in exc.problems} != {field_path(loc) for loc in left}:
            return None
    data = load_profile_yaml(path).data
    for loc in left:
        node = data
        for part in loc[:-1]:
            node = node[part]
        node[loc[-1]] = STAND_IN
    return Profile.model_validate(data)


def before_merge_path(target: Path, when: datetime) -> Path:
    """Where the profile is kept before a merge replaces it: '<case_id>-profile.before-merge-YYYYMMDD-HHMMSS.yaml'
    beside it (a second merge in the same second gets '-2', '-3' …)."""
    stamp = f"{when:%Y%m%d-%H%M%S}"
    keep = target.with_name(f"{target.stem}.before-merge-{stamp}{target.suffix}")
    n = 1
    while keep.exists():
        n += 1
        keep = target.with_name(f"{target.stem}.before-merge-{stamp}-{n}{target.suffix}")
    return keep


def _target(ctx: RunContext, file: Path, case_id: str) -> tuple[Path, Text]:
    """The profile a questionnaire without a named target goes into: its case folder's, else beside it."""
    if not CASE_ID_RE.match(case_id) or len(case_id) > 60:
        raise DocgenError(
            Text(
                f"{file}: 事務所用シートの案件番号が空欄か正しくないため、保存先が決まりません。"
                "保存先を指定してください",
                f"{file}: the office sheet has no valid case id, so the profile's name is unknown; say where it goes",
            ),
            steps=(NextStep(Step.NAME_OUTPUT),),
        )
    folder = existing_case_folder(ctx.settings.cases_dir, case_id)
    if folder is not None:
        return folder.profile, Text(
            f"案件 {case_id} の案件フォルダー: {folder.root}", f"case {case_id}: folder {folder.root}"
        )
    target = CaseFolder(file.parent, case_id).profile
    return target, Text(
        f"案件フォルダー {ctx.settings.cases_dir / case_id} がないため、プロフィールの保存先は質問票と"
        f"同じフォルダーです: {target}",
        f"no case folder {ctx.settings.cases_dir / case_id}: the profile's place is beside the questionnaire: {target}",
    )


def take_in_answers(ctx: RunContext, answers: Answers, base: LoadedYaml | None) -> tuple[ImportedAnswers, Profile]:
    """A returned questionnaire's answers taken into `base` (the current profile, if any) with the category's
    checks, and the profile they make: the client's language recorded when the profile had none (they read the
    language they answered in)."""
    rules = ctx.rules
    imported = import_answers(
        answers, base, lambda p: category_problems(p, rules.book, rules.assessment.eligibility), rules.book
    )
    result = imported.profile
    if result.client_language is None:
        result = result.model_copy(update={"client_language": answers.lang})
    return imported, result


@use_case
def import_questionnaire(
    ctx: RunContext, file: Path, *, profile: Path | None = None, out: Path | None = None, merge: bool = False
) -> Imported:
    """Turn a returned questionnaire into the case's profile (`out`, else `profile`, else the case folder's, else
    beside the workbook). An existing profile is compared with and changed only with `merge`: then its previous
    version is kept beside it, and the file must not have changed since it was read."""
    answers = read_questionnaire(file)
    target, where_from = out or profile, None
    if target is None:
        target, where_from = _target(ctx, file, str(answers.data.get("case_id") or ""))
    base_path = profile or (target if target.exists() else None)
    base, base_bytes = None, b""
    if base_path is not None:
        with contextlib.suppress(OSError):  # load_yaml says why
            base_bytes = base_path.read_bytes()  # before parsing: a change after this is found when writing
        base = load_profile_yaml(base_path)
    imported, result = take_in_answers(ctx, answers, base)
    left = [loc for loc, _ in imported.left]
    found = Imported(
        ImportOutcome.WRITTEN,
        target,
        where_from,
        [str(note) for _, note in imported.notes],
        [str(note) for _, note in imported.left],
        base_path,
        [],
    )
    if base is not None and base_path is not None:
        changes = differences(prefill_data(base), without(result.model_dump(mode="python", by_alias=True), left))
        found = replace(found, changes=changes)
        if not changes and target.exists():
            return replace(found, outcome=ImportOutcome.UNCHANGED)
        if target.exists() and not merge:
            return replace(found, outcome=ImportOutcome.NOT_MERGED)
    text = (
        updated_profile_yaml(base_bytes.decode("utf-8"), result)
        if base_path is not None
        else profile_yaml(result, f"永住許可申請 profile — docgen intake import ({file.name})")
    )
    if left:
        text = blank_fields(text, left, "事務所で記入 (docgen intake import)")

    def write(part: Path) -> None:
        part.write_text(text, encoding="utf-8")
        if _read_back(part, left) != result:  # the file must say exactly what was imported
            raise DocgenError(
                Text(
                    f"{target}: 書き出したプロフィールが読み込み結果と一致しないため、書き込みをやめました",
                    f"{target}: the profile written does not read back the same; nothing was written",
                )
            )

    same = base_path is not None and target.exists() and base_path.resolve() == target.resolve()
    if merge and same:  # the profile read is the base of the merge: staff's own edits are in it
        keep = before_merge_path(target, ctx.now)
        with replace_read_file(target, bytes_sha256(base_bytes), keep, inputs=[file]) as part:
            write(part)
        return replace(found, outcome=ImportOutcome.MERGED, kept=keep)
    inputs = [file] + ([base_path] if base_path is not None and not same else [])
    with private_file(target, inputs=inputs) as part:
        write(part)
    return found
