"""`docgen case new`: a case folder ready for a client — the profile skeleton, one evidence folder per item the
client brings (number + Japanese title + item id), a list of the folders in the client's language, and the
client handout (what to bring; its row numbers are the folders' numbers).

A case folder is made whole or not at all: while it is being made it holds the marker `.docgen-case-new`; a
failure (no LibreOffice for the handout, a full disk) removes what this run made, and a run stopped outright
(killed, power cut) leaves the marker, by which the next `case new` of the same case recognises the half-made
folder as its own and makes it again — unless staff put anything in it, which is never touched."""

from __future__ import annotations

import json
import os
import re
import shutil
from datetime import date
from pathlib import Path
from typing import get_args

from docgen.case.evidence_folders import FOLDERS_NOTE, evidence_folders, folder_list
from docgen.case.folder import MARKER, CaseFolder, item_id_of_folder
from docgen.case.settings import Settings
from docgen.checklist import build_checklist
from docgen.checklist.model import Checklist
from docgen.errors import DocgenError
from docgen.languages import LANGUAGES, language_name
from docgen.messages import say
from docgen.packet.safe_write import LEDGER, docgen_wrote, private_file
from docgen.private_folders import private_folder
from docgen.profile.skeleton import skeleton
from docgen.rules import category_names
from docgen.rules.book import RuleBook
from docgen.rules.periods import Lang
from docgen.text import Text

CASE_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,59}$")


def handout_language(lang: str) -> Lang:
    """The language the handout and folder list are made in: the client's where docgen has a handout for it (its
    labels, fonts and folder note), otherwise English — never a neighbour (zh-TW is not made in simplified zh)."""
    from docgen.checklist.output import LABELS
    from docgen.packet.handout import HANDOUT_FONTS

    if lang in get_args(Lang) and lang in LABELS and lang in HANDOUT_FONTS and lang in FOLDERS_NOTE:
        return lang
    return "en"


def handout_language_note(lang: str) -> str | None:
    """Why the handout is not in the client's language, if it is not, e.g.
    「ベトナム語の案内はまだないため、英語で作成しました」."""
    made = handout_language(lang)
    if made == lang:
        return None
    wanted, used = language_name(lang), language_name(made)
    return say(
        f"{wanted.ja}の案内はまだないため、{used.ja}で作成しました",
        f"there is no handout in {wanted.en} yet, so it was made in {used.en}",
    )


def _ours(folder: CaseFolder, entry: Path) -> bool:
    """Whether `entry` in the case folder is something `case new` makes: the marker, the ledger, a file it wrote
    and nobody changed since (the profile, the folder list, the handout), a temporary file it was writing, the
    evidence folder with its empty item folders."""
    name = entry.name
    if entry.is_symlink():
        return False
    if entry.is_file():
        if name in (MARKER, LEDGER) or name.startswith((f".{folder.case_id}-", f"{LEDGER}.")):
            return True
        return name.startswith(f"{folder.case_id}-") and docgen_wrote(entry)
    if entry == folder.evidence and entry.is_dir():
        return all(
            sub.is_dir() and not sub.is_symlink() and item_id_of_folder(sub.name) and not any(sub.iterdir())
            for sub in entry.iterdir()
        )
    return False


def _not_ours(folder: CaseFolder) -> list[Path]:
    """What is in the case folder that `case new` did not make (staff files), by name."""
    return sorted(entry for entry in folder.root.iterdir() if not _ours(folder, entry))


def _running_pid(folder: CaseFolder) -> int | None:
    """The process of another `case new` still making this folder, if there is one."""
    try:
        pid = int(json.loads((folder.root / MARKER).read_text(encoding="utf-8"))["pid"])
        os.kill(pid, 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return pid if pid != os.getpid() else None


def _shown(paths: list[Path]) -> str:
    names = [p.name for p in paths[:3]]
    return say("、", ", ").join(names) + (
        say(f" ほか{len(paths) - 3}件", f" and {len(paths) - 3} more") if len(paths) > 3 else ""
    )


def _exists(folder: CaseFolder) -> DocgenError:
    return DocgenError(
        Text(
            f"{folder.root} は既にあります。何も変更していません（case new は新しい案件だけを作ります。記入後に"
            f"証拠フォルダーを案件に合わせるには docgen case sync {folder.case_id}）",
            f"{folder.root} already exists; nothing was changed (case new makes new cases only; to bring its"
            f" evidence folders to the filled-in case, run docgen case sync {folder.case_id})",
        )
    )


def _busy(folder: CaseFolder) -> DocgenError:
    return DocgenError(
        Text(
            f"{folder.root} は別の docgen case new が作成中です。終わるのを待ってください（何も変更していません）",
            f"{folder.root} is being made by another docgen case new; wait for it (nothing was changed)",
        )
    )


def _claim(folder: CaseFolder) -> str | None:
    """Make the case folder (owner-only) with the marker in it. An existing folder is refused, except an empty
    one and one a stopped `case new` left half-made with nothing of the staff's in it: that one is made again
    (the returned note says so)."""
    root, note = folder.root, None
    if root.is_symlink() or (root.exists() and not root.is_dir()):
        raise _exists(folder)
    if root.is_dir() and (root / MARKER).is_file():
        if _running_pid(folder) is not None:
            raise _busy(folder)
        foreign = _not_ours(folder)
        if foreign:
            raise DocgenError(
                Text(
                    f"{root} は case new が途中で止まった案件フォルダーですが、docgen が作ったものではないファイル"
                    f"（{_shown(foreign)}）があるため、そのまま残しました。そのファイルを移してから、もう一度"
                    "実行してください",
                    f"{root} is a case folder that case new did not finish, but it holds files docgen did not make"
                    f" ({_shown(foreign)}); it was left as it is. Move those files away and run again",
                )
            )
        shutil.rmtree(root)
        note = say(
            f"前回の case new が途中で止まった案件フォルダーを作り直しました: {root}",
            f"the case folder a stopped case new left half-made was made again: {root}",
        )
    private_folder(root.parent)  # the cases folder: every client's data
    try:
        root.mkdir(mode=0o700)
    except FileExistsError:
        if root.is_symlink() or not root.is_dir() or any(root.iterdir()):  # an empty folder is taken as it is
            raise _exists(folder) from None
    root.chmod(0o700)
    try:
        marker = os.open(root / MARKER, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise _busy(folder) from None
    with os.fdopen(marker, "w", encoding="utf-8") as f:
        json.dump({"case_id": folder.case_id, "pid": os.getpid()}, f)
    return note


def _undo(folder: CaseFolder) -> str:
    """Remove the case folder this run made after a failure, unless something not its own is in it; what was
    done, in words for the error message."""
    try:
        foreign = _not_ours(folder)
        if not foreign:
            shutil.rmtree(folder.root)
            return say(
                f"作りかけの案件フォルダー {folder.root} は削除しました（何も残っていません）",
                f"the case folder {folder.root} was not finished and was removed (nothing is left)",
            )
    except OSError:
        return say(
            f"作りかけの案件フォルダー {folder.root} を削除できませんでした。もう一度 case new を実行すると"
            "作り直します",
            f"the unfinished case folder {folder.root} could not be removed; running case new again makes it again",
        )
    return say(
        f"作りかけの案件フォルダー {folder.root} には docgen が作ったものではないファイル（{_shown(foreign)}）が"
        "あるため、そのまま残しました",
        f"the unfinished case folder {folder.root} holds files docgen did not make ({_shown(foreign)}); it was"
        " left as it is",
    )


def new_case(
    settings: Settings,
    book: RuleBook,
    release_day: tuple[int, int],
    case_id: str,
    category: str,
    on: date,
    lang: str,
    *,
    handout_pdf: bool = True,
) -> tuple[CaseFolder, str | None]:
    """Create the case folder under the office's cases folder, whole or not at all; an existing case folder is
    never touched, except one a stopped `case new` left half-made with nothing of the staff's in it (made again;
    the note returned says so). The handout and the folder list are in `handout_language(lang)` (English where
    docgen has none in `lang`)."""
    if lang not in LANGUAGES:
        raise DocgenError(
            Text(
                f"依頼者の言語 '{lang}' には対応していません。次のいずれかを指定してください: " + " / ".join(LANGUAGES),
                f"client language '{lang}' is not supported; use one of: " + " / ".join(LANGUAGES),
            )
        )
    made = handout_language(lang)
    if not CASE_ID_RE.match(case_id):
        raise DocgenError(
            Text(
                f"案件ID '{case_id}': 半角英数字と '-'、'_'、'.' で60文字以内にしてください（フォルダー名になります）",
                f"case id '{case_id}': use up to 60 letters, digits, '-', '_' and '.' (it becomes a folder name)",
            )
        )
    category = category_names.category_id(book, category, say("類型", "category"))
    folder = CaseFolder.under(settings.cases_dir, case_id)
    checklist = build_checklist(book, category, on, release_day)
    note = _claim(folder)
    try:
        _fill(folder, checklist, settings, category, on, lang, made, handout_pdf)
    except DocgenError as exc:
        raise DocgenError(f"{exc}\n{_undo(folder)}") from None
    except BaseException:
        _undo(folder)
        raise
    return folder, note


def _fill(
    folder: CaseFolder,
    checklist: Checklist,
    settings: Settings,
    category: str,
    on: date,
    client_lang: str,
    made: Lang,
    pdf: bool,
) -> None:
    """Everything in the case folder, the marker last: removing it says the folder is complete."""
    folder.evidence.mkdir(mode=0o700)
    with private_file(folder.profile) as part:
        text = skeleton(category, case_id=folder.case_id, application_date=on, client_language=client_lang)
        part.write_text(text, encoding="utf-8")
    for evidence in evidence_folders(checklist):  # numbered from the category's checklist: no profile yet
        (folder.evidence / evidence.name).mkdir(mode=0o700)
    with private_file(folder.root / f"{folder.case_id}-folders-{made}.txt") as part:
        part.write_text(folder_list(checklist, made), encoding="utf-8")
    from docgen.packet.handout import write_checklist_document

    write_checklist_document(
        checklist, folder.handout(made, "pdf" if pdf else "docx"), made, pdf=pdf, settings=settings
    )
    (folder.root / MARKER).unlink()
