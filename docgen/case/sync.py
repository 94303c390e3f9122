"""`docgen case sync`: a case folder's evidence folders follow the case once its profile is filled in.

`case new` makes one folder per item the client brings, numbered from the category's checklist (there is no
profile yet). The case's own checklist (co-applicants merged in, conditions decided) numbers its items otherwise
and may need more (身分関係 for a 家族滞在 spouse): its numbers are those of the 提出書類一覧表
(docgen/packet/index.py `numbered`) and of the handout made from the profile. `sync_case_folder` brings the
folders to those numbers:

- a folder for an item the case now needs is added ('04 身分関係を証明する資料… [relationship_proof]');
- a folder whose number changed is renamed (only its leading number; found by the bracketed item id at the end
  of its name), everything inside it kept — a rename of the folder, never a copy;
- nothing is ever removed: a folder the case no longer needs is reported (不要), empty or with files;
- a folder without a bracketed id (staff named it themselves) is left alone, as is every file;
- a name already taken is reported, never overwritten; several folders for one item are reported, none renamed;
- the renames and additions are planned first and then made one by one: when one fails the error says which
  were made and which not (running sync again finishes them).

The folder list `<case id>-folders-<lang>.txt` is written again with the new numbers when docgen wrote it and
nobody changed it since; the client handout is never rewritten (the report says how to make it again).
Messages name items by title and id and files by name; never a profile value. The folders' names and numbers are
evidence_folders.py's; the plan, its carrying out and the report are sync_plan.py's.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import cast

from docgen.assessment import assess_case
from docgen.case.case import Rules, build_case
from docgen.case.evidence_folders import FOLDERS_NOTE, evidence_folders, folder_list
from docgen.case.folder import MARKER, CaseFolder, case_folder_at, choose_profile
from docgen.case.settings import Settings
from docgen.case.sync_plan import SyncReport, carry_out, plan
from docgen.checklist import case_checklist
from docgen.checklist.model import Checklist
from docgen.errors import DocgenError
from docgen.packet.safe_write import docgen_wrote, private_file
from docgen.profile.skeleton import skeleton
from docgen.rules.periods import Lang
from docgen.text import NextStep, Notice, Step, Text

# ---------------------------------------------------------------- which folder is a case folder


def _not_a_case(root: Path, why_ja: str, why_en: str) -> DocgenError:
    return DocgenError(
        Text(
            f"{root} は docgen の案件フォルダーではありません（{why_ja}）。何も変更していません",
            f"{root} is not a docgen case folder ({why_en}); nothing was changed",
        )
    )


def case_folder_to_sync(target: str, cases_dir: Path) -> CaseFolder:
    """The case folder `target` names (a folder, else a case id under the cases folder), refused unless it is a
    case folder docgen made whole: an evidence folder and one profile in it, not half-made by `case new`."""
    root = Path(target)
    if not root.is_dir() and (Path(cases_dir) / target).is_dir():
        root = Path(cases_dir) / target
    if not root.is_dir():
        raise DocgenError(
            Text(
                f"案件フォルダー {target} が見つかりません（フォルダーのパスか、{cases_dir} の下の案件IDを指定して"
                "ください）",
                f"case folder {target} not found (give a folder, or a case id under {cases_dir})",
            )
        )
    if (root / MARKER).exists():
        raise DocgenError(
            Text(
                f"{root} は case new が作成中か途中で止まった案件フォルダーです。先に docgen case new をもう一度"
                "実行してください（何も変更していません）",
                f"{root} is a case folder case new is making or did not finish; run docgen case new again first"
                " (nothing was changed)",
            )
        )
    evidence = root / "evidence"
    if evidence.is_symlink() or not evidence.is_dir():
        raise _not_a_case(root, "evidence フォルダーがありません", "it has no evidence folder")
    try:
        choice = choose_profile(root)
    except OSError as exc:
        raise _not_a_case(root, f"読めません: {exc.strerror}", f"it cannot be read: {exc.strerror}") from None
    if choice.profile is None:
        if choice.candidates:
            names = "、".join(choice.candidates)
            raise DocgenError(
                Text(
                    f"{root} にはプロフィールらしいファイルが複数あります（{names}）。1つにしてから実行してください"
                    "（何も変更していません）",
                    f"{root} holds several files that could be its profile ({', '.join(choice.candidates)}); keep"
                    " one and run again (nothing was changed)",
                )
            )
        raise _not_a_case(root, "プロフィールがありません", "it has no profile")
    return case_folder_at(root, choice.profile)


# ---------------------------------------------------------------- the command


def _folder_lists(folder: CaseFolder, checklist: Checklist, report: SyncReport) -> None:
    """Write each folder list `case new` made again with the new numbers, unless staff changed it."""
    pattern = re.compile(rf"^{re.escape(folder.case_id)}-folders-([A-Za-z-]+)\.txt$")
    for path in sorted(folder.root.iterdir()):
        m = pattern.match(path.name)
        if m is None or m.group(1) not in FOLDERS_NOTE or not path.is_file():
            continue
        text = folder_list(checklist, cast(Lang, m.group(1)))
        if path.read_text(encoding="utf-8", errors="replace") == text:
            continue
        if not docgen_wrote(path):
            report.notes.append(
                Notice(
                    Text(
                        f"{path.name} は docgen が作った後に変更されているため、書き直していません"
                        "（番号が古いままです）",
                        f"{path.name} was changed after docgen made it and was not rewritten (its numbers are old)",
                    )
                )
            )
            continue
        with private_file(path) as part:
            part.write_text(text, encoding="utf-8")
        report.notes.append(
            Notice(
                Text(f"{path.name} を新しい番号で書き直しました", f"{path.name} was written again with the new numbers")
            )
        )


def _handout_note(folder: CaseFolder, category: str, report: SyncReport) -> None:
    """A handout made before the sync numbers the items as the folders did: say that it should be made again."""
    for handout in sorted(folder.root.glob(f"{folder.case_id}-handout-*.*")):
        lang = handout.stem.removeprefix(f"{folder.case_id}-handout-")
        remake = NextStep(
            Step.MAKE_HANDOUT,
            str(handout),
            (("category", category), ("profile", str(folder.profile)), ("lang", lang), ("format", handout.suffix[1:])),
        )
        report.notes.append(
            Notice(
                Text(
                    f"依頼者用の案内 {handout.name} は以前の番号のままです。作り直してください",
                    f"the client handout {handout.name} has the old numbers; make it again",
                ),
                (remake,),
            )
        )


SKELETON_FIELDS = re.compile(r"^category: ([a-z0-9_]+)\b.*?^application_date: (\d{4}-\d{2}-\d{2})\b", re.M | re.S)
CLIENT_LANGUAGE = re.compile(r"^client_language: ([A-Za-z-]+) ", re.M)


def _still_skeleton(folder: CaseFolder) -> bool:
    """Whether the profile is still the skeleton `case new` wrote, byte for byte (a profile `intake import` wrote
    is docgen's too, but filled in)."""
    try:
        text = folder.profile.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False  # the loader says why
    m = SKELETON_FIELDS.search(text)
    try:
        on = date.fromisoformat(m.group(2)) if m else None
    except ValueError:
        return False
    lang = CLIENT_LANGUAGE.search(text)
    made = (
        skeleton(m.group(1), case_id=folder.case_id, application_date=on, client_language=lang.group(1) if lang else "")
        if m
        else ""
    )
    return m is not None and text == made


def sync_case_folder(target: str, settings: Settings, rules: Rules, now: datetime) -> SyncReport:
    """Bring the evidence folders of the case folder `target` (a folder or a case id) to its 提出書類一覧表
    numbers; see the module docstring. Refused, with nothing changed, when `target` is not a docgen case folder or
    its profile is not filled in yet (its folders keep the category's numbers until then)."""
    folder = case_folder_to_sync(target, settings.cases_dir)
    if _still_skeleton(folder):
        raise DocgenError(
            Text(
                f"{folder.profile.name} はまだ case new が作ったままです。記入してから（intake import など）"
                "もう一度実行してください（何も変更していません）",
                f"{folder.profile.name} is still as case new made it; fill it in (intake import …) and run again"
                " (nothing was changed)",
            )
        )
    case = build_case(folder.profile, settings, rules, now=now)
    checklist = case_checklist(case, assess_case(case))
    try:
        report, steps = plan(folder.evidence, evidence_folders(checklist))
    except OSError as exc:
        raise DocgenError(
            Text(
                f"{folder.evidence} を読めません（{exc.filename}: {exc.strerror}）。何も変更していません",
                f"{folder.evidence} cannot be read ({exc.filename}: {exc.strerror}); nothing was changed",
            )
        ) from None
    carry_out(report, steps)
    try:
        _folder_lists(folder, checklist, report)
    except OSError as exc:  # the folders are done; only the list could not be written again
        report.notes.append(
            Notice(
                Text(
                    f"フォルダー一覧を書き直せませんでした（{exc.strerror}）。番号が古いままです",
                    f"the folder list could not be written again ({exc.strerror}); its numbers are old",
                )
            )
        )
    if report.changed:
        _handout_note(folder, case.profile.category, report)
    return report
