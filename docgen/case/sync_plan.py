"""`case sync`'s plan and its carrying out: which evidence folders to add and renumber (renames of whole folders,
never a copy; nothing removed, no name overwritten) and the report of what was found and done."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from docgen.case.evidence_folders import EvidenceFolder
from docgen.case.folder import item_id_of_folder
from docgen.errors import DocgenError
from docgen.text import Notice, Text

LEADING_NUMBER = re.compile(r"^(\d+)(\s+)")


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

    def made(self) -> list[Text]:
        """The folders added and renumbered, one line each."""
        return [Text(f"  追加: {name}", f"  added: {name}") for name in self.added] + [
            Text(
                f"  番号を変更: {_number(old)} → {new}（中身はそのまま）",
                f"  renumbered: {_number(old)} → {new} (contents kept)",
            )
            for old, new in self.renamed
        ]

    def lines(self) -> list[Text]:
        """The report, one line per folder (the face renders it in the staff's language)."""
        out = [
            Text(
                f"証拠フォルダーを提出書類一覧表の番号にそろえました: {self.evidence}",
                f"evidence folders follow the index (提出書類一覧表) numbers: {self.evidence}",
            )
            if self.changed
            else Text(
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
        out += [Text(f"  {ja}: {name}", f"  {en}: {name}") for names, ja, en in listed for name in names]
        return out


def _number(name: str) -> str:
    """The leading number of a folder's name ('08' of '08 住民票… [residence_certificate]')."""
    m = LEADING_NUMBER.match(name)
    return m.group(1) if m else name


@dataclass(frozen=True)
class SyncStep:
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


def plan(evidence: Path, wanted: list[EvidenceFolder]) -> tuple[SyncReport, list[SyncStep]]:
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
    steps: list[SyncStep] = []
    new_folders: list[SyncStep] = []
    for want in wanted:
        have = by_id.pop(want.item_id, [])
        if not have:
            new_folders.append(SyncStep(want.name))
            continue
        if len(have) > 1:
            if any(_renumbered(p.name, want.number) is not None for p in have):
                report.several.append(tuple(p.name for p in have))
            continue
        target = _renumbered(have[0].name, want.number)
        if target is not None:
            steps.append(SyncStep(target, have[0].name))
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


def carry_out(report: SyncReport, steps: list[SyncStep]) -> None:
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


def _failed(report: SyncReport, left: list[SyncStep], exc: OSError) -> Text:
    """The message of a sync stopped half-way: the failure, what was made, what was not."""
    step = left[0]
    what = f"{step.source} → {step.target}" if step.source else step.target
    made = report.made()
    lines = [
        Text(
            f"証拠フォルダーの変更が途中で失敗しました（{what}: {exc.strerror}）。ファイルは動かしていません",
            f"changing the evidence folders failed half-way ({what}: {exc.strerror}); no file was moved",
        ),
        *([Text("行った変更:", "made:"), *made] if made else [Text("行った変更: なし", "made: nothing")]),
        Text("行っていない変更:", "not made:"),
        *[_same(f"  {s.source} → {s.target}" if s.source else f"  {s.target}") for s in left],
        Text(
            "原因を取り除いてから docgen case sync をもう一度実行すると、残りを行います",
            "remove the cause and run docgen case sync again to make the rest",
        ),
    ]
    return Text("\n".join(t.ja for t in lines), "\n".join(t.en for t in lines))


def _same(text: str) -> Text:
    return Text(text, text)
