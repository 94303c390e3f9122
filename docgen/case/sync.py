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
Messages name items by title and id and files by name; never a profile value.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import cast

from docgen.assessment import assess_case
from docgen.case.case import Rules, build_case
from docgen.case.folder import MARKER, CaseFolder, case_folder_at, choose_profile, item_folder_name, item_id_of_folder
from docgen.case.settings import Settings
from docgen.checklist import case_checklist
from docgen.checklist.model import Checklist
from docgen.documents.generate import GENERATED
from docgen.errors import DocgenError
from docgen.messages import say
from docgen.packet.index import numbered
from docgen.packet.safe_write import docgen_wrote, private_file
from docgen.profile.skeleton import skeleton
from docgen.rules.periods import Lang
from docgen.text import NextStep, Notice, Step, Text

LEADING_NUMBER = re.compile(r"^(\d+)(\s+)")
FOLDERS_NOTE: dict[str, tuple[str, str]] = {
    "ja": ("証明書・写しの置き場所", "番号は「必要書類一覧」の番号です。書類はその番号のフォルダーに入れてください。"),
    "en": ("Where each document goes", "The numbers are those of the checklist. Put each document in its folder."),
    "zh": ("各材料的存放位置", "编号与材料清单的编号相同。请将材料放入对应编号的文件夹。"),
}


@dataclass(frozen=True)
class EvidenceFolder:
    """An item the client brings, with its number in the 提出書類一覧表 and its Japanese title."""

    number: int
    title: str
    item_id: str

    @property
    def name(self) -> str:
        return item_folder_name(self.number, self.title, self.item_id)


def evidence_folders(checklist: Checklist) -> list[EvidenceFolder]:
    """One folder for every item the client brings (not the documents docgen fills in, not what the office
    prepares, not the fee paid on grant), numbered as the 提出書類一覧表 numbers the checklist's items."""
    return [
        EvidenceFolder(n, item.title("ja"), item.id)
        for n, item in numbered(checklist)
        if item.rule.prepared_by == "client" and item.id not in GENERATED and item.rule.condition != "on_grant"
    ]


def folder_list(checklist: Checklist, lang: Lang) -> str:
    """The text of `<case id>-folders-<lang>.txt`: each folder's name, with the item's title in `lang` (a
    language of FOLDERS_NOTE) under it when that is not Japanese."""
    heading, note = FOLDERS_NOTE[lang]
    titles = {item.id: item.title(lang) for item in checklist.items}
    lines = [heading, note, ""]
    for f in evidence_folders(checklist):
        lines.append(f.name if lang == "ja" else f"{f.name}\n    {titles[f.item_id]}")
    return "\n".join(lines) + "\n"


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


# ---------------------------------------------------------------- the plan and the report


@dataclass
class SyncReport:
    """What `case sync` found and did, by folder name (names of items and files only)."""

    evidence: Path
    added: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    unneeded_empty: list[str] = field(default_factory=list)
    unneeded_with_files: list[str] = field(default_factory=list)
    taken: list[str] = field(default_factory=list)  # a name to make or rename to that something else has
    several: list[tuple[str, ...]] = field(default_factory=list)  # folders of one item: none renamed
    unrecognised: list[str] = field(default_factory=list)  # folders without a bracketed id: left alone
    notes: list[Notice] = field(default_factory=list)  # the face shows each with how to take its steps

    @property
    def changed(self) -> bool:
        return bool(self.added or self.renamed)

    def made(self) -> list[str]:
        """The folders added and renumbered, one line each."""
        return [say(f"  追加: {name}", f"  added: {name}") for name in self.added] + [
            say(
                f"  番号を変更: {_number(old)} → {new}（中身はそのまま）",
                f"  renumbered: {_number(old)} → {new} (contents kept)",
            )
            for old, new in self.renamed
        ]

    def lines(self) -> list[str]:
        """The report, one line per folder, in the staff's language."""
        out = [
            say(
                f"証拠フォルダーを提出書類一覧表の番号にそろえました: {self.evidence}",
                f"evidence folders follow the index (提出書類一覧表) numbers: {self.evidence}",
            )
            if self.changed
            else say(
                f"変更はありません（証拠フォルダーは提出書類一覧表の番号どおりです）: {self.evidence}",
                f"nothing to change (the evidence folders carry the index numbers): {self.evidence}",
            )
        ]
        out += self.made()
        listed = (
            (self.unneeded_empty, "不要（空のフォルダー、残しています）", "no longer needed (empty, left)"),
            (
                self.unneeded_with_files,
                "不要（ファイルが入っているため残しました。中身を確認してください）",
                "no longer needed, but it holds files and was left (check them)",
            ),
            (
                self.taken,
                "同じ名前のものが既にあるため作成・変更していません",
                "not made or renamed, the name is already taken",
            ),
            (
                ["、".join(names) for names in self.several],
                "同じ項目のフォルダーが複数あるため番号を変えていません",
                "several folders for one item, none renumbered",
            ),
            (
                self.unrecognised,
                "項目ID [ ] のないフォルダーはそのままにしました",
                "a folder without an item id [ ] was left alone",
            ),
        )
        out += [say(f"  {ja}: {name}", f"  {en}: {name}") for names, ja, en in listed for name in names]
        return out


def _number(name: str) -> str:
    """The leading number of a folder's name ('08' of '08 住民票… [residence_certificate]')."""
    m = LEADING_NUMBER.match(name)
    return m.group(1) if m else name


@dataclass(frozen=True)
class _Step:
    """One change to make: a rename (source set) or a new folder."""

    target: str
    source: str | None = None


def _content(path: Path) -> list[Path]:
    """What a folder holds, hidden entries (.DS_Store, ._name) aside."""
    return [p for p in path.iterdir() if not p.name.startswith(".")]


def _renumbered(name: str, number: int) -> str | None:
    """`name` with its leading number replaced by `number` ('07 住民税… [x]' → '12 住民税… [x]'); None when the
    name has no leading number (staff named it otherwise) or already has this one."""
    m = LEADING_NUMBER.match(name)
    if m is None or int(m.group(1)) == number:
        return None
    return f"{number:02d}{m.group(2)}{name[m.end() :]}"


def plan(evidence: Path, wanted: list[EvidenceFolder]) -> tuple[SyncReport, list[_Step]]:
    """What to add and rename in `evidence` for the folders `wanted`, and what to report; nothing is changed."""
    report = SyncReport(evidence)
    entries = sorted(p for p in evidence.iterdir() if not p.name.startswith("."))
    by_id: dict[str, list[Path]] = {}
    for entry in entries:
        if entry.is_symlink() or not entry.is_dir():
            continue  # a file, or a link: never touched
        item_id = item_id_of_folder(entry.name)
        if item_id is None:
            report.unrecognised.append(entry.name)
        else:
            by_id.setdefault(item_id, []).append(entry)
    taken = {entry.name for entry in entries}
    steps: list[_Step] = []
    new_folders: list[_Step] = []
    for want in wanted:
        have = by_id.pop(want.item_id, [])
        if not have:
            new_folders.append(_Step(want.name))
            continue
        if len(have) > 1:
            if any(_renumbered(p.name, want.number) is not None for p in have):
                report.several.append(tuple(p.name for p in have))
            continue
        target = _renumbered(have[0].name, want.number)
        if target is not None:
            steps.append(_Step(target, have[0].name))
    for step in [*steps, *new_folders]:
        if step.target in taken or os.path.lexists(evidence / step.target):
            report.taken.append(step.target)
        else:
            taken.add(step.target)
    steps = [s for s in steps + new_folders if s.target not in report.taken]
    for folders in by_id.values():  # items the case does not need (or that are no item of its checklist)
        for folder in folders:
            (report.unneeded_with_files if _content(folder) else report.unneeded_empty).append(folder.name)
    return report, steps


def _rename(source: Path, target: Path) -> None:
    """Rename a folder (tests stop here to fail half-way)."""
    os.rename(source, target)


def _carry_out(report: SyncReport, steps: list[_Step]) -> None:
    """Make the planned changes in order; on a failure, stop and say what was made and what was not."""
    evidence = report.evidence
    for k, step in enumerate(steps):
        try:
            if step.source is not None:
                if os.path.lexists(evidence / step.target):  # made since the plan: never overwritten
                    report.taken.append(step.target)
                    continue
                _rename(evidence / step.source, evidence / step.target)
                report.renamed.append((step.source, step.target))
            else:
                try:
                    (evidence / step.target).mkdir(mode=0o700)
                except FileExistsError:  # made since the plan: never overwritten
                    report.taken.append(step.target)
                    continue
                report.added.append(step.target)
        except OSError as exc:
            raise DocgenError(_failed(report, steps[k:], exc)) from None


def _failed(report: SyncReport, left: list[_Step], exc: OSError) -> str:
    """The message of a sync stopped half-way: the failure, what was made, what was not."""
    step = left[0]
    what = f"{step.source} → {step.target}" if step.source else step.target
    lines = [
        say(
            f"証拠フォルダーの変更が途中で失敗しました（{what}: {exc.strerror}）。ファイルは動かしていません",
            f"changing the evidence folders failed half-way ({what}: {exc.strerror}); no file was moved",
        )
    ]
    made = report.made()
    lines += [say("行った変更:", "made:"), *made] if made else [say("行った変更: なし", "made: nothing")]
    lines.append(say("行っていない変更:", "not made:"))
    lines += [f"  {s.source} → {s.target}" if s.source else f"  {s.target}" for s in left]
    lines.append(
        say(
            "原因を取り除いてから docgen case sync をもう一度実行すると、残りを行います",
            "remove the cause and run docgen case sync again to make the rest",
        )
    )
    return "\n".join(lines)


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
    _carry_out(report, steps)
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
