"""The web app's パケット作成 (docgen/web/jobs.py runs it as a background job): a case's packet built by id, the
result summed up in plain values a job record can hold (no paths outside the packet, no profile value), and
the packet's files offered for download under Japanese names (the bundle as 申請書類一式, each document by its
checklist title: '2026-101-wang-04_理由書_wang_wei.docx')."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.accounts.database import database_path
from docgen.case.folder import case_folder_at
from docgen.errors import DocgenError
from docgen.packet.names import names_of, read_manifest
from docgen.packet.rebuild import previous_documents
from docgen.private_folders import private_folder
from docgen.text import Text
from docgen.usecases.case_page import NotInCases, case_file, case_profile, case_root, staff_time
from docgen.usecases.context import RunContext, use_case
from docgen.usecases.packet import PacketMade, make_packet

JOBS_NAME = "jobs.sqlite3"
UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
NUMBERED = re.compile(r"^(\d{2})_(.+)$")
TRANSLATION = re.compile(r"^([a-z_]+?)_translation_([a-z]{2})_(.+)$")  # acknowledgement_translation_en_…


@use_case
def jobs_file(ctx: RunContext) -> Path:
    """The office's job queue (SQLite, the embedded default): beside the accounts database in the data folder,
    owner-only."""
    path = database_path(ctx.settings).with_name(JOBS_NAME)
    private_folder(path.parent)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    path.chmod(0o600)
    return path


def _profile(ctx: RunContext, case_id: str) -> Path:
    root = case_root(ctx, case_id)
    chosen = case_profile(root)
    if chosen is None:
        raise DocgenError(
            Text(
                "この案件にはプロフィールがないため、パケットを作成できません",
                "this case has no profile: its packet cannot be built",
            )
        )
    return case_folder_at(root, chosen).profile


@dataclass(frozen=True)
class BuildOptions:
    """What staff asked for: a draft (stamped 下書き) of a blocked case, the filing copy (`final`) with the
    office's acceptance of what is missing (`accept_reason`), Word files only (`pdf` False)."""

    draft: bool = False
    final: bool = False
    accept_reason: str | None = None
    pdf: bool = True


@use_case
def build_case_packet(
    ctx: RunContext, case_id: str, options: BuildOptions, progress: Callable[[str], None] = lambda stage: None
) -> PacketMade:
    """Build the packet of case `case_id` as `docgen packet` does (its evidence folder, its packet folder; the
    office's warm converter when one is running)."""
    if options.accept_reason is not None and (not options.final or not options.accept_reason.strip()):
        raise DocgenError(
            Text(
                "承認は「提出用」の作成で、理由を書いて行います",
                "an acceptance goes with the filing copy and a reason",
            )
        )
    return make_packet(
        ctx,
        _profile(ctx, case_id),
        final=options.final,
        accept_reason=options.accept_reason.strip() if options.accept_reason else None,
        draft=options.draft,
        pdf=options.pdf,
        progress=progress,
    )


@dataclass(frozen=True)
class PacketSummary:
    """A build's result as the job page shows it, in the staff's language: plain strings and numbers only."""

    draft: bool
    final: bool
    pages: int
    decision: str
    bundle: bool
    documents: int
    converted: int
    reused: int
    warm: bool
    missing_client: list[str] = field(default_factory=list)
    missing_office: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # 'file: reason' of the scans not bound
    unmatched: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    kept_edits: list[str] = field(default_factory=list)


@use_case
def packet_summary(ctx: RunContext, made: PacketMade) -> PacketSummary:
    """What staff should know about a build (the command line prints the same)."""
    r = made.result
    return PacketSummary(
        draft=r.draft,
        final=not r.draft and bool((read_manifest(r.folder) or {}).get("final", {}).get("final")),
        pages=r.pages,
        decision=r.decision.line() if r.decision is not None else "",
        bundle=r.bundle is not None,
        documents=len(r.documents),
        converted=len(r.converted) + (1 if r.bundle is not None else 0),  # the index too, as the stage line says
        reused=len(r.reused),
        warm=made.warm,
        missing_client=[i.title() for i in r.missing if i.rule.prepared_by == "client"],
        missing_office=[i.title() for i in r.missing if i.rule.prepared_by == "office"],
        placeholders=[p.line() for p in r.placeholders],
        left_out=[f"{path.name}: {reason}" for path, reason in r.rejected],
        unmatched=[path.name for path in r.unmatched],
        notes=[str(n) for n in r.notes],
        kept_edits=[japanese_name(ctx, r.folder.name.removesuffix("-packet"), path) for path in r.kept_edits],
    )


@dataclass(frozen=True)
class Download:
    """A file of the packet: its path in the case folder (with '/'), the name it is downloaded under, its format
    (pdf / docx / txt) and size."""

    path: str
    name: str
    format: str
    size: int


@dataclass(frozen=True)
class PacketRow:
    """One thing of the packet as staff look for it: the bundle, the report, a document (its Word file and PDF
    side by side), a copy for the client."""

    label: str  # the Japanese name without its suffix
    kind: str  # bundle / report / document / client
    files: tuple[Download, ...]


@dataclass(frozen=True)
class PacketFiles:
    """The packet of a case as it is now: whether there is one, draft or filing copy, and its files."""

    built: bool
    draft: bool = True
    final: bool = False
    accepted: Text | None = None  # who accepted what was missing, and why (the filing copy)
    rows: list[PacketRow] = field(default_factory=list)

    @property
    def files(self) -> list[Download]:
        return [f for row in self.rows for f in row.files]


def _clean(text: str, limit: int = 40) -> str:
    return UNSAFE.sub("・", text).strip()[:limit]


def _title(ctx: RunContext, item_id: str) -> str | None:
    item = ctx.rules.book.items.get(item_id)
    return _clean(item.title.ja) if item is not None and item.title is not None else None


def _named(ctx: RunContext, case_id: str, stem: str, item_id: str) -> str:
    """'2026-101-wang-04_理由書_wang_wei' for '…-04_reason_letter_wang_wei' (the document of item
    'reason_letter'): the item's Japanese title in place of its id; a client copy
    '…-acknowledgement_translation_en_wang_wei' becomes '…-了解書（訳en・依頼者用）_wang_wei'."""
    own = stem[len(case_id) + 1 :] if stem.startswith(case_id + "-") else stem
    m = NUMBERED.match(own)
    title = _title(ctx, item_id)
    if m is not None and title is not None and m.group(2).startswith(item_id):
        rest = m.group(2)[len(item_id) :].strip("_")
        return f"{case_id}-{m.group(1)}_{title}{'_' + rest if rest else ''}"
    copy = TRANSLATION.match(own)
    title = _title(ctx, copy.group(1)) if copy else None
    if copy is not None and title is not None:
        return f"{case_id}-{title}（訳{copy.group(2)}・依頼者用）_{copy.group(3)}"
    return stem


def japanese_name(ctx: RunContext, case_id: str, path: Path) -> str:
    """A packet's Word file as staff know it: '2026-101-wang-04_理由書_wang_wei.docx' for
    '…-04_reason_letter_wang_wei.docx' (the item whose id starts its name), else its own name."""
    own = path.stem[len(case_id) + 1 :] if path.stem.startswith(case_id + "-") else path.stem
    m = NUMBERED.match(own)
    ids = [i for i in ctx.rules.book.items if m is not None and m.group(2).startswith(i)]
    item_id = max(ids, key=len) if ids else ""
    return _named(ctx, case_id, path.stem, item_id) + path.suffix


@use_case
def packet_files(ctx: RunContext, case_id: str) -> PacketFiles:
    """The case's packet folder as its manifest records it, each file with its download name."""
    root = case_root(ctx, case_id)
    chosen = case_profile(root)
    if chosen is None:
        return PacketFiles(False)
    folder = case_folder_at(root, chosen).packet
    manifest = read_manifest(folder) if folder.is_dir() else None
    if manifest is None:
        return PacketFiles(False)
    names = names_of(manifest)
    prefix = names.case_id if names else case_id
    rows: list[PacketRow] = []

    def add(label: str, kind: str, *paths: Path | None) -> None:
        files = tuple(
            Download(p.relative_to(root).as_posix(), f"{label}{p.suffix}", p.suffix.lstrip("."), p.stat().st_size)
            for p in paths
            if p is not None and p.is_file() and p.resolve().is_relative_to(root.resolve())
        )
        if files:
            rows.append(PacketRow(label, kind, files))

    if names is not None:
        add(f"{prefix}-申請書類一式", "bundle", folder / names.bundle)
        add(f"{prefix}-不足書類と記入箇所", "report", folder / names.missing)
        add(
            f"{prefix}-00_提出書類一覧表",
            "document",
            folder / "docx" / names.index,
            folder / "pdf" / f"{Path(names.index).stem}.pdf",
        )
    for key, doc in sorted(previous_documents(folder, manifest).items(), key=lambda kv: kv[1].docx.name):
        if doc.docx.parent.name == "client":  # a copy for the client: listed once, below
            continue
        add(_named(ctx, prefix, doc.docx.stem, key.split("@", 1)[0]), "document", doc.docx, doc.pdf)
    client = folder / "client"
    if client.is_dir():
        stems = sorted({p.stem for p in client.iterdir() if p.suffix in (".docx", ".pdf")})
        for stem in stems:
            add(_named(ctx, prefix, stem, ""), "client", client / f"{stem}.docx", client / f"{stem}.pdf")
    filing: dict[str, Any] = manifest["final"] if isinstance(manifest.get("final"), dict) else {}
    accepted = filing.get("accepted") if isinstance(filing.get("accepted"), dict) else None
    accepted_text = None
    if accepted:
        by, reason = accepted.get("by", ""), accepted.get("reason", "")
        at = staff_time(str(accepted.get("at", "")), ctx.now.tzinfo)
        accepted_text = Text(f"{by} が承認（{at.ja}）: {reason}", f"accepted by {by} ({at.en}): {reason}")
    final = bool(filing.get("final"))
    draft = not final and _stamped(manifest)
    return PacketFiles(True, draft, final, accepted_text, rows)


def _stamped(manifest: dict[str, object]) -> bool:
    """Whether the pages say 下書き, as the build decides it (docgen/packet/build.py): ［ ］ left, or a decision
    that does not allow filing."""
    decision, missing = manifest.get("decision"), manifest.get("missing")
    status = decision.get("status") if isinstance(decision, dict) else None
    placeholders = missing.get("placeholders") if isinstance(missing, dict) else None
    return bool(placeholders) or status not in ("ready", "ready_with_risks")


@use_case
def packet_download(ctx: RunContext, case_id: str, path: str) -> Download:
    """One file of the case's packet, by its path in the case folder; NotInCases for anything else."""
    case_file(ctx, case_id, path)  # inside the case folder, a regular file
    for download in packet_files(ctx, case_id).files:
        if download.path == path:
            return download
    raise NotInCases()


__all__ = [
    "BuildOptions",
    "Download",
    "PacketFiles",
    "PacketRow",
    "PacketSummary",
    "build_case_packet",
    "jobs_file",
    "packet_download",
    "packet_files",
    "packet_summary",
]
