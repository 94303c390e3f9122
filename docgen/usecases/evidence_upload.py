"""Scans added to a case from the web app (証拠資料のアップロード): each file checked exactly as a packet build
checks the case's evidence folder (docgen/pdf/evidence.py: size, type, pixels and decompression bombs, pages,
encryption, malformed PDFs, active content removed with a note), then stored where `docgen packet` finds it:

    evidence/07 住民税の課税証明書 [resident_tax_certificates]/NGUYEN VAN AN/2025.pdf

the item's folder (the one `case new`/`case sync` made, found by its [id]; else made with the number of the
case's 提出書類一覧表), and the person's folder under it when the item is counted per person. A name already
there gets '_2', '_3' … before its suffix; nothing is ever overwritten. A rejected file is never stored and is
named with its reason in staff words. Messages name items and files, never a profile value."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import BinaryIO

from docgen.assessment import assess_case
from docgen.case.evidence_folders import evidence_folders
from docgen.case.folder import case_folder_at, item_folder_name, item_id_of_folder
from docgen.checklist import case_checklist
from docgen.checklist.model import ChecklistItem
from docgen.errors import DocgenError
from docgen.pdf.evidence import MAX_FILE_MB, collect_evidence
from docgen.private_folders import private_folder
from docgen.rules.periods import FiscalYears
from docgen.text import Text
from docgen.usecases.case_page import NotInCases, case_profile, case_root
from docgen.usecases.context import RunContext, use_case
from docgen.wareki import fiscal_year_label

MAX_FILES = 50  # files in one upload
STAGING = ".docgen-upload-"  # a hidden folder of the case folder while an upload is checked (never listed)
UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
CHUNK = 1 << 20


@dataclass(frozen=True)
class UploadItem:
    """An item scans can be added to: its number in the 提出書類一覧表, title and the people it is counted for
    (empty: one document for the whole item)."""

    id: str
    number: int
    title: Text
    people: tuple[str, ...]
    years: tuple[tuple[str, tuple[int, ...]], ...] = ()  # an item counted per 住民税 年度: each person's 年度

    def years_of(self, person: str | None) -> tuple[int, ...]:
        """The 年度 a scan of `person` may be for (newest first); every person's when none is given."""
        found = {y for who, years in self.years if person in (None, who) for y in years}
        return tuple(sorted(found, reverse=True))


@dataclass(frozen=True)
class StoredScan:
    """A file accepted: the name it was sent with, where it is now (relative to the case folder, with '/'), and
    what binding it will remove (JavaScript, links …), if anything."""

    sent: str
    stored: str
    note: str | None = None


@dataclass(frozen=True)
class RefusedScan:
    """A file not stored: the name it was sent with and why, in staff words."""

    sent: str
    reason: str


@dataclass(frozen=True)
class ScansAdded:
    item: UploadItem
    person: str | None
    year: int | None = None
    stored: list[StoredScan] = field(default_factory=list)
    refused: list[RefusedScan] = field(default_factory=list)

    @property
    def year_name(self) -> str | None:
        """The 年度 as staff name it: 令和7年度."""
        return fiscal_year_label(self.year) if self.year is not None else None


def _items(ctx: RunContext, root: Path) -> tuple[Path, list[tuple[UploadItem, ChecklistItem]]]:
    """The case folder's evidence folder and the items the client brings, as the case's checklist numbers them."""
    chosen = case_profile(root)
    if chosen is None:
        raise DocgenError(
            Text(
                "この案件にはプロフィールがないため、資料を追加できません",
                "this case has no profile: scans cannot be added yet",
            )
        )
    folder = case_folder_at(root, chosen)
    case = ctx.case(folder.profile)
    checklist = case_checklist(case, assess_case(case))
    by_id = {item.id: item for item in checklist.items}
    found = []
    for f in evidence_folders(checklist):
        item = by_id[f.item_id]
        people = () if item.count_per == "item" else tuple(dict.fromkeys(p.name for p in item.people if p.name))
        years = tuple(
            (p.name, period.years)
            for p in item.people
            if item.count_per == "person_year" and p.name and isinstance(period := item.period_of(p), FiscalYears)
        )
        title = Text(item.title("ja"), item.title("en"))
        found.append((UploadItem(item.id, f.number, title, people, years), item))
    return folder.evidence, found


@use_case
def upload_items(ctx: RunContext, case_id: str) -> list[UploadItem]:
    """The items of a case scans can be added to, in the order of its 提出書類一覧表 (none when the case's
    profile cannot be read: the case page says why)."""
    root = case_root(ctx, case_id)
    try:
        return [item for item, _ in _items(ctx, root)[1]]
    except DocgenError as exc:
        if isinstance(exc, NotInCases):
            raise
        return []


def safe_name(sent: str) -> str:
    """A sent file's name as it is stored: its last part only, NFC, without characters a folder cannot hold or
    a leading dot (a hidden file is never read as evidence), at most 120 characters before the suffix."""
    name = unicodedata.normalize("NFC", PurePath(sent.replace("\\", "/")).name)
    name = UNSAFE.sub("_", name).strip().lstrip(". ")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = stem[:120].strip() or "scan"
    return f"{stem}.{suffix.lower()}" if suffix else stem


def _free(folder: Path, name: str) -> Path:
    """`name` in `folder`, or with _2, _3 … before the suffix when taken: claimed at once (an empty owner-only
    file made only if there is none), so that two uploads at the same moment never take the same name."""
    n = 1
    while True:
        target = folder / (name if n == 1 else f"{Path(name).stem}_{n}{Path(name).suffix}")
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            return target
        except FileExistsError:
            n += 1


def _item_folder(evidence: Path, item: UploadItem) -> Path:
    """The item's folder in the evidence folder: the one named by its [id] (or plainly by its id), else a new one
    named as `case new` names it."""
    if evidence.is_dir():
        for entry in sorted(evidence.iterdir()):
            if entry.is_dir() and not entry.is_symlink() and item.id in (entry.name, item_id_of_folder(entry.name)):
                return entry
    return evidence / item_folder_name(item.number, item.title.ja, item.id)


def _within(root: Path, folder: Path) -> Path:
    """`folder` made (owner-only) inside the case folder `root`, refused when a folder on the way is a link (it
    could lead out of the case folder)."""
    here = root
    for part in folder.relative_to(root).parts:
        here = here / part
        if here.is_symlink():
            where = here.relative_to(root).as_posix()
            raise DocgenError(
                Text(
                    f"資料フォルダー {where} がリンクで別の場所を指しているため、保存しません。"
                    "リンクをフォルダーに置き換えてください",
                    f"the evidence folder {where} is a link to somewhere else: nothing was stored; replace the"
                    " link with a folder",
                )
            )
    return private_folder(folder)


def _copy(stream: BinaryIO, target: Path) -> None:
    """The sent bytes to the claimed owner-only file, stopping one byte past the size limit (the check then
    names it)."""
    limit = MAX_FILE_MB * 1_000_000 + 1
    fd = os.open(target, os.O_WRONLY | os.O_TRUNC)
    with os.fdopen(fd, "wb") as out:
        written = 0
        while written < limit:
            chunk = stream.read(min(CHUNK, limit - written))
            if not chunk:
                break
            out.write(chunk)
            written += len(chunk)


@use_case
def add_scans(
    ctx: RunContext,
    case_id: str,
    item_id: str,
    person: str | None,
    files: Sequence[tuple[str, BinaryIO]],
    year: int | None = None,
) -> ScansAdded:
    """Check the sent files (name, bytes) as a packet build checks scans and store those that pass in the item's
    evidence folder (and the person's folder under it, and the 年度's folder under that: '令和7年度', as the
    packet reads a 年度 from a folder's name); see the module docstring."""
    root = case_root(ctx, case_id)
    evidence, items = _items(ctx, root)
    chosen = next((item for item, _ in items if item.id == item_id), None)
    if chosen is None:
        raise DocgenError(
            Text(
                f"この案件の提出書類に「{item_id}」はありません。書類を選び直してください",
                f"this case's checklist has no item '{item_id}': choose the document again",
            )
        )
    person = (person or None) if chosen.people else None  # an item for the household has no person folders
    if person is not None and person not in chosen.people:
        raise DocgenError(
            Text(
                f"「{chosen.title.ja}」の対象者の中から選んでください",
                f"choose one of the people '{chosen.title.en}' is counted for",
            )
        )
    if year is not None and year not in chosen.years_of(person):
        raise DocgenError(
            Text(
                f"「{chosen.title.ja}」の対象の年度から選んでください",
                f"choose one of the fiscal years '{chosen.title.en}' is counted for",
            )
        )
    if not files:
        raise DocgenError(Text("ファイルを選んでください", "choose the files to add"))
    if len(files) > MAX_FILES:
        raise DocgenError(
            Text(
                f"一度に追加できるのは {MAX_FILES} ファイルまでです（{len(files)} ファイル）",
                f"at most {MAX_FILES} files at a time ({len(files)} sent)",
            )
        )
    stage = private_folder(root / f"{STAGING}{secrets.token_hex(8)}")
    try:
        return _check_and_store(case_id, chosen, person, year, files, stage, evidence)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _check_and_store(
    case_id: str,
    item: UploadItem,
    person: str | None,
    year: int | None,
    files: Sequence[tuple[str, BinaryIO]],
    stage: Path,
    evidence: Path,
) -> ScansAdded:
    sent_in = private_folder(stage / "in" / item.id / (safe_name(person) if person else ""))
    sent_names: dict[Path, str] = {}
    for sent, stream in files:
        target = _free(sent_in, safe_name(sent))
        _copy(stream, target)
        sent_names[target.resolve()] = sent
    checked = collect_evidence(stage / "in", [item.id], stage / "work", case_id)
    result = ScansAdded(item, person, year)
    for path, reason in checked.rejected:
        result.refused.append(RefusedScan(sent_names.get(path.resolve(), path.name), reason))
    notes = {p.resolve(): note for p, note in checked.sanitised}
    folder = _item_folder(evidence, item)
    if person:
        folder = folder / safe_name(person)
    if year is not None:
        folder = folder / fiscal_year_label(year)
    accepted = checked.files.get(item.id, [])
    if accepted:
        _within(evidence.parent, folder)
    for scan in accepted:
        source = scan.source.resolve()
        target = _free(folder, source.name)
        os.replace(source, target)
        target.chmod(0o600)
        stored = target.relative_to(evidence.parent).as_posix()
        result.stored.append(StoredScan(sent_names.get(source, source.name), stored, notes.get(source)))
    return result


def year_name(year: int) -> str:
    """A 住民税 年度 as the forms offer it: 令和7年度."""
    return fiscal_year_label(year)


__all__ = [
    "MAX_FILES",
    "RefusedScan",
    "ScansAdded",
    "StoredScan",
    "UploadItem",
    "add_scans",
    "upload_items",
    "year_name",
]
